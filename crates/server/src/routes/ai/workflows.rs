//! `/api/ai/workflows*`: what the AI does, step by step, when a trigger fires. A workflow is
//! checked whole on every write (`WorkflowSpec::parse`), against the company's tools, and a
//! problem is a 400 naming the step (`steps[2].pattern`) and its type.

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
use serde_json::{Value, json};
use std::collections::BTreeSet;
use switchboard_domain::{
    CompanyId, ValidationErrors, WorkflowId, WorkflowInput, WorkflowSpec, WorkflowStep,
    WorkflowTrigger,
};
use switchboard_storage::Workflow;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

const NAME_TAKEN: &str = "the company already has a workflow by this name";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_workflow, list_workflows)).routes(routes!(
        get_workflow,
        update_workflow,
        delete_workflow
    ))
}

/// A workflow as created; on update every field is optional and absent ones are kept
/// (`steps` is replaced as a whole).
#[derive(Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkflowRequest {
    /// 1–100 characters, unique in the company.
    #[schema(min_length = 1, max_length = 100)]
    name: Option<String>,
    /// At most 1024 characters. Default empty.
    #[schema(max_length = 1024)]
    description: Option<String>,
    /// When the workflow starts; required on create.
    #[schema(value_type = Option<WorkflowTrigger>)]
    trigger: Option<Value>,
    /// 1–50 steps, run in order; required on create. `{{field}}` in a message, an ask's
    /// prompt or a tool argument names a field an earlier ask step collects.
    #[schema(value_type = Option<Vec<WorkflowStep>>, min_items = 1, max_items = 50)]
    steps: Option<Vec<Value>>,
    /// Disabled workflows are kept but never triggered. Default true.
    enabled: Option<bool>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowView {
    id: WorkflowId,
    name: String,
    description: String,
    trigger: WorkflowTrigger,
    steps: Vec<WorkflowStep>,
    enabled: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Workflow> for WorkflowView {
    fn from(w: Workflow) -> Self {
        Self {
            id: w.id,
            name: w.spec.name,
            description: w.spec.description,
            trigger: w.spec.trigger,
            steps: w.spec.steps,
            enabled: w.spec.enabled,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// Applies `req` over `base` (the stored workflow, or nothing for a create) and checks the
/// result whole against the company's tools.
async fn merge(
    state: &AppState,
    company: CompanyId,
    req: WorkflowRequest,
    base: Option<&WorkflowSpec>,
) -> ApiResult<WorkflowSpec> {
    let mut missing = ValidationErrors::new();
    let trigger = match (req.trigger, base) {
        (Some(t), _) => t,
        (None, Some(b)) => to_json(&b.trigger)?,
        (None, None) => {
            missing.push("trigger", "is required");
            Value::Null
        }
    };
    let steps = match (req.steps, base) {
        (Some(s), _) => s,
        (None, Some(b)) => b.steps.iter().map(to_json).collect::<ApiResult<_>>()?,
        (None, None) => {
            missing.push("steps", "is required");
            Vec::new()
        }
    };
    if base.is_none() && req.name.is_none() {
        missing.push("name", "is required");
    }
    missing.into_result()?;
    let input = WorkflowInput {
        name: req.name.or(base.map(|b| b.name.clone())).unwrap_or_default(),
        description: req.description.or(base.map(|b| b.description.clone())).unwrap_or_default(),
        trigger,
        steps,
        enabled: req.enabled.or(base.map(|b| b.enabled)).unwrap_or(true),
    };
    let tools: BTreeSet<String> = state.db.tool_names(company).await?.into_iter().collect();
    Ok(WorkflowSpec::parse(input, &tools)?)
}

/// A stored trigger or step back as JSON, to be checked again with the rest.
fn to_json<T: Serialize>(value: &T) -> ApiResult<Value> {
    serde_json::to_value(value).map_err(|e| ApiError::Internal(e.into()))
}

fn audit_details(w: &Workflow) -> Value {
    json!({"workflowId": w.id, "name": w.spec.name})
}

/// Adds a workflow.
#[utoipa::path(post, path = "/api/ai/workflows", tag = "automation", security(("bearer" = [])),
    request_body = WorkflowRequest,
    responses(
        (status = 201, description = "The workflow", body = Envelope<WorkflowView>),
        (status = 409, description = "The company already has a workflow by this name", body = ErrorBody),
        AdminOnly, JsonBody,
    ))]
async fn create_workflow(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiJson(req): ApiJson<WorkflowRequest>,
) -> ApiResult<Created<WorkflowView>> {
    let company = admin.company_id;
    let spec = merge(&state, company, req, None).await?;
    let created = state.db.create_workflow(company, WorkflowId::new(), spec, Utc::now());
    let workflow = created.await.on_conflict(NAME_TAKEN)?;
    Audit::new(company, AuditAction::WorkflowCreated)
        .actor(admin.user_id)
        .client(addr)
        .details(audit_details(&workflow))
        .record(&state)
        .await;
    Ok(Created(workflow.into()))
}

/// The company's workflows, oldest first.
#[utoipa::path(get, path = "/api/ai/workflows", tag = "automation", security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page of workflows", body = Page<WorkflowView>),
        AdminOnly, QueryParams,
    ))]
async fn list_workflows(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Listed<WorkflowView>> {
    let page = state.db.list_workflows(admin.company_id, params.into_request()?).await?;
    Ok(Listed {
        items: page.items.into_iter().map(WorkflowView::from).collect(),
        next_cursor: page.next_cursor,
    })
}

/// One workflow.
#[utoipa::path(get, path = "/api/ai/workflows/{workflowId}", tag = "automation",
    security(("bearer" = [])),
    params(("workflowId" = String, Path, description = "The workflow's id")),
    responses(
        (status = 200, description = "The workflow", body = Envelope<WorkflowView>),
        AdminOnly, PathId,
    ))]
async fn get_workflow(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(id): ApiPath<WorkflowId>,
) -> ApiResult<Data<WorkflowView>> {
    Ok(Data(state.db.get_workflow(admin.company_id, id).await?.into()))
}

/// Changes a workflow; absent fields are kept, and the result is checked whole.
#[utoipa::path(put, path = "/api/ai/workflows/{workflowId}", tag = "automation",
    security(("bearer" = [])),
    params(("workflowId" = String, Path, description = "The workflow's id")),
    request_body = WorkflowRequest,
    responses(
        (status = 200, description = "The updated workflow", body = Envelope<WorkflowView>),
        (status = 409, description = "The company already has a workflow by this name", body = ErrorBody),
        AdminOnly, JsonBody, PathId,
    ))]
async fn update_workflow(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiPath(id): ApiPath<WorkflowId>,
    ApiJson(req): ApiJson<WorkflowRequest>,
) -> ApiResult<Data<WorkflowView>> {
    let company = admin.company_id;
    let current = state.db.get_workflow(company, id).await?;
    let spec = merge(&state, company, req, Some(&current.spec)).await?;
    let updated = state.db.update_workflow(company, id, spec, Utc::now());
    let workflow = updated.await.on_conflict(NAME_TAKEN)?;
    Audit::new(company, AuditAction::WorkflowUpdated)
        .actor(admin.user_id)
        .client(addr)
        .details(audit_details(&workflow))
        .record(&state)
        .await;
    Ok(Data(workflow.into()))
}

/// Deletes a workflow.
#[utoipa::path(delete, path = "/api/ai/workflows/{workflowId}", tag = "automation",
    security(("bearer" = [])),
    params(("workflowId" = String, Path, description = "The workflow's id")),
    responses(
        (status = 200, description = "Deleted", body = Envelope<Empty>),
        AdminOnly, PathId,
    ))]
async fn delete_workflow(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiPath(id): ApiPath<WorkflowId>,
) -> ApiResult<Data<Empty>> {
    let company = admin.company_id;
    let workflow = state.db.get_workflow(company, id).await?;
    state.db.delete_workflow(company, id).await?;
    Audit::new(company, AuditAction::WorkflowDeleted)
        .actor(admin.user_id)
        .client(addr)
        .details(audit_details(&workflow))
        .record(&state)
        .await;
    Ok(Data(Empty {}))
}
