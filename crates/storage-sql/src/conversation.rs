//! Conversations and their messages. Every change of a conversation goes through
//! [`record`]: one transaction that checks the status the caller saw, applies the change,
//! writes the messages and appends the analytics events.

use crate::page::{bind_after, overfetch};
use crate::{Binds, Dialect, SqlRow};
use switchboard_domain::{CompanyId, ConversationId, CustomerId, MessageId, UserId};
use switchboard_storage::{
    Conversation, ConversationFilter, ConversationWrite, Message, NewConversation, NewMessage,
    Page, PageRequest, Recorded, StorageError, StorageResult,
};

macro_rules! columns {
    () => {
        "id, company_id, customer_id, session_hash, status, assigned_agent_id, category, \
         priority, urgency, sentiment, classification, resolution, created_at, updated_at, \
         handed_off_at, closed_at, workflow_state"
    };
}

macro_rules! message_columns {
    () => {
        "id, conversation_id, sender, sender_id, content, citations, created_at"
    };
}

const INSERT: &str = concat!(
    "INSERT INTO conversations (id, company_id, customer_id, session_hash, category, \
     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ",
    columns!()
);

const SELECT: &str =
    concat!("SELECT ", columns!(), " FROM conversations WHERE company_id = $1 AND id = $2");

const BY_SESSION: &str =
    concat!("SELECT ", columns!(), " FROM conversations WHERE session_hash = $1");

// Cross-tenant, for the idle sweep; `conversations_idle` keeps it an index range scan.
const IDLE_AI: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM conversations WHERE status = 'ai' AND updated_at < $1 ORDER BY updated_at LIMIT $2"
);

const LIST: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM conversations WHERE company_id = $1 \
     AND ($2 IS NULL OR status = $2) \
     AND ($3 IS NULL OR assigned_agent_id = $3) \
     AND ($4 IS NULL OR category = $4) \
     AND ($5 IS NULL OR assigned_agent_id = $5 \
          OR (assigned_agent_id IS NULL AND status <> 'closed')) \
     AND ($6 IS NULL OR id < $6) ORDER BY id DESC LIMIT $7"
);

// The owner comparison spells out NULL = NULL, which `=` alone treats as unknown.
const CHANGE_STATUS: &str = concat!(
    "UPDATE conversations SET status = $3, assigned_agent_id = $4, \
     resolution = COALESCE($5, resolution), updated_at = $6, \
     handed_off_at = CASE WHEN $3 = 'human' AND handed_off_at IS NULL THEN $6 \
                          ELSE handed_off_at END, \
     closed_at = CASE WHEN $3 = 'closed' THEN $6 ELSE closed_at END \
     WHERE company_id = $1 AND id = $2 AND status = $7 \
     AND (assigned_agent_id = $8 OR (assigned_agent_id IS NULL AND $8 IS NULL)) RETURNING ",
    columns!()
);

const CLASSIFY: &str = "UPDATE conversations SET category = $3, priority = $4, urgency = $5, \
     sentiment = $6, classification = $7, updated_at = $8 WHERE company_id = $1 AND id = $2";

const SET_PRIORITY: &str =
    "UPDATE conversations SET priority = $3 WHERE company_id = $1 AND id = $2";

const SET_WORKFLOW: &str =
    "UPDATE conversations SET workflow_state = $3 WHERE company_id = $1 AND id = $2";

const TOUCH: &str = concat!(
    "UPDATE conversations SET updated_at = $3 WHERE company_id = $1 AND id = $2 RETURNING ",
    columns!()
);

const INSERT_MESSAGE: &str = "INSERT INTO messages (id, company_id, conversation_id, sender, \
     sender_id, content, citations, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

const LIST_MESSAGES: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE company_id = $1 AND conversation_id = $2 \
     AND ($3 IS NULL OR id > $3) ORDER BY id LIMIT $4"
);

fn conversation_from_row(row: &impl SqlRow) -> StorageResult<Conversation> {
    Ok(Conversation {
        id: ConversationId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        customer_id: row.opt_id("customer_id")?.map(CustomerId::from_uuid),
        session_hash: row.text("session_hash")?,
        status: row.text("status")?,
        assigned_agent_id: row.opt_id("assigned_agent_id")?.map(UserId::from_uuid),
        category: row.opt_text("category")?,
        priority: row.text("priority")?,
        urgency: row.text("urgency")?,
        sentiment: row.opt_text("sentiment")?,
        classification: row.json("classification")?,
        resolution: row.opt_text("resolution")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        handed_off_at: row.opt_time("handed_off_at")?,
        closed_at: row.opt_time("closed_at")?,
        workflow: row.json("workflow_state")?,
    })
}

fn message_from_row(row: &impl SqlRow) -> StorageResult<Message> {
    Ok(Message {
        id: MessageId::from_uuid(row.id("id")?),
        conversation_id: ConversationId::from_uuid(row.id("conversation_id")?),
        sender: row.text("sender")?,
        sender_id: row.opt_id("sender_id")?,
        content: row.text("content")?,
        citations: row.json("citations")?,
        created_at: row.time("created_at")?,
    })
}

pub async fn create<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    c: NewConversation,
) -> StorageResult<Conversation> {
    let binds = Binds::new()
        .id(c.id.as_uuid())
        .id(company.as_uuid())
        .opt_id(c.customer_id.map(|id| id.as_uuid()))
        .text(c.session_hash)
        .opt_text(c.category)
        .time(c.now);
    conversation_from_row(&D::fetch_one(conn, INSERT, binds).await?)
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ConversationId,
) -> StorageResult<Conversation> {
    let binds = Binds::new().id(company.as_uuid()).id(id.as_uuid());
    conversation_from_row(&D::fetch_one(conn, SELECT, binds).await?)
}

/// Cross-tenant: run it outside row-level security.
pub async fn by_session<D: Dialect>(
    conn: &mut D::Conn,
    session_hash: &str,
) -> StorageResult<Conversation> {
    conversation_from_row(&D::fetch_one(conn, BY_SESSION, Binds::new().text(session_hash)).await?)
}

/// Cross-tenant: run it outside row-level security.
pub async fn idle_ai<D: Dialect>(
    conn: &mut D::Conn,
    updated_before: chrono::DateTime<chrono::Utc>,
    limit: u32,
) -> StorageResult<Vec<Conversation>> {
    let binds =
        Binds::new().time(updated_before).push(crate::Value::BigInt(Some(i64::from(limit))));
    D::fetch_all(conn, IDLE_AI, binds).await?.iter().map(conversation_from_row).collect()
}

pub async fn list<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    filter: ConversationFilter,
    page: PageRequest,
) -> StorageResult<Page<Conversation>> {
    let binds = Binds::new()
        .id(company.as_uuid())
        .opt_text(filter.status)
        .opt_id(filter.agent.map(|a| a.as_uuid()))
        .opt_text(filter.category)
        .opt_id(filter.visible_to.map(|a| a.as_uuid()));
    let Some(binds) = bind_after::<D>(binds, &page) else {
        return Ok(Page { items: Vec::new(), next_cursor: None });
    };
    let rows = D::fetch_all(conn, LIST, binds.push(overfetch(&page))).await?;
    let items = rows.iter().map(conversation_from_row).collect::<StorageResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit, |c| c.id.to_string()))
}

/// Applies one [`ConversationWrite`]; run it in a transaction.
pub async fn record<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ConversationId,
    write: ConversationWrite,
) -> StorageResult<Recorded> {
    let key = || Binds::new().id(company.as_uuid()).id(id.as_uuid());
    let mut current = match &write.change {
        Some(change) => {
            let binds = key()
                .text(change.to.as_str())
                .opt_id(change.agent.map(|a| a.as_uuid()))
                .opt_text(change.resolution.as_deref())
                .time(write.now)
                .text(change.from.as_str())
                .opt_id(change.from_agent.map(|a| a.as_uuid()));
            match D::fetch_optional(conn, CHANGE_STATUS, binds).await? {
                Some(row) => conversation_from_row(&row)?,
                // Either it is not there (or not ours) or someone changed it first.
                None => {
                    get::<D>(conn, company, id).await?;
                    return Err(StorageError::Conflict {
                        constraint: "conversation_status".into(),
                    });
                }
            }
        }
        None => conversation_from_row(&D::fetch_one(conn, TOUCH, key().time(write.now)).await?)?,
    };
    if let Some(c) = write.classification {
        let binds = key()
            .opt_text(c.category.as_deref())
            .text(c.priority.as_str())
            .text(c.urgency.as_str())
            .opt_text(c.sentiment.as_deref())
            .json(&c.detail)
            .time(write.now);
        D::execute(conn, CLASSIFY, binds).await?;
        current.category = c.category;
        current.priority = c.priority;
        current.urgency = c.urgency;
        current.sentiment = c.sentiment;
        current.classification = c.detail;
    }
    if let Some(priority) = write.priority {
        D::execute(conn, SET_PRIORITY, key().text(priority.as_str())).await?;
        current.priority = priority;
    }
    if let Some(state) = write.workflow {
        D::execute(conn, SET_WORKFLOW, key().json(&state)).await?;
        current.workflow = state;
    }
    for m in write.messages {
        insert_message::<D>(conn, company, id, m).await?;
    }
    for e in &write.events {
        crate::event::append::<D>(conn, company, e).await?;
    }
    let work = match write.work {
        None => None,
        Some(change) => {
            crate::queue::change_conversation::<D>(conn, company, id, change, write.now).await?
        }
    };
    Ok(Recorded { conversation: current, work })
}

async fn insert_message<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    conversation: ConversationId,
    m: NewMessage,
) -> StorageResult<()> {
    let binds = Binds::new()
        .id(m.id.as_uuid())
        .id(company.as_uuid())
        .id(conversation.as_uuid())
        .text(m.sender)
        .opt_id(m.sender_id)
        .text(m.content)
        .json(&m.citations)
        .time(m.created_at);
    D::execute(conn, INSERT_MESSAGE, binds).await?;
    Ok(())
}

pub async fn messages<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    conversation: ConversationId,
    after: Option<MessageId>,
    limit: u32,
) -> StorageResult<Vec<Message>> {
    let binds = Binds::new()
        .id(company.as_uuid())
        .id(conversation.as_uuid())
        .opt_id(after.map(|m| m.as_uuid()))
        .big(i64::from(limit));
    let rows = D::fetch_all(conn, LIST_MESSAGES, binds).await?;
    rows.iter().map(message_from_row).collect()
}
