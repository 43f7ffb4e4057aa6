use crate::dialect::Lite;
use crate::{SqliteBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use switchboard_domain::{CompanyId, UserId, WorkItemId};
use switchboard_storage::{NewWorkItem, RoutingClock, StorageResult, WorkItem, WorkQueueStore};
use switchboard_storage_sql::queue;
use switchboard_storage_sql::routing::{self, RoutingDialect};

/// No lock statement: routing runs on the one writer connection, in a transaction begun
/// with `BEGIN IMMEDIATE` ([`SqliteBackend::in_routing_tx`]).
impl RoutingDialect for Lite {
    const LOCK_COMPANY: Option<&'static str> = None;
}

impl SqliteBackend {
    /// Like `in_tx`, but the transaction takes SQLite's write lock before its first read.
    /// Within this process the single writer already serialises routings; the immediate
    /// lock also keeps another process on the same file from committing between the loads
    /// routing reads and the assignments it writes (a deferred transaction would fail to
    /// upgrade instead).
    async fn in_routing_tx<T>(
        &self,
        work: impl AsyncFnOnce(&mut SqliteConnection) -> StorageResult<T>,
    ) -> StorageResult<T> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await.map_err(db_err)?;
        let out = work(&mut tx).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(out)
    }
}

#[async_trait]
impl WorkQueueStore for SqliteBackend {
    async fn enqueue_work_item(
        &self,
        company: CompanyId,
        item: NewWorkItem,
    ) -> StorageResult<WorkItem> {
        queue::enqueue::<Lite>(&mut *self.write().await?, company, item).await
    }

    async fn get_work_item(&self, company: CompanyId, id: WorkItemId) -> StorageResult<WorkItem> {
        queue::get::<Lite>(&mut *self.read().await?, company, id).await
    }

    async fn route_work_item(
        &self,
        company: CompanyId,
        id: WorkItemId,
        clock: RoutingClock,
    ) -> StorageResult<Vec<WorkItem>> {
        self.in_routing_tx(async |tx| routing::route::<Lite>(tx, company, id, clock).await).await
    }

    async fn drain_work_queue(
        &self,
        company: CompanyId,
        clock: RoutingClock,
    ) -> StorageResult<Vec<WorkItem>> {
        self.in_routing_tx(async |tx| routing::drain::<Lite>(tx, company, clock).await).await
    }

    async fn release_agent(
        &self,
        company: CompanyId,
        agent: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<u64> {
        self.in_routing_tx(async |tx| routing::release::<Lite>(tx, company, agent, now).await).await
    }

    async fn list_waiting_work(
        &self,
        company: CompanyId,
        limit: u32,
    ) -> StorageResult<Vec<WorkItem>> {
        queue::waiting::<Lite>(&mut *self.read().await?, company, limit).await
    }

    async fn list_agent_work(
        &self,
        company: CompanyId,
        agent: UserId,
    ) -> StorageResult<Vec<WorkItem>> {
        queue::of_agent::<Lite>(&mut *self.read().await?, company, agent).await
    }
}
