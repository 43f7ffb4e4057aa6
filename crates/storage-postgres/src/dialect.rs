//! How PostgreSQL runs the shared statements of `switchboard-storage-sql`: native `uuid`,
//! `timestamptz` and `jsonb`.

use crate::db_err;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{PgConnection, Postgres, Row};
use switchboard_storage::StorageResult;
use switchboard_storage_sql::{Binds, Dialect, SqlRow, Value};
use uuid::Uuid;

/// The PostgreSQL side of [`Dialect`].
pub(crate) struct Pg;

/// A result row read through [`SqlRow`].
pub(crate) struct PgSqlRow(pub(crate) PgRow);

type Query = sqlx::query::Query<'static, Postgres, PgArguments>;

fn query(sql: &'static str, binds: Binds) -> Query {
    binds.into_values().into_iter().fold(sqlx::query(sql), |q, v| match v {
        Value::Id(v) => q.bind(v),
        Value::Text(v) => q.bind(v),
        Value::Int(v) => q.bind(v),
        Value::BigInt(v) => q.bind(v),
        Value::Bool(v) => q.bind(v),
        Value::Bytes(v) => q.bind(v),
        Value::Time(v) => q.bind(v),
        Value::Date(v) => q.bind(v),
        Value::Json(v) => q.bind(v),
        Value::Texts(v) => q.bind(v),
        Value::Ids(v) => q.bind(v),
    })
}

impl Dialect for Pg {
    type Conn = PgConnection;
    type Row = PgSqlRow;

    async fn execute(
        conn: &mut PgConnection,
        sql: &'static str,
        binds: Binds,
    ) -> StorageResult<u64> {
        let done = query(sql, binds).execute(conn).await.map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn fetch_all(
        conn: &mut PgConnection,
        sql: &'static str,
        binds: Binds,
    ) -> StorageResult<Vec<PgSqlRow>> {
        let rows = query(sql, binds).fetch_all(conn).await.map_err(db_err)?;
        Ok(rows.into_iter().map(PgSqlRow).collect())
    }

    async fn fetch_optional(
        conn: &mut PgConnection,
        sql: &'static str,
        binds: Binds,
    ) -> StorageResult<Option<PgSqlRow>> {
        let row = query(sql, binds).fetch_optional(conn).await.map_err(db_err)?;
        Ok(row.map(PgSqlRow))
    }

    fn cursor(after: &str) -> Option<Value> {
        Uuid::parse_str(after).ok().map(|id| Value::Id(Some(id)))
    }
}

fn get<T>(row: &PgSqlRow, col: &str) -> StorageResult<T>
where
    T: for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    row.0.try_get(col).map_err(db_err)
}

impl SqlRow for PgSqlRow {
    fn id(&self, col: &str) -> StorageResult<Uuid> {
        get(self, col)
    }
    fn opt_id(&self, col: &str) -> StorageResult<Option<Uuid>> {
        get(self, col)
    }
    fn text(&self, col: &str) -> StorageResult<String> {
        get(self, col)
    }
    fn opt_text(&self, col: &str) -> StorageResult<Option<String>> {
        get(self, col)
    }
    fn int(&self, col: &str) -> StorageResult<i32> {
        get(self, col)
    }
    fn big(&self, col: &str) -> StorageResult<i64> {
        get(self, col)
    }
    fn bool(&self, col: &str) -> StorageResult<bool> {
        get(self, col)
    }
    fn bytes(&self, col: &str) -> StorageResult<Vec<u8>> {
        get(self, col)
    }
    fn opt_bytes(&self, col: &str) -> StorageResult<Option<Vec<u8>>> {
        get(self, col)
    }
    fn time(&self, col: &str) -> StorageResult<DateTime<Utc>> {
        get(self, col)
    }
    fn opt_time(&self, col: &str) -> StorageResult<Option<DateTime<Utc>>> {
        get(self, col)
    }
    fn date(&self, col: &str) -> StorageResult<NaiveDate> {
        get(self, col)
    }
    fn json(&self, col: &str) -> StorageResult<serde_json::Value> {
        get(self, col)
    }
}
