//! What the company's knowledge says about one customer message: the FAQ fast path first,
//! then passage search. The builtin responder decides on the result (`builtin::respond`),
//! and the LLM responder will be handed the same passages.

use crate::builtin::{FaqAnswer, Grounding, MAX_QUOTED};
use switchboard_ai::knowledge::{
    DEFAULT_ANSWER_THRESHOLD, DEFAULT_FAQ_THRESHOLD, Knowledge, KnowledgeError,
};
use switchboard_domain::CompanyId;
use switchboard_storage::Backend;

/// The company's cut-offs (its `ai.faqThreshold` and `ai.answerThreshold`, or the defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Confidence an FAQ match needs for its curated answer to be given.
    pub faq: f32,
    /// Relevance a passage needs to be quoted.
    pub answer: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self { faq: DEFAULT_FAQ_THRESHOLD, answer: DEFAULT_ANSWER_THRESHOLD }
    }
}

/// Passages looked at per message; twice what an answer quotes, so that duplicates of one
/// passage still leave enough distinct ones.
const PASSAGES: usize = MAX_QUOTED * 2;

pub async fn ground(
    knowledge: &Knowledge,
    db: &dyn Backend,
    company: CompanyId,
    message: &str,
    thresholds: Thresholds,
) -> Result<Grounding, KnowledgeError> {
    let consulted =
        knowledge.consult(company, message, thresholds.faq, PASSAGES, thresholds.answer).await?;
    let Some(hit) = consulted.faq else {
        let near_faqs = consulted.near_faqs.iter().map(|c| c.faq_id).collect();
        return Ok(Grounding { faq: None, near_faqs, passages: consulted.passages });
    };
    let faq = db.get_faq(company, hit.faq_id).await?;
    // The index may still hold an FAQ disabled a moment ago; its answer is not given.
    if faq.enabled {
        let faq = FaqAnswer { question: faq.question, answer: faq.answer };
        return Ok(Grounding { faq: Some(faq), ..Grounding::default() });
    }
    let passages = knowledge.search_passages(company, message, PASSAGES, thresholds.answer).await?;
    Ok(Grounding { passages, ..Grounding::default() })
}
