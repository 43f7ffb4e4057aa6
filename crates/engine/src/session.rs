//! A conversation's sessionId: the widget's credential for it.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new sessionId: 128 random bits as 32 lowercase hex digits.
pub fn new_session_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What `conversations.session_hash` stores for a sessionId: SHA-256, lowercase hex. Only
/// the digest is stored and looked up, so the lookup's timing depends on the digest, which
/// a guesser cannot steer, never on how much of the secret they got right.
pub fn session_hash(session_id: &str) -> String {
    hex::encode(Sha256::digest(session_id.as_bytes()))
}

/// Whether `session_id` is the secret whose digest is `stored_hash`, compared in constant
/// time (for a conversation already found by other means, such as feedback naming its id).
pub fn proves(session_id: &str, stored_hash: &str) -> bool {
    use subtle::ConstantTimeEq;
    session_hash(session_id).as_bytes().ct_eq(stored_hash.as_bytes()).into()
}

/// The shape a sessionId has; anything else is refused before any lookup.
pub fn looks_like_session_id(raw: &str) -> bool {
    raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_128_bit_hex_and_distinct() {
        let a = new_session_id();
        assert!(looks_like_session_id(&a), "{a}");
        assert_ne!(a, new_session_id());
        assert!(!looks_like_session_id("ABCDEF0123456789abcdef0123456789"));
        assert!(!looks_like_session_id("abc"));
        assert!(proves(&a, &session_hash(&a)));
        assert!(!proves(&new_session_id(), &session_hash(&a)));
    }

    #[test]
    fn the_hash_is_sha256_hex() {
        assert_eq!(
            session_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
