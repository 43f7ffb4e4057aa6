//! The customer's side of a conversation: `POST /api/chat`, the message history a reloading
//! widget reads, and the customer socket. Cross-origin like the other widget routes; the
//! company's allowed origins are enforced on every request (`tenancy::admit`).
//!
//! The sessionId is the credential: it is looked up by its SHA-256 only, never logged
//! (the socket's query string is left out of the request span), and a customer token, when
//! sent, must belong to the conversation's customer.

mod messages;
mod post;
mod socket;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use switchboard_domain::{CompanyId, CustomerId};
use switchboard_storage::Conversation;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(post::chat))
        .routes(routes!(messages::chat_messages))
        .routes(routes!(socket::chat_socket))
        .layer(super::public::cors())
}

/// The conversation a sessionId opens for this caller: `NotFound` for an unknown sessionId,
/// and for a customer token of another company or another customer (the same answer, so a
/// token cannot probe sessionIds).
pub(crate) async fn conversation_for(
    state: &AppState,
    session_id: &str,
    caller: Option<(CompanyId, CustomerId)>,
) -> ApiResult<Conversation> {
    let conversation = state.conversations.by_session(session_id).await?;
    if let Some((company, customer)) = caller {
        let same_company = conversation.company_id == company;
        let same_customer = conversation.customer_id.is_none_or(|owner| owner == customer);
        if !(same_company && same_customer) {
            return Err(ApiError::NotFound);
        }
    }
    Ok(conversation)
}
