use crate::{SqliteBackend, db_err, parse_ts, parse_uuid, ts};
use async_trait::async_trait;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use switchboard_domain::{CompanyId, ConversationId, CustomerId};
use switchboard_storage::{Conversation, ConversationStore, NewConversation, StorageResult};

// A macro rather than a `const` so that `concat!` can splice it into `&'static str` queries.
macro_rules! columns {
    () => {
        "id, company_id, customer_id, session_hash, status, category, created_at"
    };
}

fn conversation_from_row(row: &SqliteRow) -> StorageResult<Conversation> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    let customer: Option<String> = row.try_get("customer_id").map_err(db_err)?;
    Ok(Conversation {
        id: ConversationId::from_uuid(parse_uuid(&text("id")?)?),
        company_id: CompanyId::from_uuid(parse_uuid(&text("company_id")?)?),
        customer_id: customer.as_deref().map(parse_uuid).transpose()?.map(CustomerId::from_uuid),
        session_hash: text("session_hash")?,
        status: text("status")?,
        category: row.try_get("category").map_err(db_err)?,
        created_at: parse_ts(&text("created_at")?)?,
    })
}

#[async_trait]
impl ConversationStore for SqliteBackend {
    async fn create_conversation(
        &self,
        company: CompanyId,
        c: NewConversation,
    ) -> StorageResult<Conversation> {
        let row = sqlx::query(concat!(
            "INSERT INTO conversations (id, company_id, customer_id, session_hash, category, \
             created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ",
            columns!()
        ))
        .bind(c.id.to_string())
        .bind(company.to_string())
        .bind(c.customer_id.map(|id| id.to_string()))
        .bind(&c.session_hash)
        .bind(&c.category)
        .bind(ts(c.now))
        .bind(ts(c.now))
        .fetch_one(&self.writer)
        .await
        .map_err(db_err)?;
        conversation_from_row(&row)
    }

    async fn get_conversation(
        &self,
        company: CompanyId,
        id: ConversationId,
    ) -> StorageResult<Conversation> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM conversations WHERE company_id = ? AND id = ?"
        ))
        .bind(company.to_string())
        .bind(id.to_string())
        .fetch_one(&self.reader)
        .await
        .map_err(db_err)?;
        conversation_from_row(&row)
    }
}
