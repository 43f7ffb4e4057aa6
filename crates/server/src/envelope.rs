//! Success envelopes: `{"success": true, "data": …}` and, for lists, `nextCursor` beside it.
//!
//! The bodies are serialised from [`Envelope`] and [`Page`], and the same two types are what
//! the OpenAPI document names in every success response (`body = Envelope<FaqView>`,
//! `body = Page<FaqView>`), so the document cannot drift from what is sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Serialize, Serializer};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{Object, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// A single resource or result.
pub struct Data<T>(pub T);

/// An empty `data` object, for actions whose only result is that they happened.
#[derive(Serialize, ToSchema)]
pub struct Empty {}

/// A created resource (201).
pub struct Created<T>(pub T);

/// One page of a list.
pub struct Listed<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The literal `true` of `success`. Its schema allows `true` only, so a client (or a
/// conformance check) can tell a success body from an error body by this field alone.
#[derive(Clone, Copy, Debug)]
pub struct True;

impl Serialize for True {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(true)
    }
}

impl PartialSchema for True {
    fn schema() -> RefOr<Schema> {
        Object::builder().schema_type(Type::Boolean).enum_values(Some([true])).into()
    }
}

impl ToSchema for True {}

/// The literal `false` of `success` in the error envelope (`crate::error::ErrorBody`).
#[derive(Clone, Copy, Debug)]
pub struct False;

impl Serialize for False {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(false)
    }
}

impl PartialSchema for False {
    fn schema() -> RefOr<Schema> {
        Object::builder().schema_type(Type::Boolean).enum_values(Some([false])).into()
    }
}

impl ToSchema for False {}

/// The body of every success: `{"success": true, "data": …}`.
#[derive(Serialize, ToSchema)]
pub struct Envelope<T> {
    #[schema(inline)]
    success: True,
    data: T,
}

/// The body of a list: one page of items in `data`, and `nextCursor` to pass as `?cursor=`
/// for the next page (null on the last page).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    #[schema(inline)]
    success: True,
    data: Vec<T>,
    next_cursor: Option<String>,
}

impl<T: Serialize> IntoResponse for Data<T> {
    fn into_response(self) -> Response {
        Json(Envelope { success: True, data: self.0 }).into_response()
    }
}

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, Json(Envelope { success: True, data: self.0 })).into_response()
    }
}

impl<T: Serialize> IntoResponse for Listed<T> {
    fn into_response(self) -> Response {
        let page = Page { success: True, data: self.items, next_cursor: self.next_cursor };
        Json(page).into_response()
    }
}
