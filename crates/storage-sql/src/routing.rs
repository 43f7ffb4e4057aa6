//! Least-queue routing: which present agent takes a waiting item, the drain that assigns
//! waiting items in queue order, and handing an agent's items back.
//!
//! Every function here that reads loads and then assigns first takes the company's routing
//! lock ([`RoutingDialect::LOCK_COMPANY`]). The open-item counts are read by later statements
//! of the same transaction, and under PostgreSQL's READ COMMITTED each statement sees what
//! was committed before it started: once the lock is held, every earlier routing of the
//! company has committed, so a count cannot be stale and no capacity can be overrun. Row
//! locks on the agents alone would not give that (a blocked statement re-checks the locked
//! row, not the counts its subqueries read).

use crate::queue::{self, columns, item_from_row};
use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use serde_json::json;
use switchboard_domain::{CompanyId, ConversationId, Priority, Urgency, UserId, WorkItemId};
use switchboard_storage::{RoutingClock, StorageError, StorageResult, WorkItem, WorkSubject};

/// What routing needs from an engine beyond the shared statements.
pub trait RoutingDialect: Dialect {
    /// A statement that holds the company's (`$1`) routing lock until the transaction ends;
    /// `None` where the engine runs one writer at a time anyway (SQLite).
    const LOCK_COMPANY: Option<&'static str>;
}

/// How many waiting items one drain looks at; the rest wait for the next one.
pub const MAX_DRAIN: u32 = 500;

/// Present agents of `$1` (active, online, seen since `$3`) with their capacity, open items,
/// last assignment, and whether they have the skill `$2` (never, when `$2` is NULL).
macro_rules! present_agents {
    () => {
        "WITH present AS (SELECT u.id, CAST(u.capacity AS BIGINT) AS capacity, p.last_assigned_at, \
           (SELECT count(*) FROM work_items w WHERE w.company_id = u.company_id \
             AND w.assigned_agent_id = u.id AND w.closed_at IS NULL) AS open_items, \
           EXISTS (SELECT 1 FROM agent_skills s WHERE s.company_id = u.company_id \
             AND s.user_id = u.id AND s.skill = $2) AS skilled \
         FROM users u JOIN agent_status p ON p.company_id = u.company_id AND p.user_id = u.id \
         WHERE u.company_id = $1 AND u.role = 'company_agent' AND u.status = 'active' \
           AND p.status = 'online' AND p.last_seen_at >= $3) "
    };
}

// Skilled agents only, unless no present agent has the skill; then under capacity, fewest
// open items, longest idle (never assigned first), and the id for a stable order.
const PICK: &str = concat!(
    present_agents!(),
    "SELECT id, capacity, open_items, skilled, last_assigned_at, \
       (SELECT count(*) FROM present) AS present_count \
     FROM present WHERE open_items < capacity \
       AND (skilled OR NOT EXISTS (SELECT 1 FROM present WHERE skilled)) \
     ORDER BY open_items, last_assigned_at NULLS FIRST, id LIMIT 1"
);

const ROOM_LEFT: &str =
    concat!(present_agents!(), "SELECT count(*) AS n FROM present WHERE open_items < capacity");

const ASSIGN_ITEM: &str = concat!(
    "UPDATE work_items SET assigned_agent_id = $3, assigned_at = $4, reasons = $5, \
     updated_at = $4 WHERE company_id = $1 AND id = $2 AND closed_at IS NULL \
     AND assigned_agent_id IS NULL RETURNING ",
    columns!()
);

// The subject takes the agent only while it still waits for one.
const ASSIGN_APPROVAL: &str = "UPDATE approval_requests SET agent_id = $3, \
     assignment_reasons = $4, updated_at = $5 \
     WHERE company_id = $1 AND id = $2 AND status = 'pending' AND agent_id IS NULL";

const ASSIGN_CONVERSATION: &str = "UPDATE conversations SET assigned_agent_id = $3, \
     updated_at = $4 WHERE company_id = $1 AND id = $2 AND status = 'human' \
     AND assigned_agent_id IS NULL";

const CLOSE_ITEM: &str = "UPDATE work_items SET closed_at = $3, updated_at = $3 \
     WHERE company_id = $1 AND id = $2";

const RELEASE_ITEMS: &str = "UPDATE work_items SET assigned_agent_id = NULL, \
     assigned_at = NULL, reasons = '{}', updated_at = $1 \
     WHERE company_id = $2 AND assigned_agent_id = $3 AND closed_at IS NULL";

const RELEASE_CONVERSATIONS: &str = "UPDATE conversations SET assigned_agent_id = NULL, \
     updated_at = $1 WHERE company_id = $2 AND assigned_agent_id = $3 AND status <> 'closed'";

const RELEASE_APPROVALS: &str = "UPDATE approval_requests SET agent_id = NULL, \
     assignment_reasons = '{}', updated_at = $1 \
     WHERE company_id = $2 AND agent_id = $3 AND status IN ('pending', 'escalated')";

// Conversations the agent holds with no open item (taken over without a handoff): they are
// queued on release, so that handing them back never strands them.
const UNQUEUED_CONVERSATIONS: &str = "SELECT c.id, c.priority, c.urgency, \
       COALESCE(c.needed_skill, c.category) AS skill, \
       COALESCE(c.handed_off_at, c.created_at) AS since \
     FROM conversations c WHERE c.company_id = $1 AND c.assigned_agent_id = $2 \
       AND c.status = 'human' AND NOT EXISTS (SELECT 1 FROM work_items w \
         WHERE w.company_id = c.company_id AND w.kind = 'conversation' \
           AND w.subject_id = c.id AND w.closed_at IS NULL)";

const QUEUE_RELEASED: &str = "INSERT INTO work_items (id, company_id, kind, subject_id, \
     priority, urgency, skill, created_at, updated_at) \
     VALUES ($1, $2, 'conversation', $3, $4, $5, $6, $7, $8)";

/// The agent a waiting item goes to, and what routing compared to choose it.
struct Choice {
    agent: UserId,
    capacity: i64,
    open_items: i64,
    skilled: bool,
    last_assigned_at: Option<DateTime<Utc>>,
    present: i64,
}

/// Takes the company's routing lock for the rest of the transaction. Take it before any
/// other row lock (as the first write), so that waiting for it never holds one.
pub(crate) async fn lock<D: RoutingDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
) -> StorageResult<()> {
    match D::LOCK_COMPANY {
        Some(sql) => D::execute(conn, sql, Binds::new().id(company.as_uuid())).await.map(|_| ()),
        None => Ok(()),
    }
}

fn present_binds(company: CompanyId, skill: Option<&str>, clock: RoutingClock) -> Binds {
    Binds::new().id(company.as_uuid()).opt_text(skill).time(clock.seen_since)
}

async fn pick<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    skill: Option<&str>,
    clock: RoutingClock,
) -> StorageResult<Option<Choice>> {
    let Some(row) = D::fetch_optional(conn, PICK, present_binds(company, skill, clock)).await?
    else {
        return Ok(None);
    };
    Ok(Some(Choice {
        agent: UserId::from_uuid(row.id("id")?),
        capacity: row.big("capacity")?,
        open_items: row.big("open_items")?,
        skilled: row.bool("skilled")?,
        last_assigned_at: row.opt_time("last_assigned_at")?,
        present: row.big("present_count")?,
    }))
}

async fn room_left<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    clock: RoutingClock,
) -> StorageResult<bool> {
    let row = D::fetch_one(conn, ROOM_LEFT, present_binds(company, None, clock)).await?;
    Ok(row.big("n")? > 0)
}

/// Why `choice` won, for the people who see the assignment.
fn reasons(skill: Option<&str>, c: &Choice) -> serde_json::Value {
    let mut why = vec![format!("online and present, one of {} such agents", c.present)];
    match (skill, c.skilled) {
        (Some(s), true) => why.push(format!("has the skill {s:?}")),
        (Some(s), false) => why.push(format!("no online agent has the skill {s:?}")),
        (None, _) => {}
    }
    why.push(format!("fewest open items: {} of {}", c.open_items, c.capacity));
    why.push(match c.last_assigned_at {
        Some(t) => format!("idle longest: last given work at {}", t.to_rfc3339()),
        None => "idle longest: not given work before".to_owned(),
    });
    json!({
        "rule": "least_queue",
        "skill": skill,
        "skillMatched": skill.map(|_| c.skilled),
        "openItems": c.open_items,
        "capacity": c.capacity,
        "lastAssignedAt": c.last_assigned_at.map(|t| t.to_rfc3339()),
        "presentAgents": c.present,
        "why": why,
    })
}

/// Gives `item` to the chosen agent. The item row is written before its subject's, the
/// order every transaction that touches both keeps, so two of them cannot deadlock. An item
/// closed meanwhile is skipped, and one whose subject no longer waits is closed; both
/// answer `None`.
async fn assign<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    item: &WorkItem,
    choice: &Choice,
    now: DateTime<Utc>,
) -> StorageResult<Option<WorkItem>> {
    let why = reasons(item.skill.as_deref(), choice);
    let key = Binds::new().id(company.as_uuid()).id(item.id.as_uuid());
    let binds = key.clone().id(choice.agent.as_uuid()).time(now).json(&why);
    let Some(row) = D::fetch_optional(conn, ASSIGN_ITEM, binds).await? else {
        return Ok(None);
    };
    let subject =
        Binds::new().id(company.as_uuid()).id(item.subject.id()).id(choice.agent.as_uuid());
    let taken = match item.subject {
        WorkSubject::Approval(_) => {
            D::execute(conn, ASSIGN_APPROVAL, subject.json(&why).time(now)).await?
        }
        WorkSubject::Conversation(_) => {
            D::execute(conn, ASSIGN_CONVERSATION, subject.time(now)).await?
        }
    };
    if taken == 0 {
        D::execute(conn, CLOSE_ITEM, key.time(now)).await?;
        return Ok(None);
    }
    queue::mark_assigned::<D>(conn, company, choice.agent, now).await?;
    item_from_row(&row).map(Some)
}

/// Assigns waiting items in queue order while present agents have room; run it in one
/// transaction. Answers the assignments made.
pub async fn drain<D: RoutingDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    clock: RoutingClock,
) -> StorageResult<Vec<WorkItem>> {
    lock::<D>(conn, company).await?;
    // With nobody present or everyone full (off hours, say) every handoff still drains: a
    // backlog of hundreds must not be read each time for nothing to be assigned.
    if !room_left::<D>(conn, company, clock).await? {
        return Ok(Vec::new());
    }
    let mut assigned = Vec::new();
    for item in queue::waiting::<D>(conn, company, MAX_DRAIN).await? {
        match pick::<D>(conn, company, item.skill.as_deref(), clock).await? {
            Some(choice) => {
                assigned.extend(assign::<D>(conn, company, &item, &choice, clock.now).await?)
            }
            // This item's agents are full; a later item may need other ones, unless
            // nobody has room at all.
            None if room_left::<D>(conn, company, clock).await? => {}
            None => break,
        }
    }
    Ok(assigned)
}

/// [`drain`], after checking that `id` is the company's; run it in one transaction.
pub async fn route<D: RoutingDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: WorkItemId,
    clock: RoutingClock,
) -> StorageResult<Vec<WorkItem>> {
    queue::get::<D>(conn, company, id).await?;
    drain::<D>(conn, company, clock).await
}

/// Hands the agent's open items and the subjects it owns back to the queue; run it in one
/// transaction. Answers how many items went back.
pub async fn release<D: RoutingDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    agent: UserId,
    now: DateTime<Utc>,
) -> StorageResult<u64> {
    lock::<D>(conn, company).await?;
    let unqueued = Binds::new().id(company.as_uuid()).id(agent.as_uuid());
    let unqueued = D::fetch_all(conn, UNQUEUED_CONVERSATIONS, unqueued).await?;
    for row in &unqueued {
        queue_released::<D>(conn, company, row, now).await?;
    }
    let scoped = || Binds::new().time(now).id(company.as_uuid()).id(agent.as_uuid());
    let items = D::execute(conn, RELEASE_ITEMS, scoped()).await?;
    D::execute(conn, RELEASE_CONVERSATIONS, scoped()).await?;
    D::execute(conn, RELEASE_APPROVALS, scoped()).await?;
    Ok(items + unqueued.len() as u64)
}

async fn queue_released<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    row: &D::Row,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let id = ConversationId::from_uuid(row.id("id")?);
    let priority = Priority::parse(&row.text("priority")?).map_err(StorageError::corrupt)?;
    let urgency = Urgency::parse(&row.text("urgency")?).map_err(StorageError::corrupt)?;
    let binds = Binds::new()
        .id(WorkItemId::new().as_uuid())
        .id(company.as_uuid())
        .id(id.as_uuid())
        .int(priority.rank())
        .int(urgency.rank())
        .opt_text(row.opt_text("skill")?)
        .time(row.time("since")?)
        .time(now);
    D::execute(conn, QUEUE_RELEASED, binds).await.map(|_| ())
}
