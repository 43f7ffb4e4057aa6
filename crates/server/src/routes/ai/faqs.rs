//! `/api/ai/faqs*`: curated answers. Every phrasing (the question and its variants) is
//! embedded on write, and an edit is matched from the next customer question on.

use crate::auth::AdminCtx;
use crate::envelope::{Created, Data, Empty, Envelope, Listed, Page};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::paging::PageParams;
use crate::routes::responses::{AdminOnly, JsonBody, PathId, QueryParams};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use switchboard_domain::{BoundedText, FaqId, ValidationErrors};
use switchboard_storage::{Faq, FaqContent};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const MAX_QUESTION_CHARS: usize = 500;
pub const MAX_ANSWER_CHARS: usize = 5000;
pub const MAX_VARIANTS: usize = 50;
pub const MAX_TAGS: usize = 20;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_faq, list_faqs))
        .routes(routes!(get_faq, update_faq, delete_faq))
}

/// An FAQ as created; on update every field is optional and absent ones are kept.
#[derive(Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaqRequest {
    /// 1–500 characters.
    #[schema(min_length = 1, max_length = 500)]
    question: Option<String>,
    /// 1–5000 characters.
    #[schema(min_length = 1, max_length = 5000)]
    answer: Option<String>,
    /// Other phrasings of the same question (at most 50, each 1–500 characters); all are matched.
    #[schema(max_items = 50)]
    variants: Option<Vec<String>>,
    /// 1–100 characters; `null` clears it.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(min_length = 1, max_length = 100)]
    category: Option<Option<String>>,
    /// At most 20 tags of 1–50 characters.
    #[schema(max_items = 20)]
    tags: Option<Vec<String>>,
    /// Disabled FAQs are kept but never matched. Default true.
    enabled: Option<bool>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FaqView {
    id: FaqId,
    question: String,
    answer: String,
    variants: Vec<String>,
    category: Option<String>,
    tags: Vec<String>,
    enabled: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Faq> for FaqView {
    fn from(f: Faq) -> Self {
        Self {
            id: f.id,
            question: f.question,
            answer: f.answer,
            variants: f.variants,
            category: f.category,
            tags: f.tags,
            enabled: f.enabled,
            created_at: f.created_at,
            updated_at: f.updated_at,
        }
    }
}

/// Applies `req` over `base` (an existing FAQ, or nothing for a create), checking every rule.
fn merge(req: FaqRequest, base: Option<FaqContent>) -> Result<FaqContent, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let text = |errors: &mut ValidationErrors, field: &str, raw: &str, max: usize| {
        errors.check(field, BoundedText::parse(raw, 1, max)).map(BoundedText::into_inner)
    };
    let question = match (&req.question, &base) {
        (Some(q), _) => text(&mut errors, "question", q, MAX_QUESTION_CHARS),
        (None, Some(b)) => Some(b.question.clone()),
        (None, None) => {
            errors.push("question", "is required");
            None
        }
    };
    let answer = match (&req.answer, &base) {
        (Some(a), _) => text(&mut errors, "answer", a, MAX_ANSWER_CHARS),
        (None, Some(b)) => Some(b.answer.clone()),
        (None, None) => {
            errors.push("answer", "is required");
            None
        }
    };
    let variants = match req.variants {
        Some(v) if v.len() > MAX_VARIANTS => {
            errors.push("variants", format!("at most {MAX_VARIANTS} variants"));
            Vec::new()
        }
        Some(v) => v
            .iter()
            .enumerate()
            .filter_map(|(i, raw)| {
                text(&mut errors, &format!("variants[{i}]"), raw, MAX_QUESTION_CHARS)
            })
            .collect(),
        None => base.as_ref().map(|b| b.variants.clone()).unwrap_or_default(),
    };
    let category = match req.category {
        Some(Some(c)) => text(&mut errors, "category", &c, 100),
        Some(None) => None,
        None => base.as_ref().and_then(|b| b.category.clone()),
    };
    let tags = match req.tags {
        Some(t) if t.len() > MAX_TAGS => {
            errors.push("tags", format!("at most {MAX_TAGS} tags"));
            Vec::new()
        }
        Some(t) => t
            .iter()
            .enumerate()
            .filter_map(|(i, raw)| text(&mut errors, &format!("tags[{i}]"), raw, 50))
            .collect(),
        None => base.as_ref().map(|b| b.tags.clone()).unwrap_or_default(),
    };
    let enabled = req.enabled.or(base.as_ref().map(|b| b.enabled)).unwrap_or(true);
    errors.into_result()?;
    Ok(FaqContent {
        question: question.unwrap_or_default(),
        answer: answer.unwrap_or_default(),
        variants,
        category,
        tags,
        enabled,
    })
}

/// Adds an FAQ.
#[utoipa::path(post, path = "/api/ai/faqs", tag = "knowledge", security(("bearer" = [])),
    request_body = FaqRequest,
    responses(
        (status = 201, description = "The FAQ", body = Envelope<FaqView>),
        AdminOnly, JsonBody,
    ))]
async fn create_faq(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiJson(req): ApiJson<FaqRequest>,
) -> ApiResult<Created<FaqView>> {
    let content = merge(req, None)?;
    let faq = state.knowledge.create_faq(admin.company_id, content).await?;
    Ok(Created(faq.into()))
}

/// The company's FAQs, oldest first.
#[utoipa::path(get, path = "/api/ai/faqs", tag = "knowledge", security(("bearer" = [])), params(PageParams),
    responses(
        (status = 200, description = "One page of FAQs", body = Page<FaqView>),
        AdminOnly, QueryParams,
    ))]
async fn list_faqs(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Listed<FaqView>> {
    let page = state.db.list_faqs(admin.company_id, params.into_request()?).await?;
    Ok(Listed {
        items: page.items.into_iter().map(FaqView::from).collect(),
        next_cursor: page.next_cursor,
    })
}

/// One FAQ.
#[utoipa::path(get, path = "/api/ai/faqs/{faqId}", tag = "knowledge", security(("bearer" = [])),
    params(("faqId" = String, Path, description = "The FAQ's id")),
    responses(
        (status = 200, description = "The FAQ", body = Envelope<FaqView>),
        AdminOnly, PathId,
    ))]
async fn get_faq(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(id): ApiPath<FaqId>,
) -> ApiResult<Data<FaqView>> {
    Ok(Data(state.db.get_faq(admin.company_id, id).await?.into()))
}

/// Changes an FAQ; absent fields are kept, `variants` and `tags` are replaced as a whole.
#[utoipa::path(put, path = "/api/ai/faqs/{faqId}", tag = "knowledge", security(("bearer" = [])),
    params(("faqId" = String, Path, description = "The FAQ's id")),
    request_body = FaqRequest,
    responses(
        (status = 200, description = "The updated FAQ", body = Envelope<FaqView>),
        AdminOnly, JsonBody, PathId,
    ))]
async fn update_faq(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(id): ApiPath<FaqId>,
    ApiJson(req): ApiJson<FaqRequest>,
) -> ApiResult<Data<FaqView>> {
    let company = admin.company_id;
    // Validate before the lookup, so a bad body is a 400 whether or not the FAQ exists.
    merge(req.clone(), Some(placeholder()))?;
    let current = state.db.get_faq(company, id).await?;
    let base = FaqContent {
        question: current.question,
        answer: current.answer,
        variants: current.variants,
        category: current.category,
        tags: current.tags,
        enabled: current.enabled,
    };
    let content = merge(req, Some(base))?;
    let faq = state.knowledge.update_faq(company, id, content).await?;
    Ok(Data(faq.into()))
}

fn placeholder() -> FaqContent {
    FaqContent {
        question: "q".into(),
        answer: "a".into(),
        variants: Vec::new(),
        category: None,
        tags: Vec::new(),
        enabled: true,
    }
}

/// Deletes an FAQ; it is no longer matched from the next question on.
#[utoipa::path(delete, path = "/api/ai/faqs/{faqId}", tag = "knowledge", security(("bearer" = [])),
    params(("faqId" = String, Path, description = "The FAQ's id")),
    responses(
        (status = 200, description = "Deleted", body = Envelope<Empty>),
        AdminOnly, PathId,
    ))]
async fn delete_faq(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(id): ApiPath<FaqId>,
) -> ApiResult<Data<Empty>> {
    state.db.delete_faq(admin.company_id, id).await?;
    Ok(Data(Empty {}))
}
