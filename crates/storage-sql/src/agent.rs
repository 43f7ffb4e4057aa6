//! Agents: users with the `company_agent` role, their presence and skills.

use crate::conflict::renamed;
use crate::page::{bind_after, overfetch};
use crate::routing::RoutingDialect;
use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use std::future::Future;
use switchboard_domain::{AgentCapacity, AgentStatus, CompanyId, Skill, UserId};
use switchboard_storage::{
    AgentSummary, AgentUpdate, NewUser, Page, PageRequest, StorageError, StorageResult,
};

/// What agents need from an engine beyond the shared statements.
pub trait AgentDialect: Dialect {
    /// Adds `skills` to the agent's set, ignoring ones it already has: PostgreSQL in one
    /// statement over `unnest`, SQLite one row at a time.
    fn insert_skills(
        conn: &mut Self::Conn,
        company: CompanyId,
        id: UserId,
        skills: &[Skill],
    ) -> impl Future<Output = StorageResult<()>> + Send;
}

/// Every user column, the presence, the capacity, the skills joined by the unit separator
/// U+001F (which skills cannot contain; written as the character itself, since the engines
/// spell it `chr(31)` and `char(31)`), and the open routing-queue items, for agents of one
/// company.
macro_rules! select_agents {
    ($rest:literal) => {
        concat!(
            "SELECT u.id, u.company_id, u.email, u.name, u.role, u.status, u.password_hash, \
             u.must_change_password, u.created_at, u.updated_at, \
             COALESCE(p.status, 'offline') AS presence, p.last_seen_at, u.capacity, \
             (SELECT string_agg(skill, '\u{1f}' ORDER BY skill) FROM agent_skills s \
               WHERE s.company_id = u.company_id AND s.user_id = u.id) AS skills, \
             (SELECT count(*) FROM work_items w WHERE w.company_id = u.company_id \
               AND w.assigned_agent_id = u.id AND w.closed_at IS NULL) AS open_items \
             FROM users u LEFT JOIN agent_status p \
               ON p.company_id = u.company_id AND p.user_id = u.id \
             WHERE u.role = 'company_agent' AND u.company_id = $1 ",
            $rest
        )
    };
}

const SELECT: &str = select_agents!("AND u.id = $2");
const LIST: &str = select_agents!("AND ($2 IS NULL OR u.id > $2) ORDER BY u.id LIMIT $3");

const DELETE_SKILLS: &str = "DELETE FROM agent_skills WHERE company_id = $1 AND user_id = $2";

const ENSURE_AGENT: &str =
    "SELECT 1 FROM users WHERE company_id = $1 AND id = $2 AND role = 'company_agent'";

const INSERT_PRESENCE: &str = "INSERT INTO agent_status (company_id, user_id, status, updated_at) \
     VALUES ($1, $2, 'offline', $3)";

const SET_PRESENCE: &str = "INSERT INTO agent_status \
     (company_id, user_id, status, last_seen_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
     ON CONFLICT (company_id, user_id) DO UPDATE SET status = excluded.status, \
     last_seen_at = excluded.last_seen_at, updated_at = excluded.updated_at";

const UPDATE_USER: &str = "UPDATE users SET name = COALESCE($1, name), \
     email = COALESCE($2, email), capacity = COALESCE($6, capacity), updated_at = $3 \
     WHERE company_id = $4 AND id = $5";

const DEACTIVATE: &str = "UPDATE users SET status = 'deactivated', updated_at = $1 \
     WHERE company_id = $2 AND id = $3";

const TOUCH: &str =
    "UPDATE agent_status SET last_seen_at = $1 WHERE company_id = $2 AND user_id = $3";

// Across companies: the engines run it outside any tenant scope.
const MARK_ABSENT: &str = "UPDATE agent_status SET status = 'offline', updated_at = $1 \
     WHERE status <> 'offline' AND (last_seen_at IS NULL OR last_seen_at < $2) \
     RETURNING company_id, user_id";

fn agent_from_row(row: &impl SqlRow) -> StorageResult<AgentSummary> {
    let skills = row.opt_text("skills")?;
    Ok(AgentSummary {
        user: crate::user::user_from_row(row)?,
        status: AgentStatus::parse(&row.text("presence")?).map_err(StorageError::corrupt)?,
        last_seen_at: row.opt_time("last_seen_at")?,
        skills: skills.map(|s| s.split('\u{1f}').map(str::to_owned).collect()).unwrap_or_default(),
        capacity: AgentCapacity::parse(i64::from(row.int("capacity")?))
            .map_err(StorageError::corrupt)?,
        open_items: u32::try_from(row.big("open_items")?).unwrap_or(u32::MAX),
    })
}

fn ids(company: CompanyId, id: UserId) -> Binds {
    Binds::new().id(company.as_uuid()).id(id.as_uuid())
}

async fn replace_skills<D: AgentDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: UserId,
    skills: &[Skill],
) -> StorageResult<()> {
    D::execute(conn, DELETE_SKILLS, ids(company, id)).await?;
    D::insert_skills(conn, company, id, skills).await
}

/// `NotFound` unless `id` is an agent of `company`; keeps admins out of agent routes.
async fn ensure_agent<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: UserId,
) -> StorageResult<()> {
    D::fetch_one(conn, ENSURE_AGENT, ids(company, id)).await.map(|_| ())
}

async fn set_presence<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: UserId,
    status: AgentStatus,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let binds = ids(company, id).text(status.as_str()).time(now);
    D::execute(conn, SET_PRESENCE, binds).await.map(|_| ())
}

/// The account, its skills and an `offline` presence; run it in one transaction.
pub async fn create<D: AgentDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    user: NewUser,
    skills: Vec<Skill>,
    now: DateTime<Utc>,
) -> StorageResult<AgentSummary> {
    crate::user::insert::<D>(conn, company, &user, now).await?;
    replace_skills::<D>(conn, company, user.id, &skills).await?;
    D::execute(conn, INSERT_PRESENCE, ids(company, user.id).time(now)).await?;
    get::<D>(conn, company, user.id).await
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: UserId,
) -> StorageResult<AgentSummary> {
    agent_from_row(&D::fetch_one(conn, SELECT, ids(company, id)).await?)
}

/// Oldest first.
pub async fn list<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    page: PageRequest,
) -> StorageResult<Page<AgentSummary>> {
    let Some(binds) = bind_after::<D>(Binds::new().id(company.as_uuid()), &page) else {
        return Ok(Page { items: Vec::new(), next_cursor: None });
    };
    let rows = D::fetch_all(conn, LIST, binds.push(overfetch(&page))).await?;
    let items = rows.iter().map(agent_from_row).collect::<StorageResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit, |a| a.user.id.to_string()))
}

/// Run it in one transaction.
pub async fn update<D: AgentDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: UserId,
    update: AgentUpdate,
    now: DateTime<Utc>,
) -> StorageResult<AgentSummary> {
    ensure_agent::<D>(conn, company, id).await?;
    let binds = Binds::new()
        .opt_text(update.name.as_ref().map(|n| n.as_str()))
        .opt_text(update.email.as_ref().map(|e| e.as_str()))
        .time(now)
        .id(company.as_uuid())
        .id(id.as_uuid())
        .opt_int(update.capacity.map(|c| i32::try_from(c.get()).unwrap_or(i32::MAX)));
    D::execute(conn, UPDATE_USER, binds).await.map_err(renamed("users_company_email"))?;
    if let Some(skills) = &update.skills {
        replace_skills::<D>(conn, company, id, skills).await?;
    }
    get::<D>(conn, company, id).await
}

/// Deactivates, sets offline and hands the agent's open items back to the routing queue;
/// run it in one transaction. Answers how many items went back.
pub async fn deactivate<D: RoutingDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: UserId,
    now: DateTime<Utc>,
) -> StorageResult<u64> {
    ensure_agent::<D>(conn, company, id).await?;
    // Before the presence row is locked: a routing holding the lock may be about to write it.
    crate::routing::lock::<D>(conn, company).await?;
    let scoped = Binds::new().time(now).id(company.as_uuid()).id(id.as_uuid());
    D::execute(conn, DEACTIVATE, scoped).await?;
    set_presence::<D>(conn, company, id, AgentStatus::Offline, now).await?;
    crate::routing::release::<D>(conn, company, id, now).await
}

/// Run it in one transaction.
pub async fn set_status<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: UserId,
    status: AgentStatus,
    now: DateTime<Utc>,
) -> StorageResult<AgentSummary> {
    ensure_agent::<D>(conn, company, id).await?;
    set_presence::<D>(conn, company, id, status, now).await?;
    get::<D>(conn, company, id).await
}

pub async fn touch<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: UserId,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let binds = Binds::new().time(now).id(company.as_uuid()).id(id.as_uuid());
    D::execute(conn, TOUCH, binds).await.map(|_| ())
}

/// Sets absent agents offline; answers which (company, agent) it set.
pub async fn mark_absent_offline<D: Dialect>(
    conn: &mut D::Conn,
    seen_before: DateTime<Utc>,
) -> StorageResult<Vec<(CompanyId, UserId)>> {
    let binds = Binds::new().time(Utc::now()).time(seen_before);
    D::fetch_all(conn, MARK_ABSENT, binds)
        .await?
        .iter()
        .map(|row| {
            Ok((CompanyId::from_uuid(row.id("company_id")?), UserId::from_uuid(row.id("user_id")?)))
        })
        .collect()
}
