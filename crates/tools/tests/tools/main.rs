//! The tool runners end to end: the sandbox's limits, schema refusals, webhooks against a
//! local recording server, and the outbound policy's refusals.

mod hooks;
mod sandbox;
mod schema;
mod server;
mod ssrf;
