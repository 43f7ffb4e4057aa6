//! What the server needs to know at start-up. Built by the binary from flags, the
//! environment and an optional TOML file; tests build it directly.

use secrecy::{ExposeSecret, SecretString};
use std::net::SocketAddr;
use std::time::Duration;

/// One HMAC key for signing tokens, named by `kid` so that keys can rotate: the current key
/// signs, older keys listed beside it still verify until they are removed.
#[derive(Clone)]
pub struct SigningKey {
    pub kid: String,
    pub secret: SecretString,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("kid", &self.kid).field("secret", &"***").finish()
    }
}

impl SigningKey {
    pub fn bytes(&self) -> &[u8] {
        self.secret.expose_secret().as_bytes()
    }
}

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    /// Largest request body accepted anywhere; bigger bodies get 413 before they are read.
    pub max_body_bytes: usize,
    /// Largest document upload (knowledge-base routes only).
    pub max_upload_bytes: usize,
    /// Most pages a PDF upload may have.
    pub max_pdf_pages: usize,
    /// A request still running after this gets 408 and its work is dropped.
    pub request_timeout: Duration,
    pub session_ttl: Duration,
    pub signing_key: SigningKey,
    pub previous_keys: Vec<SigningKey>,
    /// Background jobs (document indexing) run at once on this node; at least one.
    pub job_workers: usize,
    /// Time a job may take; a document still indexing then is failed with the reason.
    pub job_timeout: Duration,
}

impl ServerConfig {
    /// Defaults suitable for tests and local runs, with the given key.
    pub fn new(bind: SocketAddr, signing_key: SigningKey) -> Self {
        Self {
            bind,
            max_body_bytes: 2 * 1024 * 1024,
            max_upload_bytes: 10 * 1024 * 1024,
            max_pdf_pages: 500,
            request_timeout: Duration::from_secs(30),
            session_ttl: Duration::from_secs(24 * 3600),
            signing_key,
            previous_keys: Vec::new(),
            // Two cores' worth: indexing is CPU work (parsing, embedding).
            job_workers: 2,
            job_timeout: Duration::from_secs(300),
        }
    }
}
