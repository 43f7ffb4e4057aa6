//! `/api/ai/tools*`: the tools a company's AI may call. A webhook's header values are
//! secrets: sealed on write, never returned (see `tool_input`), never audited.

use super::tool_input::{ToolRequest, ValidTool, merge};
use crate::audit::{Audit, AuditAction};
use crate::auth::{AdminCtx, ClientAddr};
use crate::envelope::{Created, Data, Empty, Envelope, Listed, Page};
use crate::error::{ApiError, ApiResult, ErrorBody, OnConflict};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::paging::PageParams;
use crate::routes::responses::{AdminOnly, JsonBody, PathId, QueryParams};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use switchboard_domain::{CompanyId, Cursor, PageLimit, ToolId, ToolKind, ValidationErrors};
use switchboard_engine::ToolFailure;
use switchboard_storage::{PageRequest, Tool};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

const NAME_TAKEN: &str = "the company already has a tool by this name";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_tool, list_tools))
        .routes(routes!(get_tool, update_tool, delete_tool))
        .routes(routes!(test_tool))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ToolView {
    id: ToolId,
    name: String,
    description: String,
    #[serde(rename = "type")]
    kind: ToolKind,
    /// The arguments' JSON Schema.
    #[schema(value_type = Object)]
    parameters: Value,
    /// As configured, except that each webhook header value is shown as `"********"`.
    #[schema(value_type = Object)]
    config: Value,
    requires_approval: bool,
    enabled: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Tool> for ToolView {
    fn from(t: Tool) -> Self {
        Self {
            id: t.id,
            name: t.spec.name.as_str().to_owned(),
            description: t.spec.description,
            kind: t.spec.kind,
            parameters: t.spec.parameters,
            // Already masked when stored; the sealed values (`t.secrets`) never leave.
            config: t.spec.config,
            requires_approval: t.spec.requires_approval,
            enabled: t.spec.enabled,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// What the audit log says about a tool: never its config, which holds the URL and headers.
fn audit_details(tool: &Tool) -> Value {
    json!({"toolId": tool.id, "name": tool.spec.name.as_str(), "type": tool.spec.kind.as_str()})
}

/// Adds a tool. The parameter schema and a function's script are compiled, and a webhook's
/// URL judged by the outbound policy, before anything is stored.
#[utoipa::path(post, path = "/api/ai/tools", tag = "automation", security(("bearer" = [])),
    request_body = ToolRequest,
    responses(
        (status = 201, description = "The tool", body = Envelope<ToolView>),
        (status = 409, description = "The company already has a tool by this name", body = ErrorBody),
        AdminOnly, JsonBody,
    ))]
async fn create_tool(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiJson(req): ApiJson<ToolRequest>,
) -> ApiResult<Created<ToolView>> {
    let company = admin.company_id;
    let ValidTool { spec, secrets } = merge(&state, company, req, None)?;
    let created = state.db.create_tool(company, ToolId::new(), spec, secrets, Utc::now());
    let tool = created.await.on_conflict(NAME_TAKEN)?;
    Audit::new(company, AuditAction::ToolCreated)
        .actor(admin.user_id)
        .client(addr)
        .details(audit_details(&tool))
        .record(&state)
        .await;
    Ok(Created(tool.into()))
}

/// The company's tools, oldest first.
#[utoipa::path(get, path = "/api/ai/tools", tag = "automation", security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page of tools", body = Page<ToolView>),
        AdminOnly, QueryParams,
    ))]
async fn list_tools(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Listed<ToolView>> {
    let page = state.db.list_tools(admin.company_id, params.into_request()?).await?;
    Ok(Listed {
        items: page.items.into_iter().map(ToolView::from).collect(),
        next_cursor: page.next_cursor,
    })
}

/// One tool.
#[utoipa::path(get, path = "/api/ai/tools/{toolId}", tag = "automation", security(("bearer" = [])),
    params(("toolId" = String, Path, description = "The tool's id")),
    responses(
        (status = 200, description = "The tool", body = Envelope<ToolView>),
        AdminOnly, PathId,
    ))]
async fn get_tool(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(id): ApiPath<ToolId>,
) -> ApiResult<Data<ToolView>> {
    Ok(Data(state.db.get_tool(admin.company_id, id).await?.into()))
}

/// Changes a tool; absent fields are kept, and a header sent as `"********"` keeps its
/// stored value. A tool that workflows call keeps its name.
#[utoipa::path(put, path = "/api/ai/tools/{toolId}", tag = "automation", security(("bearer" = [])),
    params(("toolId" = String, Path, description = "The tool's id")),
    request_body = ToolRequest,
    responses(
        (status = 200, description = "The updated tool", body = Envelope<ToolView>),
        (status = 409, description = "The name is taken, or workflows call the tool by its old name", body = ErrorBody),
        AdminOnly, JsonBody, PathId,
    ))]
async fn update_tool(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiPath(id): ApiPath<ToolId>,
    ApiJson(req): ApiJson<ToolRequest>,
) -> ApiResult<Data<ToolView>> {
    let company = admin.company_id;
    let current = state.db.get_tool(company, id).await?;
    let ValidTool { spec, secrets } = merge(&state, company, req, Some(&current))?;
    if spec.name != current.spec.name {
        refuse_if_called(&state, company, current.spec.name.as_str(), "renamed").await?;
    }
    let updated = state.db.update_tool(company, id, spec, secrets, Utc::now());
    let tool = updated.await.on_conflict(NAME_TAKEN)?;
    Audit::new(company, AuditAction::ToolUpdated)
        .actor(admin.user_id)
        .client(addr)
        .details(audit_details(&tool))
        .record(&state)
        .await;
    Ok(Data(tool.into()))
}

/// Deletes a tool, unless a workflow calls it.
#[utoipa::path(delete, path = "/api/ai/tools/{toolId}", tag = "automation", security(("bearer" = [])),
    params(("toolId" = String, Path, description = "The tool's id")),
    responses(
        (status = 200, description = "Deleted", body = Envelope<Empty>),
        (status = 409, description = "Workflows call the tool", body = ErrorBody),
        AdminOnly, PathId,
    ))]
async fn delete_tool(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiPath(id): ApiPath<ToolId>,
) -> ApiResult<Data<Empty>> {
    let company = admin.company_id;
    let tool = state.db.get_tool(company, id).await?;
    refuse_if_called(&state, company, tool.spec.name.as_str(), "deleted").await?;
    state.db.delete_tool(company, id).await?;
    Audit::new(company, AuditAction::ToolDeleted)
        .actor(admin.user_id)
        .client(addr)
        .details(audit_details(&tool))
        .record(&state)
        .await;
    Ok(Data(Empty {}))
}

/// A 409 naming the workflows whose steps call the tool `name`: a workflow is checked
/// against the company's tools when saved, and must not lose its tool afterwards.
async fn refuse_if_called(
    state: &AppState,
    company: CompanyId,
    name: &str,
    what: &str,
) -> ApiResult<()> {
    let mut callers = Vec::new();
    let mut after: Option<Cursor> = None;
    loop {
        let limit = PageLimit::parse(PageLimit::MAX).unwrap_or_default();
        let page = state.db.list_workflows(company, PageRequest { limit, after }).await?;
        for w in &page.items {
            if w.spec.tools().any(|t| t == name) {
                callers.push(format!("{:?}", w.spec.name));
            }
        }
        match page.next_cursor.as_deref().map(Cursor::parse) {
            Some(Ok(cursor)) => after = Some(cursor),
            _ => break,
        }
    }
    if callers.is_empty() {
        return Ok(());
    }
    Err(ApiError::Conflict(format!(
        "the tool cannot be {what} while workflows call it: {}",
        callers.join(", ")
    )))
}

/// A test call's arguments.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ToolTestRequest {
    /// The arguments, checked against the tool's parameter schema; default `{}`.
    #[schema(value_type = Object)]
    arguments: Option<Map<String, Value>>,
}

/// What a test call did. A tool that ran and failed is still a 200, with `ok: false`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ToolTestResult {
    ok: bool,
    /// The tool's result (any JSON value) when it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    result: Option<Value>,
    /// Why it failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ToolTestError>,
    /// Wall time of the call, in milliseconds.
    duration_ms: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ToolTestError {
    /// `timeout`, `limit_exceeded`, `script_error`, `refused_address`, `upstream_status`,
    /// `unreachable`, `invalid_response`, `too_large`, `too_many_redirects`,
    /// `invalid_config`, `secrets_unreadable` or `internal`.
    code: String,
    /// For the admin; never shows a header value.
    message: String,
}

/// Runs a tool once with the given arguments, outside any conversation, as the AI or a
/// workflow would run it (enabled or not, and without asking for approval): a function in
/// its sandbox, a webhook with its stored headers behind the outbound policy. Arguments the
/// parameter schema refuses are a 400 naming each field (`arguments.<name>`).
#[utoipa::path(post, path = "/api/ai/tools/{toolId}/test", tag = "automation", security(("bearer" = [])),
    params(("toolId" = String, Path, description = "The tool's id")),
    request_body = ToolTestRequest,
    responses(
        (status = 200, description = "The tool ran: its result, or why it failed", body = Envelope<ToolTestResult>),
        AdminOnly, JsonBody, PathId,
    ))]
async fn test_tool(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiPath(id): ApiPath<ToolId>,
    ApiJson(req): ApiJson<ToolTestRequest>,
) -> ApiResult<Data<ToolTestResult>> {
    let company = admin.company_id;
    let tool = state.db.get_tool(company, id).await?;
    let arguments = Value::Object(req.arguments.unwrap_or_default());
    let started = std::time::Instant::now();
    let outcome = state.conversations.run_tool(company, &tool, &arguments).await;
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if let Err(failure) = &outcome
        && failure.code == "invalid_arguments"
    {
        return Err(ApiError::Validation(argument_fields(failure)));
    }
    // A test call is a real call (a webhook is reached), so the log says who made it and
    // how it went; never the arguments or the result, which may hold customers' data.
    let mut details = audit_details(&tool);
    details["ok"] = json!(outcome.is_ok());
    if let Err(failure) = &outcome {
        details["code"] = json!(failure.code);
    }
    Audit::new(company, AuditAction::ToolTested)
        .actor(admin.user_id)
        .client(addr)
        .details(details)
        .record(&state)
        .await;
    Ok(Data(match outcome {
        Ok(result) => ToolTestResult { ok: true, result: Some(result), error: None, duration_ms },
        Err(failure) => ToolTestResult {
            ok: false,
            result: None,
            error: Some(ToolTestError { code: failure.code.to_owned(), message: failure.message }),
            duration_ms,
        },
    }))
}

/// Each argument error as a field under `arguments`: `/order/id` becomes `arguments.order.id`,
/// and a missing required property is named itself rather than by its parent object.
fn argument_fields(failure: &ToolFailure) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    for e in &failure.argument_errors {
        let mut field = "arguments".to_owned();
        for part in e.path.split('/').skip(1) {
            field.push('.');
            field.push_str(&part.replace("~1", "/").replace("~0", "~"));
        }
        // jsonschema says `"name" is a required property`, at the object's path.
        let missing = e
            .message
            .strip_suffix(" is a required property")
            .and_then(|quoted| serde_json::from_str::<String>(quoted).ok());
        match missing {
            Some(name) => errors.push(format!("{field}.{name}"), "is required"),
            None => errors.push(field, e.message.clone()),
        }
    }
    if errors.is_empty() {
        errors.push("arguments", failure.message.clone());
    }
    errors
}
