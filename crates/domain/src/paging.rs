use serde::{Deserialize, Serialize};

/// How many rows a list request may ask for: 50 unless stated, never more than 200.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct PageLimit(u32);

impl PageLimit {
    pub const DEFAULT: u32 = 50;
    pub const MAX: u32 = 200;

    pub fn parse(n: u32) -> Result<Self, String> {
        if n == 0 || n > Self::MAX {
            return Err(format!("must be between 1 and {}", Self::MAX));
        }
        Ok(Self(n))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for PageLimit {
    fn default() -> Self {
        Self(Self::DEFAULT)
    }
}

impl TryFrom<u32> for PageLimit {
    type Error = String;
    fn try_from(n: u32) -> Result<Self, Self::Error> {
        Self::parse(n)
    }
}

impl From<PageLimit> for u32 {
    fn from(l: PageLimit) -> u32 {
        l.0
    }
}

/// An opaque position in a list: the id of the last row of the previous page. Ids are
/// UUIDv7, so "after this id" is "created after this row", stable under inserts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(String);

impl Cursor {
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.is_empty()
            || raw.len() > 100
            || !raw.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        {
            return Err("is not a cursor returned by this list".to_owned());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_outside_one_to_two_hundred_are_refused() {
        assert!(PageLimit::parse(0).is_err());
        assert!(PageLimit::parse(201).is_err());
        assert_eq!(PageLimit::parse(200).unwrap().get(), 200);
        assert_eq!(PageLimit::default().get(), 50);
    }
}
