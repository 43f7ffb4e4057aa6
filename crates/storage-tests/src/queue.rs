//! The routing queue's own rules: one open item per subject, closing, direct assignment,
//! and company scoping of every queue and approval method.

use crate::data::{self, assert_conflict, assert_not_found, name};
use crate::routing_setup::{approval, clock, conversation, handed_off, online_agent, work};
use serde_json::json;
use switchboard_domain::{Priority, Urgency};
use switchboard_storage::{
    ApprovalDecision, ApprovalEscalation, ApprovalFilter, Backend, ConversationWrite, Decision,
    PageRequest, StatusChange, WorkSubject,
};

/// A subject is queued once at a time; a closed item frees the subject to be queued again; a
/// takeover gives the subject to its agent directly, over capacity.
pub async fn a_subject_is_queued_once_and_can_be_taken_over(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let acme = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let company = acme.company.id;
    let chat = WorkSubject::Conversation(handed_off(backend, company, None, t0).await);
    let (p, u) = (Priority::Medium, Urgency::Low);
    let queued = backend.enqueue_work_item(company, work(chat, p, u, Some("billing"), t0)).await;
    let queued = queued.unwrap_or_else(|e| panic!("{be}: enqueue: {e}"));
    assert_eq!((queued.subject, queued.priority, queued.urgency), (chat, p, u), "{be}");
    assert_eq!(queued.skill.as_deref(), Some("billing"), "{be}");
    assert!(queued.assigned_agent_id.is_none() && queued.closed_at.is_none(), "{be}");
    assert_eq!(backend.get_work_item(company, queued.id).await.expect("get"), queued, "{be}");
    let twice = backend.enqueue_work_item(company, work(chat, p, u, None, t0)).await;
    assert_conflict(backend, "queuing a queued subject", "work_items_open_subject", twice);

    let closed = backend.close_work(company, chat, t0).await.expect("close");
    assert_eq!((closed.id, closed.closed_at), (queued.id, Some(t0)), "{be}");
    assert_not_found(backend, "closing twice", backend.close_work(company, chat, t0).await);
    let requeued = backend.enqueue_work_item(company, work(chat, p, u, None, t0)).await;
    let requeued = requeued.expect("a closed subject can be queued again");

    // A takeover: the agent already full gets it anyway, as its own choice.
    let pat = online_agent(backend, company, "pat@acme.test", &[], 1, t0).await;
    let other = handed_off(backend, company, None, t0).await;
    let other = work(WorkSubject::Conversation(other), p, u, None, t0);
    let other = backend.enqueue_work_item(company, other).await.expect("enqueue");
    let routed = backend.route_work_item(company, other.id, clock(t0)).await.expect("route");
    let routed: Vec<_> = routed.iter().map(|i| i.id).collect();
    assert_eq!(routed, [requeued.id], "{be}: the older of two goes to the only agent");
    let why = json!({ "rule": "takeover" });
    let mine = backend.assign_work(company, other.subject, pat, why.clone(), t0).await;
    let mine = mine.expect("assign");
    assert_eq!((mine.id, mine.assigned_agent_id), (other.id, Some(pat)), "{be}");
    assert_eq!(mine.reasons, why, "{be}");
    let fresh = handed_off(backend, company, Some(pat), t0).await;
    let opened = backend.assign_work(company, WorkSubject::Conversation(fresh), pat, why, t0).await;
    let opened = opened.expect("a takeover without a handoff opens an item");
    assert_eq!(opened.assigned_agent_id, Some(pat), "{be}");
    let agent = backend.get_agent(company, pat).await.expect("agent");
    assert_eq!((agent.open_items, agent.capacity.get()), (3, 1), "{be}: open items count work");
}

/// A handoff written with its queue item opens exactly one waiting item for the
/// conversation, in the same write; a write that names an item for a subject already open
/// adds none and still lands; a refused status change queues nothing.
pub async fn a_handoff_write_queues_its_conversation_once(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let acme = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let company = acme.company.id;
    let id = conversation(backend, company, t0).await;
    let chat = WorkSubject::Conversation(id);
    let handoff = |from: &str| StatusChange {
        from: from.to_owned(),
        from_agent: None,
        to: "human".to_owned(),
        agent: None,
        resolution: None,
    };
    let item = work(chat, Priority::High, Urgency::Low, Some("billing"), t0);
    let write = ConversationWrite {
        change: Some(handoff("ai")),
        queue: Some(item.clone()),
        ..ConversationWrite::at(t0)
    };
    let handed = backend.record(company, id, write).await;
    assert_eq!(handed.unwrap_or_else(|e| panic!("{be}: handoff: {e}")).status, "human", "{be}");
    let waiting = backend.list_waiting_work(company, 10).await.expect("waiting");
    assert_eq!(waiting.len(), 1, "{be}");
    assert_eq!((waiting[0].id, waiting[0].subject), (item.id, chat), "{be}");
    assert_eq!(
        (waiting[0].priority, waiting[0].skill.as_deref()),
        (Priority::High, Some("billing")),
        "{be}"
    );

    // Already queued: the write lands, nothing more is queued.
    let again = ConversationWrite {
        queue: Some(work(chat, Priority::Low, Urgency::Low, None, t0)),
        ..ConversationWrite::at(t0)
    };
    backend.record(company, id, again).await.unwrap_or_else(|e| panic!("{be}: again: {e}"));
    let waiting = backend.list_waiting_work(company, 10).await.expect("waiting");
    assert_eq!(waiting.iter().map(|w| w.id).collect::<Vec<_>>(), [item.id], "{be}");

    // A status change that no longer matches is refused whole: no item either.
    let other = conversation(backend, company, t0).await;
    let stale = ConversationWrite {
        change: Some(handoff("awaiting_approval")),
        queue: Some(work(WorkSubject::Conversation(other), Priority::Low, Urgency::Low, None, t0)),
        ..ConversationWrite::at(t0)
    };
    assert_conflict(
        backend,
        "a stale handoff",
        "conversation_status",
        backend.record(company, other, stale).await,
    );
    assert_eq!(backend.list_waiting_work(company, 10).await.expect("waiting").len(), 1, "{be}");
}

/// Every queue and approval method answers another company's ids exactly like unknown ones,
/// and never lets one company's work reach another company's agent.
pub async fn queue_and_approvals_are_invisible_to_other_companies(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", t0).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let chat = conversation(backend, ca, t0).await;
    let (p, u) = (Priority::High, Urgency::High);
    let request =
        backend.create_approval(ca, approval(chat, p, u, None, t0)).await.expect("create");
    let handoff = handed_off(backend, ca, None, t0).await;
    let subject = WorkSubject::Conversation(handoff);
    let item = backend.enqueue_work_item(ca, work(subject, p, u, None, t0)).await.expect("queue");
    let a_agent =
        online_agent(backend, ca, "amy@acme.test", &[], 5, t0 - chrono::Duration::hours(1)).await;
    let b_agent = online_agent(backend, cb, "bo@globex.test", &[], 5, t0).await;
    let decide = ApprovalDecision {
        decision: Decision::Approve,
        by: b.admin.id,
        assignee: None,
        expected: None,
        note: None,
        events: Vec::new(),
        now: t0,
    };
    let escalate = ApprovalEscalation { assignee: None, note: None, events: Vec::new(), now: t0 };

    let nf = |what: &str, r: Result<(), switchboard_storage::StorageError>| {
        assert_not_found(backend, what, r)
    };
    nf("get approval", backend.get_approval(cb, request.id).await.map(drop));
    nf("decide", backend.decide_approval(cb, request.id, decide).await.map(drop));
    nf("escalate", backend.escalate_approval(cb, request.id, escalate).await.map(drop));
    let reassign = backend.reassign_approval(cb, request.id, b_agent, b.admin.id, t0).await;
    nf("reassign", reassign.map(drop));
    let across = backend.reassign_approval(ca, request.id, b_agent, a.admin.id, t0).await;
    nf("reassign to another company's agent", across.map(drop));
    nf("outcome", backend.set_approval_outcome(cb, request.id, json!({}), t0).await.map(drop));
    let foreign = approval(chat, p, u, None, t0);
    nf(
        "approval on another company's conversation",
        backend.create_approval(cb, foreign).await.map(drop),
    );
    nf("get item", backend.get_work_item(cb, item.id).await.map(drop));
    nf("route", backend.route_work_item(cb, item.id, clock(t0)).await.map(drop));
    nf("close", backend.close_work(cb, subject, t0).await.map(drop));
    let taken = backend.assign_work(cb, subject, b_agent, json!({}), t0).await;
    nf("assign another company's subject", taken.map(drop));
    let given = backend.assign_work(ca, subject, b_agent, json!({}), t0).await;
    nf("assign to another company's agent", given.map(drop));
    let queued = backend.enqueue_work_item(cb, work(subject, p, u, None, t0)).await;
    nf("queue another company's conversation", queued.map(drop));

    let listed = backend.list_approvals(cb, ApprovalFilter::default(), PageRequest::default());
    assert!(listed.await.expect("list").items.is_empty(), "{be}");
    assert!(backend.list_waiting_work(cb, 10).await.expect("waiting").is_empty(), "{be}");
    // Company b's present agent drains b's queue only; a's agent is not present.
    assert!(backend.drain_work_queue(cb, clock(t0)).await.expect("drain b").is_empty(), "{be}");
    assert!(backend.drain_work_queue(ca, clock(t0)).await.expect("drain a").is_empty(), "{be}");
    assert_eq!(backend.list_waiting_work(ca, 10).await.expect("waiting").len(), 2, "{be}");
    assert_eq!(backend.release_agent(cb, a_agent, t0).await.expect("release"), 0, "{be}");
}
