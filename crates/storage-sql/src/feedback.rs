//! Customer feedback, written with its analytics event.

use crate::{Binds, Dialect, SqlRow};
use switchboard_domain::{CompanyId, ConversationId, CustomerId, FeedbackId, Rating};
use switchboard_storage::{Feedback, NewEvent, NewFeedback, StorageError, StorageResult};

macro_rules! columns {
    () => {
        "id, company_id, conversation_id, customer_id, rating, comment, created_at"
    };
}

// The foreign key alone would accept another company's conversation.
const CONVERSATION_EXISTS: &str = "SELECT 1 FROM conversations WHERE company_id = $1 AND id = $2";

const INSERT: &str = concat!(
    "INSERT INTO feedback (",
    columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
    columns!()
);

fn feedback_from_row(row: &impl SqlRow) -> StorageResult<Feedback> {
    Ok(Feedback {
        id: FeedbackId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        conversation_id: ConversationId::from_uuid(row.id("conversation_id")?),
        customer_id: row.opt_id("customer_id")?.map(CustomerId::from_uuid),
        rating: Rating::parse(i64::from(row.int("rating")?)).map_err(StorageError::corrupt)?,
        comment: row.opt_text("comment")?,
        created_at: row.time("created_at")?,
    })
}

/// Writes the feedback row and its event; run it in a transaction so that both or neither
/// land.
pub async fn create<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    f: NewFeedback,
    event: NewEvent,
) -> StorageResult<Feedback> {
    let owner = Binds::new().id(company.as_uuid()).id(f.conversation_id.as_uuid());
    D::fetch_one(conn, CONVERSATION_EXISTS, owner).await?;
    let binds = Binds::new()
        .id(f.id.as_uuid())
        .id(company.as_uuid())
        .id(f.conversation_id.as_uuid())
        .opt_id(f.customer_id.map(|c| c.as_uuid()))
        .int(i32::from(f.rating.get()))
        .opt_text(f.comment.as_ref().map(|c| c.as_str()))
        .time(f.created_at);
    let row = D::fetch_one(conn, INSERT, binds).await?;
    crate::event::append::<D>(conn, company, &event).await?;
    feedback_from_row(&row)
}
