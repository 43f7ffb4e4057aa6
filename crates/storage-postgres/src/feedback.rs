use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use switchboard_domain::CompanyId;
use switchboard_storage::{Feedback, FeedbackStore, NewEvent, NewFeedback, StorageResult};
use switchboard_storage_sql::feedback;

#[async_trait]
impl FeedbackStore for PostgresBackend {
    async fn create_feedback(
        &self,
        company: CompanyId,
        f: NewFeedback,
        event: NewEvent,
    ) -> StorageResult<Feedback> {
        // Row-level security hides other companies' conversations from the ownership check
        // too, but the check's own filter must not rely on that.
        self.as_tenant(company, async |tx| feedback::create::<Pg>(tx, company, f, event).await)
            .await
    }
}
