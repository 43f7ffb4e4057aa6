//! The responder against a local chat-completions server speaking the real streaming
//! protocol: one binary, one module per concern.

mod answers;
mod failures;
mod helpers;
