use crate::dialect::Lite;
use crate::{SqliteBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use switchboard_domain::{AgentStatus, CompanyId, Skill, UserId};
use switchboard_storage::{
    AgentStore, AgentSummary, AgentUpdate, NewUser, Page, PageRequest, StorageResult,
};
use switchboard_storage_sql::agent::{self, AgentDialect};

impl AgentDialect for Lite {
    /// SQLite has no arrays to `unnest`: one insert per skill (a handful at most).
    async fn insert_skills(
        conn: &mut SqliteConnection,
        company: CompanyId,
        id: UserId,
        skills: &[Skill],
    ) -> StorageResult<()> {
        for skill in skills {
            sqlx::query(
                "INSERT OR IGNORE INTO agent_skills (company_id, user_id, skill) VALUES ($1, $2, $3)",
            )
            .bind(company.to_string())
            .bind(id.to_string())
            .bind(skill.as_str())
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        }
        Ok(())
    }
}

#[async_trait]
impl AgentStore for SqliteBackend {
    async fn create_agent(
        &self,
        company: CompanyId,
        user: NewUser,
        skills: Vec<Skill>,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentSummary> {
        self.in_tx(async |tx| agent::create::<Lite>(tx, company, user, skills, now).await).await
    }

    async fn get_agent(&self, company: CompanyId, id: UserId) -> StorageResult<AgentSummary> {
        agent::get::<Lite>(&mut *self.read().await?, company, id).await
    }

    async fn list_agents(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<AgentSummary>> {
        agent::list::<Lite>(&mut *self.read().await?, company, page).await
    }

    async fn update_agent(
        &self,
        company: CompanyId,
        id: UserId,
        update: AgentUpdate,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentSummary> {
        self.in_tx(async |tx| agent::update::<Lite>(tx, company, id, update, now).await).await
    }

    async fn deactivate_agent(
        &self,
        company: CompanyId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<u64> {
        self.in_tx(async |tx| agent::deactivate::<Lite>(tx, company, id, now).await).await
    }

    async fn set_agent_status(
        &self,
        company: CompanyId,
        id: UserId,
        status: AgentStatus,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentSummary> {
        self.in_tx(async |tx| agent::set_status::<Lite>(tx, company, id, status, now).await).await
    }

    async fn touch_agent(
        &self,
        company: CompanyId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        agent::touch::<Lite>(&mut *self.write().await?, company, id, now).await
    }

    async fn mark_absent_agents_offline(
        &self,
        seen_before: DateTime<Utc>,
    ) -> StorageResult<Vec<(CompanyId, UserId)>> {
        agent::mark_absent_offline::<Lite>(&mut *self.write().await?, seen_before).await
    }
}
