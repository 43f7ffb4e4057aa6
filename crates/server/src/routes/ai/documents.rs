//! `/api/ai/knowledge-base*`: the company's documents. Writes return at once with status
//! `processing`; the background worker extracts, chunks and embeds them.

use super::document_input::{DocumentInput, DocumentJson};
use crate::auth::AdminCtx;
use crate::envelope::{Created, Data, Empty, Envelope, Listed, Page};
use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::routes::paging::PageParams;
use crate::routes::responses::{AdminOnly, JsonBody, PathId, QueryParams};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, State};
use chrono::{DateTime, Utc};
use serde::Serialize;
use switchboard_domain::{DocumentFormat, DocumentId, DocumentStatus, JobId};
use switchboard_storage::{DocumentSummary, DocumentUpdate, NewContent, NewDocument};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_document, list_documents))
        .routes(routes!(get_document, update_document, delete_document))
        // Uploads may be larger than other bodies: `DocumentInput` enforces the configured
        // upload limit itself (and the outer layer caps every body at that size).
        .layer(DefaultBodyLimit::disable())
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentView {
    id: DocumentId,
    title: String,
    format: DocumentFormat,
    /// The uploaded file's name, for uploads.
    source_name: Option<String>,
    status: DocumentStatus,
    /// Why indexing failed, when `status` is `failed`.
    error: Option<String>,
    /// Searchable chunks; 0 until `ready`.
    chunk_count: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    /// The stored text (the extracted text for PDF); only on the single-document read.
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<String>,
}

impl From<DocumentSummary> for DocumentView {
    fn from(d: DocumentSummary) -> Self {
        Self {
            id: d.id,
            title: d.title,
            format: d.format,
            source_name: d.source_name,
            status: d.status,
            error: d.error,
            chunk_count: d.chunk_count,
            created_at: d.created_at,
            updated_at: d.updated_at,
            content: None,
        }
    }
}

/// Adds a document from JSON or a multipart file upload (text, markdown, HTML, PDF). A PDF
/// that cannot be read, has too many pages or no text is a 400; a file type that is none of
/// these a 415; a PDF whose text expands past the limit a 413.
#[utoipa::path(post, path = "/api/ai/knowledge-base", tag = "knowledge", security(("bearer" = [])),
    request_body(content(
        (DocumentJson = "application/json"),
        (UploadForm = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Stored; indexing has started (`status: processing`)", body = Envelope<DocumentView>),
        AdminOnly, JsonBody,
    ))]
async fn create_document(
    State(state): State<AppState>,
    admin: AdminCtx,
    input: DocumentInput,
) -> ApiResult<Created<DocumentView>> {
    let (title, (format, content)) = match (input.title, input.content) {
        (Some(title), Some(content)) => (title, content),
        (title, content) => {
            let mut errors = switchboard_domain::ValidationErrors::new();
            if title.is_none() {
                errors.push("title", "is required");
            }
            if content.is_none() {
                errors.push("content", "is required");
            }
            return Err(errors.into());
        }
    };
    let doc = NewDocument {
        id: DocumentId::new(),
        title,
        format: format.unwrap_or(DocumentFormat::Text),
        content,
        source_name: input.source_name,
        job_id: JobId::new(),
        created_at: Utc::now(),
    };
    let created = state.db.create_document(admin.company_id, doc).await?;
    state.jobs_queued.notify_one();
    Ok(Created(created.into()))
}

/// A multipart document upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file: text, markdown, HTML or PDF, told by its media type or name.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Defaults to the file name without its extension.
    title: Option<String>,
    /// Overrides the format told by the file's type or name.
    format: Option<String>,
}

/// The company's documents with their indexing status, oldest first.
#[utoipa::path(get, path = "/api/ai/knowledge-base", tag = "knowledge", security(("bearer" = [])), params(PageParams),
    responses(
        (status = 200, description = "One page of documents", body = Page<DocumentView>),
        AdminOnly, QueryParams,
    ))]
async fn list_documents(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Listed<DocumentView>> {
    let page = state.db.list_documents(admin.company_id, params.into_request()?).await?;
    Ok(Listed {
        items: page.items.into_iter().map(DocumentView::from).collect(),
        next_cursor: page.next_cursor,
    })
}

/// One document, with its content.
#[utoipa::path(get, path = "/api/ai/knowledge-base/{documentId}", tag = "knowledge", security(("bearer" = [])),
    params(("documentId" = String, Path, description = "The document's id")),
    responses(
        (status = 200, description = "The document", body = Envelope<DocumentView>),
        AdminOnly, PathId,
    ))]
async fn get_document(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(id): ApiPath<DocumentId>,
) -> ApiResult<Data<DocumentView>> {
    let doc = state.db.get_document(admin.company_id, id).await?;
    let mut view = DocumentView::from(doc.summary);
    view.content = Some(doc.content);
    Ok(Data(view))
}

/// Changes a document's title and/or content (JSON or a multipart upload). New content is
/// re-indexed: the old chunks answer searches until the new ones are ready.
#[utoipa::path(put, path = "/api/ai/knowledge-base/{documentId}", tag = "knowledge", security(("bearer" = [])),
    params(("documentId" = String, Path, description = "The document's id")),
    request_body(content(
        (DocumentJson = "application/json"),
        (UploadForm = "multipart/form-data"),
    )),
    responses(
        (status = 200, description = "The updated document", body = Envelope<DocumentView>),
        AdminOnly, JsonBody, PathId,
    ))]
async fn update_document(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(id): ApiPath<DocumentId>,
    input: DocumentInput,
) -> ApiResult<Data<DocumentView>> {
    if input.title.is_none() && input.content.is_none() {
        // Nothing to change: answer with the document as it is.
        let doc = state.db.get_document(admin.company_id, id).await?;
        return Ok(Data(doc.summary.into()));
    }
    let reindex = input.content.is_some();
    let content = match input.content {
        Some((Some(format), content)) => Some((format, content)),
        // JSON content without a format keeps the document's format, so that an HTML or
        // markdown document does not turn into text whose markup gets indexed. New typed
        // text for a PDF is text.
        Some((None, content)) => {
            let current = state.db.get_document(admin.company_id, id).await?.summary.format;
            let format =
                if current == DocumentFormat::Pdf { DocumentFormat::Text } else { current };
            Some((format, content))
        }
        None => None,
    };
    let update = DocumentUpdate {
        title: input.title,
        content: content.map(|(format, content)| NewContent {
            format,
            content,
            source_name: input.source_name,
        }),
        job_id: JobId::new(),
        updated_at: Utc::now(),
    };
    let updated = state.db.update_document(admin.company_id, id, update).await?;
    if reindex {
        state.jobs_queued.notify_one();
    }
    Ok(Data(updated.into()))
}

/// Deletes a document; its passages stop appearing in search at once.
#[utoipa::path(delete, path = "/api/ai/knowledge-base/{documentId}", tag = "knowledge", security(("bearer" = [])),
    params(("documentId" = String, Path, description = "The document's id")),
    responses(
        (status = 200, description = "Deleted", body = Envelope<Empty>),
        AdminOnly, PathId,
    ))]
async fn delete_document(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(id): ApiPath<DocumentId>,
) -> ApiResult<Data<Empty>> {
    state.db.delete_document(admin.company_id, id).await?;
    Ok(Data(Empty {}))
}
