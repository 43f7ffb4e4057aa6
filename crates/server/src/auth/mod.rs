//! Identity: password hashing, signed tokens bound to revocable sessions, and the
//! extractors that turn a request into an authenticated, company-scoped caller.

mod context;
pub mod password;
mod token;

pub use context::{AdminCtx, AgentCtx, AuthContext, StaffCtx};
pub use token::{Claims, TokenKeys};
