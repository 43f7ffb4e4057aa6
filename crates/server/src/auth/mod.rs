//! Identity: password hashing, signed tokens bound to revocable sessions, and the
//! extractors that turn a request into an authenticated, company-scoped caller.

mod context;
pub mod identity;
pub mod password;
pub mod strength;
pub mod throttle;
mod token;

pub use context::{AdminCtx, AgentCtx, AuthContext, CustomerCtx, StaffCtx};
pub use token::{Claims, TokenKeys};
