//! `/api/auth/*`: company registration, staff login and logout, and who-am-I.

use crate::auth::{AuthContext, Claims, password};
use crate::envelope::{Created, Ok};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::extract::{ConnectInfo, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use switchboard_domain::{
    CompanyId, CompanyName, EmailAddress, Password, PersonName, Role, SessionId, UserId, UserStatus,
};
use switchboard_storage::{
    AgentConfigDefaults, NewAuditEntry, NewRegistration, NewSession, NewUser, SessionSubject, User,
};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(value_type = String, example = "TechCorp")]
    company_name: CompanyName,
    #[schema(value_type = String, format = "email")]
    company_email: EmailAddress,
    #[schema(value_type = String)]
    admin_name: PersonName,
    #[schema(value_type = String, format = "email")]
    admin_email: EmailAddress,
    #[schema(value_type = String, format = "password", min_length = 8, max_length = 128)]
    admin_password: Password,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    #[schema(value_type = String, format = "email")]
    email: EmailAddress,
    /// Not length-checked here: a login only compares, and must not reveal the rules.
    password: String,
    #[schema(value_type = String, format = "uuid")]
    company_id: CompanyId,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    id: UserId,
    name: String,
    email: String,
    role: Role,
    company_id: CompanyId,
    must_change_password: bool,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        Self {
            id: u.id,
            name: u.name.clone(),
            email: u.email.clone(),
            role: u.role,
            company_id: u.company_id,
            must_change_password: u.must_change_password,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthResponse {
    token: String,
    user: UserView,
    company_id: CompanyId,
    must_change_password: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Empty {}

fn new_session(
    state: &AppState,
    subject: SessionSubject,
    role: Role,
    now: DateTime<Utc>,
    addr: SocketAddr,
) -> NewSession {
    let ttl =
        chrono::Duration::from_std(state.config.session_ttl).unwrap_or(chrono::Duration::hours(24));
    NewSession {
        id: SessionId::new(),
        subject,
        role,
        expires_at: now + ttl,
        client_addr: Some(addr.ip().to_string()),
        user_agent: None,
    }
}

fn token_for(state: &AppState, company: CompanyId, session: &NewSession) -> ApiResult<String> {
    let claims = Claims {
        sub: session.subject.id_string(),
        sid: session.id,
        cid: company,
        role: session.role,
        iat: Utc::now().timestamp(),
        exp: session.expires_at.timestamp(),
    };
    Result::Ok(state.tokens.issue(&claims)?)
}

async fn audit(
    state: &AppState,
    company: CompanyId,
    actor: Option<UserId>,
    action: &str,
    addr: SocketAddr,
) {
    let entry = NewAuditEntry {
        actor_id: actor.map(|a| a.as_uuid()),
        action: action.to_owned(),
        target_id: actor.map(|a| a.as_uuid()),
        client_addr: Some(addr.ip().to_string()),
        details: serde_json::json!({}),
    };
    // An audit write failing must not turn a successful login into an error; it is logged.
    if let Err(e) = state.db.append_audit(company, entry, Utc::now()).await {
        tracing::error!(error.message = %e, action, "could not write the audit log");
    }
}

/// Registers a company with its first admin and signs that admin in.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 201, description = "Company created; the admin's token", body = AuthResponse),
        (status = 400, description = "Invalid fields", body = crate::openapi::ErrorBody),
        (status = 409, description = "Company email already registered", body = crate::openapi::ErrorBody),
        (status = 413, description = "Body too large", body = crate::openapi::ErrorBody),
        (status = 415, description = "Not JSON", body = crate::openapi::ErrorBody),
    ))]
async fn register(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> ApiResult<Created<AuthResponse>> {
    let now = Utc::now();
    let company_id = CompanyId::new();
    let admin_id = UserId::new();
    let session =
        new_session(&state, SessionSubject::User(admin_id), Role::CompanyAdmin, now, addr);
    let token = token_for(&state, company_id, &session)?;
    let registration = NewRegistration {
        company_id,
        config: AgentConfigDefaults {
            agent_name: "Assistant".to_owned(),
            branding_name: req.company_name.as_str().to_owned(),
            greeting_message: format!("Hi! How can {} help you today?", req.company_name.as_str()),
        },
        company_name: req.company_name,
        company_email: req.company_email,
        admin: NewUser {
            id: admin_id,
            email: req.admin_email,
            name: req.admin_name,
            role: Role::CompanyAdmin,
            password_hash: password::hash(&req.admin_password).await?,
            must_change_password: false,
        },
        session,
        now,
    };
    let (company, admin) = state.db.register_company(registration).await.map_err(|e| match e {
        switchboard_storage::StorageError::Conflict { .. } => {
            ApiError::Conflict("a company with this email is already registered".to_owned())
        }
        other => other.into(),
    })?;
    audit(&state, company.id, Some(admin.id), "company.registered", addr).await;
    Result::Ok(Created(AuthResponse {
        token,
        user: UserView::from(&admin),
        company_id: company.id,
        must_change_password: false,
    }))
}

/// Signs a company admin or agent in.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = AuthResponse),
        (status = 400, description = "Invalid fields", body = crate::openapi::ErrorBody),
        (status = 401, description = "Wrong email, password or company (`invalid_credentials`)", body = crate::openapi::ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Ok<AuthResponse>> {
    let user = match state.db.find_user_by_email(req.company_id, &req.email).await {
        Result::Ok(u) => u.filter(|u| u.status == UserStatus::Active),
        Err(switchboard_storage::StorageError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let verified =
        password::verify(user.as_ref().map(|u| u.password_hash.clone()), &req.password).await?;
    let Some(user) = user.filter(|_| verified) else {
        if state.db.get_company(req.company_id).await.is_ok() {
            audit(&state, req.company_id, None, "auth.login_failed", addr).await;
        }
        return Err(ApiError::InvalidCredentials);
    };
    let now = Utc::now();
    let session = new_session(&state, SessionSubject::User(user.id), user.role, now, addr);
    let token = token_for(&state, user.company_id, &session)?;
    state.db.create_session(user.company_id, session, now).await?;
    audit(&state, user.company_id, Some(user.id), "auth.login", addr).await;
    Result::Ok(Ok(AuthResponse {
        token,
        must_change_password: user.must_change_password,
        company_id: user.company_id,
        user: UserView::from(&user),
    }))
}

/// Ends the caller's session; the token is refused from the next request on.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, description = "Signed out", body = Empty),
        (status = 401, description = "No or invalid token", body = crate::openapi::ErrorBody),
    ))]
async fn logout(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ctx: AuthContext,
) -> ApiResult<Ok<Empty>> {
    state.db.revoke_session(ctx.company_id, ctx.session_id, Utc::now()).await?;
    if let SessionSubject::User(id) = ctx.subject {
        audit(&state, ctx.company_id, Some(id), "auth.logout", addr).await;
    }
    Result::Ok(Ok(Empty {}))
}

/// The signed-in staff member.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = UserView),
        (status = 401, description = "No or invalid token", body = crate::openapi::ErrorBody),
    ))]
async fn me(State(state): State<AppState>, ctx: AuthContext) -> ApiResult<Ok<UserView>> {
    match ctx.subject {
        SessionSubject::User(id) => {
            let user = state.db.get_user(ctx.company_id, id).await?;
            Result::Ok(Ok(UserView::from(&user)))
        }
        SessionSubject::Customer(_) => Err(ApiError::NotFound),
    }
}
