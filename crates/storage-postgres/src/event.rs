use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;
use switchboard_domain::{CompanyId, EventId};
use switchboard_storage::{Event, EventStore, NewEvent, StorageResult};

// A macro rather than a `const` so that `concat!` can splice it into `&'static str` queries.
macro_rules! event_columns {
    () => {
        "id, company_id, kind, conversation_id, agent_id, data, occurred_at"
    };
}

fn event_from_row(row: &PgRow) -> StorageResult<Event> {
    Ok(Event {
        id: EventId::from_uuid(row.try_get("id").map_err(db_err)?),
        company_id: CompanyId::from_uuid(row.try_get("company_id").map_err(db_err)?),
        kind: row.try_get("kind").map_err(db_err)?,
        conversation_id: row.try_get("conversation_id").map_err(db_err)?,
        agent_id: row.try_get("agent_id").map_err(db_err)?,
        data: row.try_get("data").map_err(db_err)?,
        occurred_at: row.try_get("occurred_at").map_err(db_err)?,
    })
}

#[async_trait]
impl EventStore for PostgresBackend {
    async fn append_event(&self, company: CompanyId, event: NewEvent) -> StorageResult<Event> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(concat!(
            "INSERT INTO events (",
            event_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
            event_columns!()
        ))
        .bind(EventId::new().as_uuid())
        .bind(company.as_uuid())
        .bind(&event.kind)
        .bind(event.conversation_id)
        .bind(event.agent_id)
        .bind(&event.data)
        .bind(event.occurred_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let stored = event_from_row(&row)?;
        tx.commit().await.map_err(db_err)?;
        Ok(stored)
    }

    async fn list_events(
        &self,
        company: CompanyId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StorageResult<Vec<Event>> {
        let mut tx = self.tenant_tx(company).await?;
        let rows = sqlx::query(concat!(
            "SELECT ",
            event_columns!(),
            " FROM events WHERE company_id = $1 AND occurred_at >= $2 AND occurred_at < $3 \
             ORDER BY occurred_at, id"
        ))
        .bind(company.as_uuid())
        .bind(from)
        .bind(to)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        rows.iter().map(event_from_row).collect()
    }
}
