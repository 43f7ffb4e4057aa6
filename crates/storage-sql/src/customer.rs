//! End customers of a company.

use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, CustomerId, EmailAddress};
use switchboard_storage::{Customer, NewCustomer, StorageError, StorageResult};

macro_rules! columns {
    () => {
        "id, company_id, email, name, external_id, password_hash, anonymous, created_at"
    };
}

const INSERT: &str = concat!(
    "INSERT INTO customers (id, company_id, email, password_hash, name, external_id, \
     anonymous, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING ",
    columns!()
);

const SELECT_BY_ID: &str =
    concat!("SELECT ", columns!(), " FROM customers WHERE company_id = $1 AND id = $2");
const SELECT_BY_EMAIL: &str =
    concat!("SELECT ", columns!(), " FROM customers WHERE company_id = $1 AND email = $2");
const SELECT_BY_EXTERNAL_ID: &str =
    concat!("SELECT ", columns!(), " FROM customers WHERE company_id = $1 AND external_id = $2");

fn customer_from_row(row: &impl SqlRow) -> StorageResult<Customer> {
    Ok(Customer {
        id: CustomerId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        email: row.opt_text("email")?,
        name: row.opt_text("name")?,
        external_id: row.opt_text("external_id")?,
        password_hash: row.opt_text("password_hash")?,
        anonymous: row.bool("anonymous")?,
        created_at: row.time("created_at")?,
    })
}

/// Names a conflict after the rule that refused it, the same on both engines: PostgreSQL
/// reports the index name, SQLite the columns.
fn conflict_name(e: StorageError) -> StorageError {
    match e {
        StorageError::Conflict { constraint } if constraint.contains("email") => {
            StorageError::Conflict { constraint: "customers_company_email".into() }
        }
        StorageError::Conflict { constraint } if constraint.contains("external") => {
            StorageError::Conflict { constraint: "customers_company_external".into() }
        }
        other => other,
    }
}

pub async fn create<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    c: NewCustomer,
    now: DateTime<Utc>,
) -> StorageResult<Customer> {
    let binds = Binds::new()
        .id(c.id.as_uuid())
        .id(company.as_uuid())
        .opt_text(c.email.as_ref().map(|e| e.as_str()))
        .opt_text(c.password_hash.as_deref())
        .opt_text(c.name.as_deref())
        .opt_text(c.external_id.as_deref())
        .bool(c.is_anonymous())
        .time(now);
    customer_from_row(&D::fetch_one(conn, INSERT, binds).await.map_err(conflict_name)?)
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: CustomerId,
) -> StorageResult<Customer> {
    let binds = Binds::new().id(company.as_uuid()).id(id.as_uuid());
    customer_from_row(&D::fetch_one(conn, SELECT_BY_ID, binds).await?)
}

async fn find<D: Dialect>(
    conn: &mut D::Conn,
    sql: &'static str,
    company: CompanyId,
    value: &str,
) -> StorageResult<Option<Customer>> {
    let binds = Binds::new().id(company.as_uuid()).text(value);
    D::fetch_optional(conn, sql, binds).await?.as_ref().map(customer_from_row).transpose()
}

pub async fn find_by_email<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    email: &EmailAddress,
) -> StorageResult<Option<Customer>> {
    find::<D>(conn, SELECT_BY_EMAIL, company, email.as_str()).await
}

pub async fn find_by_external_id<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    external_id: &str,
) -> StorageResult<Option<Customer>> {
    find::<D>(conn, SELECT_BY_EXTERNAL_ID, company, external_id).await
}
