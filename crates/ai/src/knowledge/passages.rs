//! Passage search over a company's documents, and FAQ matching, as the responder and the
//! retrieval-testing route call them.

use super::state::CompanyState;
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
        let scored = {
            let state = entry.fresh(self).await?;
            recall(&state, query, vector.as_deref(), top_k)?
        };
        self.read_back(company, scored, top_k, threshold, vector.is_none()).await
    }

    /// What a responder needs for one question, from one look at the company's knowledge
    /// (one freshness check, one embedding): the FAQ whose confidence reaches
    /// `faq_threshold`, or else the passages [`Self::search_passages`] would give and the
    /// FAQs the question comes near ([`NEAR_FAQS`] at most), for a model to weigh.
    pub async fn consult(
        &self,
        company: CompanyId,
        question: &str,
        faq_threshold: f32,
        top_k: usize,
        answer_threshold: f32,
    ) -> Result<Consulted, KnowledgeError> {
        let vector = self.query_vector(question).await?;
        let entry = self.company(company);
        let near_faqs: Vec<FaqCandidate>;
        let scored = {
            let state = entry.fresh(self).await?;
            // An empty index ranks nothing.
            let ranked =
                state.faqs.rank(question, vector.as_deref(), &self.faq_scoring, NEAR_FAQS)?;
            if ranked.first().is_some_and(|best| best.confidence >= faq_threshold) {
                let faq = ranked.into_iter().next();
                return Ok(Consulted { faq, ..Consulted::default() });
            }
            near_faqs = ranked.into_iter().filter(FaqCandidate::is_near).collect();
            recall(&state, question, vector.as_deref(), top_k)?
        };
        let passages =
            self.read_back(company, scored, top_k, answer_threshold, vector.is_none()).await?;
        Ok(Consulted { faq: None, near_faqs, passages })
    }

    /// Turns recalled chunks (best first) into passages: their text read back from the
    /// database, one per parent passage, moved by the lead, thresholded.
    async fn read_back(
        &self,
        company: CompanyId,
        scored: Vec<(Hit, f32)>,
        top_k: usize,
        threshold: f32,
        lexical_only: bool,
    ) -> Result<Vec<PassageHit>, KnowledgeError> {
        // Read back in rank order, a batch at a time, until one more passage than asked for
        // is found (the runner-up sets the lead): most turns need only the first batch, not
        // every recalled candidate. Reading back also drops chunks deleted since the index
        // was read.
        // The lead moves every score by at most MAX_LEAD_SHIFT: when even the best recalled
        // chunk could not reach the threshold with it, no passage can (a question the
        // knowledge does not answer), and nothing need be read back.
        let reach = if lexical_only { 0.0 } else { MAX_LEAD_SHIFT };
        if scored.first().is_none_or(|(_, best)| best + reach < threshold) {
            return Ok(Vec::new());
        }
        let batch = readback_batch(top_k);
        let mut seen_passages = HashSet::new();
        let mut out = Vec::new();
        'batches: for slice in scored.chunks(batch) {
            let ids: Vec<ChunkId> = slice.iter().map(|(h, _)| ChunkId::from_uuid(h.key)).collect();
            let views = self.db().passages(company, &ids).await?;
            let mut by_id: std::collections::HashMap<ChunkId, _> =
                views.into_iter().map(|v| (v.chunk_id, v)).collect();
            for (hit, score) in slice {
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
                    score: *score,
                    fused: hit.fused,
                    lexical_rank: hit.lexical_rank,
                    vector_rank: hit.vector_rank,
                    cosine: hit.cosine,
                    bm25: hit.bm25,
                });
                if out.len() > top_k {
                    break 'batches;
                }
            }
        }
        if !lexical_only {
            apply_lead(&mut out);
        }
        out.retain(|h| h.score >= threshold);
        out.truncate(top_k);
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

/// What [`Knowledge::consult`] found: an FAQ to answer with, or else passages (maybe none)
/// and the FAQs under the threshold that the question still comes near, best first.
#[derive(Debug, Clone, Default)]
pub struct Consulted {
    pub faq: Option<FaqCandidate>,
    pub near_faqs: Vec<FaqCandidate>,
    pub passages: Vec<PassageHit>,
}

/// How many FAQs under the threshold [`Knowledge::consult`] offers: a model can weigh a few
/// curated answers whose phrasings the embedding could not tell apart (the right FAQ is
/// among the first five for 97% of the questions of the eval sets, first for 84–90%).
pub const NEAR_FAQS: usize = 3;

/// The recalled children for `query`, each with its relevance, best first.
fn recall(
    state: &CompanyState,
    query: &str,
    vector: Option<&[f32]>,
    top_k: usize,
) -> Result<Vec<(Hit, f32)>, KnowledgeError> {
    let hits = state.passages.search(&Query {
        text: query,
        vector,
        candidates: CANDIDATES.max(top_k),
        limit: CANDIDATES.max(top_k),
    })?;
    let lexical_only = vector.is_none();
    let mut scored: Vec<(Hit, f32)> = hits
        .into_iter()
        .map(|h| {
            let s = relevance(&h, lexical_only);
            (h, s)
        })
        .collect();
    // By relevance, the absolute evidence, not by fused rank: when several children of one
    // passage are recalled, the one that answers best (often found by its meaning alone,
    // with no word in common) must be the passage's representative and set its score.
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.fused.total_cmp(&a.0.fused)));
    Ok(scored)
}

/// How many recalled chunks are read back at a time: enough for `top_k` passages and the
/// runner-up when a few of the best chunks share a passage.
pub fn readback_batch(top_k: usize) -> usize {
    (top_k + 1) * 3
}

/// Weight of BM25's rank in hybrid relevance: a tie-breaker, not evidence. Sentences that
/// share an everyday word with the question ("parcel", "evening") are not the more likely to
/// answer it, and a larger share let such a sentence outrank the one whose meaning is closer
/// (`switchboard eval passages`: 0.15 put the wrong passage first in ten questions).
const LEXICAL_TIE_BREAK: f32 = 0.03;
/// The lead over the runner-up passage that leaves the best passage's score as it is.
const NEUTRAL_LEAD: f32 = 0.08;
/// How far the lead may move the scores, either way.
const MAX_LEAD_SHIFT: f32 = 0.10;

/// How relevant a fused hit is, 0..=1. Rank fusion orders hits but says nothing about
/// whether the best of them is any good (something always ranks first), so the threshold
/// is compared with absolute evidence: the cosine similarity of the matched child, with
/// BM25 only breaking near-ties. Without vectors, BM25's score is squashed into 0..1.
/// How well a recalled chunk answers, 0..=1, before the lead over the runner-up moves it:
/// the sentence cosine with BM25's rank as a tie-breaker, or BM25 alone without vectors.
pub fn relevance(hit: &Hit, lexical_only: bool) -> f32 {
    if lexical_only {
        return hit.bm25.map_or(0.0, |b| b / (b + 1.0));
    }
    let cosine = hit.cosine.unwrap_or(0.0).max(0.0);
    let lexical = hit.lexical_rank.map_or(0.0, |r| 61.0 / (60.0 + r as f32));
    (cosine + LEXICAL_TIE_BREAK * lexical).clamp(0.0, 1.0)
}

/// Turns relevance into confidence, as the FAQ side does: a best passage far ahead of the
/// next one is likelier right than one in a crowd of near-equals, which is where questions
/// no page answers, and answers from the wrong page, mostly land. Every score moves by the
/// same amount, so the order stays; with no runner-up the lead is the whole score.
fn apply_lead(hits: &mut [PassageHit]) {
    let Some(best) = hits.first().map(|h| h.score) else { return };
    let runner_up = hits.get(1).map_or(0.0, |h| h.score);
    let shift = (best - runner_up - NEUTRAL_LEAD).clamp(-MAX_LEAD_SHIFT, MAX_LEAD_SHIFT);
    for h in hits.iter_mut() {
        h.score = (h.score + shift).clamp(0.0, 1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(cosine: f32, lexical_rank: Option<u32>) -> Hit {
        Hit {
            key: uuid::Uuid::nil(),
            group: uuid::Uuid::nil(),
            fused: 0.0,
            lexical_rank,
            vector_rank: Some(1),
            bm25: lexical_rank.map(|_| 3.0),
            cosine: Some(cosine),
        }
    }

    fn passage(score: f32) -> PassageHit {
        PassageHit {
            chunk_id: ChunkId::new(),
            document_id: DocumentId::new(),
            title: String::new(),
            text: String::new(),
            matched_text: String::new(),
            score,
            fused: 0.0,
            lexical_rank: None,
            vector_rank: None,
            cosine: None,
            bm25: None,
        }
    }

    #[test]
    fn a_shared_word_breaks_ties_but_does_not_beat_a_closer_meaning() {
        let closer = relevance(&hit(0.55, None), false);
        let shares_a_word = relevance(&hit(0.50, Some(1)), false);
        assert!(closer > shares_a_word, "{closer} vs {shares_a_word}");
        assert!(relevance(&hit(0.50, Some(1)), false) > relevance(&hit(0.50, None), false));
        // Without vectors BM25 is all there is.
        assert!(relevance(&hit(0.0, Some(1)), true) > 0.5);
    }

    #[test]
    fn the_lead_over_the_runner_up_moves_every_score_alike() {
        let scores = |hits: &[PassageHit]| hits.iter().map(|h| h.score).collect::<Vec<_>>();
        // Far ahead: raised, by at most the cap; the order stays.
        let mut ahead = vec![passage(0.50), passage(0.20), passage(0.10)];
        apply_lead(&mut ahead);
        let s = scores(&ahead);
        assert!((s[0] - 0.60).abs() < 1e-6 && (s[1] - 0.30).abs() < 1e-6, "{s:?}");
        // In a crowd of near-equals: lowered.
        let mut crowd = vec![passage(0.50), passage(0.49)];
        apply_lead(&mut crowd);
        let s = scores(&crowd);
        assert!((s[0] - 0.43).abs() < 1e-6 && s[0] > s[1], "{s:?}");
        // At the neutral lead: unchanged.
        let mut neutral = vec![passage(0.50), passage(0.42)];
        apply_lead(&mut neutral);
        assert!((neutral[0].score - 0.50).abs() < 1e-6);
    }
}
