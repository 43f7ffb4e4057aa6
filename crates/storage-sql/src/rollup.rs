//! Daily analytics rollups, recomputed from the event log.

use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, NaiveDate, Utc};
use switchboard_domain::{CompanyId, UserId};
use switchboard_storage::{DailyRollup, StorageError, StorageResult};

const UPSERT: &str = "INSERT INTO analytics_daily (company_id, day, agent_id, metrics, updated_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (company_id, day, agent_id) \
     DO UPDATE SET metrics = excluded.metrics, updated_at = excluded.updated_at";

const LIST: &str = "SELECT day, agent_id, metrics, updated_at FROM analytics_daily \
     WHERE company_id = $1 AND day >= $2 AND day < $3 ORDER BY day, agent_id";

// Across companies: the engines run it outside any tenant scope.
const COMPANIES_WITH_EVENTS: &str = "SELECT DISTINCT company_id FROM events ORDER BY company_id";

const FIRST_EVENT_AT: &str = "SELECT min(occurred_at) AS first FROM events WHERE company_id = $1";

/// `analytics_daily.agent_id` is part of the primary key, so the company row uses `''`
/// rather than NULL (which a key would not treat as equal to itself).
fn agent_key(agent: Option<UserId>) -> String {
    agent.map(|a| a.to_string()).unwrap_or_default()
}

fn rollup_from_row(row: &impl SqlRow) -> StorageResult<DailyRollup> {
    let agent = row.text("agent_id")?;
    Ok(DailyRollup {
        day: row.date("day")?,
        agent_id: match agent.as_str() {
            "" => None,
            a => Some(
                a.parse().map_err(|e| StorageError::corrupt(format!("bad agent id {a:?}: {e}")))?,
            ),
        },
        metrics: row.json("metrics")?,
        updated_at: row.time("updated_at")?,
    })
}

/// Run it in one transaction.
pub async fn upsert<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    rows: &[DailyRollup],
) -> StorageResult<()> {
    for r in rows {
        let binds = Binds::new()
            .id(company.as_uuid())
            .date(r.day)
            .text(agent_key(r.agent_id))
            .json(&r.metrics)
            .time(r.updated_at);
        D::execute(conn, UPSERT, binds).await?;
    }
    Ok(())
}

pub async fn list<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    from: NaiveDate,
    to: NaiveDate,
) -> StorageResult<Vec<DailyRollup>> {
    let binds = Binds::new().id(company.as_uuid()).date(from).date(to);
    D::fetch_all(conn, LIST, binds).await?.iter().map(rollup_from_row).collect()
}

pub async fn companies_with_events<D: Dialect>(
    conn: &mut D::Conn,
) -> StorageResult<Vec<CompanyId>> {
    let rows = D::fetch_all(conn, COMPANIES_WITH_EVENTS, Binds::new()).await?;
    rows.iter().map(|r| r.id("company_id").map(CompanyId::from_uuid)).collect()
}

pub async fn first_event_at<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
) -> StorageResult<Option<DateTime<Utc>>> {
    D::fetch_one(conn, FIRST_EVENT_AT, Binds::new().id(company.as_uuid())).await?.opt_time("first")
}
