//! `/api/auth/*`: company registration, staff and customer sign-in, sessions.

mod customer;
mod customer_credentials;
mod session;
mod staff;

use crate::auth::{Claims, ClientAddr};
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, Role, SessionId};
use switchboard_storage::{NewSession, SessionSubject};
use utoipa_axum::router::OpenApiRouter;

/// Staff sign-in and sessions. Customer sign-in is served under the public, cross-origin
/// routes (`routes::public`), since the widget calls it from the company's site.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(staff::router()).merge(session::router())
}

pub fn customer_router() -> OpenApiRouter<AppState> {
    customer::router()
}

/// A new session row for `subject`, expiring after the configured lifetime.
fn new_session(
    state: &AppState,
    subject: SessionSubject,
    role: Role,
    client: ClientAddr,
) -> NewSession {
    let ttl =
        chrono::Duration::from_std(state.config.session_ttl).unwrap_or(chrono::Duration::hours(24));
    NewSession {
        id: SessionId::new(),
        subject,
        role,
        expires_at: Utc::now() + ttl,
        client_addr: Some(client.to_string()),
        user_agent: None,
    }
}

/// The signed token that names `session`.
fn token_for(state: &AppState, company: CompanyId, session: &NewSession) -> ApiResult<String> {
    let claims = Claims {
        sub: session.subject.id_string(),
        sid: session.id,
        cid: company,
        role: session.role,
        iat: Utc::now().timestamp(),
        exp: session.expires_at.timestamp(),
    };
    Ok(state.tokens.issue(&claims)?)
}

/// Creates the session and returns its token.
async fn open_session(
    state: &AppState,
    company: CompanyId,
    subject: SessionSubject,
    role: Role,
    client: ClientAddr,
) -> ApiResult<String> {
    let session = new_session(state, subject, role, client);
    let token = token_for(state, company, &session)?;
    state.db.create_session(company, session, Utc::now()).await?;
    Ok(token)
}

fn now() -> DateTime<Utc> {
    Utc::now()
}
