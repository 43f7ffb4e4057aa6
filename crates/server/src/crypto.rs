//! Encryption at rest for per-company secrets (the AI provider's API key, the identity
//! secret), so that a database dump or backup alone does not hand them out.
//!
//! AES-256-GCM under a key derived from the server's signing secret with HKDF-SHA256
//! (info `switchboard config encryption v1`): no second secret to provision, and the
//! derivation separates this key from the token-signing use of the same secret. Each value
//! gets a fresh random 96-bit nonce and is stored as `v1:` + base64(nonce || ciphertext+tag);
//! the prefix names the scheme so that a later one can be told apart. The associated data is
//! the company id and the field, so a ciphertext copied into another company's row or
//! another column does not decrypt.
//!
//! When the signing secret rotates, the previous keys listed in the configuration still
//! decrypt; values are re-encrypted under the current key the next time they are written.
//! Once a previous key is removed, what it encrypted is lost and must be set again (an API
//! key re-entered, the identity secret rotated).
//!
//! Encryption happens here, in the server, not in storage: storage keeps opaque text, and
//! every read of a secret goes through [`ConfigCipher::decrypt`].

use crate::config::{ServerConfig, SigningKey};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hkdf::Hkdf;
use rand::Rng;
use sha2::Sha256;
use switchboard_domain::CompanyId;

const HKDF_INFO: &[u8] = b"switchboard config encryption v1";
const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 12;

/// Which secret a value is: part of the associated data, so values cannot swap places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretField {
    AiApiKey,
    IdentitySecret,
    /// A webhook tool's header values, sealed together as one JSON object.
    ToolHeaders,
}

impl SecretField {
    fn as_str(self) -> &'static str {
        match self {
            SecretField::AiApiKey => "ai.apiKey",
            SecretField::IdentitySecret => "identitySecret",
            SecretField::ToolHeaders => "tool.headers",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the stored secret cannot be decrypted with any configured signing key")]
pub struct DecryptError;

/// The ciphers of the current signing key (which encrypts) and the previous ones (which only
/// decrypt). Deriving them costs two HMACs and an AES key schedule per key, so handlers
/// build one per request from the configuration instead of threading it through the state.
pub struct ConfigCipher {
    ciphers: Vec<Aes256Gcm>,
}

impl ConfigCipher {
    pub fn new(current: &SigningKey, previous: &[SigningKey]) -> Self {
        let ciphers = std::iter::once(current).chain(previous).map(derive).collect();
        Self { ciphers }
    }

    pub fn from_config(config: &ServerConfig) -> Self {
        Self::new(&config.signing_key, &config.previous_keys)
    }

    pub fn encrypt(&self, company: CompanyId, field: SecretField, plaintext: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill(&mut nonce[..]);
        let aad = associated_data(company, field);
        let sealed = self.ciphers[0]
            .encrypt(&nonce.into(), Payload { msg: plaintext.as_bytes(), aad: aad.as_bytes() })
            // Only inputs beyond 64 GiB fail; a configuration value never is one.
            .expect("AES-GCM encrypts any input shorter than 64 GiB");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", BASE64.encode(out))
    }

    pub fn decrypt(
        &self,
        company: CompanyId,
        field: SecretField,
        stored: &str,
    ) -> Result<String, DecryptError> {
        let bytes = stored
            .strip_prefix(PREFIX)
            .and_then(|b64| BASE64.decode(b64).ok())
            .filter(|b| b.len() > NONCE_LEN)
            .ok_or(DecryptError)?;
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| DecryptError)?;
        let aad = associated_data(company, field);
        let plain = self
            .ciphers
            .iter()
            .find_map(|c| {
                c.decrypt(&nonce.into(), Payload { msg: sealed, aad: aad.as_bytes() }).ok()
            })
            .ok_or(DecryptError)?;
        String::from_utf8(plain).map_err(|_| DecryptError)
    }
}

fn derive(key: &SigningKey) -> Aes256Gcm {
    let mut okm = [0u8; 32];
    Hkdf::<Sha256>::new(None, key.bytes())
        .expand(HKDF_INFO, &mut okm)
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    Aes256Gcm::new(&Key::<Aes256Gcm>::from(okm))
}

fn associated_data(company: CompanyId, field: SecretField) -> String {
    format!("{company}/{}", field.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kid: &str, secret: &str) -> SigningKey {
        SigningKey { kid: kid.to_owned(), secret: secret.to_owned().into() }
    }

    #[test]
    fn values_round_trip_and_never_appear_in_the_stored_text() {
        let cipher = ConfigCipher::new(&key("k1", "one-signing-secret-of-32-characters!"), &[]);
        let company = CompanyId::new();
        let stored = cipher.encrypt(company, SecretField::AiApiKey, "sk-live-abcdef");
        assert!(stored.starts_with("v1:") && !stored.contains("sk-live"));
        let again = cipher.encrypt(company, SecretField::AiApiKey, "sk-live-abcdef");
        assert_ne!(stored, again, "a fresh nonce per encryption");
        let plain = cipher.decrypt(company, SecretField::AiApiKey, &stored);
        assert_eq!(plain.as_deref(), Ok("sk-live-abcdef"));
    }

    #[test]
    fn another_company_field_or_key_cannot_decrypt() {
        let k1 = key("k1", "one-signing-secret-of-32-characters!");
        let cipher = ConfigCipher::new(&k1, &[]);
        let company = CompanyId::new();
        let stored = cipher.encrypt(company, SecretField::IdentitySecret, "s3cret");
        let other = CompanyId::new();
        assert_eq!(cipher.decrypt(other, SecretField::IdentitySecret, &stored), Err(DecryptError));
        assert_eq!(cipher.decrypt(company, SecretField::AiApiKey, &stored), Err(DecryptError));
        let k2 = key("k2", "another-signing-secret-of-32-chars!!");
        let rotated_away = ConfigCipher::new(&k2, &[]);
        let result = rotated_away.decrypt(company, SecretField::IdentitySecret, &stored);
        assert_eq!(result, Err(DecryptError));
        // With the old key still listed as previous, the value survives rotation.
        let rotated = ConfigCipher::new(&k2, &[k1]);
        let plain = rotated.decrypt(company, SecretField::IdentitySecret, &stored);
        assert_eq!(plain.as_deref(), Ok("s3cret"));
        for garbage in ["s3cret", "v1:", "v1:!!!", "v1:AAAA"] {
            assert_eq!(
                cipher.decrypt(company, SecretField::IdentitySecret, garbage),
                Err(DecryptError)
            );
        }
    }
}
