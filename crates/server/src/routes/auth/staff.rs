//! Company registration and staff sign-in.

use super::session::UserView;
use super::{new_session, now, token_for};
use crate::audit::{Audit, AuditAction};
use crate::auth::{Admitted, PasswordCheck, password, strength};
use crate::envelope::{Created, Data, Envelope};
use crate::error::{ApiError, ApiResult, ErrorBody, OnConflict};
use crate::extract::ApiJson;
use crate::routes::responses::{JsonBody, Throttled};
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use switchboard_domain::{
    CompanyId, CompanyName, EmailAddress, Password, PersonName, Role, UserId, UserStatus,
};
use switchboard_storage::{
    AgentConfigDefaults, CompanyStatus, NewRegistration, NewUser, SessionSubject, StorageError,
    User,
};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(register)).routes(routes!(login))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterRequest {
    company_name: CompanyName,
    company_email: EmailAddress,
    admin_name: PersonName,
    admin_email: EmailAddress,
    admin_password: Password,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    email: EmailAddress,
    /// Not length-checked: a login only compares, and must not reveal the rules.
    password: String,
    /// The company. Without it, the email must name exactly one active account of an
    /// active company; any other case is the same `invalid_credentials`.
    #[serde(default)]
    company_id: Option<CompanyId>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthResponse {
    token: String,
    user: UserView,
    company_id: CompanyId,
    /// True for a temporary password: only me, logout and change-password work until it is changed.
    must_change_password: bool,
}

/// Registers a company with its first admin and signs that admin in.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 201, description = "Company created; the admin's token", body = Envelope<AuthResponse>),
        (status = 409, description = "Company email already registered", body = ErrorBody),
        JsonBody, Throttled,
    ))]
async fn register(
    State(state): State<AppState>,
    Admitted(client): Admitted,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> ApiResult<Created<AuthResponse>> {
    strength::check(
        req.admin_password.expose(),
        &[req.admin_email.as_str(), req.admin_name.as_str(), req.company_name.as_str()],
    )
    .map_err(|m| ApiError::validation("adminPassword", m))?;
    let company_id = CompanyId::new();
    let admin_id = UserId::new();
    let session = new_session(&state, SessionSubject::User(admin_id), Role::CompanyAdmin, client);
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
        now: now(),
    };
    let (company, admin) = state
        .db
        .register_company(registration)
        .await
        .on_conflict("a company with this email is already registered")?;
    Audit::new(company.id, AuditAction::CompanyRegistered)
        .actor(admin.id)
        .target(admin.id)
        .client(client)
        .record(&state)
        .await;
    Ok(Created(AuthResponse {
        token,
        user: UserView::from(&admin),
        company_id: company.id,
        must_change_password: false,
    }))
}

/// Signs a company admin or agent in.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = Envelope<AuthResponse>),
        (status = 401, description = "Wrong email, password or company (`invalid_credentials`)", body = ErrorBody),
        JsonBody, Throttled,
    ))]
async fn login(
    State(state): State<AppState>,
    Admitted(client): Admitted,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Data<AuthResponse>> {
    let (company, user) = match req.company_id {
        Some(company) => account_in(&state, company, &req.email).await?,
        None => the_only_account(&state, &req.email).await?,
    };
    // A guess counts against the account it names: the company sent, or the one account the
    // email alone names. Guesses without a company that name no single account share one
    // bucket per email, the nil company's.
    let bucket =
        req.company_id.or(company).unwrap_or_else(|| CompanyId::from_uuid(uuid::Uuid::nil()));
    let check = PasswordCheck::begin(&state, bucket, req.email.as_str(), client)?;
    // Always one verification, so unknown accounts answer in the same time as wrong passwords.
    let verified =
        check.verify(user.as_ref().map(|u| u.password_hash.clone()), &req.password).await?;
    let Some(user) = user.filter(|_| verified) else {
        if let Some(company) = company {
            let details = serde_json::json!({ "email": req.email.as_str() });
            Audit::new(company, AuditAction::LoginFailed)
                .client(client)
                .details(details)
                .record(&state)
                .await;
        }
        return Err(ApiError::InvalidCredentials);
    };
    let token = super::open_session(
        &state,
        user.company_id,
        SessionSubject::User(user.id),
        user.role,
        client,
    )
    .await?;
    Audit::new(user.company_id, AuditAction::Login)
        .actor(user.id)
        .target(user.id)
        .client(client)
        .record(&state)
        .await;
    Ok(Data(AuthResponse {
        token,
        must_change_password: user.must_change_password,
        company_id: user.company_id,
        user: UserView::from(&user),
    }))
}

/// The company when it exists and is active (failures are then audited there), and its
/// active account with `email`.
async fn account_in(
    state: &AppState,
    company: CompanyId,
    email: &EmailAddress,
) -> ApiResult<(Option<CompanyId>, Option<User>)> {
    let company_active = match state.db.get_company(company).await {
        Ok(c) => c.status == CompanyStatus::Active,
        Err(StorageError::NotFound) => false,
        Err(e) => return Err(e.into()),
    };
    if !company_active {
        return Ok((None, None));
    }
    let user = state.db.find_user_by_email(company, email).await?;
    Ok((Some(company), user.filter(|u| u.status == UserStatus::Active)))
}

/// The one active account with `email` across companies, with its company; `(None, None)`
/// when there is none or more than one (the caller then cannot tell which is meant).
async fn the_only_account(
    state: &AppState,
    email: &EmailAddress,
) -> ApiResult<(Option<CompanyId>, Option<User>)> {
    let mut found = state.db.find_active_users_by_email_anywhere(email, 2).await?;
    Ok(match (found.pop(), found.is_empty()) {
        (Some(user), true) => (Some(user.company_id), Some(user)),
        _ => (None, None),
    })
}
