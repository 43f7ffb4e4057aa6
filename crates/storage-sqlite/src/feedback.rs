use crate::dialect::Lite;
use crate::{SqliteBackend, db_err};
use async_trait::async_trait;
use switchboard_domain::CompanyId;
use switchboard_storage::{Feedback, FeedbackStore, NewEvent, NewFeedback, StorageResult};
use switchboard_storage_sql::feedback;

#[async_trait]
impl FeedbackStore for SqliteBackend {
    async fn create_feedback(
        &self,
        company: CompanyId,
        f: NewFeedback,
        event: NewEvent,
    ) -> StorageResult<Feedback> {
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        let created = feedback::create::<Lite>(&mut tx, company, f, event).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(created)
    }
}
