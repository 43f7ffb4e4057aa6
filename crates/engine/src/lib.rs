//! The conversation engine: the state machine every conversation follows and the responders
//! that decide what the AI does with a customer's message. It knows nothing of HTTP and
//! reaches data only through the storage traits and the knowledge service, so the server's
//! handlers stay thin and actions (tools, workflows, approvals) plug in here.
//!
//! Built so far: the state machine (`state`), what the knowledge says about a message
//! (`grounding`) and the builtin responder's decision on it (`builtin`). The turn pipeline, message storage and live events come next.

pub mod builtin;
pub mod grounding;
pub mod state;

pub use state::{ConversationStatus, IllegalTransition, Transition};
