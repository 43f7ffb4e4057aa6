//! The default category taxonomy and its labelled examples, so that a new company's
//! classifier works before it adds examples of its own (25 per category, written for this
//! product; `data/default-categories.jsonl`).

use serde::Deserialize;

/// The default categories, in display order.
pub const DEFAULT_CATEGORIES: &[&str] =
    &["billing", "orders", "shipping", "returns", "technical", "account", "complaint", "general"];

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LabelledExample {
    pub text: String,
    pub label: String,
}

const DEFAULT_EXAMPLES: &str = include_str!("../data/default-categories.jsonl");

/// The default labelled examples.
pub fn default_examples() -> Vec<LabelledExample> {
    DEFAULT_EXAMPLES
        .lines()
        .filter(|l| !l.trim().is_empty())
        // The file is part of the source and checked by the tests below.
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Classifier, Config, Example};

    #[test]
    fn every_line_parses_and_every_category_has_examples() {
        let lines = DEFAULT_EXAMPLES.lines().filter(|l| !l.trim().is_empty()).count();
        let examples = default_examples();
        assert_eq!(examples.len(), lines);
        for c in DEFAULT_CATEGORIES {
            assert!(examples.iter().filter(|e| e.label == *c).count() >= 25, "{c}");
        }
        assert!(examples.iter().all(|e| DEFAULT_CATEGORIES.contains(&e.label.as_str())));
    }

    #[test]
    fn the_defaults_classify_unseen_requests_without_embeddings() {
        let examples = default_examples();
        let rows: Vec<Example<'_>> = examples
            .iter()
            .map(|e| Example { text: &e.text, label: &e.label, embedding: None })
            .collect();
        let model = Classifier::train(&rows, &Config::default()).expect("trains");
        for (text, want) in [
            ("I was charged two times this month", "billing"),
            ("my parcel still hasn't been delivered", "shipping"),
            ("how can I send the shoes back for a refund", "returns"),
            ("the app crashes every time I upload a photo", "technical"),
            ("I can't remember my password", "account"),
        ] {
            assert_eq!(model.predict(text, None).label, want, "{text}");
        }
    }
}
