//! Tools: one row each in `custom_tools`, parameters and config as JSON, secrets as the
//! server's sealed text.

use crate::conflict::renamed;
use crate::page::{bind_after, overfetch};
use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, ToolId, ToolKind, ToolName, ToolSpec};
use switchboard_storage::{Page, PageRequest, StorageError, StorageResult, Tool};

/// The engine-neutral name of the one-name-per-company rule.
pub const NAME_TAKEN: &str = "custom_tools_company_name";

macro_rules! columns {
    () => {
        "id, company_id, name, description, tool_type, parameters, config, secrets, \
         requires_approval, enabled, created_at, updated_at"
    };
}

const INSERT: &str = concat!(
    "INSERT INTO custom_tools (id, company_id, name, description, tool_type, parameters, \
     config, secrets, requires_approval, enabled, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ",
    columns!()
);

const SELECT: &str =
    concat!("SELECT ", columns!(), " FROM custom_tools WHERE company_id = $1 AND id = $2");

const BY_NAME: &str =
    concat!("SELECT ", columns!(), " FROM custom_tools WHERE company_id = $1 AND name = $2");

const LIST: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM custom_tools WHERE company_id = $1 AND ($2 IS NULL OR id > $2) ORDER BY id LIMIT $3"
);

const ENABLED: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM custom_tools WHERE company_id = $1 AND enabled ORDER BY name"
);

const NAMES: &str = "SELECT name FROM custom_tools WHERE company_id = $1 ORDER BY name";

const UPDATE: &str = concat!(
    "UPDATE custom_tools SET name = $1, description = $2, tool_type = $3, parameters = $4, \
     config = $5, secrets = $6, requires_approval = $7, enabled = $8, updated_at = $9 \
     WHERE company_id = $10 AND id = $11 RETURNING ",
    columns!()
);

const DELETE: &str = "DELETE FROM custom_tools WHERE company_id = $1 AND id = $2";

fn tool_from_row(row: &impl SqlRow) -> StorageResult<Tool> {
    let name = row.text("name")?;
    let kind = row.text("tool_type")?;
    let spec = ToolSpec {
        name: ToolName::parse(&name)
            .map_err(|e| StorageError::corrupt(format!("bad tool name {name:?}: {e}")))?,
        description: row.text("description")?,
        kind: ToolKind::parse(&kind)
            .map_err(|e| StorageError::corrupt(format!("bad tool type {kind:?}: {e}")))?,
        parameters: row.json("parameters")?,
        config: row.json("config")?,
        requires_approval: row.bool("requires_approval")?,
        enabled: row.bool("enabled")?,
    };
    Ok(Tool {
        id: ToolId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        spec,
        secrets: row.opt_text("secrets")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn ids(company: CompanyId, id: ToolId) -> Binds {
    Binds::new().id(company.as_uuid()).id(id.as_uuid())
}

/// The spec's columns in the order both statements bind them, after any leading binds.
fn bind_spec(binds: Binds, spec: ToolSpec, secrets: Option<String>) -> Binds {
    binds
        .text(spec.name)
        .text(spec.description)
        .text(spec.kind.as_str())
        .json(&spec.parameters)
        .json(&spec.config)
        .opt_text(secrets)
        .bool(spec.requires_approval)
        .bool(spec.enabled)
}

pub async fn create<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ToolId,
    spec: ToolSpec,
    secrets: Option<String>,
    now: DateTime<Utc>,
) -> StorageResult<Tool> {
    let binds = bind_spec(Binds::new().id(id.as_uuid()).id(company.as_uuid()), spec, secrets);
    let row = D::fetch_one(conn, INSERT, binds.time(now)).await.map_err(renamed(NAME_TAKEN))?;
    tool_from_row(&row)
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ToolId,
) -> StorageResult<Tool> {
    tool_from_row(&D::fetch_one(conn, SELECT, ids(company, id)).await?)
}

pub async fn by_name<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    name: &str,
) -> StorageResult<Tool> {
    let binds = Binds::new().id(company.as_uuid()).text(name);
    tool_from_row(&D::fetch_one(conn, BY_NAME, binds).await?)
}

pub async fn list<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    page: PageRequest,
) -> StorageResult<Page<Tool>> {
    let Some(binds) = bind_after::<D>(Binds::new().id(company.as_uuid()), &page) else {
        return Ok(Page { items: Vec::new(), next_cursor: None });
    };
    let rows = D::fetch_all(conn, LIST, binds.push(overfetch(&page))).await?;
    let items = rows.iter().map(tool_from_row).collect::<StorageResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit, |t| t.id.to_string()))
}

pub async fn enabled<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
) -> StorageResult<Vec<Tool>> {
    let rows = D::fetch_all(conn, ENABLED, Binds::new().id(company.as_uuid())).await?;
    rows.iter().map(tool_from_row).collect()
}

pub async fn names<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
) -> StorageResult<Vec<String>> {
    let rows = D::fetch_all(conn, NAMES, Binds::new().id(company.as_uuid())).await?;
    rows.iter().map(|r| r.text("name")).collect()
}

pub async fn update<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ToolId,
    spec: ToolSpec,
    secrets: Option<String>,
    now: DateTime<Utc>,
) -> StorageResult<Tool> {
    let binds =
        bind_spec(Binds::new(), spec, secrets).time(now).id(company.as_uuid()).id(id.as_uuid());
    let row = D::fetch_one(conn, UPDATE, binds).await.map_err(renamed(NAME_TAKEN))?;
    tool_from_row(&row)
}

pub async fn delete<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ToolId,
) -> StorageResult<()> {
    match D::execute(conn, DELETE, ids(company, id)).await? {
        0 => Err(StorageError::NotFound),
        _ => Ok(()),
    }
}
