//! The SQL both storage engines run, written once.
//!
//! Every statement that reads the same in SQLite and PostgreSQL lives here, one module per
//! aggregate, together with the code that binds its parameters and turns its rows into
//! records. sqlx's SQLite driver accepts PostgreSQL's `$N` placeholders, so one text serves
//! both. What really differs stays in the engine crates, behind [`Dialect`]: how a UUID, a
//! timestamp and JSON are stored (native types in PostgreSQL, text in SQLite), how a
//! statement is run and its errors mapped, and the few statements that need an engine's own
//! features (bulk inserts over `UNNEST` or batched `VALUES`, `SKIP LOCKED`, JSON merging),
//! declared per aggregate as `…Dialect` traits or, where only a fragment differs, as
//! statement macros that take the engine's fragment.
//!
//! The functions here take a connection (`&mut D::Conn`) and never open transactions: the
//! engine decides which connection a method runs on (SQLite's writer or reader pool,
//! PostgreSQL's row-level-security tenant transaction) and when to commit.

mod codec;
mod conflict;
mod dialect;
mod page;

pub mod agent;
pub mod approval;
pub mod audit;
pub mod chunks;
pub mod classification;
pub mod company;
pub mod config;
pub mod conversation;
pub mod customer;
pub mod event;
pub mod faq;
pub mod feedback;
pub mod job;
pub mod knowledge;
pub mod queue;
pub mod rollup;
pub mod routing;
pub mod session;
pub mod tool;
pub mod user;
pub mod workflow;

pub use codec::{embedding_bytes, parse_embedding};
pub use dialect::{Binds, Dialect, SqlRow, Value};
