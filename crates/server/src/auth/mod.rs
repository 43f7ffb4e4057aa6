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

use crate::config::ServerConfig;
use limits::AuthRateLimit;
use std::sync::Arc;
use switchboard_storage::Backend;
use throttle::LoginThrottle;

/// What the extractors and the password check need from the server's state. `AppState`
/// implements it, so this module does not depend on the state that holds its services.
pub trait AuthState: Send + Sync {
    fn db(&self) -> &dyn Backend;
    fn tokens(&self) -> &TokenKeys;
    fn config(&self) -> &ServerConfig;
    /// Shared: an admitted guess keeps the throttle to settle with.
    fn login_throttle(&self) -> &Arc<LoginThrottle>;
    fn auth_rate_limit(&self) -> &AuthRateLimit;
}
