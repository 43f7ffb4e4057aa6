//! Storage contracts. Each aggregate has its own narrow trait; every tenant-scoped method
//! takes the caller's [`CompanyId`] first, so a handler cannot ask for a row without saying
//! whose it is. The backends (`storage-sqlite`, `storage-postgres`) implement all of them
//! and are checked by one conformance suite (`storage-tests`).

mod agent;
mod approval;
mod audit;
mod classification;
mod company;
mod config;
mod conversation;
mod customer;
mod error;
mod event;
mod faq;
mod feedback;
mod job;
mod knowledge;
mod message;
mod page;
mod queue;
mod rollup;
mod session;
mod tool;
mod user;
mod workflow;

pub use agent::{AgentStore, AgentSummary, AgentUpdate};
pub use approval::{
    ApprovalDecision, ApprovalEscalation, ApprovalFilter, ApprovalRequest, ApprovalStatus,
    ApprovalStore, Decision, NewApproval, ProposedAction, WorkflowStepRef,
};
pub use audit::{AuditEntry, AuditStore, NewAuditEntry};
pub use classification::{
    ClassificationExample, ClassificationExampleStore, ExamplesStamp, MAX_EXAMPLES_PER_WRITE,
    NewExample, TrainingExample,
};
pub use company::{AgentConfigDefaults, Company, CompanyStatus, CompanyStore, NewRegistration};
pub use config::{AgentConfig, AgentConfigUpdate, ConfigStore, IdentitySettings, ai_keys};
pub use conversation::{
    Conversation, ConversationClassification, ConversationFilter, ConversationStore,
    ConversationWrite, NewConversation, Recorded, StatusChange, WorkChange,
};
pub use customer::{Customer, CustomerStore, NewCustomer};
pub use error::{StorageError, StorageResult};
pub use event::{Event, EventStore, NewEvent};
pub use faq::{Faq, FaqContent, FaqStore, IndexedPhrasing, PhrasingVector};
pub use feedback::{Feedback, FeedbackStore, NewFeedback};
pub use job::{Job, JobStore};
pub use knowledge::{
    DocumentRevision, DocumentSummary, DocumentUpdate, IndexedChunk, KnowledgeDocument,
    KnowledgeStamp, KnowledgeStore, NewChunk, NewContent, NewDocument, NewPassage, PassageView,
};
pub use message::{Message, NewMessage};
pub use page::{Page, PageRequest};
pub use queue::{NewWorkItem, RoutingClock, WorkItem, WorkQueueStore, WorkSubject};
pub use rollup::{DailyRollup, RollupStore};
pub use session::{NewSession, Session, SessionStore, SessionSubject};
pub use tool::{Tool, ToolStore};
pub use user::{NewUser, User, UserStore};
pub use workflow::{Workflow, WorkflowStore};

use async_trait::async_trait;
pub use switchboard_domain::CompanyId;

/// Which engine a backend runs on; shown by `/ready` and used where behaviour differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Sqlite => "sqlite",
            BackendKind::Postgres => "postgres",
        }
    }
}

/// Everything the server needs from a database, as one object. Handlers take it as
/// `Arc<dyn Backend>` and call the narrow trait they need.
#[async_trait]
pub trait Backend:
    CompanyStore
    + UserStore
    + AgentStore
    + CustomerStore
    + ConfigStore
    + SessionStore
    + AuditStore
    + EventStore
    + ConversationStore
    + FeedbackStore
    + RollupStore
    + KnowledgeStore
    + FaqStore
    + ClassificationExampleStore
    + JobStore
    + ToolStore
    + WorkflowStore
    + ApprovalStore
    + WorkQueueStore
    + Send
    + Sync
    + 'static
{
    fn kind(&self) -> BackendKind;

    /// Cheap round trip used by `/ready`.
    async fn ping(&self) -> StorageResult<()>;

    /// Waits for in-flight writes and closes the pool; called on graceful shutdown.
    async fn close(&self);
}
