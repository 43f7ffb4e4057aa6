//! Staff accounts.

use crate::conflict::renamed;
use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, EmailAddress, Role, UserId, UserStatus};
use switchboard_storage::{NewUser, StorageError, StorageResult, User};

/// Every `User` column, for statements that read users (agents' too).
macro_rules! columns {
    () => {
        "id, company_id, email, name, role, status, password_hash, must_change_password, \
         created_at, updated_at"
    };
}

const INSERT: &str = "INSERT INTO users (id, company_id, email, password_hash, role, name, \
     must_change_password, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)";

const SELECT_BY_ID: &str =
    concat!("SELECT ", columns!(), " FROM users WHERE company_id = $1 AND id = $2");

const SELECT_BY_EMAIL: &str =
    concat!("SELECT ", columns!(), " FROM users WHERE company_id = $1 AND email = $2");

const SELECT_ACTIVE_BY_EMAIL_ANYWHERE: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM users WHERE email = $1 AND status = 'active' \
     AND company_id IN (SELECT id FROM companies WHERE status = 'active') ORDER BY id LIMIT $2"
);

const SET_PASSWORD: &str = "UPDATE users SET password_hash = $1, must_change_password = $2, \
     updated_at = $3 WHERE company_id = $4 AND id = $5";

pub(crate) fn user_from_row(row: &impl SqlRow) -> StorageResult<User> {
    Ok(User {
        id: UserId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        email: row.text("email")?,
        name: row.text("name")?,
        role: Role::parse(&row.text("role")?).map_err(StorageError::corrupt)?,
        status: UserStatus::parse(&row.text("status")?).map_err(StorageError::corrupt)?,
        password_hash: row.text("password_hash")?,
        must_change_password: row.bool("must_change_password")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

/// Inserts `user`; a taken email is the conflict `users_company_email`.
pub async fn insert<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    user: &NewUser,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let binds = Binds::new()
        .id(user.id.as_uuid())
        .id(company.as_uuid())
        .text(user.email.as_str())
        .text(&user.password_hash)
        .text(user.role.as_str())
        .text(user.name.as_str())
        .bool(user.must_change_password)
        .time(now);
    D::execute(conn, INSERT, binds).await.map_err(renamed("users_company_email"))?;
    Ok(())
}

/// Inserts `user` and reads it back.
pub async fn create<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    user: &NewUser,
    now: DateTime<Utc>,
) -> StorageResult<User> {
    insert::<D>(conn, company, user, now).await?;
    get::<D>(conn, company, user.id).await
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: UserId,
) -> StorageResult<User> {
    let binds = Binds::new().id(company.as_uuid()).id(id.as_uuid());
    user_from_row(&D::fetch_one(conn, SELECT_BY_ID, binds).await?)
}

pub async fn find_by_email<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    email: &EmailAddress,
) -> StorageResult<Option<User>> {
    let binds = Binds::new().id(company.as_uuid()).text(email.as_str());
    D::fetch_optional(conn, SELECT_BY_EMAIL, binds).await?.as_ref().map(user_from_row).transpose()
}

pub async fn find_active_by_email_anywhere<D: Dialect>(
    conn: &mut D::Conn,
    email: &EmailAddress,
    limit: u32,
) -> StorageResult<Vec<User>> {
    let limit = i32::try_from(limit).unwrap_or(i32::MAX);
    let binds = Binds::new().text(email.as_str()).int(limit);
    let rows = D::fetch_all(conn, SELECT_ACTIVE_BY_EMAIL_ANYWHERE, binds).await?;
    rows.iter().map(user_from_row).collect()
}

pub async fn set_password<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: UserId,
    password_hash: &str,
    must_change_password: bool,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let binds = Binds::new()
        .text(password_hash)
        .bool(must_change_password)
        .time(now)
        .id(company.as_uuid())
        .id(id.as_uuid());
    match D::execute(conn, SET_PASSWORD, binds).await? {
        0 => Err(StorageError::NotFound),
        _ => Ok(()),
    }
}
