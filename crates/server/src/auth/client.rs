//! The client's address, as the throttles and the audit log see it. Behind a reverse proxy
//! the socket peer is the proxy, shared by every client; the proxy appends the address it
//! saw to a header, and only a peer inside `trusted_proxies` is believed about it. The
//! address taken is the right-most one not in a trusted network: everything left of it was
//! written by the client itself and may be forged.

use super::AuthState;
use crate::config::ForwardedHeader;
use crate::error::ApiError;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::{IpNet, Ipv6Net};
use std::net::{IpAddr, SocketAddr};

/// More hops than any real chain of proxies; past them the last trusted hop is the client.
const MAX_HOPS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// What per-address limits count by. An IPv6 subscriber is usually given a whole /64,
    /// so counting single addresses would give one attacker 2^64 fresh keys.
    pub fn throttle_key(&self) -> IpNet {
        match self.0 {
            IpAddr::V6(v6) => {
                IpNet::V6(Ipv6Net::new(v6, 64).expect("64 is a valid prefix").trunc())
            }
            v4 => IpNet::from(v4),
        }
    }

    pub fn ip(&self) -> IpAddr {
        self.0
    }
}

impl std::fmt::Display for ClientAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<S: AuthState> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "the server was started without connection info"
            )));
        };
        let config = state.config();
        Ok(ClientAddr(resolve(
            peer.ip(),
            &parts.headers,
            &config.trusted_proxies,
            config.forwarded_header,
        )))
    }
}

/// The client's address given the socket peer and the request's headers.
pub fn resolve(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &[IpNet],
    header: ForwardedHeader,
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer.to_canonical();
    if !is_trusted(&client) {
        return client;
    }
    let name = match header {
        ForwardedHeader::XForwardedFor => "x-forwarded-for",
        ForwardedHeader::Forwarded => "forwarded",
    };
    // Several header lines form one list, in order; walk it from the right (nearest hop).
    let lines: Vec<&str> = headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
    let hops = lines.iter().rev().flat_map(|line| line.rsplit(','));
    for hop in hops.take(MAX_HOPS) {
        let parsed = match header {
            ForwardedHeader::XForwardedFor => parse_addr(hop.trim()),
            ForwardedHeader::Forwarded => forwarded_for(hop),
        };
        // A hop a trusted proxy wrote but we cannot read: the proxy is the best we know.
        let Some(ip) = parsed.map(|ip| ip.to_canonical()) else { return client };
        client = ip;
        if !is_trusted(&ip) {
            return ip;
        }
    }
    client
}

/// An address as proxies write it: bare, with a port, or bracketed IPv6 with a port.
fn parse_addr(s: &str) -> Option<IpAddr> {
    let s = s.trim_matches('"');
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Some(sa.ip());
    }
    s.strip_prefix('[')?.strip_suffix(']')?.parse().ok()
}

/// The `for=` parameter of one RFC 7239 element (`for=192.0.2.1;proto=https`).
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim().eq_ignore_ascii_case("for").then(|| parse_addr(value.trim())).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(name: &'static str, values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(name, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    const XFF: ForwardedHeader = ForwardedHeader::XForwardedFor;

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let h = headers("x-forwarded-for", &["203.0.113.9"]);
        assert_eq!(resolve(ip("198.51.100.7"), &h, &[], XFF), ip("198.51.100.7"));
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(resolve(ip("198.51.100.7"), &h, &trusted, XFF), ip("198.51.100.7"));
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client() {
        let trusted = nets(&["10.0.0.0/8", "fd00::/8"]);
        // The client forged the first entry; the proxy appended what it saw.
        let h = headers("x-forwarded-for", &["1.2.3.4, 203.0.113.9"]);
        assert_eq!(resolve(ip("10.0.0.2"), &h, &trusted, XFF), ip("203.0.113.9"));
        // Two proxies, one header line each.
        let h = headers("x-forwarded-for", &["1.2.3.4, 203.0.113.9", "10.1.1.1"]);
        assert_eq!(resolve(ip("10.0.0.2"), &h, &trusted, XFF), ip("203.0.113.9"));
        // No header: the proxy itself.
        assert_eq!(resolve(ip("10.0.0.2"), &HeaderMap::new(), &trusted, XFF), ip("10.0.0.2"));
        // Garbage right of the client: stop at the last trusted hop.
        let h = headers("x-forwarded-for", &["203.0.113.9, not-an-ip"]);
        assert_eq!(resolve(ip("10.0.0.2"), &h, &trusted, XFF), ip("10.0.0.2"));
        // Every hop trusted: the left-most.
        let h = headers("x-forwarded-for", &["10.9.9.9, 10.1.1.1"]);
        assert_eq!(resolve(ip("10.0.0.2"), &h, &trusted, XFF), ip("10.9.9.9"));
        // Ports and IPv4-mapped peers.
        let h = headers("x-forwarded-for", &["[2001:db8::1]:4711"]);
        assert_eq!(resolve(ip("::ffff:10.0.0.2"), &h, &trusted, XFF), ip("2001:db8::1"));
    }

    #[test]
    fn only_the_configured_header_is_read() {
        let trusted = nets(&["10.0.0.0/8"]);
        let mut h =
            headers("forwarded", &["for=203.0.113.9;proto=https, for=\"[2001:db8::7]:80\""]);
        h.append("x-forwarded-for", HeaderValue::from_static("198.51.100.1"));
        let fwd = ForwardedHeader::Forwarded;
        assert_eq!(resolve(ip("10.0.0.2"), &h, &trusted, fwd), ip("2001:db8::7"));
        assert_eq!(resolve(ip("10.0.0.2"), &h, &trusted, XFF), ip("198.51.100.1"));
        let h = headers("forwarded", &["for=unknown"]);
        assert_eq!(resolve(ip("10.0.0.2"), &h, &trusted, fwd), ip("10.0.0.2"));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        let a = ClientAddr(ip("2001:db8:1:2:aaaa::1")).throttle_key();
        let b = ClientAddr(ip("2001:db8:1:2:bbbb::2")).throttle_key();
        let c = ClientAddr(ip("2001:db8:1:3::1")).throttle_key();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.to_string(), "2001:db8:1:2::/64");
        assert_eq!(ClientAddr(ip("192.0.2.1")).throttle_key().to_string(), "192.0.2.1/32");
    }
}
