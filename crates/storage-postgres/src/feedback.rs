use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use sqlx::Row;
use switchboard_domain::{CompanyId, ConversationId, CustomerId, EventId, FeedbackId, Rating};
use switchboard_storage::{
    Feedback, FeedbackStore, NewEvent, NewFeedback, StorageError, StorageResult,
};

#[async_trait]
impl FeedbackStore for PostgresBackend {
    async fn create_feedback(
        &self,
        company: CompanyId,
        f: NewFeedback,
        event: NewEvent,
    ) -> StorageResult<Feedback> {
        let mut tx = self.tenant_tx(company).await?;
        // The foreign key alone would accept another company's conversation (RLS hides it
        // from this SELECT too, but the filter must not rely on that).
        sqlx::query("SELECT 1 FROM conversations WHERE company_id = $1 AND id = $2")
            .bind(company.as_uuid())
            .bind(f.conversation_id.as_uuid())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let row = sqlx::query(
            "INSERT INTO feedback (id, company_id, conversation_id, customer_id, rating, comment, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             RETURNING id, company_id, conversation_id, customer_id, rating, comment, created_at",
        )
        .bind(f.id.as_uuid())
        .bind(company.as_uuid())
        .bind(f.conversation_id.as_uuid())
        .bind(f.customer_id.map(|c| c.as_uuid()))
        .bind(i32::from(f.rating.get()))
        .bind(f.comment.as_ref().map(|c| c.as_str().to_owned()))
        .bind(f.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO events (id, company_id, kind, conversation_id, agent_id, data, occurred_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(EventId::new().as_uuid())
        .bind(company.as_uuid())
        .bind(&event.kind)
        .bind(event.conversation_id)
        .bind(event.agent_id)
        .bind(&event.data)
        .bind(event.occurred_at)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;

        let customer: Option<uuid::Uuid> = row.try_get("customer_id").map_err(db_err)?;
        let rating: i32 = row.try_get("rating").map_err(db_err)?;
        Ok(Feedback {
            id: FeedbackId::from_uuid(row.try_get("id").map_err(db_err)?),
            company_id: CompanyId::from_uuid(row.try_get("company_id").map_err(db_err)?),
            conversation_id: ConversationId::from_uuid(
                row.try_get("conversation_id").map_err(db_err)?,
            ),
            customer_id: customer.map(CustomerId::from_uuid),
            rating: Rating::parse(i64::from(rating)).map_err(StorageError::corrupt)?,
            comment: row.try_get("comment").map_err(db_err)?,
            created_at: row.try_get("created_at").map_err(db_err)?,
        })
    }
}
