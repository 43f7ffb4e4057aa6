//! Validated values of a company's agent configuration: brand colour, web origins, URLs and
//! score thresholds.

use serde::{Deserialize, Serialize};
use url::Url;

/// Longest URL accepted anywhere in the configuration; browsers and CDNs handle 2 KiB
/// reliably, and nothing a company legitimately configures is longer.
pub const MAX_URL_LEN: usize = 2048;

/// A colour as `#rrggbb`, stored lower-case so that equal colours compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HexColor(String);

impl HexColor {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        match s.strip_prefix('#') {
            Some(hex) if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) => {
                Ok(Self(s.to_ascii_lowercase()))
            }
            _ => Err("must be a colour written #rrggbb".to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A web origin, `scheme://host[:port]` with scheme http or https, in the form browsers send
/// in the `Origin` header: lower-case host, IDN hosts in punycode, the scheme's default port
/// dropped. Comparing two `Origin`s is therefore comparing what a browser would send.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Origin(String);

impl Origin {
    pub fn parse(raw: &str) -> Result<Self, String> {
        const SHAPE: &str = "must be an origin like https://example.com or http://localhost:3000 (scheme, host and optional port; no path)";
        let raw = raw.trim();
        // A pasted "https://example.com/" is what the admin means; anything longer is a path.
        let raw = raw.strip_suffix('/').unwrap_or(raw);
        if raw.len() > MAX_URL_LEN {
            return Err(SHAPE.to_owned());
        }
        let url = web_url(raw).ok_or_else(|| SHAPE.to_owned())?;
        // After trimming the slash the input cannot carry a path, query or fragment unless
        // the admin typed one.
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(SHAPE.to_owned());
        }
        Ok(Self(url.origin().ascii_serialization()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An absolute http or https URL, at most [`MAX_URL_LEN`] bytes; the AI provider's base URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HttpUrl(String);

impl HttpUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.len() > MAX_URL_LEN {
            return Err(format!("must be at most {MAX_URL_LEN} characters"));
        }
        web_url(raw)
            .map(|u| Self(u.to_string()))
            .ok_or_else(|| "must be an absolute http or https URL".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An absolute https URL, at most [`MAX_URL_LEN`] bytes: the brand logo, which the widget
/// loads into pages served over https, where a plain http image would be blocked or flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HttpsUrl(String);

impl HttpsUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url = HttpUrl::parse(raw)?;
        if !url.0.starts_with("https://") {
            return Err("must be an https URL".to_owned());
        }
        Ok(Self(url.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A similarity score cut-off in `0..=1`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Threshold(f64);

impl Threshold {
    pub fn parse(raw: f64) -> Result<Self, String> {
        if (0.0..=1.0).contains(&raw) {
            Ok(Self(raw))
        } else {
            Err("must be a number from 0 to 1".to_owned())
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// Parses an http(s) URL with a host and no credentials: a URL carrying a password would
/// leak it into every page or log that shows the setting.
fn web_url(raw: &str) -> Option<Url> {
    let url = Url::parse(raw).ok()?;
    let ok = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|h| !h.is_empty())
        && url.username().is_empty()
        && url.password().is_none();
    ok.then_some(url)
}

macro_rules! string_conversions {
    ($($name:ident),*) => {$(
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
    )*};
}

string_conversions!(HexColor, Origin, HttpUrl, HttpsUrl);

impl TryFrom<f64> for Threshold {
    type Error = String;
    fn try_from(v: f64) -> Result<Self, Self::Error> {
        Self::parse(v)
    }
}

impl From<Threshold> for f64 {
    fn from(t: Threshold) -> f64 {
        t.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_six_hex_digits_after_a_hash() {
        assert_eq!(HexColor::parse(" #A1b2C3 ").unwrap().as_str(), "#a1b2c3");
        for bad in ["a1b2c3", "#abc", "#a1b2c3d", "#gggggg", "", "red", "#12 345"] {
            assert!(HexColor::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn origins_normalise_to_what_browsers_send() {
        let ok = |raw: &str| Origin::parse(raw).unwrap().as_str().to_owned();
        assert_eq!(ok("https://Example.COM"), "https://example.com");
        assert_eq!(ok("https://example.com/"), "https://example.com");
        assert_eq!(ok("https://example.com:443"), "https://example.com");
        assert_eq!(ok("http://localhost:3000"), "http://localhost:3000");
        assert_eq!(ok("https://bücher.example"), "https://xn--bcher-kva.example");
        assert_eq!(ok("http://[::1]:8080"), "http://[::1]:8080");
    }

    #[test]
    fn origins_refuse_paths_other_schemes_and_credentials() {
        for bad in [
            "https://example.com/widget",
            "https://example.com?x=1",
            "https://example.com#top",
            "ftp://example.com",
            "javascript:alert(1)",
            "example.com",
            "https://user:pw@example.com",
            "null",
            "",
            "*",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn urls_need_a_web_scheme_and_logos_need_https() {
        assert!(HttpUrl::parse("http://llm.internal:8080/v1").is_ok());
        assert!(HttpUrl::parse("https://api.openai.com/v1").is_ok());
        assert!(HttpUrl::parse("file:///etc/passwd").is_err());
        assert!(HttpUrl::parse("not a url").is_err());
        assert!(HttpUrl::parse(&format!("https://e.com/{}", "a".repeat(MAX_URL_LEN))).is_err());
        assert!(HttpsUrl::parse("https://cdn.example.com/logo.png").is_ok());
        assert_eq!(
            HttpsUrl::parse("http://cdn.example.com/logo.png").unwrap_err(),
            "must be an https URL"
        );
    }

    #[test]
    fn thresholds_are_between_zero_and_one() {
        assert_eq!(Threshold::parse(0.0).unwrap().get(), 0.0);
        assert_eq!(Threshold::parse(1.0).unwrap().get(), 1.0);
        assert!(Threshold::parse(1.01).is_err());
        assert!(Threshold::parse(-0.1).is_err());
        assert!(Threshold::parse(f64::NAN).is_err());
    }
}
