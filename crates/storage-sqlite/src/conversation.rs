use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use switchboard_domain::{CompanyId, ConversationId};
use switchboard_storage::{Conversation, ConversationStore, NewConversation, StorageResult};
use switchboard_storage_sql::conversation;

#[async_trait]
impl ConversationStore for SqliteBackend {
    async fn create_conversation(
        &self,
        company: CompanyId,
        new: NewConversation,
    ) -> StorageResult<Conversation> {
        conversation::create::<Lite>(&mut *self.write().await?, company, new).await
    }

    async fn get_conversation(
        &self,
        company: CompanyId,
        id: ConversationId,
    ) -> StorageResult<Conversation> {
        conversation::get::<Lite>(&mut *self.read().await?, company, id).await
    }
}
