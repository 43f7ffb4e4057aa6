//! PostgreSQL backend, for deployments that outgrow one SQLite file or run several server
//! processes against one database. Same traits and behaviour as `storage-sqlite`; the
//! conformance suite in `storage-tests` runs against both.
//!
//! Tenant isolation is enforced twice here: every query filters on `company_id`, and every
//! tenant-scoped method runs in `PostgresBackend::tenant_tx`, under the row-level security
//! policies of `migrations/0002_row_level_security.sql`. Only cross-tenant system work
//! (migrations, `purge_sessions`, `ping`, the job queue's claim/finish/retry) uses the pool
//! as the owner role.

mod agent;
mod approval;
mod audit;
mod chunks;
mod classification;
mod company;
mod config;
mod conversation;
mod convert;
mod customer;
mod dialect;
mod event;
mod faq;
mod feedback;
mod job;
mod knowledge;
mod queue;
mod rollup;
mod session;
mod tool;
mod user;
mod workflow;

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Postgres, Row, Transaction};
use std::str::FromStr;
use std::time::Duration;
use switchboard_domain::CompanyId;
use switchboard_storage::{Backend, BackendKind, StorageError, StorageResult};

pub(crate) use convert::db_err;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The PostgreSQL implementation of every storage trait.
///
/// Holds only the pool, never the URL, so nothing here can leak the password.
#[derive(Clone)]
pub struct PostgresBackend {
    pub(crate) pool: PgPool,
}

impl PostgresBackend {
    /// Connects to a `postgres://` URL with a pool of up to `max_connections` and applies
    /// pending migrations.
    pub async fn connect(url: &str, max_connections: u32) -> StorageResult<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(StorageError::other)?
            .application_name("switchboard")
            // A runaway query must not hold a pooled connection (and its locks) forever.
            .options([("statement_timeout", "30s")]);
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(db_err)?;
        MIGRATOR.run(&pool).await.map_err(StorageError::other)?;
        Ok(Self { pool })
    }

    /// Applies pending migrations and reports how many the database now has.
    pub async fn migrate(&self) -> StorageResult<usize> {
        MIGRATOR.run(&self.pool).await.map_err(StorageError::other)?;
        Ok(MIGRATOR.iter().count())
    }

    /// Opens the transaction every tenant-scoped method works in: for its duration the
    /// connection acts as the `switchboard_tenant` role with `app.company_id` set to
    /// `company`, so the row-level security policies of migration 0002 hide and refuse every
    /// other company's rows even where a query forgot its own `company_id` filter.
    ///
    /// Both settings are transaction-local: they end with the commit or rollback (including
    /// the rollback sqlx queues when an uncommitted transaction is dropped, and flushes before
    /// the connection rejoins the pool), so a pooled connection never carries one tenant's
    /// identity into the next caller's work.
    /// Read-only callers commit too; for them it is as cheap as a rollback.
    pub(crate) async fn tenant_tx(
        &self,
        company: CompanyId,
    ) -> StorageResult<Transaction<'static, Postgres>> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // `set_config('role', …, true)` is `SET LOCAL ROLE` as a function, so one round trip
        // does both (checked: `current_user` is the tenant role afterwards and RLS applies).
        sqlx::query(
            "SELECT set_config('app.company_id', $1, true), \
             set_config('role', 'switchboard_tenant', true)",
        )
        .bind(company.as_uuid().to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        Ok(tx)
    }

    /// A pooled connection as the owner role, outside row-level security: only for the
    /// cross-tenant system work listed in the crate documentation.
    pub(crate) async fn owner(&self) -> StorageResult<PoolConnection<Postgres>> {
        self.pool.acquire().await.map_err(db_err)
    }

    /// Runs `work` in a [`Self::tenant_tx`] of `company` and commits when it succeeds;
    /// an error drops the transaction, which rolls it back.
    pub(crate) async fn as_tenant<T>(
        &self,
        company: CompanyId,
        work: impl AsyncFnOnce(&mut PgConnection) -> StorageResult<T>,
    ) -> StorageResult<T> {
        let mut tx = self.tenant_tx(company).await?;
        let out = work(&mut tx).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(out)
    }

    /// Test hook: counts every row of `table` visible to `company`'s tenant transaction,
    /// with no `company_id` filter in the query, i.e. what a query that forgot its filter
    /// would see. Only the tables in [`TENANT_TABLES`] are accepted, each mapped to a fixed
    /// statement, so no caller-supplied text ever reaches the SQL.
    #[doc(hidden)]
    pub async fn count_rows_as_tenant(
        &self,
        company: CompanyId,
        table: &str,
    ) -> StorageResult<i64> {
        let sql = count_statement(table).ok_or_else(|| {
            StorageError::Other(format!("{table:?} is not an allow-listed tenant table").into())
        })?;
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(sql).fetch_one(&mut *tx).await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        row.try_get(0).map_err(db_err)
    }

    /// Test hook: inside `tenant`'s tenant transaction, tries to write an audit row that
    /// belongs to `row_company`, as a buggy query might. Row-level security must refuse it
    /// whenever the two differ.
    #[doc(hidden)]
    pub async fn insert_audit_row_as_tenant(
        &self,
        tenant: CompanyId,
        row_company: CompanyId,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StorageResult<()> {
        let mut tx = self.tenant_tx(tenant).await?;
        sqlx::query(
            "INSERT INTO audit_log (id, company_id, action, created_at) \
             VALUES ($1, $2, 'test.rls_probe', $3)",
        )
        .bind(switchboard_domain::AuditId::new().as_uuid())
        .bind(row_company.as_uuid())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }
}

// One list feeds both the public allow-list and the fixed count statements, so they cannot
// drift apart.
macro_rules! tenant_tables {
    ($($table:literal),* $(,)?) => {
        /// The tables under row-level security as of migration 0002: `companies` and every
        /// table with a `company_id` column.
        #[doc(hidden)]
        pub const TENANT_TABLES: &[&str] = &[$($table),*];

        /// `SELECT count(*)` of one allow-listed table, as a compile-time string.
        fn count_statement(table: &str) -> Option<&'static str> {
            match table {
                $($table => Some(concat!("SELECT count(*) FROM ", $table)),)*
                _ => None,
            }
        }
    };
}

tenant_tables!(
    "companies",
    "users",
    "customers",
    "sessions",
    "agent_configurations",
    "knowledge_documents",
    "knowledge_chunks",
    "faqs",
    "faq_phrasings",
    "classification_examples",
    "custom_tools",
    "workflows",
    "agent_status",
    "agent_skills",
    "conversations",
    "messages",
    "approval_requests",
    "workflow_runs",
    "jobs",
    "events",
    "analytics_daily",
    "feedback",
    "audit_log",
    "work_items",
);

// Hand-written so that only pool statistics are printed: the connect options hold the
// password, and whether sqlx's own Debug includes them is not ours to rely on.
impl std::fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresBackend")
            .field("size", &self.pool.size())
            .field("idle", &self.pool.num_idle())
            .field("closed", &self.pool.is_closed())
            .finish()
    }
}

#[async_trait]
impl Backend for PostgresBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Postgres
    }

    async fn ping(&self) -> StorageResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
