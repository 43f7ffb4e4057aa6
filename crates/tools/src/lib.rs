//! Runs a company's tools, for the engine (a model's or a workflow's tool call) and the
//! server (`POST /api/ai/tools/:id/test`). No storage, no HTTP server: the caller loads the
//! tool, decrypts its secrets and hands over the parts.
//!
//! ```text
//! let schema = ParameterSchema::compile(&tool.parameters)?;   // on save, and once per load
//! schema.validate(&args)?;                                     // before every call
//! let result = match tool.kind {
//!     Function => FunctionTool::compile(script)?.run(&args).await,
//!     Webhook  => webhook_tool.call(&webhook_client, &args).await,
//! };
//! ```
//!
//! - [`schema`]: the parameters as JSON Schema (2020-12), bounded and offline.
//! - [`function`]: a Rhai script in a sandbox with operation, depth, size and time limits.
//! - [`webhook`]: an HTTPS call behind the outbound policy (after DNS and on every redirect),
//!   with a timeout over the whole call, a reply cap and secret headers that never leak.
//! - [`ToolError`]: every failure, with a message an admin may see and a machine code.

pub mod error;
pub mod function;
pub mod schema;
pub mod webhook;

pub use error::ToolError;
pub use function::{FunctionTool, Limits, ScriptError};
pub use schema::{ArgumentError, ArgumentErrors, ParameterSchema, SchemaError};
pub use webhook::{
    ClientBuildError, ConfigIssue, WebhookClient, WebhookConfigError, WebhookPolicy, WebhookTool,
};
