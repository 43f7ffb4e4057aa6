//! Where a webhook may go: the operator's [`OutboundPolicy`] plus the two finer switches a
//! webhook needs. The address judgement itself is `switchboard_ai::outbound`'s, so the AI
//! provider's URL and a webhook's are refused by the same rules.

use std::net::{IpAddr, SocketAddr};

use switchboard_ai::outbound::{OutboundError, OutboundPolicy, non_public_kind};
use url::Url;

/// The rules every webhook call (and each of its redirects) is judged by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebhookPolicy {
    /// The operator's outbound policy; with `allow_private`, every address is allowed.
    pub outbound: OutboundPolicy,
    /// Loopback addresses are allowed even when private ones are not: a sidecar or test server
    /// on the same host, never the network behind it or the cloud's metadata service.
    pub allow_loopback: bool,
    /// Plain `http` URLs are allowed, for private test servers. Off, only `https` is called,
    /// so header secrets never travel in the clear.
    pub allow_http: bool,
}

impl WebhookPolicy {
    /// The policy an operator's configuration implies: allowing private addresses (for
    /// servers on its own network) also allows plain http, which such servers usually speak.
    pub fn from_outbound(outbound: OutboundPolicy) -> Self {
        Self { outbound, allow_loopback: false, allow_http: outbound.allow_private }
    }

    /// Judges a URL without any lookup: its scheme, and its host when that is an address
    /// literal (a name is judged by the client's resolver when it connects).
    pub fn check_url(&self, url: &Url) -> Result<(), OutboundError> {
        match url.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            _ => return Err(OutboundError::Scheme),
        }
        // The open policy only parses; this policy's own judgement follows.
        let open = OutboundPolicy { allow_private: true };
        if let Some(addr) = open.check_literal(url)? {
            self.judge(&addr.ip().to_string(), addr.ip())?;
        }
        Ok(())
    }

    /// Every address `host` resolves to, each judged; the connection uses only these.
    pub(crate) async fn resolve(&self, host: &str) -> Result<Vec<SocketAddr>, OutboundError> {
        let open = OutboundPolicy { allow_private: true };
        let addrs = open.resolve_host(host).await?;
        for addr in &addrs {
            self.judge(host, addr.ip())?;
        }
        Ok(addrs)
    }

    fn judge(&self, host: &str, ip: IpAddr) -> Result<(), OutboundError> {
        if self.outbound.allow_private || (self.allow_loopback && is_loopback(ip)) {
            return Ok(());
        }
        match non_public_kind(ip) {
            Some(kind) => Err(OutboundError::NotPublic { host: host.to_owned(), kind }),
            None => Ok(()),
        }
    }
}

/// Loopback, including an IPv4 loopback address written as IPv4-mapped IPv6.
fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(raw: &str) -> Url {
        Url::parse(raw).unwrap()
    }

    #[test]
    fn strict_refuses_every_non_public_literal_and_plain_http() {
        let strict = WebhookPolicy::default();
        for raw in [
            "https://127.0.0.1/",
            "https://10.1.2.3/",
            "https://169.254.169.254/",
            "https://[::1]/",
        ] {
            assert!(
                matches!(strict.check_url(&url(raw)), Err(OutboundError::NotPublic { .. })),
                "{raw}"
            );
        }
        assert_eq!(strict.check_url(&url("http://8.8.8.8/")), Err(OutboundError::Scheme));
        assert_eq!(strict.check_url(&url("ftp://8.8.8.8/")), Err(OutboundError::Scheme));
        assert_eq!(strict.check_url(&url("https://8.8.8.8/")), Ok(()));
        assert_eq!(strict.check_url(&url("https://example.com/")), Ok(()));
    }

    #[test]
    fn loopback_only_admits_loopback_and_nothing_else_private() {
        let local = WebhookPolicy { allow_loopback: true, allow_http: true, ..Default::default() };
        assert_eq!(local.check_url(&url("http://127.0.0.1:8080/")), Ok(()));
        assert_eq!(local.check_url(&url("http://[::ffff:127.0.0.1]/")), Ok(()));
        for raw in [
            "http://10.0.0.1/",
            "http://169.254.169.254/",
            "http://192.168.1.1/",
            "http://[fd00::1]/",
        ] {
            assert!(local.check_url(&url(raw)).is_err(), "{raw}");
        }
    }

    #[test]
    fn the_operators_private_switch_opens_everything_and_plain_http() {
        let open = WebhookPolicy::from_outbound(OutboundPolicy { allow_private: true });
        assert_eq!(open.check_url(&url("http://10.0.0.1/")), Ok(()));
        assert!(!WebhookPolicy::from_outbound(OutboundPolicy::default()).allow_http);
    }
}
