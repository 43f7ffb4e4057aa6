//! The error responses of the OpenAPI document, written once.
//!
//! Each status an extractor can answer is a reusable response component
//! (`#/components/responses/…`, all with the [`ErrorBody`] envelope), and each extractor's
//! statuses are a response set that a route lists in `responses(...)` beside its success:
//!
//! | the handler takes | list |
//! |---|---|
//! | `AdminCtx` / `AgentCtx` | [`AdminOnly`] / [`AgentOnly`] (401, 403) |
//! | `AuthContext` | [`SignedIn`] (401) |
//! | `ApiJson<T>` (or another body) | [`JsonBody`] (400, 413, 415) |
//! | `ApiQuery<T>` | [`QueryParams`] (400) |
//! | `ApiPath<Id>` | [`PathId`] (404) |
//! | `Admitted`, a password check or a hash | [`Throttled`] (429 with `Retry-After`) |
//!
//! Statuses with a meaning of their own (409 and the like) stay inline in the route.

use crate::error::ErrorBody;
use std::collections::BTreeMap;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{Object, Type};
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, ToResponse, ToSchema};

/// An error response described by `description`, its body the error envelope.
fn error_response(description: &str) -> ResponseBuilder {
    let body = Content::new(Some(Ref::from_schema_name(ErrorBody::name())));
    ResponseBuilder::new().description(description).content("application/json", body)
}

macro_rules! error_component {
    ($(#[$doc:meta])* $name:ident, $description:literal) => {
        $(#[$doc])*
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), error_response($description).build().into())
            }
        }
    };
}

error_component!(
    /// 400 `validation_error`.
    ValidationFailed,
    "A parameter or the body is invalid or malformed; `details.fields` names each bad field"
);
error_component!(
    /// 401 `unauthorized`.
    Unauthorized,
    "No token, or an invalid, expired or revoked one"
);
error_component!(
    /// 403 `forbidden`.
    Forbidden,
    "The caller's role may not use this route"
);
error_component!(
    /// 404 `not_found`: also for a malformed id and another company's resource.
    NotFound,
    "No such resource in the caller's company"
);
error_component!(
    /// 413 `payload_too_large`.
    PayloadTooLarge,
    "The body is larger than the route accepts"
);
error_component!(
    /// 415 `unsupported_media_type`.
    UnsupportedMediaType,
    "The body is not in a content type the route accepts"
);

/// 429 `rate_limited`, with `Retry-After`.
pub struct RateLimited;

impl<'r> ToResponse<'r> for RateLimited {
    fn response() -> (&'r str, RefOr<Response>) {
        let seconds = HeaderBuilder::new()
            .schema(Some(Object::builder().schema_type(Type::Integer).minimum(Some(1))))
            .description(Some("Seconds to wait before trying again"))
            .build();
        let description = "Too many requests or failures from this client or for this account, \
            or the server is busy; retry after `Retry-After` seconds";
        let response = error_response(description).header("Retry-After", seconds);
        ("RateLimited", response.build().into())
    }
}

macro_rules! response_set {
    ($(#[$doc:meta])* $name:ident { $($status:literal => $component:ident),+ $(,)? }) => {
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([$((
                    $status.to_owned(),
                    Ref::from_response_name(<$component as ToResponse>::response().0).into(),
                )),+])
            }
        }
    };
}

response_set!(
    /// A company-admin route: no or a bad token, or another role.
    AdminOnly { "401" => Unauthorized, "403" => Forbidden }
);
response_set!(
    /// A company-agent route: no or a bad token, or another role.
    AgentOnly { "401" => Unauthorized, "403" => Forbidden }
);
response_set!(
    /// A route for any signed-in caller.
    SignedIn { "401" => Unauthorized }
);
response_set!(
    /// A route with a JSON (or multipart) body: invalid, too large, or not JSON.
    JsonBody {
        "400" => ValidationFailed,
        "413" => PayloadTooLarge,
        "415" => UnsupportedMediaType,
    }
);
response_set!(
    /// A route with query parameters that may not parse.
    QueryParams { "400" => ValidationFailed }
);
response_set!(
    /// A route naming a resource by id in its path.
    PathId { "404" => NotFound }
);
response_set!(
    /// A throttled route (sign-up, sign-in, password checks and hashing).
    Throttled { "429" => RateLimited }
);
