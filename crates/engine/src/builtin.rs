//! The builtin responder's decision: the curated answer of a matching FAQ, else the
//! knowledge base's own words with their sources, else an honest handoff. It never writes a
//! sentence of substance itself: everything it states comes verbatim from an FAQ answer or a
//! passage the company uploaded, and only the framing is the agent's own.
//!
//! The retrieval happens before this (FAQ matching and passage search in
//! `switchboard_ai::knowledge`); this module decides on what was found, so it can be tested
//! without a model or a database.

use switchboard_ai::knowledge::PassageHit;
use switchboard_ai::{Citation, ResponderAction};
use switchboard_domain::FaqId;

/// At most this many passages are quoted in one answer: enough for an answer spread over two
/// documents, few enough to stay readable in a chat bubble.
pub const MAX_QUOTED: usize = 2;

/// The reason recorded when nothing in the company's knowledge answers the question.
pub const NO_GROUNDING: &str = "no_grounding";

/// The curated answer of the FAQ that matched the question.
#[derive(Debug, Clone, PartialEq)]
pub struct FaqAnswer {
    pub question: String,
    pub answer: String,
}

/// What the retrieval found for one customer message.
#[derive(Debug, Clone, Default)]
pub struct Grounding {
    /// The FAQ whose confidence reached the company's FAQ threshold, if any.
    pub faq: Option<FaqAnswer>,
    /// Without one, the FAQs the message still comes near, best first: the builtin
    /// responder never answers with them, a model may weigh them.
    pub near_faqs: Vec<FaqId>,
    /// Passages scoring at least the company's answer threshold, best first.
    pub passages: Vec<PassageHit>,
}

/// Decides what to do with a question given what the company's knowledge says about it.
pub fn respond(grounding: &Grounding) -> ResponderAction {
    if let Some(faq) = &grounding.faq {
        return ResponderAction::Answer { content: faq.answer.clone(), citations: Vec::new() };
    }
    let quoted = distinct_passages(&grounding.passages);
    if quoted.is_empty() {
        return ResponderAction::Handoff { reason: NO_GROUNDING.to_owned() };
    }
    let mut content = String::from(if quoted.len() == 1 {
        "Here is what our documentation says:"
    } else {
        "Here is what our documentation says about that:"
    });
    let mut citations = Vec::with_capacity(quoted.len());
    for (i, hit) in quoted.iter().enumerate() {
        let excerpt = excerpt(hit);
        content.push_str(&format!("\n\n\u{201c}{excerpt}\u{201d} [{}]", i + 1));
        citations.push(Citation {
            document_id: hit.document_id.to_string(),
            title: hit.title.clone(),
            excerpt: excerpt.to_owned(),
        });
    }
    ResponderAction::Answer { content, citations }
}

/// The best passages, one per parent passage, at most [`MAX_QUOTED`].
fn distinct_passages(hits: &[PassageHit]) -> Vec<&PassageHit> {
    let mut out: Vec<&PassageHit> = Vec::with_capacity(MAX_QUOTED);
    for hit in hits {
        if out.len() == MAX_QUOTED {
            break;
        }
        let same = out.iter().any(|h| h.document_id == hit.document_id && h.text == hit.text);
        if !same && !excerpt(hit).is_empty() {
            out.push(hit);
        }
    }
    out
}

/// The words quoted from a passage: the child chunk that matched (a sentence or two), which
/// is what answered the question; the whole parent when the match carries no text.
fn excerpt(hit: &PassageHit) -> &str {
    let matched = hit.matched_text.trim();
    if matched.is_empty() { hit.text.trim() } else { matched }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_domain::{ChunkId, DocumentId};

    fn hit(document: DocumentId, title: &str, text: &str, matched: &str, score: f32) -> PassageHit {
        PassageHit {
            chunk_id: ChunkId::new(),
            document_id: document,
            title: title.to_owned(),
            text: text.to_owned(),
            matched_text: matched.to_owned(),
            score,
            fused: 1.0,
            lexical_rank: Some(1),
            vector_rank: Some(1),
            cosine: Some(score),
            bm25: Some(3.0),
        }
    }

    const RETURNS: &str =
        "Returns. You can return unused items within 30 days. Refunds take five days.";

    #[test]
    fn faqs_under_the_threshold_are_never_answered_by_the_builtin_responder() {
        let grounding = Grounding { near_faqs: vec![FaqId::new()], ..Grounding::default() };
        assert_eq!(
            respond(&grounding),
            ResponderAction::Handoff { reason: NO_GROUNDING.to_owned() }
        );
    }

    #[test]
    fn a_matching_faq_gives_its_curated_answer_verbatim() {
        let grounding = Grounding {
            faq: Some(FaqAnswer {
                question: "How long does shipping take?".into(),
                answer: "Orders arrive in 3 to 5 working days.".into(),
            }),
            passages: vec![hit(DocumentId::new(), "Returns", RETURNS, "x", 0.9)],
            near_faqs: Vec::new(),
        };
        assert_eq!(
            respond(&grounding),
            ResponderAction::Answer {
                content: "Orders arrive in 3 to 5 working days.".into(),
                citations: vec![]
            }
        );
    }

    #[test]
    fn passages_are_quoted_word_for_word_and_cited() {
        let doc = DocumentId::new();
        let matched = "You can return unused items within 30 days.";
        let grounding = Grounding {
            passages: vec![hit(doc, "Returns", RETURNS, matched, 0.7)],
            ..Grounding::default()
        };
        let ResponderAction::Answer { content, citations } = respond(&grounding) else {
            panic!("a grounded question was not answered");
        };
        assert!(content.contains(matched), "{content}");
        assert!(content.ends_with("[1]"), "{content}");
        assert_eq!(
            citations,
            vec![Citation {
                document_id: doc.to_string(),
                title: "Returns".into(),
                excerpt: matched.into()
            }]
        );
    }

    #[test]
    fn at_most_two_distinct_passages_are_quoted() {
        let (a, b) = (DocumentId::new(), DocumentId::new());
        let passages = vec![
            hit(a, "Returns", RETURNS, "You can return unused items within 30 days.", 0.8),
            // The same parent passage again (another child matched): quoted once.
            hit(a, "Returns", RETURNS, "Refunds take five days.", 0.7),
            hit(b, "Shipping", "We ship worldwide.", "We ship worldwide.", 0.6),
            hit(b, "Shipping", "Express costs extra.", "Express costs extra.", 0.5),
        ];
        let ResponderAction::Answer { content, citations } =
            respond(&Grounding { passages, ..Grounding::default() })
        else {
            panic!("not answered");
        };
        let titles: Vec<&str> = citations.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["Returns", "Shipping"]);
        assert!(content.contains("[2]") && !content.contains("[3]"), "{content}");
        assert!(!content.contains("Express"), "{content}");
    }

    #[test]
    fn nothing_found_is_an_honest_handoff() {
        assert_eq!(
            respond(&Grounding::default()),
            ResponderAction::Handoff { reason: NO_GROUNDING.into() }
        );
        // A passage with no text says nothing, so it grounds nothing.
        let empty = hit(DocumentId::new(), "Blank", "  ", " ", 0.9);
        assert_eq!(
            respond(&Grounding { passages: vec![empty], ..Grounding::default() }),
            ResponderAction::Handoff { reason: NO_GROUNDING.into() }
        );
    }

    #[test]
    fn every_sentence_of_substance_comes_from_the_knowledge() {
        let doc = DocumentId::new();
        let matched = "You can return unused items within 30 days.";
        let grounding = Grounding {
            passages: vec![hit(doc, "Returns", RETURNS, matched, 0.7)],
            ..Grounding::default()
        };
        let ResponderAction::Answer { content, .. } = respond(&grounding) else { panic!() };
        // Strip the framing line and the citation markers: what is left is the quote alone.
        let body: String = content
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                l.trim_start_matches('\u{201c}')
                    .trim_end_matches(" [1]")
                    .trim_end_matches('\u{201d}')
            })
            .collect();
        assert_eq!(body, matched);
    }
}
