use serde::{Deserialize, Serialize};

/// Trimmed text of bounded length in characters; the base of the named text newtypes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedText(String);

impl BoundedText {
    /// Trims `raw` and accepts it when it has `min..=max` characters.
    pub fn parse(raw: &str, min: usize, max: usize) -> Result<Self, String> {
        let s = raw.trim();
        let n = s.chars().count();
        if n < min {
            return Err(if min == 1 {
                "must not be empty".to_owned()
            } else {
                format!("must be at least {min} characters")
            });
        }
        if n > max {
            return Err(format!("must be at most {max} characters"));
        }
        if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err("must not contain control characters".to_owned());
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

// The bounds are `tt`, not `literal`: a `literal` fragment reaches the schema derive wrapped
// in an invisible group, which it cannot read as a number.
macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $min:tt, $max:tt) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(try_from = "String", into = "String")]
        // Counted after trimming, as `parse` does.
        #[schema(value_type = String, min_length = $min, max_length = $max)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, String> {
                BoundedText::parse(raw, $min, $max).map(|t| Self(t.into_inner()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

text_type!(
    /// A company's display name.
    CompanyName,
    1,
    200
);
text_type!(
    /// A person's display name (admin, agent or customer).
    PersonName,
    1,
    200
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(CompanyName::parse("  Acme ").unwrap().as_str(), "Acme");
        assert!(CompanyName::parse("   ").is_err());
        assert!(CompanyName::parse(&"x".repeat(201)).is_err());
        assert!(PersonName::parse("a\u{7}b").is_err());
    }
}
