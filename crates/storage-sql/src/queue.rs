//! The routing queue's rows: queuing, reading, closing and direct assignment. Choosing an
//! agent and handing items back live in [`crate::routing`].

use crate::conflict::renamed;
use crate::{Binds, Dialect, SqlRow, Value};
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, ConversationId, Priority, Urgency, UserId, WorkItemId};
use switchboard_storage::{
    NewWorkItem, StorageError, StorageResult, WorkChange, WorkItem, WorkSubject,
};
use uuid::Uuid;

macro_rules! columns {
    () => {
        "id, company_id, kind, subject_id, priority, urgency, skill, assigned_agent_id, \
         assigned_at, reasons, created_at, closed_at"
    };
}
pub(crate) use columns;

/// A `low`…`critical` (or `urgent`) text column as the queue's 0–3 rank.
macro_rules! rank {
    ($col:literal) => {
        concat!(
            "CASE ",
            $col,
            " WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 ELSE 3 END"
        )
    };
}
pub(crate) use rank;

// The subject must be the company's: another company's id is NotFound, as everywhere.
const ENQUEUE_APPROVAL: &str = concat!(
    "INSERT INTO work_items (id, company_id, kind, subject_id, priority, urgency, skill, \
     created_at, updated_at) SELECT $1, $2, 'approval', $3, $4, $5, $6, $7, $7 \
     WHERE EXISTS (SELECT 1 FROM approval_requests WHERE company_id = $2 AND id = $3) \
     RETURNING ",
    columns!()
);

const ENQUEUE_CONVERSATION: &str = concat!(
    "INSERT INTO work_items (id, company_id, kind, subject_id, priority, urgency, skill, \
     created_at, updated_at) SELECT $1, $2, 'conversation', $3, $4, $5, $6, $7, $7 \
     WHERE EXISTS (SELECT 1 FROM conversations WHERE company_id = $2 AND id = $3) \
     RETURNING ",
    columns!()
);

// A conversation write's handoff: no second open item, and no unique-index violation (which
// would abort the whole write on PostgreSQL) when one is already open.
const ENQUEUE_CONVERSATION_ONCE: &str = concat!(
    "INSERT INTO work_items (id, company_id, kind, subject_id, priority, urgency, skill, \
     created_at, updated_at) SELECT $1, $2, 'conversation', $3, $4, $5, $6, $7, $7 WHERE NOT EXISTS (SELECT 1 FROM \
     work_items WHERE company_id = $2 AND kind = 'conversation' AND subject_id = $3 \
     AND closed_at IS NULL) RETURNING ",
    columns!()
);

const SELECT: &str =
    concat!("SELECT ", columns!(), " FROM work_items WHERE company_id = $1 AND id = $2");

// `work_items_waiting` serves this order.
const WAITING: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM work_items WHERE company_id = $1 AND closed_at IS NULL \
     AND assigned_agent_id IS NULL ORDER BY priority DESC, urgency DESC, created_at, id LIMIT $2"
);

const OF_AGENT: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM work_items WHERE company_id = $1 AND assigned_agent_id = $2 AND closed_at IS NULL \
     ORDER BY assigned_at, id"
);

const CLOSE: &str = concat!(
    "UPDATE work_items SET closed_at = $4, updated_at = $4 WHERE company_id = $1 \
     AND kind = $2 AND subject_id = $3 AND closed_at IS NULL RETURNING ",
    columns!()
);

const REASSIGN_OPEN: &str = concat!(
    "UPDATE work_items SET assigned_agent_id = $4, assigned_at = $5, reasons = $6, \
     updated_at = $5 WHERE company_id = $1 AND kind = $2 AND subject_id = $3 \
     AND closed_at IS NULL RETURNING ",
    columns!()
);

// An open subject without an open item (an escalated approval, a conversation taken over
// without a handoff) gets one, already assigned; its age is the subject's.
const OPEN_ASSIGNED_APPROVAL: &str = concat!(
    "INSERT INTO work_items (id, company_id, kind, subject_id, priority, urgency, \
     assigned_agent_id, assigned_at, reasons, created_at, updated_at) \
     SELECT $1, company_id, 'approval', id, ",
    rank!("priority"),
    ", ",
    rank!("urgency"),
    ", $4, $5, $6, created_at, $5 FROM approval_requests \
     WHERE company_id = $2 AND id = $3 AND status IN ('pending', 'escalated') RETURNING ",
    columns!()
);

const OPEN_ASSIGNED_CONVERSATION: &str = concat!(
    "INSERT INTO work_items (id, company_id, kind, subject_id, priority, urgency, skill, \
     assigned_agent_id, assigned_at, reasons, created_at, updated_at) \
     SELECT $1, company_id, 'conversation', id, ",
    rank!("priority"),
    ", ",
    rank!("urgency"),
    ", COALESCE(needed_skill, category), $4, $5, $6, COALESCE(handed_off_at, created_at), $5 \
     FROM conversations WHERE company_id = $2 AND id = $3 AND status <> 'closed' RETURNING ",
    columns!()
);

const APPROVAL_AGENT: &str = "UPDATE approval_requests SET agent_id = $3, \
     assignment_reasons = $4, updated_at = $5 \
     WHERE company_id = $1 AND id = $2 AND status IN ('pending', 'escalated')";

const AGENT_STATUS: &str =
    "SELECT status FROM users WHERE company_id = $1 AND id = $2 AND role = 'company_agent'";

const MARK_ASSIGNED: &str =
    "UPDATE agent_status SET last_assigned_at = $3 WHERE company_id = $1 AND user_id = $2";

pub(crate) fn item_from_row(row: &impl SqlRow) -> StorageResult<WorkItem> {
    let subject = WorkSubject::parse(&row.text("kind")?, row.id("subject_id")?)
        .map_err(StorageError::corrupt)?;
    let priority = row.int("priority")?;
    let urgency = row.int("urgency")?;
    Ok(WorkItem {
        id: WorkItemId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        subject,
        priority: Priority::from_rank(priority)
            .ok_or_else(|| StorageError::corrupt(format!("bad priority rank {priority}")))?,
        urgency: Urgency::from_rank(urgency)
            .ok_or_else(|| StorageError::corrupt(format!("bad urgency rank {urgency}")))?,
        skill: row.opt_text("skill")?,
        created_at: row.time("created_at")?,
        assigned_agent_id: row.opt_id("assigned_agent_id")?.map(UserId::from_uuid),
        assigned_at: row.opt_time("assigned_at")?,
        reasons: row.json("reasons")?,
        closed_at: row.opt_time("closed_at")?,
    })
}

fn subject_binds(company: CompanyId, subject: WorkSubject) -> Binds {
    Binds::new().id(company.as_uuid()).text(subject.kind()).id(subject.id())
}

/// Queues `item`, waiting. `NotFound` unless its subject is the company's.
pub async fn enqueue<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    item: NewWorkItem,
) -> StorageResult<WorkItem> {
    let sql = match item.subject {
        WorkSubject::Approval(_) => ENQUEUE_APPROVAL,
        WorkSubject::Conversation(_) => ENQUEUE_CONVERSATION,
    };
    let binds = new_item_binds(company, item.subject.id(), item);
    let row = D::fetch_one(conn, sql, binds).await.map_err(renamed("work_items_open_subject"))?;
    item_from_row(&row)
}

/// Applies a conversation write's [`WorkChange`] to conversation `id` (known to exist: it
/// was just written) and answers the item it opened, claimed or closed.
pub async fn change_conversation<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ConversationId,
    change: WorkChange,
    now: DateTime<Utc>,
) -> StorageResult<Option<WorkItem>> {
    let subject = WorkSubject::Conversation(id);
    let row = match change {
        WorkChange::Queue(item) => {
            let binds = new_item_binds(company, id.as_uuid(), item);
            D::fetch_optional(conn, ENQUEUE_CONVERSATION_ONCE, binds).await?
        }
        WorkChange::Claim { agent, reasons } => {
            return assign::<D>(conn, company, subject, agent, &reasons, now).await.map(Some);
        }
        WorkChange::Close => return close_if_open::<D>(conn, company, subject, now).await,
    };
    row.as_ref().map(item_from_row).transpose()
}

/// The binds of both enqueue statements: id, company, subject, priority, urgency, skill, time.
fn new_item_binds(company: CompanyId, subject: Uuid, item: NewWorkItem) -> Binds {
    Binds::new()
        .id(item.id.as_uuid())
        .id(company.as_uuid())
        .id(subject)
        .int(item.priority.rank())
        .int(item.urgency.rank())
        .opt_text(item.skill)
        .time(item.now)
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: WorkItemId,
) -> StorageResult<WorkItem> {
    let binds = Binds::new().id(company.as_uuid()).id(id.as_uuid());
    item_from_row(&D::fetch_one(conn, SELECT, binds).await?)
}

/// Waiting items in queue order: priority, urgency (highest first), then age.
pub async fn waiting<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    limit: u32,
) -> StorageResult<Vec<WorkItem>> {
    let binds = Binds::new().id(company.as_uuid()).push(Value::BigInt(Some(i64::from(limit))));
    D::fetch_all(conn, WAITING, binds).await?.iter().map(item_from_row).collect()
}

pub async fn of_agent<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    agent: UserId,
) -> StorageResult<Vec<WorkItem>> {
    let binds = Binds::new().id(company.as_uuid()).id(agent.as_uuid());
    D::fetch_all(conn, OF_AGENT, binds).await?.iter().map(item_from_row).collect()
}

/// Closes the subject's open item, if it has one, and answers it.
pub(crate) async fn close_if_open<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    subject: WorkSubject,
    now: DateTime<Utc>,
) -> StorageResult<Option<WorkItem>> {
    let row = D::fetch_optional(conn, CLOSE, subject_binds(company, subject).time(now)).await?;
    row.as_ref().map(item_from_row).transpose()
}

/// `NotFound` unless `agent` is an agent of `company`; `Conflict` (`agent_inactive`) when it
/// is deactivated.
async fn ensure_active_agent<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    agent: UserId,
) -> StorageResult<()> {
    let binds = Binds::new().id(company.as_uuid()).id(agent.as_uuid());
    match D::fetch_one(conn, AGENT_STATUS, binds).await?.text("status")?.as_str() {
        "active" => Ok(()),
        _ => Err(StorageError::Conflict { constraint: "agent_inactive".into() }),
    }
}

/// Records that `agent` was given work now: "longest idle" compares this.
pub(crate) async fn mark_assigned<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    agent: UserId,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let binds = Binds::new().id(company.as_uuid()).id(agent.as_uuid()).time(now);
    D::execute(conn, MARK_ASSIGNED, binds).await.map(|_| ())
}

/// Gives the subject to `agent`, over routing and capacity: an approval's agent is set (it
/// must still be open) and its open item reassigned, or one opened already assigned. A
/// conversation's owner is the conversation store's business (a takeover sets it); only its
/// item is written here. `NotFound` for a subject or agent not the company's; `Conflict`
/// for a deactivated agent or a finished subject. Run it in one transaction.
pub(crate) async fn assign<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    subject: WorkSubject,
    agent: UserId,
    reasons: &serde_json::Value,
    now: DateTime<Utc>,
) -> StorageResult<WorkItem> {
    if !subject_exists::<D>(conn, company, subject).await? {
        return Err(StorageError::NotFound);
    }
    ensure_active_agent::<D>(conn, company, agent).await?;
    // The item row before the subject's, as routing writes them; a refusal rolls it back.
    let binds = subject_binds(company, subject).id(agent.as_uuid()).time(now).json(reasons);
    let row = match D::fetch_optional(conn, REASSIGN_OPEN, binds).await? {
        Some(row) => row,
        None => open_assigned::<D>(conn, company, subject, agent, reasons, now).await?,
    };
    if let WorkSubject::Approval(id) = subject {
        let binds =
            Binds::new().id(company.as_uuid()).id(id.as_uuid()).id(agent.as_uuid()).json(reasons);
        if D::execute(conn, APPROVAL_AGENT, binds.time(now)).await? == 0 {
            return Err(StorageError::Conflict { constraint: "approval_status".into() });
        }
    }
    mark_assigned::<D>(conn, company, agent, now).await?;
    item_from_row(&row)
}

async fn open_assigned<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    subject: WorkSubject,
    agent: UserId,
    reasons: &serde_json::Value,
    now: DateTime<Utc>,
) -> StorageResult<D::Row> {
    let (sql, finished) = match subject {
        WorkSubject::Approval(_) => (OPEN_ASSIGNED_APPROVAL, "approval_status"),
        WorkSubject::Conversation(_) => (OPEN_ASSIGNED_CONVERSATION, "conversation_status"),
    };
    let binds = Binds::new()
        .id(WorkItemId::new().as_uuid())
        .id(company.as_uuid())
        .id(subject.id())
        .id(agent.as_uuid())
        .time(now)
        .json(reasons);
    if let Some(row) = D::fetch_optional(conn, sql, binds).await? {
        return Ok(row);
    }
    // Nothing inserted: the subject (known to be the company's) is finished.
    Err(StorageError::Conflict { constraint: finished.into() })
}

const APPROVAL_EXISTS: &str = "SELECT 1 FROM approval_requests WHERE company_id = $1 AND id = $2";
const CONVERSATION_EXISTS: &str = "SELECT 1 FROM conversations WHERE company_id = $1 AND id = $2";

async fn subject_exists<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    subject: WorkSubject,
) -> StorageResult<bool> {
    let sql = match subject {
        WorkSubject::Approval(_) => APPROVAL_EXISTS,
        WorkSubject::Conversation(_) => CONVERSATION_EXISTS,
    };
    let binds = Binds::new().id(company.as_uuid()).id(subject.id());
    Ok(D::fetch_optional(conn, sql, binds).await?.is_some())
}
