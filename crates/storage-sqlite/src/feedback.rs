use crate::SqliteBackend;
use crate::dialect::Lite;
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
        self.in_tx(async |tx| feedback::create::<Lite>(tx, company, f, event).await).await
    }
}
