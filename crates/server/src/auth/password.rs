//! argon2id password hashing. Hashing is deliberately slow, so it runs on the blocking pool
//! and never stalls the async workers that serve other requests.

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use std::sync::OnceLock;
use switchboard_domain::Password;

/// Argon2id with the library defaults, which are OWASP's recommendation
/// (m = 19 MiB, t = 2, p = 1).
fn argon2() -> Argon2<'static> {
    Argon2::default()
}

/// Hashes a new password into a PHC string (`$argon2id$v=19$…`) with a fresh salt.
pub async fn hash(password: &Password) -> anyhow::Result<String> {
    let pw = password.expose().to_owned();
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _guard = span.enter();
        argon2()
            .hash_password(pw.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("while hashing a password: {e}"))
    })
    .await
    .context("while waiting for the password hasher")?
}

/// Checks `candidate` against a stored PHC string. With no stored hash (unknown account) it
/// still runs one verification against a fixed hash, so that "no such user" and "wrong
/// password" take the same time and cannot be told apart.
pub async fn verify(stored: Option<String>, candidate: &str) -> anyhow::Result<bool> {
    let candidate = candidate.to_owned();
    let known = stored.is_some();
    let stored = match stored {
        Some(s) => s,
        None => dummy_hash().to_owned(),
    };
    let span = tracing::Span::current();
    let ok = tokio::task::spawn_blocking(move || {
        let _guard = span.enter();
        let parsed = PasswordHash::new(&stored)
            .map_err(|e| anyhow::anyhow!("while parsing a stored password hash: {e}"))?;
        anyhow::Ok(argon2().verify_password(candidate.as_bytes(), &parsed).is_ok())
    })
    .await
    .context("while waiting for the password verifier")??;
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
