//! `/api/ai/*`: what the company's AI knows: documents, FAQs, retrieval testing, and the
//! labelled examples its request classifier learns from.

mod classification;
mod document_input;
mod documents;
mod faqs;
mod search;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(documents::router())
        .merge(search::router())
        .merge(faqs::router())
        .merge(classification::router())
}
