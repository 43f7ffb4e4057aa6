//! argon2id password hashing. Hashing is deliberately slow (19 MiB and tens of
//! milliseconds each), so it runs on the blocking pool, never stalling the async workers,
//! and at most one hash per core runs at a time: a burst of sign-ins waits its turn instead
//! of exhausting memory and the blocking pool. A request that waits too long is told to
//! come back (429 with `Retry-After`).

use crate::error::ApiError;
use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use std::sync::{Arc, LazyLock, OnceLock};
use std::time::Duration;
use switchboard_domain::Password;
use tokio::sync::Semaphore;

/// Argon2id with the library defaults, which are OWASP's recommendation
/// (m = 19 MiB, t = 2, p = 1).
fn argon2() -> Argon2<'static> {
    Argon2::default()
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Every hasher stayed busy for longer than a request should wait.
    #[error("every password hasher is busy")]
    Busy,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<PasswordError> for ApiError {
    fn from(e: PasswordError) -> Self {
        match e {
            PasswordError::Busy => ApiError::RateLimited { retry_after_secs: 2 },
            PasswordError::Other(e) => ApiError::Internal(e),
        }
    }
}

/// A bounded set of slots for CPU- and memory-heavy work, with a bounded wait for a slot.
pub struct Hashers {
    slots: Arc<Semaphore>,
    wait: Duration,
}

impl Hashers {
    pub fn new(slots: usize, wait: Duration) -> Self {
        Self { slots: Arc::new(Semaphore::new(slots.max(1))), wait }
    }

    /// Runs `work` on the blocking pool once a slot is free. The slot is held by the
    /// blocking task itself, so a request cancelled meanwhile does not free it early.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, PasswordError> {
        let permit = tokio::time::timeout(self.wait, Arc::clone(&self.slots).acquire_owned())
            .await
            .map_err(|_| PasswordError::Busy)?
            .map_err(|_| PasswordError::Busy)?;
        let span = tracing::Span::current();
        let out = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let _guard = span.enter();
            work()
        })
        .await
        .context("while waiting for the password hasher")??;
        Ok(out)
    }
}

/// One slot per core: argon2 with p = 1 keeps one core busy, so more would only queue
/// inside the OS while holding 19 MiB each.
fn hashers() -> &'static Hashers {
    static HASHERS: LazyLock<Hashers> = LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Hashers::new(cores, Duration::from_secs(5))
    });
    &HASHERS
}

/// Hashes a new password into a PHC string (`$argon2id$v=19$…`) with a fresh salt.
pub async fn hash(password: &Password) -> Result<String, PasswordError> {
    let pw = password.expose().to_owned();
    hashers()
        .run(move || {
            argon2()
                .hash_password(pw.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("while hashing a password: {e}"))
        })
        .await
}

/// Checks `candidate` against a stored PHC string. With no stored hash (unknown account) it
/// still runs one verification against a fixed hash, so that "no such user" and "wrong
/// password" take the same time and cannot be told apart.
///
/// Routes that take a password from a client go through `auth::attempt`, which throttles
/// guesses around this.
pub async fn verify(stored: Option<String>, candidate: &str) -> Result<bool, PasswordError> {
    let candidate = candidate.to_owned();
    let known = stored.is_some();
    let stored = match stored {
        Some(s) => s,
        None => dummy_hash().to_owned(),
    };
    let ok = hashers()
        .run(move || {
            let parsed = PasswordHash::new(&stored)
                .map_err(|e| anyhow::anyhow!("while parsing a stored password hash: {e}"))?;
            anyhow::Ok(argon2().verify_password(candidate.as_bytes(), &parsed).is_ok())
        })
        .await?;
    Ok(ok && known)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        argon2()
            .hash_password(b"timing-equaliser-not-a-real-password")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_waits_for_a_slot_then_gives_up_as_busy() {
        let hashers = Arc::new(Hashers::new(1, Duration::from_millis(200)));
        let (started_tx, started_rx) = std::sync::mpsc::channel::<()>();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let holder = {
            let h = Arc::clone(&hashers);
            tokio::spawn(async move {
                h.run(move || {
                    started_tx.send(()).ok();
                    release_rx.recv().ok();
                    Ok(1)
                })
                .await
            })
        };
        tokio::task::spawn_blocking(move || started_rx.recv()).await.unwrap().unwrap();
        let waited = hashers.run(|| Ok(2)).await;
        assert!(matches!(waited, Err(PasswordError::Busy)), "the only slot is taken");
        release_tx.send(()).unwrap();
        assert_eq!(holder.await.unwrap().unwrap(), 1);
        assert_eq!(hashers.run(|| Ok(3)).await.unwrap(), 3, "the slot is free again");
    }

    #[tokio::test]
    async fn a_waiting_request_gets_the_slot_when_it_frees_in_time() {
        let hashers = Arc::new(Hashers::new(1, Duration::from_secs(5)));
        let first = {
            let h = Arc::clone(&hashers);
            tokio::spawn(async move {
                h.run(|| {
                    std::thread::sleep(Duration::from_millis(100));
                    Ok(1)
                })
                .await
            })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(hashers.run(|| Ok(2)).await.unwrap(), 2);
        assert_eq!(first.await.unwrap().unwrap(), 1);
    }
}
