//! Identity: password hashing, signed tokens bound to revocable sessions, and the
//! extractors that turn a request into an authenticated, company-scoped caller.

mod attempt;
mod client;
mod context;
pub mod identity;
pub mod limits;
pub mod password;
pub mod strength;
pub mod throttle;
mod token;

pub use attempt::PasswordCheck;
pub use client::{ClientAddr, resolve as resolve_client_addr};
pub use context::{AdminCtx, AgentCtx, AuthContext, CustomerCtx, StaffCtx};
pub use limits::Admitted;
pub use token::{Claims, TokenKeys};
