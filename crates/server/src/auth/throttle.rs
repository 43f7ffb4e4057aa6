//! Password-guess throttling. Failures are counted per account and per client address; past
//! a threshold the key is blocked for a while that doubles with each further failure, up to
//! a cap. The account cap is short, so an attacker who knows a victim's email can slow their
//! login down but cannot lock them out for long; the address cap is longer, since one
//! address guessing at many accounts is the attack.
//!
//! A guess is admitted by [`LoginThrottle::begin`], which checks and reserves in one step
//! under the lock: a guess still being verified counts against the allowance, so a burst
//! of parallel guesses cannot all pass the check before the first failure is recorded.
//! The returned [`Attempt`] records the outcome; dropped unsettled (say, the client hung up
//! mid-verification) it counts as a failure.

use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
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

/// What to tell a guess refused only because others for the same key are still being
/// verified: they finish within a second or so.
const IN_FLIGHT_WAIT: Duration = Duration::from_secs(1);

#[derive(Debug)]
struct Entry {
    failures: u32,
    first_failure: Instant,
    blocked_until: Option<Instant>,
    /// Guesses admitted and not yet settled.
    in_flight: u32,
}

impl Entry {
    fn new(now: Instant) -> Self {
        Self { failures: 0, first_failure: now, blocked_until: None, in_flight: 0 }
    }

    fn blocked(&self, now: Instant) -> Option<Duration> {
        self.blocked_until.filter(|u| *u > now).map(|u| u - now)
    }

    /// Forgets failures older than the window, once no block is running.
    fn expire(&mut self, policy: &Policy, now: Instant) {
        if now.duration_since(self.first_failure) > policy.window && self.blocked(now).is_none() {
            *self = Entry { in_flight: self.in_flight, ..Entry::new(now) };
        }
    }

    /// Why another guess may not start now, if it may not.
    fn refusal(&self, policy: &Policy, now: Instant) -> Option<Duration> {
        if let Some(wait) = self.blocked(now) {
            return Some(wait);
        }
        let full = if self.failures >= policy.free_failures {
            // A block just ended: one probe at a time, each failure doubling the next block.
            self.in_flight > 0
        } else {
            self.failures + self.in_flight >= policy.free_failures
        };
        full.then_some(IN_FLIGHT_WAIT)
    }

    fn fail(&mut self, policy: &Policy, now: Instant) {
        if self.failures == 0 {
            self.first_failure = now;
        }
        self.failures += 1;
        if self.failures >= policy.free_failures {
            let extra = self.failures - policy.free_failures;
            let block = policy.first_block.saturating_mul(1 << extra.min(16)).min(policy.max_block);
            self.blocked_until = Some(now + block);
        }
    }

    fn idle(&self) -> bool {
        self.failures == 0 && self.in_flight == 0
    }
}

/// One table of counters, least recently used evicted first, so memory stays bounded and
/// every operation is O(1) whatever an attacker throws at it.
struct Table {
    policy: Policy,
    entries: Mutex<LruCache<String, Entry>>,
}

impl Table {
    fn new(policy: Policy, capacity: NonZeroUsize) -> Self {
        Self { policy, entries: Mutex::new(LruCache::new(capacity)) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// In-memory failure counters. Each node counts on its own: behind a load balancer with N
/// nodes an attacker gets at most N times the allowance, which the caps keep small.
/// Accounts and addresses live in separate tables, so a flood of made-up account names
/// cannot evict the record of a guessing address.
pub struct LoginThrottle {
    accounts: Table,
    addresses: Table,
}

/// Refused: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked(pub Duration);

const MAX_ENTRIES: usize = 100_000;

impl LoginThrottle {
    pub fn new(account: Policy, address: Policy) -> Self {
        Self::with_capacity(account, address, MAX_ENTRIES)
    }

    fn with_capacity(account: Policy, address: Policy, capacity: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Self { accounts: Table::new(account, capacity), addresses: Table::new(address, capacity) }
    }

    /// Admits one password guess for `account_key` from `address_key`, or says how long to
    /// wait. Checking and reserving happen under the same locks.
    pub fn begin(
        self: &Arc<Self>,
        account_key: &str,
        address_key: &str,
    ) -> Result<Attempt, Blocked> {
        let now = Instant::now();
        // Always accounts before addresses, so two callers never wait on each other crosswise.
        let mut accounts = self.accounts.lock();
        let mut addresses = self.addresses.lock();
        let account = accounts.get_or_insert_mut(account_key.to_owned(), || Entry::new(now));
        account.expire(&self.accounts.policy, now);
        let account_wait = account.refusal(&self.accounts.policy, now);
        let address = addresses.get_or_insert_mut(address_key.to_owned(), || Entry::new(now));
        address.expire(&self.addresses.policy, now);
        let address_wait = address.refusal(&self.addresses.policy, now);
        if let Some(wait) = account_wait.max(address_wait) {
            // Do not keep empty entries for refused guesses.
            for (table, key) in [(&mut accounts, account_key), (&mut addresses, address_key)] {
                if table.peek(key).is_some_and(Entry::idle) {
                    table.pop(key);
                }
            }
            return Err(Blocked(wait));
        }
        address.in_flight += 1;
        accounts.get_or_insert_mut(account_key.to_owned(), || Entry::new(now)).in_flight += 1;
        Ok(Attempt {
            throttle: Arc::clone(self),
            account: account_key.to_owned(),
            address: address_key.to_owned(),
            settled: false,
        })
    }

    fn settle(&self, account_key: &str, address_key: &str, outcome: Outcome) {
        let now = Instant::now();
        let tables = [(&self.accounts, account_key, true), (&self.addresses, address_key, false)];
        for (table, key, is_account) in tables {
            let mut entries = table.lock();
            // The entry may have been evicted meanwhile; a failure is still counted.
            let entry = entries.get_or_insert_mut(key.to_owned(), || Entry::new(now));
            entry.in_flight = entry.in_flight.saturating_sub(1);
            match outcome {
                Outcome::Failed => entry.fail(&table.policy, now),
                // A success clears the account's record, not the address's: one good
                // password must not reset an address that is guessing at other accounts.
                Outcome::Succeeded if is_account => {
                    *entry = Entry { in_flight: entry.in_flight, ..Entry::new(now) };
                }
                Outcome::Succeeded | Outcome::NotTried => {}
            }
            if entry.idle() {
                entries.pop(key);
            }
        }
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::new(Policy::ACCOUNT, Policy::ADDRESS)
    }
}

#[derive(Debug, Clone, Copy)]
enum Outcome {
    Succeeded,
    Failed,
    /// The password was never checked (say, no hasher was free): neither a success nor a
    /// guess.
    NotTried,
}

/// One admitted guess. Settle it with [`Attempt::succeeded`] or [`Attempt::failed`];
/// dropping it unsettled counts as a failure.
#[must_use = "an attempt left unsettled counts as a failure"]
pub struct Attempt {
    throttle: Arc<LoginThrottle>,
    account: String,
    address: String,
    settled: bool,
}

impl Attempt {
    pub fn succeeded(self) {
        self.settle(Outcome::Succeeded);
    }

    pub fn failed(self) {
        self.settle(Outcome::Failed);
    }

    /// Releases the reservation without counting anything.
    pub fn not_tried(self) {
        self.settle(Outcome::NotTried);
    }

    fn settle(mut self, outcome: Outcome) {
        self.settled = true;
        self.throttle.settle(&self.account, &self.address, outcome);
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        if !self.settled {
            self.throttle.settle(&self.account, &self.address, Outcome::Failed);
        }
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

    fn wait(t: &Arc<LoginThrottle>, account: &str, address: &str) -> u64 {
        t.begin(account, address).err().expect("blocked").0.as_secs()
    }

    #[test]
    fn blocking_starts_after_the_free_failures_and_doubles_up_to_the_cap() {
        let t = Arc::new(LoginThrottle::new(quick(), Policy::ADDRESS));
        t.begin("a", "ip").unwrap().failed();
        t.begin("a", "ip").unwrap().not_tried();
        let mut waits = Vec::new();
        for _ in 0..4 {
            // Past a block, the next guess is admitted again; simulate the block ending by
            // settling through the table directly.
            t.settle("a", "ip", Outcome::Failed);
            waits.push(wait(&t, "a", "ip"));
        }
        // 10, 20, 40, then capped at 40 (minus the instant that passed, hence ranges).
        assert!((9..=10).contains(&waits[0]), "{waits:?}");
        assert!((19..=20).contains(&waits[1]), "{waits:?}");
        assert!((39..=40).contains(&waits[2]), "{waits:?}");
        assert!((39..=40).contains(&waits[3]), "{waits:?}");
        assert!(t.begin("b", "other-ip").is_ok(), "other keys are unaffected");
    }

    #[test]
    fn guesses_in_flight_count_against_the_allowance() {
        let t = Arc::new(LoginThrottle::new(quick(), Policy::ADDRESS));
        let first = t.begin("a", "ip").expect("first");
        let second = t.begin("a", "ip").expect("second");
        assert_eq!(t.begin("a", "ip").err(), Some(Blocked(IN_FLIGHT_WAIT)), "third waits");
        assert!(t.begin("b", "ip").is_ok(), "another account from the address is fine");
        first.failed();
        drop(second); // unsettled: a failure
        assert!(wait(&t, "a", "ip") >= 9, "two failures block the account");
    }

    #[test]
    fn success_clears_the_account_but_not_the_address() {
        let t = Arc::new(LoginThrottle::new(quick(), quick()));
        t.begin("a", "ip").unwrap().failed();
        t.begin("a", "ip").unwrap().succeeded();
        t.begin("a", "ip").unwrap().failed();
        assert!(t.begin("x", "ip").is_err(), "the address has failed twice");
        assert!(t.begin("a", "ip2").is_ok(), "the account has one failure since its success");
    }

    #[test]
    fn memory_is_bounded_and_old_entries_go_first() {
        let t = Arc::new(LoginThrottle::with_capacity(quick(), quick(), 3));
        for i in 0..10 {
            t.begin(&format!("acct{i}"), "ip-a").unwrap().not_tried();
            t.begin(&format!("acct{i}"), &format!("ip{i}")).unwrap().failed();
        }
        assert!(t.accounts.lock().len() <= 3);
        assert!(t.addresses.lock().len() <= 3);
        assert!(t.accounts.lock().peek("acct9").is_some(), "the newest is kept");
        assert!(t.accounts.lock().peek("acct0").is_none(), "the oldest is gone");
    }
}
