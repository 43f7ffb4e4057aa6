use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, ConversationId, MessageId};
use switchboard_storage::{
    Conversation, ConversationFilter, ConversationStore, ConversationWrite, Message,
    NewConversation, Page, PageRequest, Recorded, StorageResult,
};
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

    async fn find_conversation_by_session(
        &self,
        session_hash: &str,
    ) -> StorageResult<Conversation> {
        // The sessionId names its company; nothing else is read across tenants.
        conversation::by_session::<Pg>(&mut *self.owner().await?, session_hash).await
    }

    async fn idle_ai_conversations(
        &self,
        updated_before: DateTime<Utc>,
        limit: u32,
    ) -> StorageResult<Vec<Conversation>> {
        conversation::idle_ai::<Pg>(&mut *self.owner().await?, updated_before, limit).await
    }

    async fn list_conversations(
        &self,
        company: CompanyId,
        filter: ConversationFilter,
        page: PageRequest,
    ) -> StorageResult<Page<Conversation>> {
        self.as_tenant(company, async |tx| {
            conversation::list::<Pg>(tx, company, filter, page).await
        })
        .await
    }

    async fn record_work(
        &self,
        company: CompanyId,
        id: ConversationId,
        write: ConversationWrite,
    ) -> StorageResult<Recorded> {
        self.as_tenant(company, async |tx| conversation::record::<Pg>(tx, company, id, write).await)
            .await
    }

    async fn list_messages(
        &self,
        company: CompanyId,
        conversation: ConversationId,
        after: Option<MessageId>,
        limit: u32,
    ) -> StorageResult<Vec<Message>> {
        self.as_tenant(company, async |tx| {
            conversation::messages::<Pg>(tx, company, conversation, after, limit).await
        })
        .await
    }
}
