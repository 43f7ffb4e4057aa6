//! A customer's verdict on a conversation.

use crate::text::BoundedText;
use serde::{Deserialize, Serialize};

/// A satisfaction rating, a whole number from 1 (worst) to 5 (best).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "i64", into = "u8")]
#[schema(value_type = u8, minimum = 1, maximum = 5)]
pub struct Rating(u8);

impl Rating {
    pub fn parse(n: i64) -> Result<Self, String> {
        match u8::try_from(n) {
            Ok(r @ 1..=5) => Ok(Self(r)),
            _ => Err("must be a whole number from 1 to 5".to_owned()),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// 4 and 5 count as satisfied in the CSAT positive share.
    pub fn is_positive(self) -> bool {
        self.0 >= 4
    }
}

impl TryFrom<i64> for Rating {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, Self::Error> {
        Self::parse(n)
    }
}

impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.0
    }
}

/// The customer's optional words with a rating: trimmed, 1 to 2000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, max_length = 2000)]
pub struct FeedbackComment(String);

impl FeedbackComment {
    pub const MAX_CHARS: usize = 2000;

    pub fn parse(raw: &str) -> Result<Self, String> {
        BoundedText::parse(raw, 1, Self::MAX_CHARS).map(|t| Self(t.into_inner()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FeedbackComment {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<FeedbackComment> for String {
    fn from(c: FeedbackComment) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_one_to_five() {
        assert!(Rating::parse(0).is_err());
        assert!(Rating::parse(6).is_err());
        assert!(Rating::parse(-1).is_err());
        assert_eq!(Rating::parse(5).map(Rating::get), Ok(5));
        assert!(serde_json::from_str::<Rating>("4.5").is_err());
        assert!(serde_json::from_str::<Rating>("\"4\"").is_err());
        assert_eq!(serde_json::from_str::<Rating>("3").map(Rating::get).ok(), Some(3));
        assert!(Rating::parse(4).is_ok_and(Rating::is_positive));
    }

    #[test]
    fn comments_are_bounded() {
        assert!(FeedbackComment::parse(&"x".repeat(2000)).is_ok());
        assert!(FeedbackComment::parse(&"x".repeat(2001)).is_err());
        assert!(FeedbackComment::parse("   ").is_err());
        assert_eq!(
            FeedbackComment::parse(" thanks ").map(|c| c.as_str().to_owned()),
            Ok("thanks".into())
        );
    }
}
