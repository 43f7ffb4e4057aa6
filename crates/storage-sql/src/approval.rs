//! Approval requests. Every change that affects routing (creating, deciding, escalating,
//! reassigning) updates the request's queue item in the same transaction.

use crate::page::{bind_after, overfetch};
use crate::queue::{self, rank};
use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use serde_json::json;
use switchboard_domain::{
    ApprovalId, CompanyId, ConversationId, Priority, Urgency, UserId, WorkItemId,
};
use switchboard_storage::{
    ApprovalDecision, ApprovalEscalation, ApprovalFilter, ApprovalRequest, ApprovalStatus,
    NewApproval, NewWorkItem, Page, PageRequest, StorageError, StorageResult, WorkSubject,
};

macro_rules! columns {
    () => {
        "id, company_id, conversation_id, agent_id, summary, proposed_action, priority, \
         urgency, status, escalated, escalation_note, decision_note, decided_by, decided_at, \
         COALESCE(outcome, 'null') AS outcome, reasons, assignment_reasons, created_at, \
         updated_at"
    };
}

/// The queue order as an ascending key over the given columns: negated ranks, so that one row
/// comparison pages through "priority, urgency highest first, then oldest".
macro_rules! queue_key {
    ($priority:literal, $urgency:literal, $created:literal, $id:literal) => {
        concat!("-(", rank!($priority), "), -(", rank!($urgency), "), ", $created, ", ", $id)
    };
}

const STATUS_CONFLICT: &str = "approval_status";

// The conversation must be the company's; the foreign key alone would accept another's.
const INSERT: &str = concat!(
    "INSERT INTO approval_requests (id, company_id, conversation_id, summary, proposed_action, \
     priority, urgency, reasons, created_at, updated_at) \
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $9 \
     WHERE EXISTS (SELECT 1 FROM conversations WHERE company_id = $2 AND id = $3) RETURNING ",
    columns!()
);

const SELECT: &str =
    concat!("SELECT ", columns!(), " FROM approval_requests WHERE company_id = $1 AND id = $2");

const LIST: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM approval_requests a WHERE company_id = $1 \
     AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR priority = $3) \
     AND ($4 IS NULL OR agent_id = $4) \
     AND ($5 IS NULL OR (",
    queue_key!("a.priority", "a.urgency", "a.created_at", "a.id"),
    ") > (SELECT ",
    queue_key!("c.priority", "c.urgency", "c.created_at", "c.id"),
    " FROM approval_requests c WHERE c.company_id = $1 AND c.id = $5)) \
     ORDER BY ",
    rank!("priority"),
    " DESC, ",
    rank!("urgency"),
    " DESC, created_at, id LIMIT $6"
);

// Open (pending or escalated), as the caller saw it, and the caller's when it is an agent:
// of two deciders only the first finds the row still open.
const DECIDE: &str = concat!(
    "UPDATE approval_requests SET status = $3, decided_by = $4, decision_note = $5, \
     decided_at = $6, updated_at = $6 WHERE company_id = $1 AND id = $2 \
     AND status IN ('pending', 'escalated') AND ($7 IS NULL OR status = $7) \
     AND ($8 IS NULL OR agent_id = $8) RETURNING ",
    columns!()
);

const ESCALATE: &str = concat!(
    "UPDATE approval_requests SET status = 'escalated', escalated = TRUE, agent_id = NULL, \
     assignment_reasons = '{}', priority = CASE priority WHEN 'low' THEN 'medium' \
       WHEN 'medium' THEN 'high' ELSE 'critical' END, \
     escalation_note = $3, updated_at = $4 WHERE company_id = $1 AND id = $2 \
     AND status = 'pending' AND ($5 IS NULL OR agent_id = $5) RETURNING ",
    columns!()
);

const SET_OUTCOME: &str = concat!(
    "UPDATE approval_requests SET outcome = $3, updated_at = $4 \
     WHERE company_id = $1 AND id = $2 RETURNING ",
    columns!()
);

fn approval_from_row(row: &impl SqlRow) -> StorageResult<ApprovalRequest> {
    let corrupt = StorageError::corrupt;
    Ok(ApprovalRequest {
        id: ApprovalId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        conversation_id: ConversationId::from_uuid(row.id("conversation_id")?),
        action: serde_json::from_value(row.json("proposed_action")?)
            .map_err(StorageError::other)?,
        summary: row.text("summary")?,
        priority: Priority::parse(&row.text("priority")?).map_err(corrupt)?,
        urgency: Urgency::parse(&row.text("urgency")?).map_err(corrupt)?,
        reasons: row.json("reasons")?,
        status: ApprovalStatus::parse(&row.text("status")?).map_err(corrupt)?,
        escalated: row.bool("escalated")?,
        escalation_note: row.opt_text("escalation_note")?,
        agent_id: row.opt_id("agent_id")?.map(UserId::from_uuid),
        assignment_reasons: row.json("assignment_reasons")?,
        decided_by: row.opt_id("decided_by")?.map(UserId::from_uuid),
        decision_note: row.opt_text("decision_note")?,
        // NULL reads as JSON null (see `columns!`): no outcome yet.
        outcome: Some(row.json("outcome")?).filter(|v| !v.is_null()),
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        decided_at: row.opt_time("decided_at")?,
    })
}

fn key(company: CompanyId, id: ApprovalId) -> Binds {
    Binds::new().id(company.as_uuid()).id(id.as_uuid())
}

/// Records the request and queues it; run it in one transaction.
pub async fn create<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    a: NewApproval,
) -> StorageResult<ApprovalRequest> {
    let action = serde_json::to_value(&a.action).map_err(StorageError::other)?;
    let binds = Binds::new()
        .id(a.id.as_uuid())
        .id(company.as_uuid())
        .id(a.conversation_id.as_uuid())
        .text(a.summary)
        .json(&action)
        .text(a.priority.as_str())
        .text(a.urgency.as_str())
        .json(&a.reasons)
        .time(a.now);
    let created = approval_from_row(&D::fetch_one(conn, INSERT, binds).await?)?;
    let item = NewWorkItem {
        id: WorkItemId::new(),
        subject: WorkSubject::Approval(a.id),
        priority: a.priority,
        urgency: a.urgency,
        skill: a.skill,
        now: a.now,
    };
    queue::enqueue::<D>(conn, company, item).await?;
    append_events::<D>(conn, company, &a.events).await?;
    Ok(created)
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ApprovalId,
) -> StorageResult<ApprovalRequest> {
    approval_from_row(&D::fetch_one(conn, SELECT, key(company, id)).await?)
}

/// Queue order: priority, urgency (highest first), then oldest.
pub async fn list<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    filter: ApprovalFilter,
    page: PageRequest,
) -> StorageResult<Page<ApprovalRequest>> {
    let binds = Binds::new()
        .id(company.as_uuid())
        .opt_text(filter.status.map(ApprovalStatus::as_str))
        .opt_text(filter.priority.map(Priority::as_str))
        .opt_id(filter.agent.map(|a| a.as_uuid()));
    let Some(binds) = bind_after::<D>(binds, &page) else {
        return Ok(Page { items: Vec::new(), next_cursor: None });
    };
    let rows = D::fetch_all(conn, LIST, binds.push(overfetch(&page))).await?;
    let items = rows.iter().map(approval_from_row).collect::<StorageResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit, |a| a.id.to_string()))
}

/// When a guarded update changed nothing: `NotFound` if the request is not the company's or
/// not `assignee`'s, otherwise `Conflict` (someone changed it first).
async fn refused<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ApprovalId,
    assignee: Option<UserId>,
) -> StorageError {
    match get::<D>(conn, company, id).await {
        Ok(current) if assignee.is_some_and(|a| current.agent_id != Some(a)) => {
            StorageError::NotFound
        }
        Ok(_) => StorageError::Conflict { constraint: STATUS_CONFLICT.into() },
        Err(e) => e,
    }
}

/// Decides once and closes the queue item; run it in one transaction.
pub async fn decide<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ApprovalId,
    d: ApprovalDecision,
) -> StorageResult<ApprovalRequest> {
    let binds = key(company, id)
        .text(d.decision.status().as_str())
        .id(d.by.as_uuid())
        .opt_text(d.note)
        .time(d.now)
        .opt_text(d.expected.map(ApprovalStatus::as_str))
        .opt_id(d.assignee.map(|a| a.as_uuid()));
    // The queue item first, as routing writes them (see `routing`); a refusal rolls it back.
    queue::close_if_open::<D>(conn, company, WorkSubject::Approval(id), d.now).await?;
    let Some(row) = D::fetch_optional(conn, DECIDE, binds).await? else {
        return Err(refused::<D>(conn, company, id, d.assignee).await);
    };
    append_events::<D>(conn, company, &d.events).await?;
    approval_from_row(&row)
}

/// Pending → escalated and out of the agents' queue; run it in one transaction.
pub async fn escalate<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ApprovalId,
    e: ApprovalEscalation,
) -> StorageResult<ApprovalRequest> {
    let binds =
        key(company, id).opt_text(e.note).time(e.now).opt_id(e.assignee.map(|a| a.as_uuid()));
    queue::close_if_open::<D>(conn, company, WorkSubject::Approval(id), e.now).await?;
    let Some(row) = D::fetch_optional(conn, ESCALATE, binds).await? else {
        return Err(refused::<D>(conn, company, id, e.assignee).await);
    };
    append_events::<D>(conn, company, &e.events).await?;
    approval_from_row(&row)
}

/// An admin's choice of agent; run it in one transaction.
pub async fn reassign<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ApprovalId,
    agent: UserId,
    by: UserId,
    now: DateTime<Utc>,
) -> StorageResult<ApprovalRequest> {
    let why = json!({
        "rule": "reassigned",
        "by": by,
        "why": ["chosen by an admin"],
    });
    queue::assign::<D>(conn, company, WorkSubject::Approval(id), agent, &why, now).await?;
    get::<D>(conn, company, id).await
}

pub async fn set_outcome<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ApprovalId,
    outcome: &serde_json::Value,
    now: DateTime<Utc>,
) -> StorageResult<ApprovalRequest> {
    let binds = key(company, id).json(outcome).time(now);
    approval_from_row(&D::fetch_one(conn, SET_OUTCOME, binds).await?)
}

async fn append_events<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    events: &[switchboard_storage::NewEvent],
) -> StorageResult<()> {
    for e in events {
        crate::event::append::<D>(conn, company, e).await?;
    }
    Ok(())
}
