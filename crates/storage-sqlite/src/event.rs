use crate::{SqliteBackend, db_err, parse_ts, parse_uuid, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use switchboard_domain::{CompanyId, EventId};
use switchboard_storage::{Event, EventStore, NewEvent, StorageError, StorageResult};

fn event_from_row(row: &SqliteRow) -> StorageResult<Event> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    let opt = |c: &str| -> StorageResult<Option<uuid::Uuid>> {
        let v: Option<String> = row.try_get(c).map_err(db_err)?;
        v.as_deref().map(parse_uuid).transpose()
    };
    Ok(Event {
        id: EventId::from_uuid(parse_uuid(&text("id")?)?),
        company_id: CompanyId::from_uuid(parse_uuid(&text("company_id")?)?),
        kind: text("kind")?,
        conversation_id: opt("conversation_id")?,
        agent_id: opt("agent_id")?,
        data: serde_json::from_str(&text("data")?).map_err(StorageError::other)?,
        occurred_at: parse_ts(&text("occurred_at")?)?,
    })
}

#[async_trait]
impl EventStore for SqliteBackend {
    async fn append_event(&self, company: CompanyId, event: NewEvent) -> StorageResult<Event> {
        let row = sqlx::query(
            "INSERT INTO events (id, company_id, kind, conversation_id, agent_id, data, occurred_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
        )
        .bind(EventId::new().to_string())
        .bind(company.to_string())
        .bind(&event.kind)
        .bind(event.conversation_id.map(|u| u.to_string()))
        .bind(event.agent_id.map(|u| u.to_string()))
        .bind(event.data.to_string())
        .bind(ts(event.occurred_at))
        .fetch_one(&self.writer)
        .await
        .map_err(db_err)?;
        event_from_row(&row)
    }

    async fn list_events(
        &self,
        company: CompanyId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StorageResult<Vec<Event>> {
        let rows = sqlx::query(
            "SELECT * FROM events WHERE company_id = ? AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, id",
        )
        .bind(company.to_string())
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(&self.reader)
        .await
        .map_err(db_err)?;
        rows.iter().map(event_from_row).collect()
    }
}
