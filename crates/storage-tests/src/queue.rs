//! The routing queue's own rules: one open item per subject, closing, direct assignment,
//! and company scoping of every queue and approval method.

use crate::data::{self, assert_conflict, assert_not_found, name};
use crate::routing_setup::{
    approval, change_work, clock, conversation, handed_off, online_agent, work,
};
use serde_json::json;
use switchboard_domain::{Priority, Urgency};
use switchboard_storage::{
    ApprovalDecision, ApprovalEscalation, ApprovalFilter, Backend, ConversationWrite, Decision,
    PageRequest, StatusChange, WorkChange, WorkSubject,
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

    let closed = change_work(backend, company, chat, WorkChange::Close, t0).await.expect("close");
    let closed = closed.unwrap_or_else(|| panic!("{be}: closing answers the open item"));
    assert_eq!((closed.id, closed.closed_at), (queued.id, Some(t0)), "{be}");
    let twice = change_work(backend, company, chat, WorkChange::Close, t0).await;
    assert_eq!(twice.expect("close again"), None, "{be}: closing twice closes nothing");
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
    let claim = || WorkChange::Claim { agent: pat, reasons: why.clone() };
    let mine = change_work(backend, company, other.subject, claim(), t0).await.expect("claim");
    let mine = mine.unwrap_or_else(|| panic!("{be}: the claim answers its item"));
    assert_eq!((mine.id, mine.assigned_agent_id), (other.id, Some(pat)), "{be}");
    assert_eq!(mine.reasons, why, "{be}");
    let fresh = WorkSubject::Conversation(handed_off(backend, company, Some(pat), t0).await);
    let opened = change_work(backend, company, fresh, claim(), t0).await.expect("claim");
    let opened =
        opened.unwrap_or_else(|| panic!("{be}: a takeover without a handoff opens an item"));
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
        work: Some(WorkChange::Queue(item.clone())),
        ..ConversationWrite::at(t0)
    };
    let handed = backend.record_work(company, id, write).await;
    let handed = handed.unwrap_or_else(|e| panic!("{be}: handoff: {e}"));
    assert_eq!(handed.conversation.status, "human", "{be}");
    let waiting = backend.list_waiting_work(company, 10).await.expect("waiting");
    assert_eq!(waiting.len(), 1, "{be}");
    assert_eq!((waiting[0].id, waiting[0].subject), (item.id, chat), "{be}");
    assert_eq!(
        (waiting[0].priority, waiting[0].skill.as_deref()),
        (Priority::High, Some("billing")),
        "{be}"
    );
    assert_eq!(handed.work.as_ref(), Some(&waiting[0]), "{be}: the write answers its item");

    // Already queued: the write lands, nothing more is queued and no item is answered.
    let again = ConversationWrite {
        work: Some(WorkChange::Queue(work(chat, Priority::Low, Urgency::Low, None, t0))),
        ..ConversationWrite::at(t0)
    };
    let again = backend.record_work(company, id, again).await;
    let again = again.unwrap_or_else(|e| panic!("{be}: again: {e}"));
    assert_eq!(again.work, None, "{be}: nothing was queued");
    let waiting = backend.list_waiting_work(company, 10).await.expect("waiting");
    assert_eq!(waiting.iter().map(|w| w.id).collect::<Vec<_>>(), [item.id], "{be}");

    // A status change that no longer matches is refused whole: no item either.
    let other = conversation(backend, company, t0).await;
    let other_item = work(WorkSubject::Conversation(other), Priority::Low, Urgency::Low, None, t0);
    let stale = ConversationWrite {
        change: Some(handoff("awaiting_approval")),
        work: Some(WorkChange::Queue(other_item)),
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

/// A takeover written with its claim makes the conversation's item the agent's (over
/// capacity) in the same write; a release closes it in the same write, so a handoff right
/// after queues afresh; a refused takeover claims nothing; a deactivated agent's claim
/// refuses the whole write.
pub async fn takeover_and_release_writes_keep_the_queue_in_step(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let acme = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let company = acme.company.id;
    let pat = online_agent(backend, company, "pat@acme.test", &[], 1, t0).await;
    let id = handed_off(backend, company, None, t0).await;
    let chat = WorkSubject::Conversation(id);
    let queued =
        backend.enqueue_work_item(company, work(chat, Priority::Low, Urgency::Low, None, t0));
    let queued = queued.await.expect("enqueue");
    let change = |from: &str, from_agent, to: &str, agent| StatusChange {
        from: from.to_owned(),
        from_agent,
        to: to.to_owned(),
        agent,
        resolution: None,
    };
    let why = json!({ "rule": "takeover" });
    let claim = || Some(WorkChange::Claim { agent: pat, reasons: why.clone() });

    // Refused (the conversation is not the AI's): nothing claimed.
    let stale = ConversationWrite {
        change: Some(change("ai", None, "human", Some(pat))),
        work: claim(),
        ..ConversationWrite::at(t0)
    };
    let refused = backend.record_work(company, id, stale).await;
    assert_conflict(backend, "a stale takeover", "conversation_status", refused);
    assert_eq!(backend.list_agent_work(company, pat).await.expect("pat's").len(), 0, "{be}");

    let take = ConversationWrite {
        change: Some(change("human", None, "human", Some(pat))),
        work: claim(),
        ..ConversationWrite::at(t0)
    };
    let taken = backend.record_work(company, id, take).await;
    let taken = taken.unwrap_or_else(|e| panic!("{be}: takeover: {e}"));
    assert_eq!(taken.conversation.assigned_agent_id, Some(pat), "{be}");
    let claimed = taken.work.unwrap_or_else(|| panic!("{be}: the claim answers its item"));
    assert_eq!((claimed.id, claimed.assigned_agent_id), (queued.id, Some(pat)), "{be}");
    assert_eq!(claimed.reasons, why, "{be}");
    assert_eq!(backend.list_waiting_work(company, 10).await.expect("waiting").len(), 0, "{be}");

    // A release closes the entry with the status change; a handoff after it queues anew.
    let release = ConversationWrite {
        change: Some(change("human", Some(pat), "ai", None)),
        work: Some(WorkChange::Close),
        ..ConversationWrite::at(t0)
    };
    let released = backend.record_work(company, id, release).await;
    let released = released.unwrap_or_else(|e| panic!("{be}: release: {e}"));
    let closed = released.work.unwrap_or_else(|| panic!("{be}: the release answers its item"));
    assert_eq!((closed.id, closed.closed_at), (queued.id, Some(t0)), "{be}");
    assert_eq!(backend.list_agent_work(company, pat).await.expect("pat's").len(), 0, "{be}");
    let again = work(chat, Priority::High, Urgency::Low, None, t0);
    let handoff = ConversationWrite {
        change: Some(change("ai", None, "human", None)),
        work: Some(WorkChange::Queue(again.clone())),
        ..ConversationWrite::at(t0)
    };
    let requeued = backend.record_work(company, id, handoff).await.expect("handoff");
    assert_eq!(requeued.work.map(|w| w.id), Some(again.id), "{be}: queued afresh");

    // Nothing open to close: the write lands and answers no item.
    let fresh = conversation(backend, company, t0).await;
    let close = ConversationWrite {
        change: Some(change("ai", None, "closed", None)),
        work: Some(WorkChange::Close),
        ..ConversationWrite::at(t0)
    };
    let closed = backend.record_work(company, fresh, close).await.expect("close");
    assert_eq!((closed.conversation.status.as_str(), closed.work), ("closed", None), "{be}");

    // A deactivated agent cannot claim: the takeover is refused whole.
    backend.deactivate_agent(company, pat, t0).await.expect("deactivate");
    let take = ConversationWrite {
        change: Some(change("human", None, "human", Some(pat))),
        work: claim(),
        ..ConversationWrite::at(t0)
    };
    let refused = backend.record_work(company, id, take).await;
    assert_conflict(backend, "an inactive agent's takeover", "agent_inactive", refused);
    let now = backend.get_conversation(company, id).await.expect("conversation");
    assert_eq!(now.assigned_agent_id, None, "{be}: the takeover did not land");
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
    nf("close", change_work(backend, cb, subject, WorkChange::Close, t0).await.map(drop));
    let claim = |agent| WorkChange::Claim { agent, reasons: json!({}) };
    let taken = change_work(backend, cb, subject, claim(b_agent), t0).await;
    nf("claim another company's subject", taken.map(drop));
    let given = change_work(backend, ca, subject, claim(b_agent), t0).await;
    nf("claim for another company's agent", given.map(drop));
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
