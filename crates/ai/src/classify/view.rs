//! A request's classification as agents and admins see it: every verdict with its score
//! and the reasons behind it.

use serde::{Deserialize, Serialize};
use switchboard_classify::cues::{self, Assessment, Priority, Sentiment, Urgency};
use switchboard_classify::{Neighbour, Prediction};
use utoipa::ToSchema;

/// The category an out-of-scope request falls into.
pub const FALLBACK_CATEGORY: &str = "general";

/// Longest piece of an example quoted in a reason.
const QUOTE_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestClassification {
    pub category: CategoryVerdict,
    /// `low`, `medium`, `high` or `critical`.
    pub priority: Verdict,
    /// `low`, `medium`, `high` or `urgent`.
    pub urgency: Verdict,
    /// `negative`, `neutral` or `positive`.
    pub sentiment: Verdict,
    /// No category fitted well enough; the category is then `general`.
    pub out_of_scope: bool,
    /// The labelled examples nearest to the request, nearest first.
    pub neighbours: Vec<NeighbourView>,
}

/// The category chosen, the model's probability for it (0–1), and the nearest labelled
/// examples as the reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CategoryVerdict {
    pub label: String,
    pub score: f32,
    pub reasons: Vec<String>,
}

/// A level from the cue rules, how sure they are (0–1), and the cues matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Verdict {
    pub level: String,
    pub score: f32,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NeighbourView {
    pub text: String,
    pub label: String,
    /// Cosine similarity of the embeddings (of the word vectors without a model).
    pub similarity: f32,
}

impl RequestClassification {
    /// Puts the intent model's prediction and the cue rules together.
    pub fn new(text: &str, prediction: Prediction) -> Self {
        let mut reasons = Vec::new();
        let label = if prediction.out_of_scope {
            reasons.push(format!(
                "no category fits well: the closest is {} at {:.2}",
                prediction.label, prediction.score
            ));
            FALLBACK_CATEGORY.to_owned()
        } else {
            prediction.label.clone()
        };
        reasons.extend(prediction.neighbours.iter().map(similar_to));
        Self {
            category: CategoryVerdict { label, score: prediction.score, reasons },
            priority: verdict(cues::priority(text), priority_name),
            urgency: verdict(cues::urgency(text), urgency_name),
            sentiment: verdict(cues::sentiment(text), sentiment_name),
            out_of_scope: prediction.out_of_scope,
            neighbours: prediction.neighbours.into_iter().map(NeighbourView::from).collect(),
        }
    }
}

impl From<Neighbour> for NeighbourView {
    fn from(n: Neighbour) -> Self {
        Self { text: n.text, label: n.label, similarity: n.similarity }
    }
}

fn similar_to(n: &Neighbour) -> String {
    let mut quote: String = n.text.chars().take(QUOTE_CHARS).collect();
    if n.text.chars().count() > QUOTE_CHARS {
        quote.push('…');
    }
    format!("similar to: '{quote}' ({}, {:.2})", n.label, n.similarity)
}

fn verdict<L: Copy>(a: Assessment<L>, name: fn(L) -> &'static str) -> Verdict {
    Verdict { level: name(a.level).to_owned(), score: a.score, reasons: a.reasons }
}

fn priority_name(p: Priority) -> &'static str {
    match p {
        Priority::Low => "low",
        Priority::Medium => "medium",
        Priority::High => "high",
        Priority::Critical => "critical",
    }
}

fn urgency_name(u: Urgency) -> &'static str {
    match u {
        Urgency::Low => "low",
        Urgency::Medium => "medium",
        Urgency::High => "high",
        Urgency::Urgent => "urgent",
    }
}

fn sentiment_name(s: Sentiment) -> &'static str {
    match s {
        Sentiment::Negative => "negative",
        Sentiment::Neutral => "neutral",
        Sentiment::Positive => "positive",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prediction(label: &str, score: f32, out_of_scope: bool) -> Prediction {
        Prediction {
            label: label.to_owned(),
            score,
            out_of_scope,
            alternatives: Vec::new(),
            neighbours: vec![Neighbour {
                text: "x".repeat(100),
                label: label.to_owned(),
                similarity: 0.834,
            }],
        }
    }

    #[test]
    fn the_category_names_its_nearest_examples_and_levels_are_lowercase_words() {
        let c = RequestClassification::new(
            "I was charged twice, fix it immediately!",
            prediction("billing", 0.9, false),
        );
        assert_eq!((c.category.label.as_str(), c.out_of_scope), ("billing", false));
        let quoted = format!("similar to: '{}…' (billing, 0.83)", "x".repeat(80));
        assert_eq!(c.category.reasons, vec![quoted]);
        assert_eq!(c.urgency.level, "urgent", "{:?}", c.urgency);
        assert!(!c.urgency.reasons.is_empty());
        assert!(["low", "medium", "high", "critical"].contains(&c.priority.level.as_str()));
        assert!(["negative", "neutral", "positive"].contains(&c.sentiment.level.as_str()));
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["outOfScope"], false);
        assert_eq!(json["neighbours"][0]["label"], "billing");
    }

    #[test]
    fn an_out_of_scope_request_is_general_and_says_why() {
        let c = RequestClassification::new(
            "what is the meaning of life",
            prediction("orders", 0.2, true),
        );
        assert_eq!((c.category.label.as_str(), c.out_of_scope), ("general", true));
        assert!(c.category.reasons[0].contains("orders at 0.20"), "{:?}", c.category.reasons);
    }
}
