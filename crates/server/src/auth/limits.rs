//! Rate limits per client address for the unauthenticated routes that cost: registering a
//! company or a customer (an argon2 hash and new rows) and signing in (a verification, or
//! a new anonymous customer). Failed guesses are throttled separately (`throttle`); this
//! bounds the work anyone can make the server do, successful or not.

use super::AuthState;
use super::ClientAddr;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};
use ipnet::IpNet;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

/// How often (in admitted calls) keys whose limit has fully replenished are dropped, which
/// keeps the table's size to the addresses seen within about a minute.
const SWEEP_EVERY: u32 = 1024;

pub struct AuthRateLimit {
    limiter: DefaultKeyedRateLimiter<IpNet>,
    calls: AtomicU32,
}

impl AuthRateLimit {
    /// `per_minute` requests a minute in the long run, up to `burst` at once (both at
    /// least 1).
    pub fn new(per_minute: u32, burst: u32) -> Self {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(per_minute).allow_burst(burst);
        Self { limiter: DefaultKeyedRateLimiter::keyed(quota), calls: AtomicU32::new(0) }
    }

    /// Counts one request from `client`, or refuses it with 429 and when to come back.
    pub fn admit(&self, client: ClientAddr) -> Result<(), ApiError> {
        if self.calls.fetch_add(1, Ordering::Relaxed).is_multiple_of(SWEEP_EVERY) {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter.check_key(&client.throttle_key()).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.limiter.clock().now());
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            ApiError::RateLimited { retry_after_secs: secs.max(1) }
        })
    }
}

/// The client of a request to a costly unauthenticated route, admitted by the rate limit.
/// Taken before the body, so a refused request costs nothing more.
#[derive(Debug, Clone, Copy)]
pub struct Admitted(pub ClientAddr);

impl<S: AuthState> FromRequestParts<S> for Admitted {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let client = ClientAddr::from_request_parts(parts, state).await?;
        state.auth_rate_limit().admit(client)?;
        Ok(Admitted(client))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burst_passes_then_the_address_waits_and_others_do_not() {
        let limit = AuthRateLimit::new(1, 3);
        let a = ClientAddr("192.0.2.1".parse().unwrap());
        for _ in 0..3 {
            limit.admit(a).expect("within the burst");
        }
        match limit.admit(a) {
            Err(ApiError::RateLimited { retry_after_secs }) => {
                assert!((1..=60).contains(&retry_after_secs), "{retry_after_secs}")
            }
            other => panic!("expected 429, got {other:?}"),
        }
        limit.admit(ClientAddr("192.0.2.2".parse().unwrap())).expect("another address");
        // The same IPv6 /64 is one client.
        let v6 = |s: &str| ClientAddr(s.parse().unwrap());
        for _ in 0..3 {
            limit.admit(v6("2001:db8::1")).unwrap();
        }
        assert!(limit.admit(v6("2001:db8::ffff")).is_err());
        assert!(limit.admit(v6("2001:db8:0:1::1")).is_ok());
    }
}
