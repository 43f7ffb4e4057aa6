//! `/api/admin/agents*`: onboarding, updating, deactivating agents and resetting their
//! passwords. New and reset passwords are one-time: the agent must change them at first use.
//! Each change that can give routing room (a new agent, a higher capacity, new skills, a
//! deactivation handing work back) drains the company's queue.

use super::agents_view::{AgentView, temporary_password};
use crate::audit::{Audit, AuditAction};
use crate::auth::{AdminCtx, ClientAddr, password};
use crate::envelope::{Created, Data, Envelope, Listed, Page};
use crate::error::{ApiResult, ErrorBody, OnConflict};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::paging::PageParams;
use crate::routes::responses::{AdminOnly, JsonBody, PathId, QueryParams, Throttled};
use crate::state::AppState;
use axum::extract::State;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use switchboard_domain::{
    AgentCapacity, CompanyId, EmailAddress, Password, PersonName, Role, Skills, UserId,
};
use switchboard_storage::{AgentUpdate, NewUser, SessionSubject};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_agent, list_agents))
        .routes(routes!(get_agent, update_agent, deactivate_agent))
        .routes(routes!(reset_agent_password))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateAgentRequest {
    name: PersonName,
    email: EmailAddress,
    #[serde(default)]
    skills: Skills,
    /// How many open items routing may give the agent at once (1–100, default 5).
    capacity: Option<AgentCapacity>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateAgentRequest {
    name: Option<PersonName>,
    email: Option<EmailAddress>,
    skills: Option<Skills>,
    /// How many open items routing may give the agent at once (1–100).
    capacity: Option<AgentCapacity>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    email: String,
    /// Shown once; the agent must replace it at first login.
    temporary_password: String,
    /// The dashboard's sign-in page with the company and email filled in
    /// (`/login?company=…&email=…`), to hand over with the password.
    sign_in_path: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedAgent {
    #[serde(flatten)]
    agent: AgentView,
    credentials: Credentials,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordReset {
    temporary_password: String,
    /// As in [`Credentials`]: the sign-in page with the company and email filled in.
    sign_in_path: String,
}

/// `/login?company=…&email=…`: nobody remembers a company id, so the link carries it.
fn sign_in_path(company: CompanyId, email: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("company", &company.to_string())
        .append_pair("email", email)
        .finish();
    format!("/login?{query}")
}

/// Agents share the company's email namespace with its admins.
const EMAIL_TAKEN: &str = "another account of this company has this email";

/// Onboards an agent with a generated one-time password.
#[utoipa::path(post, path = "/api/admin/agents", tag = "admin", security(("bearer" = [])),
    request_body = CreateAgentRequest,
    responses(
        (status = 201, description = "The agent and its one-time credentials", body = Envelope<CreatedAgent>),
        (status = 409, description = "The email is taken in this company", body = ErrorBody),
        AdminOnly, JsonBody, Throttled,
    ))]
async fn create_agent(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiJson(req): ApiJson<CreateAgentRequest>,
) -> ApiResult<Created<CreatedAgent>> {
    let temporary = temporary_password();
    let user = NewUser {
        id: UserId::new(),
        email: req.email,
        name: req.name,
        role: Role::CompanyAgent,
        password_hash: password::hash(&Password::parse(&temporary).map_err(anyhow::Error::msg)?)
            .await?,
        must_change_password: true,
    };
    let company = admin.company_id;
    let mut agent = state
        .db
        .create_agent(company, user, req.skills.into_vec(), Utc::now())
        .await
        .on_conflict(EMAIL_TAKEN)?;
    if let Some(capacity) = req.capacity.filter(|c| *c != agent.capacity) {
        let update = AgentUpdate { capacity: Some(capacity), ..Default::default() };
        agent = state.db.update_agent(company, agent.user.id, update, Utc::now()).await?;
    }
    Audit::new(admin.company_id, AuditAction::AgentCreated)
        .actor(admin.user_id)
        .target(agent.user.id)
        .client(addr)
        .record(&state)
        .await;
    state.conversations.drain_queue(company).await;
    let credentials = Credentials {
        sign_in_path: sign_in_path(company, &agent.user.email),
        email: agent.user.email.clone(),
        temporary_password: temporary,
    };
    Ok(Created(CreatedAgent { agent: AgentView::from(agent), credentials }))
}

/// The company's agents with their status, skills and open items, oldest first.
#[utoipa::path(get, path = "/api/admin/agents", tag = "admin", security(("bearer" = [])), params(PageParams),
    responses(
        (status = 200, description = "One page of agents", body = Page<AgentView>),
        AdminOnly, QueryParams,
    ))]
async fn list_agents(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Listed<AgentView>> {
    let page = state.db.list_agents(admin.company_id, params.into_request()?).await?;
    Ok(Listed {
        items: page.items.into_iter().map(AgentView::from).collect(),
        next_cursor: page.next_cursor,
    })
}

/// One agent of the company.
#[utoipa::path(get, path = "/api/admin/agents/{agentId}", tag = "admin", security(("bearer" = [])),
    params(("agentId" = String, Path, description = "The agent's id")),
    responses(
        (status = 200, description = "The agent", body = Envelope<AgentView>),
        AdminOnly, PathId,
    ))]
async fn get_agent(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(agent_id): ApiPath<UserId>,
) -> ApiResult<Data<AgentView>> {
    Ok(Data(state.db.get_agent(admin.company_id, agent_id).await?.into()))
}

/// Changes an agent's name, email, skills (replaced as a whole) or capacity.
#[utoipa::path(put, path = "/api/admin/agents/{agentId}", tag = "admin", security(("bearer" = [])),
    params(("agentId" = String, Path, description = "The agent's id")),
    request_body = UpdateAgentRequest,
    responses(
        (status = 200, description = "The updated agent", body = Envelope<AgentView>),
        (status = 409, description = "The email is taken in this company", body = ErrorBody),
        AdminOnly, JsonBody, PathId,
    ))]
async fn update_agent(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiPath(agent_id): ApiPath<UserId>,
    ApiJson(req): ApiJson<UpdateAgentRequest>,
) -> ApiResult<Data<AgentView>> {
    let skills = req.skills.map(Skills::into_vec);
    let update = AgentUpdate { name: req.name, email: req.email, skills, capacity: req.capacity };
    let agent = state
        .db
        .update_agent(admin.company_id, agent_id, update, Utc::now())
        .await
        .on_conflict(EMAIL_TAKEN)?;
    Audit::new(admin.company_id, AuditAction::AgentUpdated)
        .actor(admin.user_id)
        .target(agent_id)
        .client(addr)
        .record(&state)
        .await;
    // More capacity or other skills may let the agent take what waits.
    state.conversations.drain_queue(admin.company_id).await;
    Ok(Data(agent.into()))
}

/// Deactivates an agent: its sessions end at once and its open conversations and approvals
/// go back to the queue, routed at once to whoever is present.
#[utoipa::path(delete, path = "/api/admin/agents/{agentId}", tag = "admin", security(("bearer" = [])),
    params(("agentId" = String, Path, description = "The agent's id")),
    responses(
        (status = 200, description = "The deactivated agent", body = Envelope<AgentView>),
        AdminOnly, PathId,
    ))]
async fn deactivate_agent(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiPath(agent_id): ApiPath<UserId>,
) -> ApiResult<Data<AgentView>> {
    let company = admin.company_id;
    let now = Utc::now();
    // Hands its work back and routes it to whoever is present.
    let released = state.conversations.deactivate_agent(company, agent_id).await?;
    state.db.revoke_subject_sessions(company, SessionSubject::User(agent_id), None, now).await?;
    tracing::info!(items_released = released, "agent deactivated");
    Audit::new(admin.company_id, AuditAction::AgentDeactivated)
        .actor(admin.user_id)
        .target(agent_id)
        .client(addr)
        .record(&state)
        .await;
    Ok(Data(state.db.get_agent(company, agent_id).await?.into()))
}

/// Gives an agent a new one-time password and ends all its sessions.
#[utoipa::path(post, path = "/api/admin/agents/{agentId}/password-reset", tag = "admin", security(("bearer" = [])),
    params(("agentId" = String, Path, description = "The agent's id")),
    responses(
        (status = 200, description = "The new one-time password, shown once", body = Envelope<PasswordReset>),
        AdminOnly, PathId, Throttled,
    ))]
async fn reset_agent_password(
    State(state): State<AppState>,
    addr: ClientAddr,
    admin: AdminCtx,
    ApiPath(agent_id): ApiPath<UserId>,
) -> ApiResult<Data<PasswordReset>> {
    let company = admin.company_id;
    // Checks that the id is an agent of this company, not an admin or a stranger.
    let agent = state.db.get_agent(company, agent_id).await?;
    let temporary = temporary_password();
    let hash = password::hash(&Password::parse(&temporary).map_err(anyhow::Error::msg)?).await?;
    let now = Utc::now();
    state.db.set_password(company, agent_id, &hash, true, now).await?;
    state.db.revoke_subject_sessions(company, SessionSubject::User(agent_id), None, now).await?;
    Audit::new(admin.company_id, AuditAction::AgentPasswordReset)
        .actor(admin.user_id)
        .target(agent_id)
        .client(addr)
        .record(&state)
        .await;
    let sign_in_path = sign_in_path(company, &agent.user.email);
    Ok(Data(PasswordReset { temporary_password: temporary, sign_in_path }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use crate::extract::parse_json;
    use serde_json::json;

    #[test]
    fn too_many_skills_are_refused_by_name_as_before() {
        let skills: Vec<String> = (0..51).map(|i| format!("s{i}")).collect();
        let body = json!({"name": "A", "email": "a@example.com", "skills": skills});
        let Err(ApiError::Validation(e)) = parse_json::<CreateAgentRequest>(body) else {
            panic!("51 skills must be refused");
        };
        assert_eq!(e.fields()[0].field, "skills");
        assert_eq!(e.fields()[0].message, "at most 50 skills");
        let fifty: Vec<String> = (0..50).map(|i| format!("s{i}")).collect();
        let ok = parse_json::<UpdateAgentRequest>(json!({ "skills": fifty }));
        assert!(ok.is_ok_and(|r| r.skills.is_some_and(|s| s.as_slice().len() == 50)));
    }
}
