use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;
use switchboard_domain::{CompanyId, ConversationId, CustomerId};
use switchboard_storage::{Conversation, ConversationStore, NewConversation, StorageResult};

// A macro rather than a `const` so that `concat!` can splice it into `&'static str` queries.
macro_rules! columns {
    () => {
        "id, company_id, customer_id, session_hash, status, category, created_at"
    };
}

fn conversation_from_row(row: &PgRow) -> StorageResult<Conversation> {
    let customer: Option<uuid::Uuid> = row.try_get("customer_id").map_err(db_err)?;
    Ok(Conversation {
        id: ConversationId::from_uuid(row.try_get("id").map_err(db_err)?),
        company_id: CompanyId::from_uuid(row.try_get("company_id").map_err(db_err)?),
        customer_id: customer.map(CustomerId::from_uuid),
        session_hash: row.try_get("session_hash").map_err(db_err)?,
        status: row.try_get("status").map_err(db_err)?,
        category: row.try_get("category").map_err(db_err)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
    })
}

#[async_trait]
impl ConversationStore for PostgresBackend {
    async fn create_conversation(
        &self,
        company: CompanyId,
        c: NewConversation,
    ) -> StorageResult<Conversation> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(concat!(
            "INSERT INTO conversations (id, company_id, customer_id, session_hash, category, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ",
            columns!()
        ))
        .bind(c.id.as_uuid())
        .bind(company.as_uuid())
        .bind(c.customer_id.map(|id| id.as_uuid()))
        .bind(&c.session_hash)
        .bind(&c.category)
        .bind(c.now)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let stored = conversation_from_row(&row)?;
        tx.commit().await.map_err(db_err)?;
        Ok(stored)
    }

    async fn get_conversation(
        &self,
        company: CompanyId,
        id: ConversationId,
    ) -> StorageResult<Conversation> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM conversations WHERE company_id = $1 AND id = $2"
        ))
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        conversation_from_row(&row)
    }
}
