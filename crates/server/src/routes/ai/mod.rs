//! `/api/ai/*`: what the company's AI knows: documents, FAQs, retrieval testing, and the
//! labelled examples its request classifier learns from; and what it can do: tools and
//! workflows.

mod classification;
mod document_input;
mod documents;
mod faqs;
mod search;
mod tool_input;
mod tools;
mod workflows;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(documents::router())
        .merge(search::router())
        .merge(faqs::router())
        .merge(classification::router())
        .merge(tools::router())
        .merge(workflows::router())
}
