//! The append-only analytics log.

use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, EventId};
use switchboard_storage::{Event, NewEvent, StorageResult};

macro_rules! columns {
    () => {
        "id, company_id, kind, conversation_id, agent_id, data, occurred_at"
    };
}

const INSERT: &str = concat!(
    "INSERT INTO events (",
    columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
    columns!()
);

const LIST: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM events WHERE company_id = $1 AND occurred_at >= $2 AND occurred_at < $3 \
     ORDER BY occurred_at, id"
);

fn event_from_row(row: &impl SqlRow) -> StorageResult<Event> {
    Ok(Event {
        id: EventId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        kind: row.text("kind")?,
        conversation_id: row.opt_id("conversation_id")?,
        agent_id: row.opt_id("agent_id")?,
        data: row.json("data")?,
        occurred_at: row.time("occurred_at")?,
    })
}

/// Appends `event` under a new id; other aggregates call this to log in their own
/// transaction.
pub async fn append<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    event: &NewEvent,
) -> StorageResult<Event> {
    let binds = Binds::new()
        .id(EventId::new().as_uuid())
        .id(company.as_uuid())
        .text(&event.kind)
        .opt_id(event.conversation_id)
        .opt_id(event.agent_id)
        .json(&event.data)
        .time(event.occurred_at);
    event_from_row(&D::fetch_one(conn, INSERT, binds).await?)
}

/// Events with `from <= occurred_at < to`, oldest first.
pub async fn list<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StorageResult<Vec<Event>> {
    let binds = Binds::new().id(company.as_uuid()).time(from).time(to);
    D::fetch_all(conn, LIST, binds).await?.iter().map(event_from_row).collect()
}
