//! Extractors that authenticate a request. A handler that takes `AdminCtx` cannot run for
//! anyone but a live admin session, and gets the company id to scope every storage call.

use super::AuthState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::Utc;
use switchboard_domain::{CompanyId, Role, SessionId, UserId, UserStatus};
use switchboard_storage::{CompanyStatus, SessionSubject, StorageError};

/// Any authenticated caller whose session is live.
#[derive(Debug, Clone)]
pub struct AuthContext {
    pub session_id: SessionId,
    pub company_id: CompanyId,
    pub role: Role,
    pub subject: SessionSubject,
    /// Staff whose password is temporary may only read themselves, log out and change it.
    pub must_change_password: bool,
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl<S: AuthState> FromRequestParts<S> for AuthContext {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(ctx) = parts.extensions.get::<AuthContext>() {
            return Ok(ctx.clone());
        }
        let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let claims = state.tokens().verify(token).ok_or(ApiError::Unauthorized)?;
        let session = match state.db().get_session(claims.cid, claims.sid).await {
            Ok(s) => s,
            Err(StorageError::NotFound) => return Err(ApiError::Unauthorized),
            Err(e) => return Err(e.into()),
        };
        if !session.is_live(Utc::now()) || session.role != claims.role {
            return Err(ApiError::Unauthorized);
        }
        // A suspended company's sessions stop working at once, as a revocation would.
        match state.db().get_company(session.company_id).await {
            Ok(c) if c.status == CompanyStatus::Active => {}
            Ok(_) => {
                return Err(ApiError::UnauthorizedBecause {
                    reason: "company_suspended",
                    message: "this company is suspended".to_owned(),
                });
            }
            Err(StorageError::NotFound) => return Err(ApiError::Unauthorized),
            Err(e) => return Err(e.into()),
        }
        let mut must_change_password = false;
        if let SessionSubject::User(user_id) = session.subject {
            let user = match state.db().get_user(session.company_id, user_id).await {
                Ok(u) => u,
                Err(StorageError::NotFound) => return Err(ApiError::Unauthorized),
                Err(e) => return Err(e.into()),
            };
            if user.status != UserStatus::Active {
                return Err(ApiError::Unauthorized);
            }
            must_change_password = user.must_change_password;
        }
        let ctx = AuthContext {
            session_id: session.id,
            company_id: session.company_id,
            role: session.role,
            subject: session.subject,
            must_change_password,
        };
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}

/// A staff member (admin or agent) allowed to use the product, i.e. not holding a
/// temporary password.
#[derive(Debug, Clone)]
pub struct StaffCtx {
    pub session_id: SessionId,
    pub company_id: CompanyId,
    pub user_id: UserId,
    pub role: Role,
}

fn staff(ctx: AuthContext) -> Result<StaffCtx, ApiError> {
    let SessionSubject::User(user_id) = ctx.subject else {
        return Err(ApiError::Forbidden);
    };
    if ctx.must_change_password {
        return Err(ApiError::ForbiddenWith {
            code: "password_change_required",
            message: "change your temporary password first".to_owned(),
        });
    }
    Ok(StaffCtx { session_id: ctx.session_id, company_id: ctx.company_id, user_id, role: ctx.role })
}

impl<S: AuthState> FromRequestParts<S> for StaffCtx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        staff(AuthContext::from_request_parts(parts, state).await?)
    }
}

/// Declares a staff extractor that admits exactly one role; any other caller gets 403.
macro_rules! role_ctx {
    ($(#[$doc:meta])* $name:ident, $role:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub StaffCtx);

        impl<S: AuthState> FromRequestParts<S> for $name {
            type Rejection = ApiError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &S,
            ) -> Result<Self, Self::Rejection> {
                let s = StaffCtx::from_request_parts(parts, state).await?;
                if s.role != $role {
                    return Err(ApiError::Forbidden);
                }
                Ok($name(s))
            }
        }

        // The role is the only thing the wrapper adds, so its fields read as the staff
        // member's own: `admin.company_id`.
        impl std::ops::Deref for $name {
            type Target = StaffCtx;

            fn deref(&self) -> &StaffCtx {
                &self.0
            }
        }
    };
}

role_ctx!(
    /// A company admin.
    AdminCtx,
    Role::CompanyAdmin
);
role_ctx!(
    /// A company agent.
    AgentCtx,
    Role::CompanyAgent
);

/// A customer of the company, anonymous or not. Its company and identity come from the
/// token, never from the request body.
#[derive(Debug, Clone)]
pub struct CustomerCtx {
    pub session_id: SessionId,
    pub company_id: CompanyId,
    pub customer_id: switchboard_domain::CustomerId,
}

impl<S: AuthState> FromRequestParts<S> for CustomerCtx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = AuthContext::from_request_parts(parts, state).await?;
        match ctx.subject {
            SessionSubject::Customer(customer_id) => Ok(CustomerCtx {
                session_id: ctx.session_id,
                company_id: ctx.company_id,
                customer_id,
            }),
            SessionSubject::User(_) => Err(ApiError::Forbidden),
        }
    }
}
