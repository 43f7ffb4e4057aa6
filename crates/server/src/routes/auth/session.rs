//! Routes for whoever holds a session: who am I, sign out, change my password.

use crate::audit::{Audit, AuditAction};
use crate::auth::{AuthContext, ClientAddr, PasswordCheck, password, strength};
use crate::envelope::{Data, Empty, Envelope};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::routes::responses::{JsonBody, SignedIn, Throttled};
use crate::state::AppState;
use axum::extract::State;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use switchboard_domain::{CompanyId, CustomerId, Password, Role, UserId};
use switchboard_storage::{Customer, SessionSubject, User};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub company_id: CompanyId,
    pub must_change_password: bool,
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
pub struct CustomerView {
    pub id: CustomerId,
    pub company_id: CompanyId,
    pub anonymous: bool,
    pub email: Option<String>,
    pub name: Option<String>,
    /// The company site's own id for this customer, when identity was verified.
    pub external_id: Option<String>,
    pub role: Role,
}

impl From<&Customer> for CustomerView {
    fn from(c: &Customer) -> Self {
        Self {
            id: c.id,
            company_id: c.company_id,
            anonymous: c.anonymous,
            email: c.email.clone(),
            name: c.name.clone(),
            external_id: c.external_id.clone(),
            role: Role::Customer,
        }
    }
}

/// The caller: a staff member or a customer.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum MeView {
    User(UserView),
    Customer(CustomerView),
}

/// Ends the caller's session; the token is refused from the next request on.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, description = "Signed out", body = Envelope<Empty>),
        SignedIn,
    ))]
async fn logout(
    State(state): State<AppState>,
    client: ClientAddr,
    ctx: AuthContext,
) -> ApiResult<Data<Empty>> {
    state.db.revoke_session(ctx.company_id, ctx.session_id, Utc::now()).await?;
    if let SessionSubject::User(id) = ctx.subject {
        Audit::new(ctx.company_id, AuditAction::Logout)
            .actor(id)
            .target(id)
            .client(client)
            .record(&state)
            .await;
    }
    Ok(Data(Empty {}))
}

/// The signed-in staff member or customer.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = Envelope<MeView>),
        SignedIn,
    ))]
async fn me(State(state): State<AppState>, ctx: AuthContext) -> ApiResult<Data<MeView>> {
    let view = match ctx.subject {
        SessionSubject::User(id) => {
            MeView::User(UserView::from(&state.db.get_user(ctx.company_id, id).await?))
        }
        SessionSubject::Customer(id) => {
            MeView::Customer(CustomerView::from(&state.db.get_customer(ctx.company_id, id).await?))
        }
    };
    Ok(Data(view))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordRequest {
    current_password: String,
    new_password: Password,
}

/// Changes the caller's password. Every other session of the account is revoked; this one
/// stays signed in. Also how an agent replaces a temporary password. A wrong current
/// password, or a new one that is invalid or too common, is a 400.
#[utoipa::path(post, path = "/api/auth/change-password", tag = "auth", security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Changed; other sessions revoked", body = Envelope<Empty>),
        (status = 403, description = "Customers cannot change passwords here", body = ErrorBody),
        SignedIn, JsonBody, Throttled,
    ))]
async fn change_password(
    State(state): State<AppState>,
    client: ClientAddr,
    ctx: AuthContext,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> ApiResult<Data<Empty>> {
    let now = Utc::now();
    let SessionSubject::User(user_id) = ctx.subject else {
        // Customer passwords are changed through the company's own flows, not here.
        return Err(ApiError::Forbidden);
    };
    let user = state.db.get_user(ctx.company_id, user_id).await?;
    // A stolen session must not become a way to guess the password, so this is throttled
    // like a login, under the same account key: guesses here and at login count together.
    // Deliberately, the outcome is recorded as a login's would be: a wrong current password
    // is a failure, and a right one clears the account's failures, since it proves the
    // same thing a successful login does (the caller's address keeps its record).
    let check = PasswordCheck::begin(&state, ctx.company_id, &user.email, client)?;
    if !check.verify(Some(user.password_hash.clone()), &req.current_password).await? {
        Audit::new(ctx.company_id, AuditAction::PasswordChangeFailed)
            .actor(user_id)
            .target(user_id)
            .client(client)
            .record(&state)
            .await;
        return Err(ApiError::validation("currentPassword", "is not your current password"));
    }
    strength::check(req.new_password.expose(), &[&user.email, &user.name])
        .map_err(|m| ApiError::validation("newPassword", m))?;
    if req.new_password.expose() == req.current_password {
        return Err(ApiError::validation("newPassword", "must differ from the current password"));
    }
    let hash = password::hash(&req.new_password).await?;
    state.db.set_password(ctx.company_id, user_id, &hash, false, now).await?;
    let revoked = state
        .db
        .revoke_subject_sessions(ctx.company_id, ctx.subject, Some(ctx.session_id), now)
        .await?;
    Audit::new(ctx.company_id, AuditAction::PasswordChanged)
        .actor(user_id)
        .target(user_id)
        .client(client)
        .details(serde_json::json!({ "sessionsRevoked": revoked }))
        .record(&state)
        .await;
    Ok(Data(Empty {}))
}
