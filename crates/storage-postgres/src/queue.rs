use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, UserId, WorkItemId};
use switchboard_storage::{NewWorkItem, RoutingClock, StorageResult, WorkItem, WorkQueueStore};
use switchboard_storage_sql::queue;
use switchboard_storage_sql::routing::{self, RoutingDialect};

/// A transaction-scoped advisory lock per company, keyed by a 64-bit hash of a namespaced
/// company id: routings of one company run one after another, other companies' in parallel
/// (a hash collision only makes two companies wait for each other). Taken before any load is
/// read; see `switchboard_storage_sql::routing` for why row locks would not do.
impl RoutingDialect for Pg {
    const LOCK_COMPANY: Option<&'static str> = Some(
        "SELECT pg_advisory_xact_lock(hashtextextended('switchboard.routing:' || $1::text, 0))",
    );
}

#[async_trait]
impl WorkQueueStore for PostgresBackend {
    async fn enqueue_work_item(
        &self,
        company: CompanyId,
        item: NewWorkItem,
    ) -> StorageResult<WorkItem> {
        self.as_tenant(company, async |tx| queue::enqueue::<Pg>(tx, company, item).await).await
    }

    async fn get_work_item(&self, company: CompanyId, id: WorkItemId) -> StorageResult<WorkItem> {
        self.as_tenant(company, async |tx| queue::get::<Pg>(tx, company, id).await).await
    }

    async fn route_work_item(
        &self,
        company: CompanyId,
        id: WorkItemId,
        clock: RoutingClock,
    ) -> StorageResult<Vec<WorkItem>> {
        self.as_tenant(company, async |tx| routing::route::<Pg>(tx, company, id, clock).await).await
    }

    async fn drain_work_queue(
        &self,
        company: CompanyId,
        clock: RoutingClock,
    ) -> StorageResult<Vec<WorkItem>> {
        self.as_tenant(company, async |tx| routing::drain::<Pg>(tx, company, clock).await).await
    }

    async fn release_agent(
        &self,
        company: CompanyId,
        agent: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<u64> {
        self.as_tenant(company, async |tx| routing::release::<Pg>(tx, company, agent, now).await)
            .await
    }

    async fn list_waiting_work(
        &self,
        company: CompanyId,
        limit: u32,
    ) -> StorageResult<Vec<WorkItem>> {
        self.as_tenant(company, async |tx| queue::waiting::<Pg>(tx, company, limit).await).await
    }

    async fn list_agent_work(
        &self,
        company: CompanyId,
        agent: UserId,
    ) -> StorageResult<Vec<WorkItem>> {
        self.as_tenant(company, async |tx| queue::of_agent::<Pg>(tx, company, agent).await).await
    }
}
