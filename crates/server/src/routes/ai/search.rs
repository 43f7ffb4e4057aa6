//! `POST /api/ai/knowledge-base/search`: retrieval testing. An admin asks what a customer
//! would ask and sees which passages come back, with each path's rank, so that a missing
//! or surprising answer can be explained.

use crate::auth::AdminCtx;
use crate::envelope::{Data, Envelope};
use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::routes::responses::{AdminOnly, JsonBody};
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use switchboard_ai::knowledge::{DEFAULT_ANSWER_THRESHOLD, PassageHit};
use switchboard_domain::{BoundedText, ChunkId, DocumentId, ValidationErrors};
use switchboard_storage::ai_keys;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SearchRequest {
    /// What a customer would ask; 1–1000 characters.
    #[schema(min_length = 1, max_length = 1000)]
    query: String,
    /// How many passages (1–50, default 5).
    #[schema(minimum = 1, maximum = 50)]
    top_k: Option<u32>,
    /// Minimum score (0–1). Default: the company's `answerThreshold`, or 0.48.
    #[schema(minimum = 0, maximum = 1)]
    threshold: Option<f32>,
}

/// A passage and why it was found.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    document_id: DocumentId,
    title: String,
    /// The passage the responder would read and cite.
    text: String,
    /// The sentence or short passage inside it that matched.
    matched_text: String,
    chunk_id: ChunkId,
    /// Relevance 0–1 after fusion, compared with the threshold.
    score: f32,
    /// Reciprocal-rank fusion of the two paths, 0–1 (1 = first on both).
    fused: f32,
    /// 1-based rank on the BM25 path; absent if BM25 did not recall it.
    lexical_rank: Option<u32>,
    /// 1-based rank on the embedding path; absent if it did not recall it (or lexical mode).
    vector_rank: Option<u32>,
    cosine: Option<f32>,
    bm25: Option<f32>,
}

impl From<PassageHit> for SearchHit {
    fn from(h: PassageHit) -> Self {
        Self {
            document_id: h.document_id,
            title: h.title,
            text: h.text,
            matched_text: h.matched_text,
            chunk_id: h.chunk_id,
            score: h.score,
            fused: h.fused,
            lexical_rank: h.lexical_rank,
            vector_rank: h.vector_rank,
            cosine: h.cosine,
            bm25: h.bm25,
        }
    }
}

/// Ranked passages for a query in the company's documents.
#[utoipa::path(post, path = "/api/ai/knowledge-base/search", tag = "knowledge", security(("bearer" = [])),
    request_body = SearchRequest,
    responses(
        (status = 200, description = "Passages, best first (possibly none)", body = Envelope<Vec<SearchHit>>),
        AdminOnly, JsonBody,
    ))]
async fn search(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiJson(req): ApiJson<SearchRequest>,
) -> ApiResult<Data<Vec<SearchHit>>> {
    let mut errors = ValidationErrors::new();
    let query = errors.check("query", BoundedText::parse(&req.query, 1, 1000));
    let top_k = match req.top_k {
        Some(k @ 1..=50) => k as usize,
        None => 5,
        Some(_) => {
            errors.push("topK", "must be from 1 to 50");
            5
        }
    };
    if req.threshold.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
        errors.push("threshold", "must be from 0 to 1");
    }
    errors.into_result()?;
    let query = query.map(BoundedText::into_inner).unwrap_or_default();
    let company = admin.company_id;
    let threshold = match req.threshold {
        Some(t) => t,
        None => company_threshold(&state, company).await?,
    };
    let hits = state.knowledge.search_passages(company, &query, top_k, threshold).await?;
    Ok(Data(hits.into_iter().map(SearchHit::from).collect()))
}

async fn company_threshold(
    state: &AppState,
    company: switchboard_domain::CompanyId,
) -> ApiResult<f32> {
    let config = state.db.get_agent_config(company).await?;
    Ok(config.ai_number(ai_keys::ANSWER_THRESHOLD).map_or(DEFAULT_ANSWER_THRESHOLD, |t| t as f32))
}
