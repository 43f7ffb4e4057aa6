//! `/api/ai/classification/*`: the labelled examples that teach the request classifier a
//! company's categories (on top of the default taxonomy), and a test route that shows how a
//! message would be classified. Every change reaches the classifier at its next request.

use crate::audit::{Audit, AuditAction};
use crate::auth::{AdminCtx, ClientAddr};
use crate::envelope::{Created, Data, Empty, Envelope, Listed, Page};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::paging::PageParams;
use crate::routes::responses::{AdminOnly, JsonBody, PathId, QueryParams};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use switchboard_ai::classify::{ClassifyError, RequestClassification};
use switchboard_domain::{CategoryLabel, ExampleId, ExampleText};
use switchboard_storage::{ClassificationExample, MAX_EXAMPLES_PER_WRITE};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// An import's body limit: 1000 examples of 1000 characters of up to 4 bytes, plus JSON.
const IMPORT_BODY_BYTES: usize = 5 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    let import = OpenApiRouter::new()
        .routes(routes!(import_classification_examples))
        .layer(DefaultBodyLimit::max(IMPORT_BODY_BYTES));
    OpenApiRouter::new()
        .routes(routes!(create_classification_example, list_classification_examples))
        .routes(routes!(
            get_classification_example,
            update_classification_example,
            delete_classification_example
        ))
        .routes(routes!(test_classification))
        .merge(import)
}

/// Storage errors keep their meaning (404, 409…); embedding and training failures are
/// internal.
impl From<ClassifyError> for ApiError {
    fn from(e: ClassifyError) -> Self {
        match e {
            ClassifyError::Storage(s) => s.into(),
            other => ApiError::Internal(anyhow::Error::new(other)),
        }
    }
}

/// A labelled example: what a customer might write, and its category.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleRequest {
    text: ExampleText,
    /// An existing category (`billing`, `orders`, `shipping`, `returns`, `technical`,
    /// `account`, `complaint`, `general`) or a new one of the company's.
    label: CategoryLabel,
}

/// Absent fields are kept.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleUpdate {
    text: Option<ExampleText>,
    label: Option<CategoryLabel>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// 1–1000 examples, all valid, stored together or not at all.
    #[schema(min_items = 1, max_items = 1000)]
    examples: Vec<ExampleRequest>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestRequest {
    /// A message as a customer would write it.
    text: ExampleText,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExampleView {
    id: ExampleId,
    text: String,
    label: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<ClassificationExample> for ExampleView {
    fn from(e: ClassificationExample) -> Self {
        Self {
            id: e.id,
            text: e.text,
            label: e.label,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ImportedExamples {
    imported: usize,
    /// The stored examples, in the order sent.
    examples: Vec<ExampleView>,
}

/// Adds a labelled example.
#[utoipa::path(post, path = "/api/ai/classification/examples", tag = "classification",
    security(("bearer" = [])), request_body = ExampleRequest,
    responses(
        (status = 201, description = "The example", body = Envelope<ExampleView>),
        AdminOnly, JsonBody,
    ))]
async fn create_classification_example(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiJson(req): ApiJson<ExampleRequest>,
) -> ApiResult<Created<ExampleView>> {
    let company = admin.company_id;
    let created = state.classifications.create_examples(company, vec![(req.text, req.label)]);
    let example = created.await?.pop().ok_or_else(|| anyhow::anyhow!("nothing was stored"))?;
    Audit::new(company, AuditAction::ClassificationExampleCreated)
        .actor(admin.user_id)
        .client(addr)
        .details(json!({"exampleId": example.id, "label": example.label}))
        .record(&state)
        .await;
    Ok(Created(example.into()))
}

/// Adds many labelled examples at once: all are checked first, and one bad example (named
/// by its index, e.g. `examples[3].label`) stores none.
#[utoipa::path(post, path = "/api/ai/classification/examples/import", tag = "classification",
    security(("bearer" = [])), request_body = ImportRequest,
    responses(
        (status = 201, description = "The stored examples", body = Envelope<ImportedExamples>),
        AdminOnly, JsonBody,
    ))]
async fn import_classification_examples(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiJson(req): ApiJson<ImportRequest>,
) -> ApiResult<Created<ImportedExamples>> {
    let count = req.examples.len();
    if !(1..=MAX_EXAMPLES_PER_WRITE).contains(&count) {
        let message = format!("must hold 1 to {MAX_EXAMPLES_PER_WRITE} examples, not {count}");
        return Err(ApiError::validation("examples", message));
    }
    let company = admin.company_id;
    let rows = req.examples.into_iter().map(|e| (e.text, e.label)).collect();
    let examples = state.classifications.create_examples(company, rows).await?;
    Audit::new(company, AuditAction::ClassificationExamplesImported)
        .actor(admin.user_id)
        .client(addr)
        .details(json!({"count": examples.len()}))
        .record(&state)
        .await;
    let examples: Vec<ExampleView> = examples.into_iter().map(ExampleView::from).collect();
    Ok(Created(ImportedExamples { imported: examples.len(), examples }))
}

/// The company's examples, oldest first.
#[utoipa::path(get, path = "/api/ai/classification/examples", tag = "classification",
    security(("bearer" = [])), params(PageParams),
    responses(
        (status = 200, description = "One page of examples", body = Page<ExampleView>),
        AdminOnly, QueryParams,
    ))]
async fn list_classification_examples(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Listed<ExampleView>> {
    let page = state.db.list_examples(admin.company_id, params.into_request()?).await?;
    Ok(Listed {
        items: page.items.into_iter().map(ExampleView::from).collect(),
        next_cursor: page.next_cursor,
    })
}

/// One example.
#[utoipa::path(get, path = "/api/ai/classification/examples/{exampleId}", tag = "classification",
    security(("bearer" = [])),
    params(("exampleId" = String, Path, description = "The example's id")),
    responses(
        (status = 200, description = "The example", body = Envelope<ExampleView>),
        AdminOnly, PathId,
    ))]
async fn get_classification_example(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(id): ApiPath<ExampleId>,
) -> ApiResult<Data<ExampleView>> {
    Ok(Data(state.db.get_example(admin.company_id, id).await?.into()))
}

/// Changes an example's text or label; absent fields are kept.
#[utoipa::path(put, path = "/api/ai/classification/examples/{exampleId}", tag = "classification",
    security(("bearer" = [])),
    params(("exampleId" = String, Path, description = "The example's id")),
    request_body = ExampleUpdate,
    responses(
        (status = 200, description = "The updated example", body = Envelope<ExampleView>),
        AdminOnly, JsonBody, PathId,
    ))]
async fn update_classification_example(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiPath(id): ApiPath<ExampleId>,
    ApiJson(req): ApiJson<ExampleUpdate>,
) -> ApiResult<Data<ExampleView>> {
    let company = admin.company_id;
    let current = state.db.get_example(company, id).await?;
    let corrupt = |e: String| anyhow::anyhow!("stored example {id}: {e}");
    let text = match req.text {
        Some(t) => t,
        None => ExampleText::parse(&current.text).map_err(corrupt)?,
    };
    let label = match req.label {
        Some(l) => l,
        None => CategoryLabel::parse(&current.label).map_err(corrupt)?,
    };
    let example = state.classifications.update_example(company, id, text, label).await?;
    Audit::new(company, AuditAction::ClassificationExampleUpdated)
        .actor(admin.user_id)
        .client(addr)
        .details(json!({"exampleId": id, "label": example.label}))
        .record(&state)
        .await;
    Ok(Data(example.into()))
}

/// Deletes an example; the classifier forgets it from the next request on.
#[utoipa::path(delete, path = "/api/ai/classification/examples/{exampleId}",
    tag = "classification", security(("bearer" = [])),
    params(("exampleId" = String, Path, description = "The example's id")),
    responses(
        (status = 200, description = "Deleted", body = Envelope<Empty>),
        AdminOnly, PathId,
    ))]
async fn delete_classification_example(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiPath(id): ApiPath<ExampleId>,
) -> ApiResult<Data<Empty>> {
    let company = admin.company_id;
    state.classifications.delete_example(company, id).await?;
    Audit::new(company, AuditAction::ClassificationExampleDeleted)
        .actor(admin.user_id)
        .client(addr)
        .details(json!({"exampleId": id}))
        .record(&state)
        .await;
    Ok(Data(Empty {}))
}

/// How a customer's message would be classified now: category (with the nearest labelled
/// examples as reasons), priority, urgency and sentiment (with the cues matched).
#[utoipa::path(post, path = "/api/ai/classification/test", tag = "classification",
    security(("bearer" = [])), request_body = TestRequest,
    responses(
        (status = 200, description = "The classification", body = Envelope<RequestClassification>),
        AdminOnly, JsonBody,
    ))]
async fn test_classification(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiJson(req): ApiJson<TestRequest>,
) -> ApiResult<Data<RequestClassification>> {
    let text = req.text.into_inner();
    Ok(Data(state.classifications.classify(admin.company_id, &text).await?))
}
