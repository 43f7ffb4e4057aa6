use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, ConversationId, MessageId};
use switchboard_storage::{
    Conversation, ConversationFilter, ConversationStore, ConversationWrite, Message,
    NewConversation, Page, PageRequest, Recorded, StorageResult,
};
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

    async fn find_conversation_by_session(
        &self,
        session_hash: &str,
    ) -> StorageResult<Conversation> {
        conversation::by_session::<Lite>(&mut *self.read().await?, session_hash).await
    }

    async fn idle_ai_conversations(
        &self,
        updated_before: DateTime<Utc>,
        limit: u32,
    ) -> StorageResult<Vec<Conversation>> {
        conversation::idle_ai::<Lite>(&mut *self.read().await?, updated_before, limit).await
    }

    async fn list_conversations(
        &self,
        company: CompanyId,
        filter: ConversationFilter,
        page: PageRequest,
    ) -> StorageResult<Page<Conversation>> {
        conversation::list::<Lite>(&mut *self.read().await?, company, filter, page).await
    }

    async fn record_work(
        &self,
        company: CompanyId,
        id: ConversationId,
        write: ConversationWrite,
    ) -> StorageResult<Recorded> {
        self.in_tx(async |tx| conversation::record::<Lite>(tx, company, id, write).await).await
    }

    async fn list_messages(
        &self,
        company: CompanyId,
        conversation: ConversationId,
        after: Option<MessageId>,
        limit: u32,
    ) -> StorageResult<Vec<Message>> {
        conversation::messages::<Lite>(
            &mut *self.read().await?,
            company,
            conversation,
            after,
            limit,
        )
        .await
    }
}
