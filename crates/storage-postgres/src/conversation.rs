use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use switchboard_domain::{CompanyId, ConversationId};
use switchboard_storage::{Conversation, ConversationStore, NewConversation, StorageResult};
use switchboard_storage_sql::conversation;

#[async_trait]
impl ConversationStore for PostgresBackend {
    async fn create_conversation(
        &self,
        company: CompanyId,
        new: NewConversation,
    ) -> StorageResult<Conversation> {
        self.as_tenant(company, async |tx| conversation::create::<Pg>(tx, company, new).await).await
    }

    async fn get_conversation(
        &self,
        company: CompanyId,
        id: ConversationId,
    ) -> StorageResult<Conversation> {
        self.as_tenant(company, async |tx| conversation::get::<Pg>(tx, company, id).await).await
    }
}
