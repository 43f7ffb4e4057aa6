//! Where the server may send requests on a tenant's behalf (an AI provider's base URL, a
//! webhook tool). A tenant names the URL, so without a policy any company could make the
//! server call its own loopback, the private network behind it, or a cloud metadata service
//! (server-side request forgery). The default refuses every address that is not public; an
//! operator who runs a model server on the same machine or network allows private addresses
//! in configuration.
//!
//! A name is checked by resolving it and judging every address it resolves to. The check
//! must be repeated at the moment of each call (and on every redirect) with the addresses
//! then pinned for the connection, since a name can resolve differently a second later.
//! [`pinned_client`] builds the HTTP client that does so.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// How long a name may take to resolve before the URL is refused.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboundPolicy {
    /// Loopback, private, link-local and other non-public addresses are allowed too.
    pub allow_private: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    #[error("only http and https URLs can be called")]
    Scheme,
    #[error("the URL has no host")]
    NoHost,
    #[error(
        "{host} is a {kind} address; the server only calls public addresses unless its operator allows private ones"
    )]
    NotPublic { host: String, kind: &'static str },
    #[error("{host} could not be resolved: {reason}")]
    Unresolved { host: String, reason: String },
}

impl OutboundPolicy {
    /// Judges a URL whose host is an address literal without any lookup; a name is judged
    /// by [`Self::resolve`]. `Ok(None)` means the host is a name still to be resolved.
    pub fn check_literal(&self, url: &Url) -> Result<Option<SocketAddr>, OutboundError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(OutboundError::Scheme);
        }
        let port = url.port_or_known_default().unwrap_or(443);
        let ip = match url.host().ok_or(OutboundError::NoHost)? {
            Host::Ipv4(v4) => IpAddr::V4(v4),
            Host::Ipv6(v6) => IpAddr::V6(v6),
            Host::Domain(_) => return Ok(None),
        };
        self.judge(&ip.to_string(), ip)?;
        Ok(Some(SocketAddr::new(ip, port)))
    }

    /// Every address the URL's host stands for, each allowed by the policy; the caller
    /// connects to these and no others (for reqwest: [`pinned_client`]).
    pub async fn resolve(&self, url: &Url) -> Result<Vec<SocketAddr>, OutboundError> {
        if let Some(addr) = self.check_literal(url)? {
            return Ok(vec![addr]);
        }
        let host = url.host_str().ok_or(OutboundError::NoHost)?.to_owned();
        let port = url.port_or_known_default().unwrap_or(443);
        let unresolved = |reason: String| OutboundError::Unresolved { host: host.clone(), reason };
        let lookup = tokio::net::lookup_host((host.as_str(), port));
        let addrs: Vec<SocketAddr> = tokio::time::timeout(RESOLVE_TIMEOUT, lookup)
            .await
            .map_err(|_| unresolved("the lookup timed out".to_owned()))?
            .map_err(|e| unresolved(e.to_string()))?
            .collect();
        if addrs.is_empty() {
            return Err(unresolved("no addresses".to_owned()));
        }
        for addr in &addrs {
            self.judge(&host, addr.ip())?;
        }
        Ok(addrs)
    }

    /// [`Self::resolve`] for a bare host name, as an HTTP client's resolver is given it.
    pub async fn resolve_host(&self, host: &str) -> Result<Vec<SocketAddr>, OutboundError> {
        let url = Url::parse(&format!("http://{host}/")).map_err(|_| OutboundError::NoHost)?;
        self.resolve(&url).await
    }

    fn judge(&self, host: &str, ip: IpAddr) -> Result<(), OutboundError> {
        match (self.allow_private, non_public_kind(ip)) {
            (false, Some(kind)) => Err(OutboundError::NotPublic { host: host.to_owned(), kind }),
            _ => Ok(()),
        }
    }
}

/// A pooled HTTP client whose every DNS lookup goes through `vet`, which judges the name
/// and returns the addresses it allows; the client connects to those and no others, so the
/// connection goes where the policy said even if the name resolves differently later.
/// Address literals never reach `vet`: the caller judges them itself before each request
/// ([`OutboundPolicy::check_literal`]).
///
/// Redirects are not followed and no proxy is used: either would take the request somewhere
/// the policy did not judge (a caller that follows redirects does so by hand, judging each
/// hop).
pub fn pinned_client<F, Fut>(
    vet: F,
    connect_timeout: Duration,
) -> Result<reqwest::Client, reqwest::Error>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<SocketAddr>, OutboundError>> + Send + 'static,
{
    // reqwest is built without a default crypto provider; installing ring twice is a
    // harmless no-op error.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .dns_resolver(PinnedResolver(vet))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(connect_timeout)
        .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Hands reqwest only the addresses `vet` allowed for a name.
struct PinnedResolver<F>(F);

impl<F, Fut> Resolve for PinnedResolver<F>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<SocketAddr>, OutboundError>> + Send + 'static,
{
    fn resolve(&self, name: Name) -> Resolving {
        let vetting = (self.0)(name.as_str().to_owned());
        Box::pin(async move {
            let addrs = vetting.await?;
            // Port 0: the connector puts in the URL's port (or the scheme's).
            let addrs: Addrs = Box::new(addrs.into_iter().map(|a| SocketAddr::new(a.ip(), 0)));
            Ok(addrs)
        })
    }
}

/// Why an address is not a public unicast one, or `None` if it is.
pub fn non_public_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_kind(v4),
        IpAddr::V6(v6) => {
            // An IPv4 address carried in IPv6 (mapped, NAT64) reaches that IPv4 address.
            if let Some(v4) = v6.to_ipv4_mapped().or_else(|| nat64(v6)) {
                return v4_kind(v4);
            }
            v6_kind(v6)
        }
    }
}

fn v4_kind(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    Some(if ip.is_loopback() {
        "loopback"
    } else if ip.is_private() {
        "private"
    } else if ip.is_link_local() {
        // 169.254.169.254 is the metadata service of most clouds.
        "link-local"
    } else if ip.is_unspecified() || a == 0 {
        "unspecified"
    } else if a == 100 && (64..128).contains(&b) {
        "shared (carrier-grade NAT)"
    } else if ip.is_broadcast() || ip.is_multicast() || a >= 240 {
        "broadcast, multicast or reserved"
    } else if ip.is_documentation() || (a == 198 && (b == 18 || b == 19)) || (a == 192 && b == 0) {
        "documentation, benchmarking or protocol"
    } else {
        return None;
    })
}

fn v6_kind(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    Some(if ip.is_loopback() {
        "loopback"
    } else if ip.is_unspecified() {
        "unspecified"
    } else if first & 0xfe00 == 0xfc00 {
        "private (unique local)"
    } else if first & 0xffc0 == 0xfe80 {
        "link-local"
    } else if ip.is_multicast() {
        "multicast"
    } else if first == 0x2001 && ip.segments()[1] == 0x0db8 {
        "documentation"
    } else if ip.segments()[..6] == [0; 6] {
        // ::a.b.c.d, the deprecated IPv4-compatible form.
        "IPv4-compatible"
    } else {
        return None;
    })
}

/// The IPv4 address inside a NAT64 address (64:ff9b::/96).
fn nat64(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    (s[..6] == [0x64, 0xff9b, 0, 0, 0, 0])
        .then(|| Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(raw: &str) -> Option<&'static str> {
        non_public_kind(raw.parse().unwrap())
    }

    #[test]
    fn every_non_public_range_is_named() {
        for raw in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "::10.0.0.1",
            "ff02::1",
        ] {
            assert!(kind(raw).is_some(), "{raw} was taken for public");
        }
        for raw in
            ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
        {
            assert_eq!(kind(raw), None, "{raw} was refused");
        }
    }

    #[tokio::test]
    async fn literals_and_names_are_judged_by_their_addresses() {
        let strict = OutboundPolicy::default();
        let open = OutboundPolicy { allow_private: true };
        for raw in [
            "http://127.0.0.1:11434/v1",
            "http://[::1]/v1",
            "https://10.0.0.5/",
            "http://169.254.169.254/latest/meta-data/",
            "http://2130706433/",
            "http://localhost:8080/v1",
        ] {
            let url = Url::parse(raw).unwrap();
            let refused = strict.resolve(&url).await.expect_err(raw);
            assert!(matches!(refused, OutboundError::NotPublic { .. }), "{raw}: {refused}");
            assert!(!open.resolve(&url).await.expect(raw).is_empty());
        }
        let file = Url::parse("file:///etc/passwd").unwrap();
        assert_eq!(open.resolve(&file).await, Err(OutboundError::Scheme));
        let public = Url::parse("https://8.8.8.8/").unwrap();
        assert_eq!(strict.check_literal(&public).unwrap(), Some("8.8.8.8:443".parse().unwrap()));
    }
}
