use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use switchboard_domain::{CompanyId, UserId};
use switchboard_storage::{DailyRollup, RollupStore, StorageError, StorageResult};

/// `analytics_daily.agent_id` is part of the primary key, so the company row uses `''`
/// rather than NULL (which a key would not treat as equal to itself).
fn agent_key(agent: Option<UserId>) -> String {
    agent.map(|a| a.to_string()).unwrap_or_default()
}

#[async_trait]
impl RollupStore for PostgresBackend {
    async fn upsert_rollups(&self, company: CompanyId, rows: &[DailyRollup]) -> StorageResult<()> {
        let mut tx = self.tenant_tx(company).await?;
        for r in rows {
            sqlx::query(
                "INSERT INTO analytics_daily (company_id, day, agent_id, metrics, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (company_id, day, agent_id) \
                 DO UPDATE SET metrics = excluded.metrics, updated_at = excluded.updated_at",
            )
            .bind(company.as_uuid())
            .bind(r.day)
            .bind(agent_key(r.agent_id))
            .bind(&r.metrics)
            .bind(r.updated_at)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn list_rollups(
        &self,
        company: CompanyId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StorageResult<Vec<DailyRollup>> {
        let mut tx = self.tenant_tx(company).await?;
        let rows = sqlx::query(
            "SELECT day, agent_id, metrics, updated_at FROM analytics_daily \
             WHERE company_id = $1 AND day >= $2 AND day < $3 ORDER BY day, agent_id",
        )
        .bind(company.as_uuid())
        .bind(from)
        .bind(to)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        rows.iter()
            .map(|row| {
                let agent: String = row.try_get("agent_id").map_err(db_err)?;
                Ok(DailyRollup {
                    day: row.try_get("day").map_err(db_err)?,
                    agent_id: match agent.as_str() {
                        "" => None,
                        a => Some(a.parse().map_err(|e| {
                            StorageError::corrupt(format!("bad agent id {a:?}: {e}"))
                        })?),
                    },
                    metrics: row.try_get("metrics").map_err(db_err)?,
                    updated_at: row.try_get("updated_at").map_err(db_err)?,
                })
            })
            .collect()
    }

    // Cross-tenant system work, so it runs as the owner role on the pool (like
    // `purge_sessions`), not in a tenant transaction.
    async fn companies_with_events(&self) -> StorageResult<Vec<CompanyId>> {
        let rows: Vec<(uuid::Uuid,)> =
            sqlx::query_as("SELECT DISTINCT company_id FROM events ORDER BY company_id")
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
        Ok(rows.into_iter().map(|(id,)| CompanyId::from_uuid(id)).collect())
    }

    async fn first_event_at(&self, company: CompanyId) -> StorageResult<Option<DateTime<Utc>>> {
        let mut tx = self.tenant_tx(company).await?;
        let row: (Option<DateTime<Utc>>,) =
            sqlx::query_as("SELECT min(occurred_at) FROM events WHERE company_id = $1")
                .bind(company.as_uuid())
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(row.0)
    }
}
