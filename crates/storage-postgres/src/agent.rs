use crate::user::{insert_user, user_from_row};
use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use switchboard_domain::{AgentStatus, CompanyId, Skill, UserId};
use switchboard_storage::{
    AgentStore, AgentSummary, AgentUpdate, NewUser, Page, PageRequest, StorageError, StorageResult,
};

/// Every user column, the presence, the skills joined by the unit separator (which skills
/// cannot contain) and the open-item count, for agents of one company.
macro_rules! select_agents {
    ($rest:literal) => {
        concat!(
            "SELECT u.id, u.company_id, u.email, u.name, u.role, u.status, u.password_hash, \
             u.must_change_password, u.created_at, u.updated_at, \
             COALESCE(p.status, 'offline') AS presence, p.last_seen_at, \
             (SELECT string_agg(skill, chr(31) ORDER BY skill) FROM agent_skills s \
               WHERE s.company_id = u.company_id AND s.user_id = u.id) AS skills, \
             ((SELECT count(*) FROM conversations c WHERE c.company_id = u.company_id \
               AND c.assigned_agent_id = u.id AND c.status IN ('human', 'awaiting_approval')) + \
             (SELECT count(*) FROM approval_requests a WHERE a.company_id = u.company_id \
               AND a.agent_id = u.id AND a.status = 'pending'))::bigint AS open_items \
             FROM users u LEFT JOIN agent_status p ON p.company_id = u.company_id AND p.user_id = u.id \
             WHERE u.role = 'company_agent' AND u.company_id = $1 ",
            $rest
        )
    };
}

fn agent_from_row(row: &PgRow) -> StorageResult<AgentSummary> {
    let skills: Option<String> = row.try_get("skills").map_err(db_err)?;
    let open: i64 = row.try_get("open_items").map_err(db_err)?;
    Ok(AgentSummary {
        user: user_from_row(row)?,
        status: AgentStatus::parse(&row.try_get::<String, _>("presence").map_err(db_err)?)
            .map_err(StorageError::corrupt)?,
        last_seen_at: row.try_get("last_seen_at").map_err(db_err)?,
        skills: skills.map(|s| s.split('\u{1f}').map(str::to_owned).collect()).unwrap_or_default(),
        open_items: u32::try_from(open).unwrap_or(u32::MAX),
    })
}

async fn fetch_agent(
    conn: &mut PgConnection,
    company: CompanyId,
    id: UserId,
) -> StorageResult<AgentSummary> {
    let row = sqlx::query(select_agents!("AND u.id = $2"))
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
    agent_from_row(&row)
}

async fn replace_skills(
    conn: &mut PgConnection,
    company: CompanyId,
    id: UserId,
    skills: &[Skill],
) -> StorageResult<()> {
    sqlx::query("DELETE FROM agent_skills WHERE company_id = $1 AND user_id = $2")
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    let names: Vec<&str> = skills.iter().map(Skill::as_str).collect();
    sqlx::query(
        "INSERT INTO agent_skills (company_id, user_id, skill) SELECT $1, $2, unnest($3::text[]) \
         ON CONFLICT DO NOTHING",
    )
    .bind(company.as_uuid())
    .bind(id.as_uuid())
    .bind(&names)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// `NotFound` unless `id` is an agent of `company`; keeps admins out of agent routes.
async fn ensure_agent(
    conn: &mut PgConnection,
    company: CompanyId,
    id: UserId,
) -> StorageResult<()> {
    sqlx::query("SELECT 1 FROM users WHERE company_id = $1 AND id = $2 AND role = 'company_agent'")
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .map(|_| ())
        .ok_or(StorageError::NotFound)
}

async fn set_presence(
    conn: &mut PgConnection,
    company: CompanyId,
    id: UserId,
    status: AgentStatus,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO agent_status (company_id, user_id, status, last_seen_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (company_id, user_id) DO UPDATE SET status = excluded.status, \
         last_seen_at = excluded.last_seen_at, updated_at = excluded.updated_at",
    )
    .bind(company.as_uuid())
    .bind(id.as_uuid())
    .bind(status.as_str())
    .bind(now)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
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
        let mut tx = self.tenant_tx(company).await?;
        insert_user(&mut tx, company, &user, now).await?;
        replace_skills(&mut tx, company, user.id, &skills).await?;
        sqlx::query("INSERT INTO agent_status (company_id, user_id, status, updated_at) VALUES ($1, $2, 'offline', $3)")
            .bind(company.as_uuid())
            .bind(user.id.as_uuid())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let agent = fetch_agent(&mut tx, company, user.id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(agent)
    }

    async fn get_agent(&self, company: CompanyId, id: UserId) -> StorageResult<AgentSummary> {
        let mut tx = self.tenant_tx(company).await?;
        let agent = fetch_agent(&mut tx, company, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(agent)
    }

    async fn list_agents(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<AgentSummary>> {
        // A cursor that is not a UUID matches nothing: it cannot have come from this list.
        let after = match page.after.as_ref().map(|c| uuid::Uuid::parse_str(c.as_str())) {
            Some(Err(_)) => return Ok(Page { items: vec![], next_cursor: None }),
            Some(Ok(u)) => Some(u),
            None => None,
        };
        let mut tx = self.tenant_tx(company).await?;
        let rows = sqlx::query(select_agents!(
            "AND ($2::uuid IS NULL OR u.id > $2) ORDER BY u.id LIMIT $3"
        ))
        .bind(company.as_uuid())
        .bind(after)
        .bind(i64::from(page.limit.get()) + 1)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        let items = rows.iter().map(agent_from_row).collect::<StorageResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page.limit, |a| a.user.id.to_string()))
    }

    async fn update_agent(
        &self,
        company: CompanyId,
        id: UserId,
        update: AgentUpdate,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentSummary> {
        let mut tx = self.tenant_tx(company).await?;
        ensure_agent(&mut tx, company, id).await?;
        sqlx::query(
            "UPDATE users SET name = COALESCE($1, name), email = COALESCE($2, email), updated_at = $3 \
             WHERE company_id = $4 AND id = $5",
        )
        .bind(update.name.as_ref().map(|n| n.as_str()))
        .bind(update.email.as_ref().map(|e| e.as_str()))
        .bind(now)
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(|e| match db_err(e) {
            StorageError::Conflict { .. } => StorageError::Conflict { constraint: "users_company_email".into() },
            other => other,
        })?;
        if let Some(skills) = &update.skills {
            replace_skills(&mut tx, company, id, skills).await?;
        }
        let agent = fetch_agent(&mut tx, company, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(agent)
    }

    async fn deactivate_agent(
        &self,
        company: CompanyId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<u64> {
        let mut tx = self.tenant_tx(company).await?;
        ensure_agent(&mut tx, company, id).await?;
        let (c, u) = (company.as_uuid(), id.as_uuid());
        sqlx::query("UPDATE users SET status = 'deactivated', updated_at = $1 WHERE company_id = $2 AND id = $3")
            .bind(now)
            .bind(c)
            .bind(u)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        set_presence(&mut tx, company, id, AgentStatus::Offline, now).await?;
        let conversations = sqlx::query(
            "UPDATE conversations SET assigned_agent_id = NULL, updated_at = $1 \
             WHERE company_id = $2 AND assigned_agent_id = $3 AND status <> 'closed'",
        )
        .bind(now)
        .bind(c)
        .bind(u)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let approvals = sqlx::query(
            "UPDATE approval_requests SET agent_id = NULL, updated_at = $1 \
             WHERE company_id = $2 AND agent_id = $3 AND status = 'pending'",
        )
        .bind(now)
        .bind(c)
        .bind(u)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(conversations.rows_affected() + approvals.rows_affected())
    }

    async fn set_agent_status(
        &self,
        company: CompanyId,
        id: UserId,
        status: AgentStatus,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentSummary> {
        let mut tx = self.tenant_tx(company).await?;
        ensure_agent(&mut tx, company, id).await?;
        set_presence(&mut tx, company, id, status, now).await?;
        let agent = fetch_agent(&mut tx, company, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(agent)
    }

    async fn touch_agent(
        &self,
        company: CompanyId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        let mut tx = self.tenant_tx(company).await?;
        sqlx::query(
            "UPDATE agent_status SET last_seen_at = $1 WHERE company_id = $2 AND user_id = $3",
        )
        .bind(now)
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn mark_absent_agents_offline(&self, seen_before: DateTime<Utc>) -> StorageResult<u64> {
        // Cross-tenant sweep, so it runs as the owner role, outside row-level security.
        let done = sqlx::query(
            "UPDATE agent_status SET status = 'offline', updated_at = now() \
             WHERE status <> 'offline' AND (last_seen_at IS NULL OR last_seen_at < $1)",
        )
        .bind(seen_before)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
