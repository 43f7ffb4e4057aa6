//! The interface between the shared SQL and an engine's driver.

use chrono::{DateTime, NaiveDate, Utc};
use std::future::Future;
use switchboard_storage::{StorageError, StorageResult};
use uuid::Uuid;

/// One bound parameter, in engine-neutral terms. The engine encodes it: an id is a `uuid`
/// in PostgreSQL and hyphenated text in SQLite, a time `timestamptz` or fixed-width RFC 3339
/// text, JSON `jsonb` or text. `None` binds SQL `NULL` of the variant's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Id(Option<Uuid>),
    Text(Option<String>),
    /// For `INTEGER` columns, which PostgreSQL reads back as 32 bits.
    Int(Option<i32>),
    BigInt(Option<i64>),
    Bool(Option<bool>),
    Bytes(Option<Vec<u8>>),
    Time(Option<DateTime<Utc>>),
    /// A calendar day: `date` in PostgreSQL, `YYYY-MM-DD` text in SQLite.
    Date(Option<NaiveDate>),
    Json(Option<serde_json::Value>),
    /// A list of texts to match with: a `text[]` in PostgreSQL, a JSON array in SQLite.
    Texts(Vec<String>),
    /// A list of ids to match with: a `uuid[]` in PostgreSQL, a JSON array of texts in
    /// SQLite.
    Ids(Vec<Uuid>),
}

/// A statement's parameters in order (`$1`, `$2`, …), built with one call per parameter.
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct Binds(Vec<Value>);

impl Binds {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(mut self, v: Value) -> Self {
        self.0.push(v);
        self
    }

    pub fn id(self, v: Uuid) -> Self {
        self.push(Value::Id(Some(v)))
    }

    pub fn opt_id(self, v: Option<Uuid>) -> Self {
        self.push(Value::Id(v))
    }

    pub fn text(self, v: impl Into<String>) -> Self {
        self.push(Value::Text(Some(v.into())))
    }

    pub fn opt_text(self, v: Option<impl Into<String>>) -> Self {
        self.push(Value::Text(v.map(Into::into)))
    }

    pub fn int(self, v: i32) -> Self {
        self.push(Value::Int(Some(v)))
    }

    pub fn opt_int(self, v: Option<i32>) -> Self {
        self.push(Value::Int(v))
    }

    pub fn big(self, v: i64) -> Self {
        self.push(Value::BigInt(Some(v)))
    }

    pub fn bool(self, v: bool) -> Self {
        self.push(Value::Bool(Some(v)))
    }

    pub fn opt_bool(self, v: Option<bool>) -> Self {
        self.push(Value::Bool(v))
    }

    pub fn bytes(self, v: Vec<u8>) -> Self {
        self.push(Value::Bytes(Some(v)))
    }

    pub fn opt_bytes(self, v: Option<Vec<u8>>) -> Self {
        self.push(Value::Bytes(v))
    }

    pub fn time(self, v: DateTime<Utc>) -> Self {
        self.push(Value::Time(Some(v)))
    }

    pub fn opt_time(self, v: Option<DateTime<Utc>>) -> Self {
        self.push(Value::Time(v))
    }

    pub fn date(self, v: NaiveDate) -> Self {
        self.push(Value::Date(Some(v)))
    }

    pub fn json(self, v: &serde_json::Value) -> Self {
        self.push(Value::Json(Some(v.clone())))
    }

    pub fn opt_json(self, v: Option<serde_json::Value>) -> Self {
        self.push(Value::Json(v))
    }

    pub fn texts(self, v: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.push(Value::Texts(v.into_iter().map(Into::into).collect()))
    }

    pub fn into_values(self) -> Vec<Value> {
        self.0
    }
}

/// Reading a result row by column name, each getter decoding the engine's representation.
pub trait SqlRow {
    fn id(&self, col: &str) -> StorageResult<Uuid>;
    fn opt_id(&self, col: &str) -> StorageResult<Option<Uuid>>;
    fn text(&self, col: &str) -> StorageResult<String>;
    fn opt_text(&self, col: &str) -> StorageResult<Option<String>>;
    fn int(&self, col: &str) -> StorageResult<i32>;
    fn big(&self, col: &str) -> StorageResult<i64>;
    fn bool(&self, col: &str) -> StorageResult<bool>;
    fn bytes(&self, col: &str) -> StorageResult<Vec<u8>>;
    fn opt_bytes(&self, col: &str) -> StorageResult<Option<Vec<u8>>>;
    fn time(&self, col: &str) -> StorageResult<DateTime<Utc>>;
    fn opt_time(&self, col: &str) -> StorageResult<Option<DateTime<Utc>>>;
    fn date(&self, col: &str) -> StorageResult<NaiveDate>;
    fn json(&self, col: &str) -> StorageResult<serde_json::Value>;
}

/// What an engine provides to run the shared statements: its connection and row types, the
/// four ways of running a statement (errors already mapped to [`StorageError`]), and how a
/// keyset cursor becomes a comparable id.
pub trait Dialect: Send + Sync + 'static {
    type Conn: Send;
    type Row: SqlRow + Send + Sync;

    /// Runs a statement and answers how many rows it changed.
    fn execute(
        conn: &mut Self::Conn,
        sql: &'static str,
        binds: Binds,
    ) -> impl Future<Output = StorageResult<u64>> + Send;

    fn fetch_all(
        conn: &mut Self::Conn,
        sql: &'static str,
        binds: Binds,
    ) -> impl Future<Output = StorageResult<Vec<Self::Row>>> + Send;

    fn fetch_optional(
        conn: &mut Self::Conn,
        sql: &'static str,
        binds: Binds,
    ) -> impl Future<Output = StorageResult<Option<Self::Row>>> + Send;

    /// The one row a statement must return; none is [`StorageError::NotFound`].
    fn fetch_one(
        conn: &mut Self::Conn,
        sql: &'static str,
        binds: Binds,
    ) -> impl Future<Output = StorageResult<Self::Row>> + Send {
        async move { Self::fetch_optional(conn, sql, binds).await?.ok_or(StorageError::NotFound) }
    }

    /// The value a keyset cursor (a row id handed out earlier) binds as, or `None` when no
    /// row can follow it. PostgreSQL compares `uuid`s, so a cursor that is not one was
    /// forged or mangled; SQLite compares the text as it is.
    fn cursor(after: &str) -> Option<Value>;
}
