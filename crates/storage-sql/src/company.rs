//! Companies and their registration.

use crate::conflict::renamed;
use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{
    Company, CompanyStatus, NewRegistration, StorageError, StorageResult, User,
};

const INSERT: &str = "INSERT INTO companies (id, name, email, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $4)";

const INSERT_CONFIG: &str = "INSERT INTO agent_configurations \
     (company_id, agent_name, branding_name, greeting_message, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $5)";

const SELECT: &str = "SELECT id, name, email, status, created_at FROM companies WHERE id = $1";

const SET_STATUS: &str = "UPDATE companies SET status = $1, updated_at = $2 WHERE id = $3";

fn company_from_row(row: &impl SqlRow) -> StorageResult<Company> {
    Ok(Company {
        id: CompanyId::from_uuid(row.id("id")?),
        name: row.text("name")?,
        email: row.text("email")?,
        status: CompanyStatus::parse(&row.text("status")?).map_err(StorageError::corrupt)?,
        created_at: row.time("created_at")?,
    })
}

/// The company, its first admin, its default agent configuration and the admin's session;
/// run it in one transaction so that a registration lands whole or not at all. A taken
/// email is the conflict `companies_email`.
pub async fn register<D: Dialect>(
    conn: &mut D::Conn,
    reg: NewRegistration,
) -> StorageResult<(Company, User)> {
    let company = reg.company_id;
    let binds = Binds::new()
        .id(company.as_uuid())
        .text(reg.company_name.as_str())
        .text(reg.company_email.as_str())
        .time(reg.now);
    D::execute(conn, INSERT, binds).await.map_err(renamed("companies_email"))?;
    crate::user::insert::<D>(conn, company, &reg.admin, reg.now).await?;
    let binds = Binds::new()
        .id(company.as_uuid())
        .text(&reg.config.agent_name)
        .text(&reg.config.branding_name)
        .text(&reg.config.greeting_message)
        .time(reg.now);
    D::execute(conn, INSERT_CONFIG, binds).await?;
    crate::session::insert::<D>(conn, company, &reg.session, reg.now).await?;
    let created = get::<D>(conn, company).await?;
    let admin = crate::user::get::<D>(conn, company, reg.admin.id).await?;
    Ok((created, admin))
}

pub async fn get<D: Dialect>(conn: &mut D::Conn, id: CompanyId) -> StorageResult<Company> {
    company_from_row(&D::fetch_one(conn, SELECT, Binds::new().id(id.as_uuid())).await?)
}

pub async fn set_status<D: Dialect>(
    conn: &mut D::Conn,
    id: CompanyId,
    status: CompanyStatus,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let binds = Binds::new().text(status.as_str()).time(now).id(id.as_uuid());
    match D::execute(conn, SET_STATUS, binds).await? {
        0 => Err(StorageError::NotFound),
        _ => Ok(()),
    }
}
