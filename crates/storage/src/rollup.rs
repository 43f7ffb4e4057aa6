use crate::StorageResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use switchboard_domain::{CompanyId, UserId};

/// One day's metrics of a company (`agent_id: None`) or of one agent, as derived from the
/// event log. Rollups are a cache: `switchboard rebuild-rollups` recomputes them.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyRollup {
    pub day: NaiveDate,
    pub agent_id: Option<UserId>,
    pub metrics: serde_json::Value,
    pub updated_at: DateTime<Utc>,
}

#[async_trait]
pub trait RollupStore {
    /// Inserts or replaces each row (keyed by day and agent), all in one transaction.
    async fn upsert_rollups(&self, company: CompanyId, rows: &[DailyRollup]) -> StorageResult<()>;

    /// Rows with `from <= day < to`, by day, the company row (no agent) before agents'.
    async fn list_rollups(
        &self,
        company: CompanyId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StorageResult<Vec<DailyRollup>>;

    /// Every company with at least one event, for rebuilding all rollups. Cross-tenant:
    /// only operational commands call it, never a request handler.
    async fn companies_with_events(&self) -> StorageResult<Vec<CompanyId>>;

    /// The time of the company's oldest event, where a rebuild starts.
    async fn first_event_at(&self, company: CompanyId) -> StorageResult<Option<DateTime<Utc>>>;
}
