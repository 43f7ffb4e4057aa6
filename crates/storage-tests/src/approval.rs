//! Approval requests: creation with their queue item and event, lists in queue order,
//! routing to an agent, the decision made exactly once, escalation and reassignment.

use crate::data::{self, assert_conflict, assert_not_found, name};
use crate::routing_setup::{approval, clock, conversation, online_agent, open_items};
use chrono::Duration;
use switchboard_domain::{ApprovalId, PageLimit, Priority, Urgency, UserId};
use switchboard_storage::{
    ApprovalDecision, ApprovalEscalation, ApprovalFilter, ApprovalStatus, Backend, Decision,
    PageRequest, WorkSubject,
};

const STATUS_CONFLICT: &str = "approval_status";

fn decision(by: UserId, assignee: Option<UserId>, note: &str) -> ApprovalDecision {
    ApprovalDecision {
        decision: Decision::Approve,
        by,
        assignee,
        expected: None,
        note: Some(note.to_owned()),
        events: Vec::new(),
        now: data::now(),
    }
}

fn escalation(assignee: Option<UserId>) -> ApprovalEscalation {
    ApprovalEscalation {
        assignee,
        note: Some("over my limit".to_owned()),
        events: Vec::new(),
        now: data::now(),
    }
}

/// A request is stored as asked, queued for routing with its event, listed in queue order
/// under every filter, routed to an agent, and decided exactly once even when two decide at
/// the same moment; the decision frees the agent's capacity.
pub async fn approvals_are_listed_routed_and_decided_once(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let acme = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let company = acme.company.id;
    let chat = conversation(backend, company, t0).await;

    let asked = [
        (Priority::Medium, Urgency::High),
        (Priority::Critical, Urgency::Low),
        (Priority::Medium, Urgency::Urgent),
        (Priority::Medium, Urgency::High),
    ];
    let mut ids = Vec::new();
    for (i, (p, u)) in asked.into_iter().enumerate() {
        let new = approval(chat, p, u, Some("billing"), t0 + Duration::seconds(i as i64));
        let created = backend.create_approval(company, new.clone()).await;
        let created = created.unwrap_or_else(|e| panic!("{be}: create_approval: {e}"));
        assert_eq!((created.id, created.conversation_id), (new.id, chat), "{be}");
        assert_eq!((created.action.clone(), created.summary.clone()), (new.action, new.summary));
        assert_eq!(
            (created.priority, created.urgency, created.reasons.clone()),
            (p, u, new.reasons)
        );
        assert_eq!(created.status, ApprovalStatus::Pending, "{be}");
        assert!(!created.escalated && created.agent_id.is_none() && created.outcome.is_none());
        assert_eq!(backend.get_approval(company, created.id).await.expect("get"), created, "{be}");
        ids.push(created.id);
    }
    let events = backend.list_events(company, t0, t0 + Duration::minutes(1)).await.expect("ev");
    assert_eq!(events.iter().filter(|e| e.kind == "approval.created").count(), 4, "{be}");

    // Queue order: critical first, then medium by urgency, then the older of two equals.
    let list = async |filter: ApprovalFilter, limit: u32, after: Option<String>| {
        let page = PageRequest {
            limit: PageLimit::parse(limit).expect("limit"),
            after: after.map(|c| switchboard_domain::Cursor::parse(&c).expect("cursor")),
        };
        backend.list_approvals(company, filter, page).await.expect("list")
    };
    let first = list(ApprovalFilter::default(), 2, None).await;
    let rest = list(ApprovalFilter::default(), 2, first.next_cursor.clone()).await;
    assert!(rest.next_cursor.is_none(), "{be}");
    let listed: Vec<ApprovalId> = first.items.iter().chain(&rest.items).map(|a| a.id).collect();
    assert_eq!(listed, [ids[1], ids[2], ids[0], ids[3]], "{be}: queue order across pages");
    let medium = ApprovalFilter { priority: Some(Priority::Medium), ..ApprovalFilter::default() };
    assert_eq!(list(medium, 50, None).await.items.len(), 3, "{be}: priority filter");

    // Routing: the billing agent takes the most pressing ones up to its capacity.
    let ann = online_agent(backend, company, "ann.agent@acme.test", &["billing"], 2, t0).await;
    let bob = online_agent(backend, company, "bob@acme.test", &["billing"], 2, t0).await;
    let routed = backend.drain_work_queue(company, clock(t0)).await.expect("drain");
    assert_eq!(routed.len(), 4, "{be}: two agents of capacity 2");
    assert!(routed.iter().all(|i| matches!(i.subject, WorkSubject::Approval(_))), "{be}");
    let top = backend.get_approval(company, ids[1]).await.expect("get");
    let owner = top.agent_id.expect("the critical request has an agent");
    assert_eq!(top.assignment_reasons["rule"], "least_queue", "{be}: {}", top.assignment_reasons);
    assert_eq!(top.assignment_reasons["skillMatched"], true, "{be}");
    let mine = ApprovalFilter { agent: Some(owner), ..ApprovalFilter::default() };
    assert_eq!(list(mine, 50, None).await.items.len(), 2, "{be}: agent filter");
    let other = if owner == ann { bob } else { ann };

    // Two decide at once: one wins, the other is told it changed.
    let by_other = decision(acme.admin.id, None, "admin says yes");
    let (x, y) = tokio::join!(
        backend.decide_approval(company, ids[1], decision(owner, Some(owner), "ok")),
        backend.decide_approval(company, ids[1], by_other),
    );
    let (won, lost) = match (x, y) {
        (Ok(won), lost @ Err(_)) | (lost @ Err(_), Ok(won)) => (won, lost),
        both => panic!("{be}: exactly one decision lands: {both:?}"),
    };
    assert_conflict(backend, "the second decision", STATUS_CONFLICT, lost);
    assert_eq!(won.status, ApprovalStatus::Approved, "{be}");
    assert!(won.decided_at.is_some() && won.decided_by.is_some() && won.decision_note.is_some());
    assert_eq!(backend.get_approval(company, ids[1]).await.expect("get"), won, "{be}");
    assert_eq!(open_items(backend, company, owner).await, 1, "{be}: the decision freed a place");
    let again = backend.decide_approval(company, ids[1], decision(owner, None, "twice")).await;
    assert_conflict(backend, "deciding a decided request", STATUS_CONFLICT, again);

    // An agent decides only its own requests.
    let theirs = list(ApprovalFilter { agent: Some(other), ..ApprovalFilter::default() }, 50, None);
    let theirs = theirs.await.items[0].id;
    let mut reject = decision(owner, Some(owner), "not mine");
    reject.decision = Decision::Reject;
    let refused = backend.decide_approval(company, theirs, reject.clone()).await;
    assert_not_found(backend, "deciding another agent's request", refused);
    reject.assignee = Some(other);
    reject.expected = Some(ApprovalStatus::Pending);
    let rejected = backend.decide_approval(company, theirs, reject).await.expect("reject");
    assert_eq!(rejected.status, ApprovalStatus::Rejected, "{be}");

    let outcome = serde_json::json!({ "refunded": 25.5 });
    let stored = backend.set_approval_outcome(company, ids[1], outcome.clone(), t0).await;
    assert_eq!(stored.expect("outcome").outcome, Some(outcome), "{be}");
    let decided = ApprovalFilter { status: Some(ApprovalStatus::Approved), ..Default::default() };
    assert_eq!(list(decided, 50, None).await.items.len(), 1, "{be}: status filter");
}

/// Escalation raises the priority, clears the agent and frees its place; it happens once.
/// An admin then reassigns the request, over capacity, to an active agent, who decides it.
pub async fn approvals_escalate_and_reassign(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let acme = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let company = acme.company.id;
    let chat = conversation(backend, company, t0).await;
    let new = approval(chat, Priority::High, Urgency::Medium, None, t0);
    let id = backend.create_approval(company, new).await.expect("create").id;
    let ann = online_agent(backend, company, "ann.agent@acme.test", &[], 1, t0).await;
    backend.drain_work_queue(company, clock(t0)).await.expect("drain");
    let cal = online_agent(backend, company, "cal@acme.test", &[], 1, t0).await;
    assert_eq!(backend.get_approval(company, id).await.expect("get").agent_id, Some(ann));

    let refused = backend.escalate_approval(company, id, escalation(Some(cal))).await;
    assert_not_found(backend, "escalating another agent's request", refused);
    let up = backend.escalate_approval(company, id, escalation(Some(ann))).await.expect("up");
    assert_eq!((up.status, up.priority), (ApprovalStatus::Escalated, Priority::Critical), "{be}");
    assert!(up.escalated && up.agent_id.is_none(), "{be}: {up:?}");
    assert_eq!(up.escalation_note.as_deref(), Some("over my limit"), "{be}");
    assert_eq!(open_items(backend, company, ann).await, 0, "{be}: the agent's place is free");
    let waiting = backend.list_waiting_work(company, 10).await.expect("waiting");
    assert!(waiting.is_empty(), "{be}: escalated requests are the admins', not routed");
    let again = backend.escalate_approval(company, id, escalation(None)).await;
    assert_conflict(backend, "escalating twice", STATUS_CONFLICT, again);

    // The admin hands it to cal, who is at capacity already: an admin's choice wins.
    let busy = crate::routing_setup::queued_handoff(
        backend,
        company,
        Priority::Low,
        Urgency::Low,
        None,
        t0,
    )
    .await;
    backend.route_work_item(company, busy.id, clock(t0)).await.expect("route");
    let admin = acme.admin.id;
    let moved = backend.reassign_approval(company, id, cal, admin, t0).await.expect("reassign");
    assert_eq!((moved.agent_id, moved.status), (Some(cal), ApprovalStatus::Escalated), "{be}");
    assert_eq!(moved.assignment_reasons["rule"], "reassigned", "{be}");
    assert_eq!(open_items(backend, company, cal).await, 2, "{be}: over capacity, by choice");
    let cal_work = backend.list_agent_work(company, cal).await.expect("cal's work");
    assert!(cal_work.iter().any(|i| i.subject == WorkSubject::Approval(id)), "{be}");
    let moved_again = backend.reassign_approval(company, id, ann, admin, t0).await.expect("back");
    assert_eq!(moved_again.agent_id, Some(ann), "{be}");
    assert_eq!(open_items(backend, company, cal).await, 1, "{be}: the item moved with it");
    let to_admin = backend.reassign_approval(company, id, admin, admin, t0).await;
    assert_not_found(backend, "reassigning to an admin", to_admin);

    let mut stale = decision(ann, Some(ann), "ok");
    stale.expected = Some(ApprovalStatus::Pending);
    let refused = backend.decide_approval(company, id, stale.clone()).await;
    assert_conflict(backend, "deciding as if still pending", STATUS_CONFLICT, refused);
    stale.expected = Some(ApprovalStatus::Escalated);
    let done = backend.decide_approval(company, id, stale).await.expect("decide");
    assert_eq!(done.status, ApprovalStatus::Approved, "{be}");
    assert!(done.escalated, "{be}: the escalation stays on record");
    assert_eq!(open_items(backend, company, ann).await, 0, "{be}");

    let late = backend.reassign_approval(company, id, cal, admin, t0).await;
    assert_conflict(backend, "reassigning a decided request", STATUS_CONFLICT, late);
    let next = approval(chat, Priority::Low, Urgency::Low, None, t0);
    let next = backend.create_approval(company, next).await.expect("create").id;
    backend.deactivate_agent(company, cal, t0).await.expect("deactivate");
    let inactive = backend.reassign_approval(company, next, cal, admin, t0).await;
    assert_conflict(backend, "reassigning to a deactivated agent", "agent_inactive", inactive);
}
