//! Login throttling. Failures are counted per account and per client address; past a
//! threshold the key is blocked for a while that doubles with each further failure, up to a
//! cap. The account cap is short, so an attacker who knows a victim's email can slow their
//! login down but cannot lock them out for long; the address cap is longer, since one
//! address guessing at many accounts is the attack.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Failures within `window` after which the key is blocked.
    pub free_failures: u32,
    pub window: Duration,
    pub first_block: Duration,
    pub max_block: Duration,
}

impl Policy {
    pub const ACCOUNT: Policy = Policy {
        free_failures: 5,
        window: Duration::from_secs(15 * 60),
        first_block: Duration::from_secs(30),
        max_block: Duration::from_secs(5 * 60),
    };
    pub const ADDRESS: Policy = Policy {
        free_failures: 20,
        window: Duration::from_secs(15 * 60),
        first_block: Duration::from_secs(60),
        max_block: Duration::from_secs(15 * 60),
    };
}

#[derive(Debug)]
struct Entry {
    failures: u32,
    first_failure: Instant,
    blocked_until: Option<Instant>,
}

/// In-memory failure counters. Each node counts on its own: behind a load balancer with N
/// nodes an attacker gets at most N times the allowance, which the caps keep small.
pub struct LoginThrottle {
    account: Policy,
    address: Policy,
    entries: Mutex<HashMap<String, Entry>>,
}

/// Refused: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked(pub Duration);

const MAX_ENTRIES: usize = 100_000;

impl LoginThrottle {
    pub fn new(account: Policy, address: Policy) -> Self {
        Self { account, address, entries: Mutex::new(HashMap::new()) }
    }

    /// Whether either key is blocked right now; checked before any password work.
    pub fn check(&self, account_key: &str, address_key: &str) -> Result<(), Blocked> {
        let now = Instant::now();
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let wait = [account_key, address_key]
            .iter()
            .filter_map(|k| entries.get(*k)?.blocked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max();
        match wait {
            Some(w) => Err(Blocked(w)),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, account_key: &str, address_key: &str) {
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            let keep = self.address.window.max(self.account.window) + self.address.max_block;
            entries.retain(|_, e| now.duration_since(e.first_failure) < keep);
        }
        for (key, policy) in [(account_key, self.account), (address_key, self.address)] {
            let entry = entries.entry(key.to_owned()).or_insert(Entry {
                failures: 0,
                first_failure: now,
                blocked_until: None,
            });
            let block_over = entry.blocked_until.is_none_or(|u| u <= now);
            if now.duration_since(entry.first_failure) > policy.window && block_over {
                *entry = Entry { failures: 0, first_failure: now, blocked_until: None };
            }
            entry.failures += 1;
            if entry.failures >= policy.free_failures {
                let extra = entry.failures - policy.free_failures;
                let block =
                    policy.first_block.saturating_mul(1 << extra.min(16)).min(policy.max_block);
                entry.blocked_until = Some(now + block);
            }
        }
    }

    /// A successful login clears the account's record, not the address's: one good
    /// password must not reset an address that is guessing at other accounts.
    pub fn record_success(&self, account_key: &str) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(account_key);
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::new(Policy::ACCOUNT, Policy::ADDRESS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick() -> Policy {
        Policy {
            free_failures: 2,
            window: Duration::from_secs(60),
            first_block: Duration::from_secs(10),
            max_block: Duration::from_secs(40),
        }
    }

    #[test]
    fn blocking_starts_after_the_free_failures_and_doubles_up_to_the_cap() {
        let t = LoginThrottle::new(quick(), Policy::ADDRESS);
        t.record_failure("a", "ip");
        assert!(t.check("a", "ip").is_ok());
        let waits: Vec<u64> = (0..4)
            .map(|_| {
                t.record_failure("a", "ip");
                t.check("a", "ip").unwrap_err().0.as_secs()
            })
            .collect();
        // 10, 20, 40, then capped at 40 (minus the instant that passed, hence ranges).
        assert!(waits[0] <= 10 && waits[0] >= 9, "{waits:?}");
        assert!(waits[1] <= 20 && waits[1] >= 19, "{waits:?}");
        assert!(waits[2] <= 40 && waits[2] >= 39, "{waits:?}");
        assert!(waits[3] <= 40 && waits[3] >= 39, "{waits:?}");
        assert!(t.check("b", "other-ip").is_ok(), "other keys are unaffected");
    }

    #[test]
    fn success_clears_the_account_but_not_the_address() {
        let t = LoginThrottle::new(quick(), quick());
        for _ in 0..2 {
            t.record_failure("a", "ip");
        }
        assert!(t.check("a", "ip").is_err());
        t.record_success("a");
        assert!(t.check("a", "ip2").is_ok());
        assert!(t.check("x", "ip").is_err(), "the address stays blocked");
    }
}
