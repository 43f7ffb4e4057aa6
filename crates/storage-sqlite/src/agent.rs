use crate::user::{insert_user, user_from_row};
use crate::{SqliteBackend, db_err, parse_ts, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
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
             (SELECT group_concat(skill, char(31)) FROM agent_skills s \
               WHERE s.company_id = u.company_id AND s.user_id = u.id) AS skills, \
             (SELECT count(*) FROM conversations c WHERE c.company_id = u.company_id \
               AND c.assigned_agent_id = u.id AND c.status IN ('human', 'awaiting_approval')) + \
             (SELECT count(*) FROM approval_requests a WHERE a.company_id = u.company_id \
               AND a.agent_id = u.id AND a.status = 'pending') AS open_items \
             FROM users u LEFT JOIN agent_status p ON p.company_id = u.company_id AND p.user_id = u.id \
             WHERE u.role = 'company_agent' AND u.company_id = ? ",
            $rest
        )
    };
}

fn agent_from_row(row: &SqliteRow) -> StorageResult<AgentSummary> {
    let last_seen: Option<String> = row.try_get("last_seen_at").map_err(db_err)?;
    let skills: Option<String> = row.try_get("skills").map_err(db_err)?;
    let mut skills: Vec<String> =
        skills.map(|s| s.split('\u{1f}').map(str::to_owned).collect()).unwrap_or_default();
    skills.sort();
    let open: i64 = row.try_get("open_items").map_err(db_err)?;
    Ok(AgentSummary {
        user: user_from_row(row)?,
        status: AgentStatus::parse(&row.try_get::<String, _>("presence").map_err(db_err)?)
            .map_err(StorageError::corrupt)?,
        last_seen_at: last_seen.as_deref().map(parse_ts).transpose()?,
        skills,
        open_items: u32::try_from(open).unwrap_or(u32::MAX),
    })
}

async fn replace_skills(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    id: UserId,
    skills: &[Skill],
) -> StorageResult<()> {
    sqlx::query("DELETE FROM agent_skills WHERE company_id = ? AND user_id = ?")
        .bind(company.to_string())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    for skill in skills {
        sqlx::query(
            "INSERT OR IGNORE INTO agent_skills (company_id, user_id, skill) VALUES (?, ?, ?)",
        )
        .bind(company.to_string())
        .bind(id.to_string())
        .bind(skill.as_str())
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

/// `NotFound` unless `id` is an agent of `company`; keeps admins out of agent routes.
async fn ensure_agent(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    id: UserId,
) -> StorageResult<()> {
    sqlx::query("SELECT 1 FROM users WHERE company_id = ? AND id = ? AND role = 'company_agent'")
        .bind(company.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_err)?
        .map(|_| ())
        .ok_or(StorageError::NotFound)
}

async fn set_presence(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    id: UserId,
    status: AgentStatus,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO agent_status (company_id, user_id, status, last_seen_at, updated_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (company_id, user_id) DO UPDATE SET status = excluded.status, \
         last_seen_at = excluded.last_seen_at, updated_at = excluded.updated_at",
    )
    .bind(company.to_string())
    .bind(id.to_string())
    .bind(status.as_str())
    .bind(ts(now))
    .bind(ts(now))
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(())
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
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        insert_user(&mut tx, company, &user, now).await?;
        replace_skills(&mut tx, company, user.id, &skills).await?;
        sqlx::query("INSERT INTO agent_status (company_id, user_id, status, updated_at) VALUES (?, ?, 'offline', ?)")
            .bind(company.to_string())
            .bind(user.id.to_string())
            .bind(ts(now))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        self.get_agent(company, user.id).await
    }

    async fn get_agent(&self, company: CompanyId, id: UserId) -> StorageResult<AgentSummary> {
        let row = sqlx::query(select_agents!("AND u.id = ?"))
            .bind(company.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(db_err)?
            .ok_or(StorageError::NotFound)?;
        agent_from_row(&row)
    }

    async fn list_agents(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<AgentSummary>> {
        let rows = sqlx::query(select_agents!("AND (? IS NULL OR u.id > ?) ORDER BY u.id LIMIT ?"))
            .bind(company.to_string())
            .bind(page.after.as_ref().map(|c| c.as_str()))
            .bind(page.after.as_ref().map(|c| c.as_str()))
            .bind(i64::from(page.limit.get()) + 1)
            .fetch_all(&self.reader)
            .await
            .map_err(db_err)?;
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
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        ensure_agent(&mut tx, company, id).await?;
        sqlx::query(
            "UPDATE users SET name = COALESCE(?, name), email = COALESCE(?, email), updated_at = ? \
             WHERE company_id = ? AND id = ?",
        )
        .bind(update.name.as_ref().map(|n| n.as_str()))
        .bind(update.email.as_ref().map(|e| e.as_str()))
        .bind(ts(now))
        .bind(company.to_string())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(|e| match db_err(e) {
            StorageError::Conflict { .. } => {
                StorageError::Conflict { constraint: "users_company_email".into() }
            }
            other => other,
        })?;
        if let Some(skills) = &update.skills {
            replace_skills(&mut tx, company, id, skills).await?;
        }
        tx.commit().await.map_err(db_err)?;
        self.get_agent(company, id).await
    }

    async fn deactivate_agent(
        &self,
        company: CompanyId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<u64> {
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        ensure_agent(&mut tx, company, id).await?;
        let (c, u, n) = (company.to_string(), id.to_string(), ts(now));
        sqlx::query("UPDATE users SET status = 'deactivated', updated_at = ? WHERE company_id = ? AND id = ?")
            .bind(&n)
            .bind(&c)
            .bind(&u)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        set_presence(&mut tx, company, id, AgentStatus::Offline, now).await?;
        let conversations = sqlx::query(
            "UPDATE conversations SET assigned_agent_id = NULL, updated_at = ? \
             WHERE company_id = ? AND assigned_agent_id = ? AND status <> 'closed'",
        )
        .bind(&n)
        .bind(&c)
        .bind(&u)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let approvals = sqlx::query(
            "UPDATE approval_requests SET agent_id = NULL, updated_at = ? \
             WHERE company_id = ? AND agent_id = ? AND status = 'pending'",
        )
        .bind(&n)
        .bind(&c)
        .bind(&u)
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
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        ensure_agent(&mut tx, company, id).await?;
        set_presence(&mut tx, company, id, status, now).await?;
        tx.commit().await.map_err(db_err)?;
        self.get_agent(company, id).await
    }

    async fn touch_agent(
        &self,
        company: CompanyId,
        id: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        sqlx::query(
            "UPDATE agent_status SET last_seen_at = ? WHERE company_id = ? AND user_id = ?",
        )
        .bind(ts(now))
        .bind(company.to_string())
        .bind(id.to_string())
        .execute(&self.writer)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn mark_absent_agents_offline(&self, seen_before: DateTime<Utc>) -> StorageResult<u64> {
        let done = sqlx::query(
            "UPDATE agent_status SET status = 'offline', updated_at = ? \
             WHERE status <> 'offline' AND (last_seen_at IS NULL OR last_seen_at < ?)",
        )
        .bind(ts(Utc::now()))
        .bind(ts(seen_before))
        .execute(&self.writer)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
