//! The HTTP face of Switchboard: axum routes, authentication extractors, middleware,
//! the OpenAPI document and the embedded web assets. Handlers talk to storage only
//! through the `switchboard-storage` traits; nothing here imports sqlx.

pub mod analytics;
mod app;
mod audit;
pub mod auth;
pub mod config;
mod conversations;
pub mod crypto;
pub mod envelope;
pub mod error;
pub mod extract;
mod jobs;
mod middleware;
pub mod openapi;
pub(crate) mod routes;
mod state;
pub(crate) mod tenancy;

pub use app::{Application, shutdown_signal};
pub use config::{ServerConfig, SigningKey};
pub use jobs::JobRunner;
pub use state::AppState;
