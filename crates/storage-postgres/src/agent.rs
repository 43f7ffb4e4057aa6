use crate::dialect::Pg;
use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use switchboard_domain::{AgentStatus, CompanyId, Skill, UserId};
use switchboard_storage::{
    AgentStore, AgentSummary, AgentUpdate, NewUser, Page, PageRequest, StorageResult,
};
use switchboard_storage_sql::agent::{self, AgentDialect};

impl AgentDialect for Pg {
    /// Every skill in one statement, over the array `unnest` spreads into rows.
    async fn insert_skills(
        conn: &mut PgConnection,
        company: CompanyId,
        id: UserId,
        skills: &[Skill],
    ) -> StorageResult<()> {
        let names: Vec<&str> = skills.iter().map(Skill::as_str).collect();
        sqlx::query(
            "INSERT INTO agent_skills (company_id, user_id, skill) \
             SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING",
        )
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .bind(&names)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}

#[async_trait]
impl AgentStore for PostgresBackend {
    async fn create_agent(
        &self,
        company: CompanyId,
        user: NewUser,
        skills: Vec<Skill>,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentSummary> {
        self.as_tenant(company, async |tx| {
            agent::create::<Pg>(tx, company, user, skills, now).await
        })
        .await
    }

    async fn get_agent(&self, company: CompanyId, id: UserId) -> StorageResult<AgentSummary> {
        self.as_tenant(company, async |tx| agent::get::<Pg>(tx, company, id).await).await
    }

    async fn list_agents(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<AgentSummary>> {
        self.as_tenant(company, async |tx| agent::list::<Pg>(tx, company, page).await).await
    }

    async fn update_agent(
        &self,
        company: CompanyId,
        id: UserId,
        update: AgentUpdate,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentSummary> {
        self.as_tenant(company, async |tx| agent::update::<Pg>(tx, company, id, update, now).await)
            .await
    }

    async fn deactivate_agent(
        &self,
        company: CompanyId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<u64> {
        self.as_tenant(company, async |tx| agent::deactivate::<Pg>(tx, company, id, now).await)
            .await
    }

    async fn set_agent_status(
        &self,
        company: CompanyId,
        id: UserId,
        status: AgentStatus,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentSummary> {
        self.as_tenant(company, async |tx| {
            agent::set_status::<Pg>(tx, company, id, status, now).await
        })
        .await
    }

    async fn touch_agent(
        &self,
        company: CompanyId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        self.as_tenant(company, async |tx| agent::touch::<Pg>(tx, company, id, now).await).await
    }

    async fn mark_absent_agents_offline(
        &self,
        seen_before: DateTime<Utc>,
    ) -> StorageResult<Vec<(CompanyId, UserId)>> {
        // Cross-tenant sweep, so it runs as the owner role, outside row-level security.
        agent::mark_absent_offline::<Pg>(&mut *self.owner().await?, seen_before).await
    }
}
