//! Wrappers around axum's extractors so that every malformed input becomes our envelope:
//! wrong content type 415, oversized body 413, bad JSON or a bad field 400 naming the field.

use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// JSON body extractor. Deserialises through `serde_path_to_error` so a failure names the
/// offending field (`adminEmail`, `steps[2].type`), not just a line and column.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(req, state)
            .await
            .map_err(json_rejection)?;
        parse_json(value).map(ApiJson)
    }
}

/// Deserialises a JSON value as [`ApiJson`] does: a failure is a 400 naming the field. For
/// handlers that must look at the raw body before they judge its fields.
pub(crate) fn parse_json<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    // Every body of this API is an object; serde would otherwise read a struct from an
    // array of its fields (`[null, null]`), which no client means.
    if !value.is_object() {
        return Err(ApiError::validation("body", "must be a JSON object"));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // serde reports a missing field at the parent path; name the field itself.
        let (field, message) = match inner.strip_prefix("missing field `") {
            Some(rest) => {
                let name = rest.split('`').next().unwrap_or_default();
                let field = if path == "." { name.to_owned() } else { format!("{path}.{name}") };
                (field, "is required".to_owned())
            }
            None => (if path == "." { "body".to_owned() } else { path }, inner),
        };
        ApiError::validation(&field, message)
    })
}

/// An optional JSON body, read as [`parse_json`] reads one: an empty (or all-whitespace) body
/// is `None`. For handlers that take the raw bytes so as to answer a 404 before the body is
/// judged.
pub(crate) fn optional_json<T: DeserializeOwned>(body: &[u8]) -> Result<Option<T>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| ApiError::validation("body", e.to_string()))?;
    parse_json(value).map(Some)
}

/// A 400 naming `field` when its text is longer than `max` characters.
pub(crate) fn at_most_chars(field: &str, text: Option<&str>, max: usize) -> Result<(), ApiError> {
    if text.is_some_and(|t| t.chars().count() > max) {
        return Err(ApiError::validation(field, format!("must be at most {max} characters")));
    }
    Ok(())
}

fn json_rejection(r: JsonRejection) -> ApiError {
    match r {
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::UnsupportedMediaType("expected Content-Type: application/json".to_owned())
        }
        JsonRejection::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        other => ApiError::validation("body", other.body_text()),
    }
}

/// Query-string extractor with the same envelope on failure.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e: QueryRejection| ApiError::validation("query", e.body_text()))
    }
}

/// Path extractor: a path parameter that does not parse (say, an id that is not a UUID)
/// names a resource that cannot exist, so it is a 404 rather than a 400.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|_: PathRejection| ApiError::NotFound)
    }
}

/// For `#[serde(default, deserialize_with = "present")]` on an `Option<Option<T>>` field:
/// `Some(None)` for an explicit `null`, `None` for an absent field.
pub(crate) fn present<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// Browsers cannot set headers on a WebSocket: a socket route's token may come as
/// `access_token` in the query string, which this turns into the `Authorization` header the
/// auth extractors read (when none was sent). Request spans never record the URI, so the
/// token is not logged.
pub(crate) fn access_token_as_bearer(parts: &mut Parts) {
    use axum::http::HeaderValue;
    use axum::http::header::AUTHORIZATION;
    if parts.headers.contains_key(AUTHORIZATION) {
        return;
    }
    let token = parts.uri.query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "access_token")
            .map(|(_, v)| v.into_owned())
    });
    if let Some(value) = token.and_then(|t| HeaderValue::from_str(&format!("Bearer {t}")).ok()) {
        parts.headers.insert(AUTHORIZATION, value);
    }
}
