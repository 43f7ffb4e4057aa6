//! The one way a route checks a password a client typed: admit the guess (throttled per
//! account and per client address, reserving it atomically with the check), verify it, and
//! record the outcome. Staff login, customer sign-in and change-password all go through
//! [`PasswordCheck`], so none of them can forget a step or order them wrongly.

use super::AuthState;
use super::ClientAddr;
use super::password::{self, PasswordError};
use super::throttle::{Attempt, Blocked};
use crate::error::{ApiError, ApiResult};
use switchboard_domain::CompanyId;

/// An admitted guess at one account's password.
#[must_use = "a check that is never verified counts as a failed guess"]
pub struct PasswordCheck {
    attempt: Attempt,
}

impl PasswordCheck {
    /// Admits a guess at the account named `login` (an email, prefixed by the kind of
    /// account) of `company`, from `client`; 429 with `Retry-After` while either is blocked
    /// or has as many guesses in flight as failures left.
    pub fn begin(
        state: &impl AuthState,
        company: CompanyId,
        login: &str,
        client: ClientAddr,
    ) -> ApiResult<Self> {
        let account = format!("{company}:{login}");
        let address = client.throttle_key().to_string();
        let attempt = state.login_throttle().begin(&account, &address).map_err(throttled)?;
        Ok(Self { attempt })
    }

    /// Verifies `candidate` against `stored` (`None`: no such account, which still costs a
    /// verification and is a failure) and records the outcome.
    pub async fn verify(self, stored: Option<String>, candidate: &str) -> ApiResult<bool> {
        match password::verify(stored, candidate).await {
            Ok(true) => {
                self.attempt.succeeded();
                Ok(true)
            }
            Ok(false) => {
                self.attempt.failed();
                Ok(false)
            }
            Err(PasswordError::Busy) => {
                self.attempt.not_tried();
                Err(PasswordError::Busy.into())
            }
            // Dropping the attempt counts it as a failure: an error must not be a free guess.
            Err(e) => Err(e.into()),
        }
    }
}

fn throttled(Blocked(wait): Blocked) -> ApiError {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    ApiError::RateLimited { retry_after_secs: secs.max(1) }
}
