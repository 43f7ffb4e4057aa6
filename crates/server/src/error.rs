//! The one error type every handler returns, rendered as the API's error envelope:
//! `{"success": false, "error": {"code", "message", "details"}}`.

use crate::envelope::False;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value, json};
use switchboard_ai::knowledge::KnowledgeError;
use switchboard_domain::ValidationErrors;
use switchboard_storage::{StorageError, StorageResult};
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed: {0}")]
    Validation(ValidationErrors),
    #[error("{0}")]
    BadRequest(String),
    #[error("unauthorized")]
    Unauthorized,
    /// A 401 that tells the client why, e.g. `identity_required` for a widget that must
    /// pass a signed user id.
    #[error("{message}")]
    UnauthorizedBecause { reason: &'static str, message: String },
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("{message}")]
    ForbiddenWith { code: &'static str, message: String },
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("payload too large")]
    PayloadTooLarge,
    /// A 413 that says which limit the content exceeds (e.g. a PDF that decompresses
    /// past the extraction budget).
    #[error("{0}")]
    PayloadTooLargeBecause(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("service unavailable")]
    Unavailable,
    /// Anything unexpected. The cause is logged with the request's span and never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The error envelope every failure uses: what `ApiError::into_response` and
/// [`envelope_for_status`] write, and what the OpenAPI document names for every 4xx and 5xx.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    #[schema(inline)]
    success: False,
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable: `validation_error`, `unauthorized`, `invalid_credentials`,
    /// `forbidden`, `not_found`, `conflict`, `payload_too_large`, `unsupported_media_type`,
    /// `rate_limited`, `internal`, …
    code: String,
    /// For people; never shows internals.
    message: String,
    /// `{"fields": [{"field", "message"}]}` for `validation_error`, `{"retryAfterSeconds"}`
    /// for `rate_limited`, `{"reason"}` for some 401s; otherwise `{}`.
    details: Map<String, Value>,
}

impl ApiError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        let mut e = ValidationErrors::new();
        e.push(field, message);
        ApiError::Validation(e)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized
            | ApiError::UnauthorizedBecause { .. }
            | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::ForbiddenWith { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge | ApiError::PayloadTooLargeBecause(_) => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) | ApiError::BadRequest(_) => "validation_error",
            ApiError::Unauthorized | ApiError::UnauthorizedBecause { .. } => "unauthorized",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::Forbidden => "forbidden",
            ApiError::ForbiddenWith { code, .. } => code,
            ApiError::NotFound => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::PayloadTooLarge | ApiError::PayloadTooLargeBecause(_) => "payload_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::Validation(_) => "some fields are invalid".to_owned(),
            ApiError::Unauthorized => "authentication required".to_owned(),
            ApiError::InvalidCredentials => "invalid email or password".to_owned(),
            ApiError::Forbidden => "you may not do this".to_owned(),
            ApiError::NotFound => "no such resource".to_owned(),
            ApiError::PayloadTooLarge => "the request body is too large".to_owned(),
            ApiError::RateLimited { .. } => "too many requests; retry later".to_owned(),
            ApiError::Unavailable => "a dependency is unavailable; retry later".to_owned(),
            ApiError::Internal(_) => "internal error".to_owned(),
            other => other.to_string(),
        }
    }

    fn details(&self) -> Map<String, Value> {
        let mut details = Map::new();
        match self {
            ApiError::Validation(errors) => {
                details.insert("fields".to_owned(), json!(errors.fields()));
            }
            ApiError::RateLimited { retry_after_secs } => {
                details.insert("retryAfterSeconds".to_owned(), json!(retry_after_secs));
            }
            ApiError::UnauthorizedBecause { reason, .. } => {
                details.insert("reason".to_owned(), json!(reason));
            }
            _ => {}
        }
        details
    }
}

/// Renders an envelope for a bare status; used for errors produced outside handlers
/// (unknown routes, wrong methods, timeouts, body limits).
pub fn envelope_for_status(status: StatusCode) -> Response {
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no such resource"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this method is not allowed here"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the request body is too large"),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", "unsupported content type")
        }
        StatusCode::BAD_REQUEST => ("validation_error", "the request is malformed"),
        s if s.is_server_error() => ("internal", "internal error"),
        _ => ("error", status.canonical_reason().unwrap_or("error")),
    };
    body(status, code, message.to_owned(), Map::new())
}

fn body(status: StatusCode, code: &str, message: String, details: Map<String, Value>) -> Response {
    let error = ErrorDetail { code: code.to_owned(), message, details };
    (status, axum::Json(ErrorBody { success: False, error })).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error.message = %e, error.cause_chain = ?e, "request failed");
        }
        let status = self.status();
        let mut response = body(status, self.code(), self.message(), self.details());
        if let ApiError::RateLimited { retry_after_secs } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => ApiError::NotFound,
            StorageError::Conflict { constraint } => {
                ApiError::Conflict(format!("this conflicts with an existing record ({constraint})"))
            }
            StorageError::Unavailable(msg) => {
                tracing::warn!(error.message = %msg, "database unavailable");
                ApiError::Unavailable
            }
            StorageError::Other(e) => ApiError::Internal(anyhow::anyhow!(e)),
        }
    }
}

/// Knowledge-base failures: storage errors keep their meaning (404, 409…); embedding and
/// index failures are internal.
impl From<KnowledgeError> for ApiError {
    fn from(e: KnowledgeError) -> Self {
        match e {
            KnowledgeError::Storage(s) => s.into(),
            other => ApiError::Internal(anyhow::Error::new(other)),
        }
    }
}

/// Says what a unique-constraint violation means to the caller of one storage call:
/// `db.create_x(..).await.on_conflict("this email is already registered")?`. Every other
/// storage error maps as usual.
pub trait OnConflict<T> {
    fn on_conflict(self, message: &str) -> ApiResult<T>;
}

impl<T> OnConflict<T> for StorageResult<T> {
    fn on_conflict(self, message: &str) -> ApiResult<T> {
        self.map_err(|e| match e {
            StorageError::Conflict { .. } => ApiError::Conflict(message.to_owned()),
            other => other.into(),
        })
    }
}

/// The engine's refusals keep their meaning: not found, closed or out-of-turn (409), a
/// message over its limits (400).
impl From<switchboard_engine::EngineError> for ApiError {
    fn from(e: switchboard_engine::EngineError) -> Self {
        use switchboard_engine::EngineError;
        match e {
            EngineError::NotFound => ApiError::NotFound,
            EngineError::Closed => ApiError::Conflict("the conversation is closed".to_owned()),
            EngineError::Conflict(why) => ApiError::Conflict(why.to_owned()),
            EngineError::Invalid(why) => ApiError::validation("message", why),
            EngineError::Storage(s) => s.into(),
            EngineError::Knowledge(k) => k.into(),
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(e: ValidationErrors) -> Self {
        ApiError::Validation(e)
    }
}
