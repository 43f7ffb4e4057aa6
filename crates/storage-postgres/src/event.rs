use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{Event, EventStore, NewEvent, StorageResult};
use switchboard_storage_sql::event;

#[async_trait]
impl EventStore for PostgresBackend {
    async fn append_event(&self, company: CompanyId, e: NewEvent) -> StorageResult<Event> {
        self.as_tenant(company, async |tx| event::append::<Pg>(tx, company, &e).await).await
    }

    async fn list_events(
        &self,
        company: CompanyId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StorageResult<Vec<Event>> {
        self.as_tenant(company, async |tx| event::list::<Pg>(tx, company, from, to).await).await
    }
}
