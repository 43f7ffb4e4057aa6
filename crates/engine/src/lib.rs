//! The conversation engine: the state machine, the responders and the turn pipeline. It
//! talks to storage through the `switchboard_storage` traits and knows nothing of HTTP: the
//! server's handlers call [`Conversations`] and relay its [`bus`] to sockets.

mod approval_view;
pub mod builtin;
pub mod bus;
mod classification;
mod conversations;
mod error;
pub mod grounding;
mod idle;
mod locks;
pub mod ports;
mod reading;
mod reply;
pub mod session;
mod staff;
pub mod state;
pub mod views;
pub mod workflow_run;

pub use approval_view::ApprovalView;
pub use conversations::{Conversations, MAX_MESSAGE_CHARS, Opened, Turn};
pub use error::{EngineError, EngineResult};
pub use reply::{HANDOFF_REPLY, NEEDS_A_PERSON};
pub use staff::{CLOSED_NOTE, JOINED_NOTE, RELEASED_NOTE, StaffOutcome};
pub use state::{ConversationStatus, Transition};
