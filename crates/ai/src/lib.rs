//! The AI layer: retrieval, classification, responders, tools and workflows. It knows
//! nothing of HTTP; the server calls it with a company's data and gets decisions back.
//!
//! This crate starts with the contract every responder honours: a structured action,
//! never a magic string to be parsed out of model text.

mod action;
pub mod analytics;
pub mod classify;
pub mod embedding;
pub mod eval;
pub mod ingest;
pub mod knowledge;
pub mod outbound;

pub use action::{Citation, ResponderAction};
