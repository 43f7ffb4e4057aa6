//! The bridge between the event log in storage and the pure metric computation in
//! `switchboard_ai::analytics`: reading events, and rebuilding the daily rollups.

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use switchboard_ai::analytics::{LogEvent, day_rollups};
use switchboard_domain::{CompanyId, UserId};
use switchboard_storage::{Backend, DailyRollup, Event};

/// How far before a chunk of days the rebuild reads, so that durations ending in the chunk
/// (a reply, a close, a decision) still find their start.
const LOOKBACK: Duration = Duration::days(7);
/// Days rebuilt per read of the log, bounding the memory a long history needs.
const CHUNK_DAYS: i64 = 31;

pub fn log_event(e: Event) -> LogEvent {
    LogEvent {
        kind: e.kind,
        conversation_id: e.conversation_id,
        agent_id: e.agent_id,
        data: e.data,
        occurred_at: e.occurred_at,
    }
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// Recomputes `company`'s rollups for every day from its first event to `now`'s day and
/// upserts them; returns how many rows were written. Safe to run at any time and as often
/// as wanted: the log is append-only, so a rebuild only ever refreshes or adds rows.
pub async fn rebuild_rollups(
    db: &dyn Backend,
    company: CompanyId,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let Some(first) = db.first_event_at(company).await.context("reading the first event")? else {
        return Ok(0);
    };
    let (mut day, last) = (first.date_naive(), now.date_naive());
    let mut written = 0;
    while day <= last {
        let chunk_end = (day + Duration::days(CHUNK_DAYS)).min(last + Duration::days(1));
        let events = db
            .list_events(company, midnight(day) - LOOKBACK, midnight(chunk_end))
            .await
            .context("reading events")?;
        let events: Vec<LogEvent> = events.into_iter().map(log_event).collect();
        let mut rows = Vec::new();
        for d in day.iter_days().take_while(|d| *d < chunk_end) {
            for (agent, metrics) in day_rollups(&events, d) {
                rows.push(DailyRollup {
                    day: d,
                    agent_id: agent.map(UserId::from_uuid),
                    metrics: serde_json::to_value(&metrics)?,
                    updated_at: now,
                });
            }
        }
        db.upsert_rollups(company, &rows).await.context("writing rollups")?;
        written += rows.len();
        day = chunk_end;
    }
    Ok(written)
}

/// [`rebuild_rollups`] for every company with events.
pub async fn rebuild_all_rollups(db: &dyn Backend, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut written = 0;
    for company in db.companies_with_events().await.context("listing companies")? {
        written += rebuild_rollups(db, company, now)
            .await
            .with_context(|| format!("company {company}"))?;
    }
    Ok(written)
}
