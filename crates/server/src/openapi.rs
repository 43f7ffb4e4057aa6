//! The generated OpenAPI document, for callers outside the server (`switchboard
//! export-openapi`). Its frame is `routes::api_doc`; the paths come from the routers.

/// The generated document as pretty JSON, for `switchboard export-openapi`.
pub fn document_json() -> String {
    let (_, doc) = crate::routes::api();
    doc.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
