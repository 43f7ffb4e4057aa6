//! Success envelopes: `{"success": true, "data": …}` and, for lists, `nextCursor` beside it.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A single resource or result.
pub struct Data<T>(pub T);

/// An empty `data` object, for actions whose only result is that they happened.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Empty {}

/// A created resource (201).
pub struct Created<T>(pub T);

/// One page of a list.
pub struct Listed<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize)]
struct Body<T> {
    success: bool,
    data: T,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListBody<T> {
    success: bool,
    data: Vec<T>,
    next_cursor: Option<String>,
}

impl<T: Serialize> IntoResponse for Data<T> {
    fn into_response(self) -> Response {
        Json(Body { success: true, data: self.0 }).into_response()
    }
}

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, Json(Body { success: true, data: self.0 })).into_response()
    }
}

impl<T: Serialize> IntoResponse for Listed<T> {
    fn into_response(self) -> Response {
        Json(ListBody { success: true, data: self.items, next_cursor: self.next_cursor })
            .into_response()
    }
}
