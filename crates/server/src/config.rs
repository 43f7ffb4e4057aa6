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
    /// Tenants may point the server at loopback and private addresses (see
    /// `switchboard_ai::outbound`); off by default.
    pub allow_private_outbound: bool,
    /// Networks of the reverse proxies in front of the server. Only a peer in one of them
    /// is believed about the client's address (`forwarded_header`); empty, the socket peer
    /// is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Which header the trusted proxies append the client's address to.
    pub forwarded_header: ForwardedHeader,
    /// Unauthenticated requests that cost a password hash or new rows (registration, sign-in)
    /// admitted per client address: a steady rate per minute plus a burst.
    pub auth_requests_per_minute: u32,
    pub auth_requests_burst: u32,
    /// Background jobs (document indexing) run at once on this node; at least one.
    pub job_workers: usize,
    /// Time a job may take; a document still indexing then is failed with the reason.
    pub job_timeout: Duration,
    /// A conversation the AI holds is closed (and the customer asked for feedback) after
    /// this long without a message; `None` keeps them open.
    pub idle_close_after: Option<Duration>,
    /// An `online` agent silent this long gets no new work (and the `serve` command's
    /// presence sweep sets it offline).
    pub presence_timeout: Duration,
    /// How often both sockets ping their client; the staff socket also touches the agent's
    /// presence and re-checks its session then, so keep it well under `presence_timeout`.
    /// Lower it behind a proxy that drops idle connections sooner.
    pub socket_ping: Duration,
}

/// The header a trusted proxy writes the client's address into. Only one is read: a proxy
/// that appends to one passes the other through untouched, so a client could forge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, …` (nginx, HAProxy, cloud load balancers).
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client, for=proxy1`.
    Forwarded,
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
            allow_private_outbound: false,
            trusted_proxies: Vec::new(),
            forwarded_header: ForwardedHeader::XForwardedFor,
            // Far above what a person signing in or a widget opening does, low enough that
            // one address cannot keep the hashers busy or fill tables.
            auth_requests_per_minute: 60,
            auth_requests_burst: 60,
            // Two cores' worth: indexing is CPU work (parsing, embedding).
            job_workers: 2,
            job_timeout: Duration::from_secs(300),
            idle_close_after: Some(Duration::from_secs(30 * 60)),
            presence_timeout: switchboard_engine::routing::DEFAULT_PRESENCE_TIMEOUT,
            socket_ping: DEFAULT_SOCKET_PING,
        }
    }

    /// A client that has sent nothing for this long, not even the pong browsers return for
    /// each ping, is gone (a phone that changed networks leaves no close behind): its socket
    /// is closed, freeing its place among the capped sockets. Two and a half pings.
    pub fn socket_silence_limit(&self) -> Duration {
        self.socket_ping * 5 / 2
    }
}

/// The sockets' ping interval unless configured: under the 30–60 s idle timeouts of common
/// proxies and load balancers.
pub const DEFAULT_SOCKET_PING: Duration = Duration::from_secs(20);
