//! How SQLite runs the shared statements of `switchboard-storage-sql`: ids as hyphenated
//! text, times as fixed-width RFC 3339 text, JSON as text.

use crate::{db_err, parse_ts, parse_uuid, ts};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Row, Sqlite, SqliteConnection};
use switchboard_storage::{StorageError, StorageResult};
use switchboard_storage_sql::{Binds, Dialect, SqlRow, Value};
use uuid::Uuid;

/// The SQLite side of [`Dialect`].
pub(crate) struct Lite;

/// A result row read through [`SqlRow`].
pub(crate) struct LiteRow(pub(crate) SqliteRow);

/// Days are stored as ISO 8601 text, whose order is date order.
const DAY: &str = "%Y-%m-%d";

type Query = sqlx::query::Query<'static, Sqlite, SqliteArguments>;

fn query(sql: &'static str, binds: Binds) -> Query {
    binds.into_values().into_iter().fold(sqlx::query(sql), |q, v| match v {
        Value::Id(v) => q.bind(v.map(|u| u.to_string())),
        Value::Text(v) => q.bind(v),
        Value::Int(v) => q.bind(v),
        Value::BigInt(v) => q.bind(v),
        Value::Bool(v) => q.bind(v),
        Value::Bytes(v) => q.bind(v),
        Value::Time(v) => q.bind(v.map(ts)),
        Value::Date(v) => q.bind(v.map(|d| d.format(DAY).to_string())),
        Value::Json(v) => q.bind(v.map(|v| v.to_string())),
        Value::Texts(v) => q.bind(serde_json::Value::from(v).to_string()),
        Value::Ids(v) => {
            let ids: Vec<String> = v.iter().map(Uuid::to_string).collect();
            q.bind(serde_json::Value::from(ids).to_string())
        }
    })
}

impl Dialect for Lite {
    type Conn = SqliteConnection;
    type Row = LiteRow;

    async fn execute(
        conn: &mut SqliteConnection,
        sql: &'static str,
        binds: Binds,
    ) -> StorageResult<u64> {
        let done = query(sql, binds).execute(conn).await.map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn fetch_all(
        conn: &mut SqliteConnection,
        sql: &'static str,
        binds: Binds,
    ) -> StorageResult<Vec<LiteRow>> {
        let rows = query(sql, binds).fetch_all(conn).await.map_err(db_err)?;
        Ok(rows.into_iter().map(LiteRow).collect())
    }

    async fn fetch_optional(
        conn: &mut SqliteConnection,
        sql: &'static str,
        binds: Binds,
    ) -> StorageResult<Option<LiteRow>> {
        let row = query(sql, binds).fetch_optional(conn).await.map_err(db_err)?;
        Ok(row.map(LiteRow))
    }

    fn cursor(after: &str) -> Option<Value> {
        Some(Value::Text(Some(after.to_owned())))
    }
}

fn get<T>(row: &LiteRow, col: &str) -> StorageResult<T>
where
    T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    row.0.try_get(col).map_err(db_err)
}

impl SqlRow for LiteRow {
    fn id(&self, col: &str) -> StorageResult<Uuid> {
        parse_uuid(&get::<String>(self, col)?)
    }
    fn opt_id(&self, col: &str) -> StorageResult<Option<Uuid>> {
        get::<Option<String>>(self, col)?.as_deref().map(parse_uuid).transpose()
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
        parse_ts(&get::<String>(self, col)?)
    }
    fn opt_time(&self, col: &str) -> StorageResult<Option<DateTime<Utc>>> {
        get::<Option<String>>(self, col)?.as_deref().map(parse_ts).transpose()
    }
    fn date(&self, col: &str) -> StorageResult<NaiveDate> {
        let day = get::<String>(self, col)?;
        NaiveDate::parse_from_str(&day, DAY)
            .map_err(|e| StorageError::corrupt(format!("bad day {day:?}: {e}")))
    }
    fn json(&self, col: &str) -> StorageResult<serde_json::Value> {
        serde_json::from_str(&get::<String>(self, col)?).map_err(StorageError::other)
    }
}
