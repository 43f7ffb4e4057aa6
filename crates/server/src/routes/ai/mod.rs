//! `/api/ai/*`: what the company's AI knows: documents, FAQs, and retrieval testing.

mod document_input;
mod documents;
mod faqs;
mod search;

use crate::error::ApiError;
use crate::state::AppState;
use switchboard_ai::knowledge::KnowledgeError;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(documents::router()).merge(search::router()).merge(faqs::router())
}

/// Storage errors keep their meaning (404, 409…); anything else is internal.
pub(crate) fn knowledge_error(e: KnowledgeError) -> ApiError {
    match e {
        KnowledgeError::Storage(s) => s.into(),
        other => ApiError::Internal(anyhow::Error::new(other)),
    }
}
