//! What staff read: conversation lists (filtered; an agent sees its own and the live ones
//! nobody owns) and one conversation with its messages.

use crate::conversations::Conversations;
use crate::error::EngineResult;
use crate::views::{ConversationDetail, ConversationView, DETAIL_MESSAGES, MessageView};
use switchboard_domain::{CompanyId, ConversationId, UserId};
use switchboard_storage::{ConversationFilter, Page, PageRequest};

impl Conversations {
    /// A page of the company's conversations, newest first.
    pub async fn list(
        &self,
        company: CompanyId,
        filter: ConversationFilter,
        page: PageRequest,
    ) -> EngineResult<Page<ConversationView>> {
        let page = self.db.list_conversations(company, filter, page).await?;
        Ok(Page {
            items: page.items.into_iter().map(ConversationView::from).collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// One conversation with its messages. With `agent`, only one that agent may see (its
    /// own, or a live one nobody owns); anything else is `NotFound`.
    pub async fn detail(
        &self,
        company: CompanyId,
        id: ConversationId,
        agent: Option<UserId>,
    ) -> EngineResult<ConversationDetail> {
        let conversation = match agent {
            Some(agent) => self.visible_to_agent(company, id, agent).await?,
            None => self.db.get_conversation(company, id).await?,
        };
        let messages = self.db.list_messages(company, id, None, DETAIL_MESSAGES).await?;
        Ok(ConversationDetail {
            conversation: conversation.into(),
            messages: messages.into_iter().map(MessageView::from).collect(),
        })
    }
}
