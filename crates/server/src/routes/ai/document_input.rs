//! The body of a document create or update: JSON (`title`, `content`, `format`) or a
//! multipart upload (a `file` part, optional `title` and `format` parts). PDF text is
//! extracted here, at upload, so that what is stored is always text.

use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use serde::Deserialize;
use switchboard_ai::ingest::{PdfError, extract_pdf};
use switchboard_domain::{BoundedText, DocumentFormat, ValidationErrors};
use utoipa::ToSchema;

pub const MAX_TITLE_CHARS: usize = 200;
/// Largest text a document may hold once extracted, in bytes.
pub const MAX_CONTENT_BYTES: usize = 5 * 1024 * 1024;

/// A document as the JSON routes take it. On update every field is optional.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentJson {
    /// 1–200 characters.
    #[schema(min_length = 1, max_length = 200)]
    title: Option<String>,
    /// The document text in `format`; at most 5 MiB.
    content: Option<String>,
    /// `text`, `markdown` or `html` (PDF only as a multipart upload); only with `content`.
    /// Default: `text` on create, the document's current format on update.
    format: Option<String>,
}

/// A validated document body; absent fields are `None`.
#[derive(Debug)]
pub struct DocumentInput {
    pub title: Option<String>,
    /// The content and its format; the format is `None` when JSON did not state it (the
    /// route decides: text on create, the current format on update).
    pub content: Option<(Option<DocumentFormat>, String)>,
    pub source_name: Option<String>,
}

impl FromRequest<AppState> for DocumentInput {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> ApiResult<Self> {
        let declared = req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > state.config.max_upload_bytes) {
            return Err(ApiError::PayloadTooLarge);
        }
        // Without a length (chunked), the body is cut off at the limit while it is read.
        let req = req.map(|body| {
            axum::body::Body::new(http_body_util::Limited::new(body, state.config.max_upload_bytes))
        });
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let multipart = Multipart::from_request(req, state)
                .await
                .map_err(|e| ApiError::validation("body", e.body_text()))?;
            from_multipart(multipart, state.config.max_pdf_pages).await
        } else if content_type.starts_with("application/json") {
            let ApiJson(body) = ApiJson::<DocumentJson>::from_request(req, state).await?;
            from_json(body)
        } else {
            Err(ApiError::UnsupportedMediaType(
                "expected application/json or multipart/form-data".to_owned(),
            ))
        }
    }
}

fn from_json(body: DocumentJson) -> ApiResult<DocumentInput> {
    let mut errors = ValidationErrors::new();
    let title = body.title.as_deref().and_then(|t| errors.check("title", parse_title(t)));
    let format = match body.format.as_deref() {
        Some("pdf") => {
            errors.push("format", "PDF documents are uploaded as multipart/form-data");
            None
        }
        Some(f) => errors.check("format", DocumentFormat::parse(f)),
        None => None,
    };
    // A format says how `content` is written; alone it would be silently ignored.
    if body.format.is_some() && body.content.is_none() {
        errors.push("format", "is only accepted together with content");
    }
    let content = body.content.and_then(|c| errors.check("content", check_content(c)));
    errors.into_result()?;
    Ok(DocumentInput { title, content: content.map(|c| (format, c)), source_name: None })
}

async fn from_multipart(mut multipart: Multipart, max_pages: usize) -> ApiResult<DocumentInput> {
    let mut title = None;
    let mut format_field = None;
    let mut file: Option<(Option<String>, Option<String>, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().map(str::to_owned);
                let mime = field.content_type().map(str::to_ascii_lowercase);
                let bytes = field.bytes().await.map_err(multipart_error)?;
                file = Some((name, mime, bytes.to_vec()));
            }
            "title" => title = Some(field.text().await.map_err(multipart_error)?),
            "format" => format_field = Some(field.text().await.map_err(multipart_error)?),
            other => {
                return Err(ApiError::validation(
                    other,
                    "unknown part; expected file, title, format",
                ));
            }
        }
    }
    let Some((file_name, mime, bytes)) = file else {
        return Err(ApiError::validation("file", "is required"));
    };
    let format = match format_field.as_deref() {
        Some(f) => DocumentFormat::parse(f).map_err(|m| ApiError::validation("format", m))?,
        None => format_of(file_name.as_deref(), mime.as_deref()).ok_or_else(|| {
            ApiError::UnsupportedMediaType(
                "the file must be text, markdown, HTML or PDF (by its type or name)".to_owned(),
            )
        })?,
    };
    let content = match format {
        DocumentFormat::Pdf => pdf_text(bytes, max_pages).await?,
        _ => String::from_utf8(bytes)
            .map_err(|_| ApiError::validation("file", "must be UTF-8 text"))?,
    };
    let content = check_content(content).map_err(|m| ApiError::validation("file", m))?;
    let title = match title {
        Some(t) => parse_title(&t).map_err(|m| ApiError::validation("title", m))?,
        None => default_title(file_name.as_deref())?,
    };
    Ok(DocumentInput {
        title: Some(title),
        content: Some((Some(format), content)),
        source_name: file_name,
    })
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::validation("body", e.body_text())
    }
}

async fn pdf_text(bytes: Vec<u8>, max_pages: usize) -> ApiResult<String> {
    let extracted = tokio::task::spawn_blocking(move || extract_pdf(&bytes, max_pages))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("PDF extraction task failed: {e}")))?;
    extracted.map_err(|e| match e {
        PdfError::TooManyPages { pages, max } => {
            ApiError::validation("file", format!("the PDF has {pages} pages; the limit is {max}"))
        }
        PdfError::Encrypted => ApiError::validation("file", "the PDF is encrypted"),
        PdfError::NoText => {
            ApiError::validation("file", "the PDF has no text layer (a scan needs OCR first)")
        }
        PdfError::Unreadable(_) => ApiError::validation("file", "not a readable PDF"),
        // A decompression bomb: the file is small, what it expands to is not.
        e @ PdfError::TooLarge { .. } => ApiError::PayloadTooLargeBecause(e.to_string()),
        e @ PdfError::TooSlow { .. } => ApiError::validation("file", e.to_string()),
    })
}

/// The format from the part's media type, else from the file name's extension.
pub fn format_of(file_name: Option<&str>, mime: Option<&str>) -> Option<DocumentFormat> {
    let by_mime = match mime.map(|m| m.split(';').next().unwrap_or_default().trim()) {
        Some("text/plain") => Some(DocumentFormat::Text),
        Some("text/markdown" | "text/x-markdown") => Some(DocumentFormat::Markdown),
        Some("text/html" | "application/xhtml+xml") => Some(DocumentFormat::Html),
        Some("application/pdf") => Some(DocumentFormat::Pdf),
        _ => None,
    };
    by_mime.or_else(|| {
        let ext = file_name?.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(DocumentFormat::Text),
            "md" | "markdown" => Some(DocumentFormat::Markdown),
            "html" | "htm" => Some(DocumentFormat::Html),
            "pdf" => Some(DocumentFormat::Pdf),
            _ => None,
        }
    })
}

fn parse_title(raw: &str) -> Result<String, String> {
    BoundedText::parse(raw, 1, MAX_TITLE_CHARS).map(BoundedText::into_inner)
}

fn default_title(file_name: Option<&str>) -> ApiResult<String> {
    let stem = file_name
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n))
        .map(|n| n.rsplit_once('.').map_or(n, |(stem, _)| stem))
        .unwrap_or_default();
    let title: String = stem.chars().take(MAX_TITLE_CHARS).collect();
    parse_title(&title)
        .map_err(|_| ApiError::validation("title", "is required when the file has no name"))
}

fn check_content(content: String) -> Result<String, String> {
    if content.trim().is_empty() {
        return Err("must not be empty".to_owned());
    }
    if content.len() > MAX_CONTENT_BYTES {
        return Err(format!("must be at most {} MiB", MAX_CONTENT_BYTES / (1024 * 1024)));
    }
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_comes_from_the_media_type_then_the_name() {
        assert_eq!(format_of(Some("a.bin"), Some("application/pdf")), Some(DocumentFormat::Pdf));
        assert_eq!(
            format_of(Some("Guide.MD"), Some("application/octet-stream")),
            Some(DocumentFormat::Markdown)
        );
        assert_eq!(format_of(Some("page.htm"), None), Some(DocumentFormat::Html));
        assert_eq!(
            format_of(Some("notes"), Some("text/plain; charset=utf-8")),
            Some(DocumentFormat::Text)
        );
        assert_eq!(format_of(Some("photo.png"), Some("image/png")), None);
    }

    #[test]
    fn default_title_is_the_file_stem() {
        assert_eq!(default_title(Some("docs/Refund policy.pdf")).unwrap(), "Refund policy");
        assert!(default_title(None).is_err());
    }
}
