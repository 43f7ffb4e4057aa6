//! `POST /api/feedback`: a customer rates a conversation, once.
//!
//! Public, because the widget of an anonymous visitor has no token: the customer proves the
//! conversation is theirs with their customer token or with the conversation's sessionId,
//! the secret the widget got when the conversation started.

use crate::auth::AuthContext;
use crate::envelope::{Created, Envelope};
use crate::error::{ApiError, ApiResult, ErrorBody, OnConflict};
use crate::extract::{ApiJson, parse_json};
use crate::routes::responses::JsonBody;
use crate::state::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use switchboard_ai::analytics::EventKind;
use switchboard_domain::{
    CompanyId, ConversationId, CustomerId, FeedbackComment, FeedbackId, Rating, ValidationErrors,
};
use switchboard_engine::session;
use switchboard_storage::{Feedback, NewEvent, NewFeedback, SessionSubject};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(submit_feedback))
}

/// The caller's customer identity when a token is sent. No `Authorization` header is fine
/// (the sessionId may prove ownership instead); a bad token is still a 401 and a staff
/// token a 403, since staff never rate conversations.
pub struct OptionalCustomer(pub Option<(CompanyId, CustomerId)>);

impl FromRequestParts<AppState> for OptionalCustomer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if !parts.headers.contains_key(axum::http::header::AUTHORIZATION) {
            return Ok(Self(None));
        }
        let ctx = AuthContext::from_request_parts(parts, state).await?;
        match ctx.subject {
            SessionSubject::Customer(id) => Ok(Self(Some((ctx.company_id, id)))),
            SessionSubject::User(_) => Err(ApiError::Forbidden),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeedbackRequest {
    company_id: CompanyId,
    conversation_id: ConversationId,
    /// If given, must be the conversation's customer.
    customer_id: Option<CustomerId>,
    /// The conversation's sessionId; needed unless a customer token is sent.
    session_id: Option<String>,
    rating: Rating,
    /// Up to 2000 characters; blank counts as none.
    comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackView {
    id: FeedbackId,
    conversation_id: ConversationId,
    rating: Rating,
    comment: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<Feedback> for FeedbackView {
    fn from(f: Feedback) -> Self {
        Self {
            id: f.id,
            conversation_id: f.conversation_id,
            rating: f.rating,
            comment: f.comment,
            created_at: f.created_at,
        }
    }
}

/// Longest sessionId looked at; a real one is far shorter, and this bounds the hashing.
const MAX_SESSION_ID: usize = 256;

fn validate(req: &FeedbackRequest) -> Result<Option<FeedbackComment>, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if req.session_id.as_ref().is_some_and(|s| s.is_empty() || s.len() > MAX_SESSION_ID) {
        errors.push("sessionId", format!("must be 1 to {MAX_SESSION_ID} characters"));
    }
    let comment = match req.comment.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => errors.check("comment", FeedbackComment::parse(raw)),
    };
    errors.into_result().map(|()| comment)
}

/// Rates a conversation from 1 to 5, with an optional comment. One rating per
/// conversation; the rating also enters the analytics log as `feedback.submitted`.
#[utoipa::path(post, path = "/api/feedback", tag = "public",
    request_body = FeedbackRequest,
    responses(
        (status = 201, description = "The feedback, recorded", body = Envelope<FeedbackView>),
        (status = 401, description = "An invalid token, or neither a customer token nor a sessionId", body = ErrorBody),
        (status = 403, description = "A staff token (only customers rate conversations), or an `Origin` the company does not allow", body = ErrorBody),
        (status = 404, description = "No such (active) company, no such conversation in it, or not the caller's (the same answer, so ids cannot be probed)", body = ErrorBody),
        (status = 409, description = "The conversation already has feedback", body = ErrorBody),
        JsonBody,
    ))]
async fn submit_feedback(
    State(state): State<AppState>,
    OptionalCustomer(caller): OptionalCustomer,
    headers: HeaderMap,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult<Created<FeedbackView>> {
    // Proof of ownership comes before any judgement of the fields: a caller with neither a
    // token nor a sessionId learns nothing about what a valid body looks like.
    let has_session_id = body.get("sessionId").is_some_and(|v| !v.is_null());
    if caller.is_none() && !has_session_id {
        return Err(ApiError::UnauthorizedBecause {
            reason: "proof_required",
            message: "send the customer's token or the conversation's sessionId".to_owned(),
        });
    }
    let req: FeedbackRequest = parse_json(body)?;
    let comment = validate(&req)?;
    // A customer token fixes the company: another company's conversation is not found.
    if caller.is_some_and(|(company, _)| company != req.company_id) {
        return Err(ApiError::NotFound);
    }
    // An unknown or suspended company is a 404, a site the company does not allow a 403.
    crate::tenancy::admit(&state, req.company_id, &headers).await?;
    let conversation = state.db.get_conversation(req.company_id, req.conversation_id).await?;
    let owner = conversation.customer_id;
    let by_token = caller.is_some_and(|(_, customer)| owner == Some(customer));
    // A token of another customer is refused even with the right sessionId.
    let token_of_someone_else = caller.is_some() && owner.is_some() && !by_token;
    let by_session = req
        .session_id
        .as_deref()
        .is_some_and(|sid| session::proves(sid, &conversation.session_hash));
    let claimed_other = req.customer_id.is_some_and(|c| owner != Some(c));
    if token_of_someone_else || claimed_other || !(by_token || by_session) {
        return Err(ApiError::NotFound);
    }

    let now = Utc::now();
    let feedback = NewFeedback {
        id: FeedbackId::new(),
        conversation_id: conversation.id,
        customer_id: owner,
        rating: req.rating,
        comment,
        created_at: now,
    };
    // The comment stays out of the log: metrics need only the rating, and free text may
    // hold personal data that an append-only log could never erase.
    let event = NewEvent {
        kind: EventKind::FeedbackSubmitted.as_str().to_owned(),
        conversation_id: Some(conversation.id.as_uuid()),
        agent_id: None,
        data: json!({ "rating": req.rating.get(), "feedbackId": feedback.id }),
        occurred_at: now,
    };
    let created = state
        .db
        .create_feedback(req.company_id, feedback, event)
        .await
        .on_conflict("this conversation already has feedback")?;
    Ok(Created(created.into()))
}
