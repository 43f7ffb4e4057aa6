use crate::{SqliteBackend, db_err, parse_ts, parse_uuid, ts};
use async_trait::async_trait;
use sqlx::Row;
use switchboard_domain::{CompanyId, ConversationId, CustomerId, EventId, FeedbackId, Rating};
use switchboard_storage::{
    Feedback, FeedbackStore, NewEvent, NewFeedback, StorageError, StorageResult,
};

#[async_trait]
impl FeedbackStore for SqliteBackend {
    async fn create_feedback(
        &self,
        company: CompanyId,
        f: NewFeedback,
        event: NewEvent,
    ) -> StorageResult<Feedback> {
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        // The foreign key alone would accept another company's conversation.
        sqlx::query("SELECT 1 FROM conversations WHERE company_id = ? AND id = ?")
            .bind(company.to_string())
            .bind(f.conversation_id.to_string())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let row = sqlx::query(
            "INSERT INTO feedback (id, company_id, conversation_id, customer_id, rating, comment, \
             created_at) VALUES (?, ?, ?, ?, ?, ?, ?) \
             RETURNING id, company_id, conversation_id, customer_id, rating, comment, created_at",
        )
        .bind(f.id.to_string())
        .bind(company.to_string())
        .bind(f.conversation_id.to_string())
        .bind(f.customer_id.map(|c| c.to_string()))
        .bind(i64::from(f.rating.get()))
        .bind(f.comment.as_ref().map(|c| c.as_str().to_owned()))
        .bind(ts(f.created_at))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO events (id, company_id, kind, conversation_id, agent_id, data, occurred_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(EventId::new().to_string())
        .bind(company.to_string())
        .bind(&event.kind)
        .bind(event.conversation_id.map(|u| u.to_string()))
        .bind(event.agent_id.map(|u| u.to_string()))
        .bind(event.data.to_string())
        .bind(ts(event.occurred_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;

        let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
        let customer: Option<String> = row.try_get("customer_id").map_err(db_err)?;
        let rating: i64 = row.try_get("rating").map_err(db_err)?;
        Ok(Feedback {
            id: FeedbackId::from_uuid(parse_uuid(&text("id")?)?),
            company_id: CompanyId::from_uuid(parse_uuid(&text("company_id")?)?),
            conversation_id: ConversationId::from_uuid(parse_uuid(&text("conversation_id")?)?),
            customer_id: customer
                .as_deref()
                .map(parse_uuid)
                .transpose()?
                .map(CustomerId::from_uuid),
            rating: Rating::parse(rating).map_err(StorageError::corrupt)?,
            comment: row.try_get("comment").map_err(db_err)?,
            created_at: parse_ts(&text("created_at")?)?,
        })
    }
}
