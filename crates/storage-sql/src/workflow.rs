//! Workflows: one row each in `workflows`, the trigger and steps as JSON.

use crate::conflict::renamed;
use crate::page::{bind_after, overfetch};
use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, WorkflowId, WorkflowSpec};
use switchboard_storage::{Page, PageRequest, StorageError, StorageResult, Workflow};

/// The engine-neutral name of the one-name-per-company rule.
pub const NAME_TAKEN: &str = "workflows_company_name";

macro_rules! columns {
    () => {
        "id, company_id, name, description, trigger_spec, steps, enabled, created_at, updated_at"
    };
}

const INSERT: &str = concat!(
    "INSERT INTO workflows (id, company_id, name, description, trigger_spec, steps, enabled, \
     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING ",
    columns!()
);

const SELECT: &str =
    concat!("SELECT ", columns!(), " FROM workflows WHERE company_id = $1 AND id = $2");

const LIST: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM workflows WHERE company_id = $1 AND ($2 IS NULL OR id > $2) ORDER BY id LIMIT $3"
);

const ENABLED: &str =
    concat!("SELECT ", columns!(), " FROM workflows WHERE company_id = $1 AND enabled ORDER BY id");

const UPDATE: &str = concat!(
    "UPDATE workflows SET name = $1, description = $2, trigger_spec = $3, steps = $4, \
     enabled = $5, updated_at = $6 WHERE company_id = $7 AND id = $8 RETURNING ",
    columns!()
);

const DELETE: &str = "DELETE FROM workflows WHERE company_id = $1 AND id = $2";

fn corrupt(col: &str) -> impl Fn(serde_json::Error) -> StorageError + '_ {
    move |e| StorageError::corrupt(format!("bad workflow {col}: {e}"))
}

fn workflow_from_row(row: &impl SqlRow) -> StorageResult<Workflow> {
    Ok(Workflow {
        id: WorkflowId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        spec: WorkflowSpec {
            name: row.text("name")?,
            description: row.text("description")?,
            trigger: serde_json::from_value(row.json("trigger_spec")?)
                .map_err(corrupt("trigger_spec"))?,
            steps: serde_json::from_value(row.json("steps")?).map_err(corrupt("steps"))?,
            enabled: row.bool("enabled")?,
        },
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn ids(company: CompanyId, id: WorkflowId) -> Binds {
    Binds::new().id(company.as_uuid()).id(id.as_uuid())
}

fn bind_spec(binds: Binds, spec: WorkflowSpec) -> StorageResult<Binds> {
    let json = |v: serde_json::Result<serde_json::Value>| v.map_err(StorageError::other);
    Ok(binds
        .text(spec.name)
        .text(spec.description)
        .json(&json(serde_json::to_value(&spec.trigger))?)
        .json(&json(serde_json::to_value(&spec.steps))?)
        .bool(spec.enabled))
}

pub async fn create<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: WorkflowId,
    spec: WorkflowSpec,
    now: DateTime<Utc>,
) -> StorageResult<Workflow> {
    let binds = bind_spec(Binds::new().id(id.as_uuid()).id(company.as_uuid()), spec)?.time(now);
    let row = D::fetch_one(conn, INSERT, binds).await.map_err(renamed(NAME_TAKEN))?;
    workflow_from_row(&row)
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: WorkflowId,
) -> StorageResult<Workflow> {
    workflow_from_row(&D::fetch_one(conn, SELECT, ids(company, id)).await?)
}

pub async fn list<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    page: PageRequest,
) -> StorageResult<Page<Workflow>> {
    let Some(binds) = bind_after::<D>(Binds::new().id(company.as_uuid()), &page) else {
        return Ok(Page { items: Vec::new(), next_cursor: None });
    };
    let rows = D::fetch_all(conn, LIST, binds.push(overfetch(&page))).await?;
    let items = rows.iter().map(workflow_from_row).collect::<StorageResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit, |w| w.id.to_string()))
}

pub async fn enabled<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
) -> StorageResult<Vec<Workflow>> {
    let rows = D::fetch_all(conn, ENABLED, Binds::new().id(company.as_uuid())).await?;
    rows.iter().map(workflow_from_row).collect()
}

pub async fn update<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: WorkflowId,
    spec: WorkflowSpec,
    now: DateTime<Utc>,
) -> StorageResult<Workflow> {
    let binds = bind_spec(Binds::new(), spec)?.time(now).id(company.as_uuid()).id(id.as_uuid());
    let row = D::fetch_one(conn, UPDATE, binds).await.map_err(renamed(NAME_TAKEN))?;
    workflow_from_row(&row)
}

/// Its runs go with it (`ON DELETE CASCADE`).
pub async fn delete<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: WorkflowId,
) -> StorageResult<()> {
    match D::execute(conn, DELETE, ids(company, id)).await? {
        0 => Err(StorageError::NotFound),
        _ => Ok(()),
    }
}
