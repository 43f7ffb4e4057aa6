//! Which requests a company admits from outside: the origin policy of its widget and the
//! identity settings its customers sign in under. Public routes call these before anything
//! else; they sit here, not in a route module, so every route that needs them depends
//! downwards on one place.
//!
//! [`admit`] enforces the company's `allowedOrigins` on the actual request (the CORS layer in
//! `routes::public` answers every preflight, because which origins a company allows depends
//! on the company id inside the request, which a preflight does not carry): a request whose
//! `Origin` header is not listed gets `403 forbidden`. An empty list admits every origin (a
//! company that has not configured its sites yet must still be able to try the widget), and
//! so does a request without an `Origin` header: browsers always send one on cross-origin
//! requests, so a missing header means the company's own server (or a same-origin page) is
//! calling. The list keeps other sites from embedding a company's widget in browsers; it is
//! not authentication, since a non-browser client can send any `Origin` it likes.

use crate::crypto::{ConfigCipher, SecretField};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::http::{HeaderMap, header};
use switchboard_domain::{CompanyId, Origin};
use switchboard_storage::{AgentConfig, CompanyStatus, IdentitySettings, StorageError};

/// Admits a public request for `company`: 404 unless the company exists and is active
/// (a suspended company is answered exactly like a missing one), 403 if the request comes
/// from an origin the company does not allow. Returns the company's configuration.
pub async fn admit(
    state: &AppState,
    company: CompanyId,
    headers: &HeaderMap,
) -> ApiResult<AgentConfig> {
    match state.db.get_company(company).await {
        Ok(c) if c.status == CompanyStatus::Active => {}
        Ok(_) | Err(StorageError::NotFound) => return Err(ApiError::NotFound),
        Err(e) => return Err(e.into()),
    }
    let config = state.db.get_agent_config(company).await?;
    check_origin(&config.allowed_origins, headers)?;
    Ok(config)
}

/// The company's identity settings with the secret decrypted: the one place the stored
/// (encrypted) identity secret is turned back into the HMAC key. A secret that no configured
/// signing key decrypts (the key it was written under was retired) counts as not set, so
/// signed sign-ins answer `identity_not_configured` until an admin rotates it, rather than
/// failing with a 500.
pub async fn identity_settings(
    state: &AppState,
    company: CompanyId,
) -> ApiResult<IdentitySettings> {
    let mut settings = state.db.get_identity_settings(company).await?;
    if let Some(stored) = settings.secret.take() {
        let cipher = ConfigCipher::from_config(&state.config);
        match cipher.decrypt(company, SecretField::IdentitySecret, &stored) {
            Ok(secret) => settings.secret = Some(secret),
            Err(e) => tracing::error!(error.message = %e, %company, "identity secret unreadable"),
        }
    }
    Ok(settings)
}

fn check_origin(allowed: &[String], headers: &HeaderMap) -> ApiResult<()> {
    let Some(raw) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    if allowed.is_empty() {
        return Ok(());
    }
    // Stored origins were normalised by the same parser, so equal strings are equal origins.
    // An unparseable header (`null` from a sandboxed frame or a file) matches nothing.
    let origin = raw.to_str().ok().and_then(|s| Origin::parse(s).ok());
    match origin {
        Some(o) if allowed.iter().any(|a| a == o.as_str()) => Ok(()),
        _ => Err(ApiError::ForbiddenWith {
            code: "forbidden",
            message: "this origin is not allowed to use this company's widget".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_origin(origin: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
        h
    }

    #[test]
    fn only_listed_origins_pass_a_non_empty_list() {
        let allowed = vec!["https://shop.example".to_owned(), "http://localhost:3000".to_owned()];
        assert!(check_origin(&allowed, &with_origin("https://shop.example")).is_ok());
        assert!(check_origin(&allowed, &with_origin("https://SHOP.example:443")).is_ok());
        assert!(check_origin(&allowed, &with_origin("http://localhost:3000")).is_ok());
        assert!(check_origin(&allowed, &with_origin("https://evil.example")).is_err());
        assert!(check_origin(&allowed, &with_origin("http://shop.example")).is_err());
        assert!(check_origin(&allowed, &with_origin("null")).is_err());
        assert!(check_origin(&allowed, &HeaderMap::new()).is_ok(), "no Origin: not a browser");
        assert!(check_origin(&[], &with_origin("https://evil.example")).is_ok(), "empty: any");
    }
}
