//! The conversation engine: the state machine, the responders and the turn pipeline. It
//! talks to storage through the `switchboard_storage` traits and knows nothing of HTTP: the
//! server's handlers call [`Conversations`] and relay its [`bus`] to sockets.

mod actions;
mod approval_view;
mod approvals;
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
pub mod routing;
pub mod session;
mod staff;
pub mod state;
mod tool_call;
pub mod views;
pub mod workflow_run;

pub use actions::{APPROVAL_PENDING_REPLY, TOOL_FAILED_REPLY};
pub use approval_view::ApprovalView;
pub use approvals::{APPROVED_REPLY, Decider, REJECTED_REPLY};
pub use conversations::{Conversations, MAX_MESSAGE_CHARS, Opened, Turn};
pub use error::{EngineError, EngineResult};
pub use reply::HANDOFF_REPLY;
pub use staff::{CLOSED_NOTE, JOINED_NOTE, RELEASED_NOTE, StaffOutcome};
pub use state::{ConversationStatus, Transition};
pub use tool_call::{MAX_RENDERED_CHARS, ToolFailure, render_tool_result};
