//! The labelled examples that teach a company's request classifier its categories.

use crate::text::BoundedText;
use serde::{Deserialize, Serialize};

/// What a customer might write, as an example of a category: 1–1000 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, min_length = 1, max_length = 1000)]
pub struct ExampleText(String);

impl ExampleText {
    pub const MAX_CHARS: usize = 1000;

    pub fn parse(raw: &str) -> Result<Self, String> {
        BoundedText::parse(raw, 1, Self::MAX_CHARS).map(|t| Self(t.into_inner()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl TryFrom<String> for ExampleText {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ExampleText> for String {
    fn from(t: ExampleText) -> String {
        t.0
    }
}

/// A request category (`billing`, `warranty`, `tier-2`): 1–40 of `a-z`, `0-9`, `_`, `-`.
/// Input is trimmed and lower-cased, so "Billing" and "billing" are one category; it is
/// shown to agents, filtered on and counted in analytics, so it stays a plain slug.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, pattern = "^\\s*[A-Za-z0-9_-]{1,40}\\s*$")]
pub struct CategoryLabel(String);

impl CategoryLabel {
    pub const MAX_CHARS: usize = 40;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if s.is_empty() || s.len() > Self::MAX_CHARS {
            return Err(format!("must be 1 to {} characters", Self::MAX_CHARS));
        }
        // ASCII only, checked before lower-casing: Unicode case mapping would let look-alikes
        // (the Kelvin sign) become letters.
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return Err("may contain only a-z, 0-9, '_' and '-'".to_owned());
        }
        Ok(Self(s.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl TryFrom<String> for CategoryLabel {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CategoryLabel> for String {
    fn from(l: CategoryLabel) -> String {
        l.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_lowercased_slugs_of_at_most_forty() {
        assert_eq!(CategoryLabel::parse(" Warranty ").unwrap().as_str(), "warranty");
        assert_eq!(CategoryLabel::parse("tier-2_vip").unwrap().as_str(), "tier-2_vip");
        assert!(CategoryLabel::parse(&"a".repeat(40)).is_ok());
        for bad in ["", "  ", "two words", "émigré", "a/b", &"a".repeat(41)] {
            assert!(CategoryLabel::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn texts_are_trimmed_and_bounded_in_characters() {
        assert_eq!(ExampleText::parse("  Is it covered? ").unwrap().as_str(), "Is it covered?");
        assert!(ExampleText::parse(&"é".repeat(1000)).is_ok());
        assert!(ExampleText::parse(&"é".repeat(1001)).is_err());
        assert!(ExampleText::parse(" \n ").is_err());
    }

    #[test]
    fn json_goes_through_the_rules() {
        let label: CategoryLabel = serde_json::from_str("\"Returns\"").unwrap();
        assert_eq!(label.as_str(), "returns");
        assert!(serde_json::from_str::<CategoryLabel>("\"no spaces\"").is_err());
        assert!(serde_json::from_str::<ExampleText>("\"\"").is_err());
    }
}
