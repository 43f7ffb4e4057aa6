//! Access tokens: HS256 JWTs whose `sid` names a row in `sessions`. The signature proves
//! the token was ours; the session row decides whether it is still good, so revocation
//! takes effect on the next request.

use crate::config::SigningKey;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use switchboard_domain::{CompanyId, Role, SessionId};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user's or customer's id.
    pub sub: String,
    pub sid: SessionId,
    pub cid: CompanyId,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
}

pub struct TokenKeys {
    kid: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
}

impl TokenKeys {
    /// Refuses two keys with one `kid`: a token names its key by kid, so one of them would
    /// silently stop verifying (or, worse, a previous key would replace the current one).
    pub fn new(current: &SigningKey, previous: &[SigningKey]) -> anyhow::Result<Self> {
        let mut decoding = HashMap::new();
        for k in std::iter::once(current).chain(previous) {
            let key = DecodingKey::from_secret(k.bytes())
                .map_err(|e| anyhow::anyhow!("signing key {:?} is unusable: {e}", k.kid))?;
            if decoding.insert(k.kid.clone(), key).is_some() {
                anyhow::bail!(
                    "two signing keys share the kid {:?}; every key (current and previous) needs its own kid",
                    k.kid
                );
            }
        }
        let encoding = EncodingKey::from_secret(current.bytes())
            .map_err(|e| anyhow::anyhow!("signing key {:?} is unusable: {e}", current.kid))?;
        Ok(Self { kid: current.kid.clone(), encoding, decoding })
    }

    pub fn issue(&self, claims: &Claims) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .map_err(|e| anyhow::anyhow!("while signing a token: {e}"))
    }

    /// The claims of a token signed by a known key and not expired; `None` otherwise.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        let key = self.decoding.get(header.kid.as_deref()?)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        jsonwebtoken::decode::<Claims>(token, key, &validation).ok().map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kid: &str, secret: &str) -> SigningKey {
        SigningKey { kid: kid.to_owned(), secret: secret.to_owned().into() }
    }

    #[test]
    fn duplicate_kids_are_refused() {
        let current = key("k2", "current-secret-of-at-least-32-characters");
        let same_as_current = key("k2", "older-secret-of-at-least-32-characters!");
        let err = TokenKeys::new(&current, &[same_as_current]).err().expect("refused");
        assert!(err.to_string().contains("\"k2\""), "{err}");
        let (a, b) = (key("k1", "one-secret-of-at-least-32-characters!!"), key("k1", "two"));
        assert!(TokenKeys::new(&current, &[a.clone(), b]).is_err(), "two previous keys");
        assert!(TokenKeys::new(&current, &[a]).is_ok(), "distinct kids are fine");
    }

    #[test]
    fn previous_keys_still_verify() {
        let old = key("k1", "old-secret-of-at-least-32-characters!!");
        let claims = Claims {
            sub: "x".to_owned(),
            sid: SessionId::new(),
            cid: CompanyId::new(),
            role: Role::Customer,
            iat: 0,
            exp: i64::from(u32::MAX),
        };
        let token = TokenKeys::new(&old, &[]).unwrap().issue(&claims).unwrap();
        let rotated = TokenKeys::new(&key("k2", "new-secret-of-at-least-32-characters!!"), &[old]);
        assert!(rotated.unwrap().verify(&token).is_some());
    }
}
