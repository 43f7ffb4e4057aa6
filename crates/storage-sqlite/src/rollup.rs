use crate::{SqliteBackend, db_err, parse_ts, parse_uuid, ts};
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

fn day_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[async_trait]
impl RollupStore for SqliteBackend {
    async fn upsert_rollups(&self, company: CompanyId, rows: &[DailyRollup]) -> StorageResult<()> {
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        for r in rows {
            sqlx::query(
                "INSERT INTO analytics_daily (company_id, day, agent_id, metrics, updated_at) \
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT (company_id, day, agent_id) \
                 DO UPDATE SET metrics = excluded.metrics, updated_at = excluded.updated_at",
            )
            .bind(company.to_string())
            .bind(day_text(r.day))
            .bind(agent_key(r.agent_id))
            .bind(r.metrics.to_string())
            .bind(ts(r.updated_at))
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
        let rows = sqlx::query(
            "SELECT day, agent_id, metrics, updated_at FROM analytics_daily \
             WHERE company_id = ? AND day >= ? AND day < ? ORDER BY day, agent_id",
        )
        .bind(company.to_string())
        .bind(day_text(from))
        .bind(day_text(to))
        .fetch_all(&self.reader)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|row| {
                let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
                let day = text("day")?;
                let agent = text("agent_id")?;
                Ok(DailyRollup {
                    day: NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                        .map_err(|e| StorageError::corrupt(format!("bad day {day:?}: {e}")))?,
                    agent_id: match agent.as_str() {
                        "" => None,
                        a => Some(UserId::from_uuid(parse_uuid(a)?)),
                    },
                    metrics: serde_json::from_str(&text("metrics")?)
                        .map_err(StorageError::other)?,
                    updated_at: parse_ts(&text("updated_at")?)?,
                })
            })
            .collect()
    }

    async fn companies_with_events(&self) -> StorageResult<Vec<CompanyId>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT DISTINCT company_id FROM events ORDER BY company_id")
                .fetch_all(&self.reader)
                .await
                .map_err(db_err)?;
        rows.iter().map(|(id,)| Ok(CompanyId::from_uuid(parse_uuid(id)?))).collect()
    }

    async fn first_event_at(&self, company: CompanyId) -> StorageResult<Option<DateTime<Utc>>> {
        let row: (Option<String>,) =
            sqlx::query_as("SELECT min(occurred_at) FROM events WHERE company_id = ?")
                .bind(company.to_string())
                .fetch_one(&self.reader)
                .await
                .map_err(db_err)?;
        row.0.as_deref().map(parse_ts).transpose()
    }
}
