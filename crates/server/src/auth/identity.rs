//! Verified identity for customers of a company's own site. The site computes
//! `userHash = hex(HMAC-SHA256(identity_secret, userId + ":" + timestamp))` on its server and
//! passes it to the widget; a forged or replayed-long-after hash is refused, which closes the
//! hole of widgets that trust whatever user id the page claims.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// How old a signed identity may be. Pages are rendered and the widget loads within
/// minutes; an hour leaves room for a tab left open without making a leaked hash useful
/// for long.
pub const MAX_AGE_SECS: i64 = 3600;
/// Tolerated clock skew between the company's servers and ours.
pub const MAX_SKEW_SECS: i64 = 300;

#[derive(Debug, PartialEq, Eq)]
pub enum IdentityError {
    Stale,
    BadHash,
}

pub fn sign(secret: &str, user_id: &str, timestamp: i64) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{user_id}:{timestamp}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn verify(
    secret: &str,
    user_id: &str,
    timestamp: i64,
    user_hash: &str,
    now: i64,
) -> Result<(), IdentityError> {
    // In i128, so that no client-chosen timestamp (i64::MIN, i64::MAX) can overflow.
    let age = i128::from(now) - i128::from(timestamp);
    if age < -i128::from(MAX_SKEW_SECS) || age > i128::from(MAX_AGE_SECS) {
        return Err(IdentityError::Stale);
    }
    let Ok(given) = hex::decode(user_hash.trim()) else {
        return Err(IdentityError::BadHash);
    };
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{user_id}:{timestamp}").as_bytes());
    // Constant-time comparison, so the hash cannot be discovered byte by byte.
    mac.verify_slice(&given).map_err(|_| IdentityError::BadHash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_correct_hash_verifies_and_anything_else_does_not() {
        let now = 1_800_000_000;
        let h = sign("s3cret", "user-42", now - 10);
        assert_eq!(verify("s3cret", "user-42", now - 10, &h, now), Ok(()));
        assert_eq!(verify("other", "user-42", now - 10, &h, now), Err(IdentityError::BadHash));
        assert_eq!(verify("s3cret", "user-43", now - 10, &h, now), Err(IdentityError::BadHash));
        assert_eq!(verify("s3cret", "user-42", now - 10, "zz", now), Err(IdentityError::BadHash));
        let old = now - MAX_AGE_SECS - 1;
        assert_eq!(
            verify("s3cret", "user-42", old, &sign("s3cret", "user-42", old), now),
            Err(IdentityError::Stale)
        );
        let future = now + MAX_SKEW_SECS + 1;
        assert_eq!(
            verify("s3cret", "user-42", future, &sign("s3cret", "user-42", future), now),
            Err(IdentityError::Stale)
        );
    }

    #[test]
    fn extreme_timestamps_are_stale_not_a_panic() {
        let now = 1_800_000_000;
        for ts in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
            let h = sign("s3cret", "u", ts);
            assert_eq!(verify("s3cret", "u", ts, &h, now), Err(IdentityError::Stale), "{ts}");
        }
        // And a server clock at the extremes does not overflow either.
        assert_eq!(verify("s", "u", i64::MIN, "00", i64::MAX), Err(IdentityError::Stale));
        assert_eq!(verify("s", "u", i64::MAX, "00", i64::MIN), Err(IdentityError::Stale));
        let h = sign("s", "u", i64::MAX);
        assert_eq!(verify("s", "u", i64::MAX, &h, i64::MAX), Ok(()));
    }

    #[test]
    fn the_hash_matches_an_independent_hmac_sha256() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
