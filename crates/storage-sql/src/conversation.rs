//! Conversations (the parts that exist so far: creation and lookup).

use crate::{Binds, Dialect, SqlRow};
use switchboard_domain::{CompanyId, ConversationId, CustomerId};
use switchboard_storage::{Conversation, NewConversation, StorageResult};

macro_rules! columns {
    () => {
        "id, company_id, customer_id, session_hash, status, category, created_at"
    };
}

const INSERT: &str = concat!(
    "INSERT INTO conversations (id, company_id, customer_id, session_hash, category, \
     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ",
    columns!()
);

const SELECT: &str =
    concat!("SELECT ", columns!(), " FROM conversations WHERE company_id = $1 AND id = $2");

fn conversation_from_row(row: &impl SqlRow) -> StorageResult<Conversation> {
    Ok(Conversation {
        id: ConversationId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        customer_id: row.opt_id("customer_id")?.map(CustomerId::from_uuid),
        session_hash: row.text("session_hash")?,
        status: row.text("status")?,
        category: row.opt_text("category")?,
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
