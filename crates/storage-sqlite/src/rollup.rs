use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{DailyRollup, RollupStore, StorageResult};
use switchboard_storage_sql::rollup;

#[async_trait]
impl RollupStore for SqliteBackend {
    async fn upsert_rollups(&self, company: CompanyId, rows: &[DailyRollup]) -> StorageResult<()> {
        self.in_tx(async |tx| rollup::upsert::<Lite>(tx, company, rows).await).await
    }

    async fn list_rollups(
        &self,
        company: CompanyId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StorageResult<Vec<DailyRollup>> {
        rollup::list::<Lite>(&mut *self.read().await?, company, from, to).await
    }

    async fn companies_with_events(&self) -> StorageResult<Vec<CompanyId>> {
        rollup::companies_with_events::<Lite>(&mut *self.read().await?).await
    }

    async fn first_event_at(&self, company: CompanyId) -> StorageResult<Option<DateTime<Utc>>> {
        rollup::first_event_at::<Lite>(&mut *self.read().await?, company).await
    }
}
