//! Cross-cutting layers: request ids, tracing spans, metrics, and the guarantee that every
//! error response carries the JSON envelope whoever produced it.

pub mod envelope;
pub mod metrics;
pub mod trace;
