//! Passage search over a company's documents, and FAQ matching, as the responder and the
//! retrieval-testing route call them.

use super::{CANDIDATES, FaqCandidate, Knowledge, KnowledgeError};
use std::collections::HashSet;
use switchboard_domain::{ChunkId, CompanyId, DocumentId};
use switchboard_retrieval::{Hit, Query};

/// A passage found for a query, with why it was found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PassageHit {
    pub chunk_id: ChunkId,
    pub document_id: DocumentId,
    pub title: String,
    /// The parent passage: what the responder reads and cites.
    pub text: String,
    /// The child chunk that matched.
    pub matched_text: String,
    /// Relevance 0..=1 after fusion; the answer threshold is compared with this.
    pub score: f32,
    /// Reciprocal-rank fusion of the two paths, 0..=1 (1 = first on both).
    pub fused: f32,
    pub lexical_rank: Option<u32>,
    pub vector_rank: Option<u32>,
    pub cosine: Option<f32>,
    pub bm25: Option<f32>,
}

impl Knowledge {
    /// The best passages for `query` in the company's documents, at most `top_k`, with a
    /// score of at least `threshold`. Both paths recall [`CANDIDATES`] children; hits are
    /// fused by rank, collapsed to one per parent passage, then thresholded.
    pub async fn search_passages(
        &self,
        company: CompanyId,
        query: &str,
        top_k: usize,
        threshold: f32,
    ) -> Result<Vec<PassageHit>, KnowledgeError> {
        let vector = self.query_vector(query).await?;
        let entry = self.company(company);
        let hits = {
            let state = entry.fresh(self).await?;
            state.passages.search(&Query {
                text: query,
                vector: vector.as_deref(),
                candidates: CANDIDATES.max(top_k),
                limit: CANDIDATES.max(top_k),
            })?
        };
        let lexical_only = vector.is_none();
        let mut scored: Vec<(Hit, f32)> = hits
            .into_iter()
            .map(|h| {
                let s = relevance(&h, lexical_only);
                (h, s)
            })
            .filter(|(_, s)| *s >= threshold)
            .collect();
        // By relevance, the absolute evidence, not by fused rank: when several children of one
        // passage are recalled, the one that answers best (often found by its meaning alone,
        // with no word in common) must be the passage's representative and set its score.
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.fused.total_cmp(&a.0.fused)));
        let ids: Vec<ChunkId> = scored.iter().map(|(h, _)| ChunkId::from_uuid(h.key)).collect();
        // Reading the passages back also drops chunks deleted since the index was read.
        let views = self.db().passages(company, &ids).await?;
        let mut by_id: std::collections::HashMap<ChunkId, _> =
            views.into_iter().map(|v| (v.chunk_id, v)).collect();
        let mut seen_passages = HashSet::new();
        let mut out = Vec::new();
        for (hit, score) in scored {
            let Some(view) = by_id.remove(&ChunkId::from_uuid(hit.key)) else { continue };
            if !seen_passages.insert((view.document_id, view.passage_text.clone())) {
                continue;
            }
            out.push(PassageHit {
                chunk_id: view.chunk_id,
                document_id: view.document_id,
                title: view.title,
                text: view.passage_text,
                matched_text: view.matched_text,
                score,
                fused: hit.fused,
                lexical_rank: hit.lexical_rank,
                vector_rank: hit.vector_rank,
                cosine: hit.cosine,
                bm25: hit.bm25,
            });
            if out.len() == top_k {
                break;
            }
        }
        Ok(out)
    }

    /// The company's FAQs ranked for `question`, best first (at most `limit`). The caller
    /// compares the first one's score with the FAQ threshold.
    pub async fn rank_faqs(
        &self,
        company: CompanyId,
        question: &str,
        limit: usize,
    ) -> Result<Vec<FaqCandidate>, KnowledgeError> {
        let vector = self.query_vector(question).await?;
        let entry = self.company(company);
        let state = entry.fresh(self).await?;
        if state.faqs.is_empty() {
            return Ok(Vec::new());
        }
        state.faqs.rank(question, vector.as_deref(), &self.faq_scoring, limit)
    }

    /// The FAQ whose answer should be given for `question`, if the best one's confidence
    /// reaches `threshold`.
    pub async fn match_faq(
        &self,
        company: CompanyId,
        question: &str,
        threshold: f32,
    ) -> Result<Option<FaqCandidate>, KnowledgeError> {
        let best = self.rank_faqs(company, question, 1).await?.into_iter().next();
        Ok(best.filter(|c| c.confidence >= threshold))
    }
}

/// How relevant a fused hit is, 0..=1. Rank fusion orders hits but says nothing about
/// whether the best of them is any good (something always ranks first), so the threshold
/// is compared with absolute evidence: mostly the cosine similarity, lifted a little when
/// BM25 agrees. Without vectors, BM25's score is squashed into 0..1.
fn relevance(hit: &Hit, lexical_only: bool) -> f32 {
    if lexical_only {
        return hit.bm25.map_or(0.0, |b| b / (b + 1.0));
    }
    let cosine = hit.cosine.unwrap_or(0.0).max(0.0);
    let lexical = hit.lexical_rank.map_or(0.0, |r| 61.0 / (60.0 + r as f32));
    (0.85 * cosine + 0.15 * lexical).clamp(0.0, 1.0)
}
