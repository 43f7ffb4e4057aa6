use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{DailyRollup, RollupStore, StorageResult};
use switchboard_storage_sql::rollup;

#[async_trait]
impl RollupStore for PostgresBackend {
    async fn upsert_rollups(&self, company: CompanyId, rows: &[DailyRollup]) -> StorageResult<()> {
        self.as_tenant(company, async |tx| rollup::upsert::<Pg>(tx, company, rows).await).await
    }

    async fn list_rollups(
        &self,
        company: CompanyId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StorageResult<Vec<DailyRollup>> {
        self.as_tenant(company, async |tx| rollup::list::<Pg>(tx, company, from, to).await).await
    }

    // Cross-tenant system work, so it runs as the owner role on the pool (like
    // `purge_sessions`), not in a tenant transaction.
    async fn companies_with_events(&self) -> StorageResult<Vec<CompanyId>> {
        rollup::companies_with_events::<Pg>(&mut *self.owner().await?).await
    }

    async fn first_event_at(&self, company: CompanyId) -> StorageResult<Option<DateTime<Utc>>> {
        self.as_tenant(company, async |tx| rollup::first_event_at::<Pg>(tx, company).await).await
    }
}
