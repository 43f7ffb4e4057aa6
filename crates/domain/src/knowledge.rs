//! Vocabulary of the knowledge base: document formats and the indexing life-cycle.

use serde::{Deserialize, Serialize};

/// How a document's `content` is written; decides how its text is extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocumentFormat {
    Text,
    Markdown,
    Html,
    Pdf,
}

impl DocumentFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentFormat::Text => "text",
            DocumentFormat::Markdown => "markdown",
            DocumentFormat::Html => "html",
            DocumentFormat::Pdf => "pdf",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "text" => Ok(DocumentFormat::Text),
            "markdown" => Ok(DocumentFormat::Markdown),
            "html" => Ok(DocumentFormat::Html),
            "pdf" => Ok(DocumentFormat::Pdf),
            _ => Err("must be one of text, markdown, html, pdf".to_owned()),
        }
    }
}

/// Where a document is in indexing: `processing` until its chunks are searchable, then
/// `ready`, or `failed` with a reason the admin can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocumentStatus {
    Processing,
    Ready,
    Failed,
}

impl DocumentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Processing => "processing",
            DocumentStatus::Ready => "ready",
            DocumentStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "processing" => Ok(DocumentStatus::Processing),
            "ready" => Ok(DocumentStatus::Ready),
            "failed" => Ok(DocumentStatus::Failed),
            _ => Err(format!("unknown document status {s:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_statuses_round_trip_through_their_names() {
        for f in [
            DocumentFormat::Text,
            DocumentFormat::Markdown,
            DocumentFormat::Html,
            DocumentFormat::Pdf,
        ] {
            assert_eq!(DocumentFormat::parse(f.as_str()), Ok(f));
        }
        for s in [DocumentStatus::Processing, DocumentStatus::Ready, DocumentStatus::Failed] {
            assert_eq!(DocumentStatus::parse(s.as_str()), Ok(s));
        }
        assert!(DocumentFormat::parse("docx").is_err());
    }
}
