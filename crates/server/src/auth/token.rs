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
    pub fn new(current: &SigningKey, previous: &[SigningKey]) -> anyhow::Result<Self> {
        let decoding = std::iter::once(current)
            .chain(previous)
            .map(|k| {
                let key = DecodingKey::from_secret(k.bytes())
                    .map_err(|e| anyhow::anyhow!("signing key {:?} is unusable: {e}", k.kid))?;
                anyhow::Ok((k.kid.clone(), key))
            })
            .collect::<anyhow::Result<_>>()?;
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
