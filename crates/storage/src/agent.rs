use crate::{NewUser, Page, PageRequest, StorageResult, User};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{
    AgentCapacity, AgentStatus, CompanyId, EmailAddress, PersonName, Skill, UserId,
};

/// An agent as admins see it: the account, its availability, skills and current load.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentSummary {
    pub user: User,
    pub status: AgentStatus,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub skills: Vec<String>,
    /// How many open items routing may give it at once.
    pub capacity: AgentCapacity,
    /// Its open routing-queue items: conversations it handles plus approvals waiting for its
    /// decision.
    pub open_items: u32,
}

#[derive(Debug, Clone, Default)]
pub struct AgentUpdate {
    pub name: Option<PersonName>,
    pub email: Option<EmailAddress>,
    /// When present, replaces the whole set.
    pub skills: Option<Vec<Skill>>,
    pub capacity: Option<AgentCapacity>,
}

/// Agents (users with the `company_agent` role) with their presence and skills. Ids of
/// admins or of other companies' agents are `NotFound` here.
#[async_trait]
pub trait AgentStore {
    /// Creates the account, its skills and an `offline` presence in one transaction.
    async fn create_agent(
        &self,
        company: CompanyId,
        user: NewUser,
        skills: Vec<Skill>,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentSummary>;

    async fn get_agent(&self, company: CompanyId, id: UserId) -> StorageResult<AgentSummary>;

    /// Oldest first, deactivated agents included.
    async fn list_agents(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<AgentSummary>>;

    async fn update_agent(
        &self,
        company: CompanyId,
        id: UserId,
        update: AgentUpdate,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentSummary>;

    /// Deactivates the account, sets it offline and hands its open conversations and
    /// approvals back to the routing queue (unassigned), all at once. Returns how many
    /// items were handed back.
    async fn deactivate_agent(
        &self,
        company: CompanyId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<u64>;

    /// Sets availability and records the agent as seen now.
    async fn set_agent_status(
        &self,
        company: CompanyId,
        id: UserId,
        status: AgentStatus,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentSummary>;

    /// Records that the agent's client is still connected.
    async fn touch_agent(
        &self,
        company: CompanyId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<()>;

    /// Sets offline every agent not seen since `seen_before` and answers which (company,
    /// agent), so that their work can be handed back. Cross-tenant: the scheduled sweep for
    /// agents whose connection is gone.
    async fn mark_absent_agents_offline(
        &self,
        seen_before: DateTime<Utc>,
    ) -> StorageResult<Vec<(CompanyId, UserId)>>;
}
