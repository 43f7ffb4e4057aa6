use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{Event, EventStore, NewEvent, StorageResult};
use switchboard_storage_sql::event;

#[async_trait]
impl EventStore for SqliteBackend {
    async fn append_event(&self, company: CompanyId, e: NewEvent) -> StorageResult<Event> {
        event::append::<Lite>(&mut *self.write().await?, company, &e).await
    }

    async fn list_events(
        &self,
        company: CompanyId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StorageResult<Vec<Event>> {
        event::list::<Lite>(&mut *self.read().await?, company, from, to).await
    }
}
