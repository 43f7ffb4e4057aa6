//! Least-queue routing: capacity under concurrency, queue order while draining, skills and
//! their fall-back, longest idle, presence, and agents handing their items back.

use crate::data::{self, name};
use crate::routing_setup::{
    change_work, clock, handed_off, online_agent, open_items, queue_order, queued_handoff, work,
};
use chrono::Duration;
use std::collections::{BTreeMap, BTreeSet};
use switchboard_domain::{AgentStatus, Priority, Urgency, UserId, WorkItemId};
use switchboard_storage::{Backend, WorkChange, WorkItem, WorkSubject};

const PRIORITIES: [Priority; 4] =
    [Priority::Low, Priority::Medium, Priority::High, Priority::Critical];
const URGENCIES: [Urgency; 4] = [Urgency::Low, Urgency::Medium, Urgency::High, Urgency::Urgent];

fn agent_of(item: &WorkItem) -> UserId {
    item.assigned_agent_id.expect("an assigned item")
}

/// 100 handoffs queued and routed at once over three agents of capacity 2: exactly six are
/// assigned, two each, none twice; the other 94 wait in queue order, and closing an item
/// hands its agent the head of the queue, one at a time.
pub async fn concurrent_routings_never_exceed_capacity(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let acme = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let company = acme.company.id;
    let mut agents = Vec::new();
    for who in ["xena", "yuri", "zoe"] {
        agents.push(online_agent(backend, company, &format!("{who}@acme.test"), &[], 2, t0).await);
    }
    let mut items = Vec::new();
    for i in 0..100_i64 {
        let id = handed_off(backend, company, None, t0).await;
        let (p, u) = (PRIORITIES[(i % 4) as usize], URGENCIES[(i / 4 % 4) as usize]);
        // Distinct ages, so that the expected order is fully determined.
        items.push(work(WorkSubject::Conversation(id), p, u, None, t0 + Duration::milliseconds(i)));
    }

    // Act: every handoff queues itself and routes, all at once.
    let when = clock(t0 + Duration::seconds(1));
    let routings = items.into_iter().map(|item| async move {
        let queued = backend.enqueue_work_item(company, item).await?;
        backend.route_work_item(company, queued.id, when).await
    });
    let results = futures_util::future::join_all(routings).await;

    let mut assigned: Vec<WorkItem> = Vec::new();
    for result in results {
        assigned.extend(result.unwrap_or_else(|e| panic!("{be}: a routing failed: {e}")));
    }
    let distinct: BTreeSet<WorkItemId> = assigned.iter().map(|i| i.id).collect();
    assert_eq!((assigned.len(), distinct.len()), (6, 6), "{be}: six assignments, none twice");
    let mut per_agent: BTreeMap<UserId, usize> = BTreeMap::new();
    for item in &assigned {
        *per_agent.entry(agent_of(item)).or_default() += 1;
        let WorkSubject::Conversation(c) = item.subject else { panic!("{be}: a handoff") };
        let owner = backend.get_conversation(company, c).await.expect("conversation");
        assert_eq!(owner.assigned_agent_id, item.assigned_agent_id, "{be}: the owner is set");
        assert_eq!(item.reasons["rule"], "least_queue", "{be}: {}", item.reasons);
    }
    for agent in &agents {
        assert_eq!(per_agent.get(agent), Some(&2), "{be}: each agent gets exactly its capacity");
        assert_eq!(open_items(backend, company, *agent).await, 2, "{be}: open items");
        let own = backend.list_agent_work(company, *agent).await.expect("agent's work");
        assert_eq!(own.len(), 2, "{be}");
    }

    let mut waiting = backend.list_waiting_work(company, 200).await.expect("waiting");
    assert_eq!(waiting.len(), 94, "{be}: the rest wait");
    let listed: Vec<WorkItemId> = waiting.iter().map(|i| i.id).collect();
    queue_order(&mut waiting);
    assert_eq!(listed, waiting.iter().map(|i| i.id).collect::<Vec<_>>(), "{be}: queue order");
    for item in &waiting {
        let WorkSubject::Conversation(c) = item.subject else { panic!("{be}: a handoff") };
        let c = backend.get_conversation(company, c).await.expect("conversation");
        assert_eq!(c.assigned_agent_id, None, "{be}: a waiting conversation has no owner");
    }
    let nobody_free = backend.drain_work_queue(company, when).await.expect("drain");
    assert!(nobody_free.is_empty(), "{be}: a drain with everyone full assigns nothing");

    // Closing one of an agent's items gives that agent the head of the queue, in order.
    let mut by_agent: Vec<WorkItem> = assigned;
    for (round, head) in waiting.iter().take(5).enumerate() {
        let done = by_agent.remove(0);
        let later = clock(t0 + Duration::seconds(2 + round as i64));
        let closed = change_work(backend, company, done.subject, WorkChange::Close, later.now);
        let closed = closed.await.expect("close");
        assert!(closed.is_some_and(|item| item.closed_at.is_some()), "{be}: {round}");
        let drained = backend.drain_work_queue(company, later).await.expect("drain");
        assert_eq!(drained.len(), 1, "{be}: round {round}: one place freed, one item assigned");
        assert_eq!(drained[0].id, head.id, "{be}: round {round}: the head of the queue");
        assert_eq!(drained[0].assigned_agent_id, done.assigned_agent_id, "{be}: {round}");
        assert_eq!(drained[0].created_at, head.created_at, "{be}: its age is kept");
        by_agent.push(drained[0].clone());
    }
    let left = backend.list_waiting_work(company, 200).await.expect("waiting");
    assert_eq!(left.len(), 89, "{be}");
    assert_eq!(left[0].id, waiting[5].id, "{be}: the queue moved up by five");
}

/// The needed skill narrows the choice to the online agents who have it, even when they are
/// full; only when no online agent has it does anyone online take it. Among equals, the agent
/// idle longest wins, and an agent online but not heard from lately gets nothing.
pub async fn skills_fall_back_and_idle_agents_go_first(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let acme = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let company = acme.company.id;
    let when = clock(t0);
    // Created first, so it would win every tie, were it present.
    let silent = online_agent(backend, company, "sid@acme.test", &["billing"], 5, t0).await;
    let stale = when.seen_since - Duration::seconds(1);
    backend.set_agent_status(company, silent, AgentStatus::Online, stale).await.expect("stale");
    let bill = online_agent(backend, company, "bill@acme.test", &["billing"], 1, t0).await;
    let any = online_agent(backend, company, "any@acme.test", &[], 2, t0).await;
    let (p, u) = (Priority::Medium, Urgency::Medium);

    let a = queued_handoff(backend, company, p, u, Some("billing"), t0).await;
    let routed = backend.route_work_item(company, a.id, when).await.expect("route a");
    assert_eq!(routed.iter().map(agent_of).collect::<Vec<_>>(), [bill], "{be}: the skilled one");
    assert_eq!(routed[0].reasons["skillMatched"], true, "{be}: {}", routed[0].reasons);

    let b = queued_handoff(backend, company, p, u, Some("billing"), t0).await;
    let routed = backend.route_work_item(company, b.id, when).await.expect("route b");
    assert!(routed.is_empty(), "{be}: the billing agent is full, so billing work waits");

    let c = queued_handoff(backend, company, p, u, Some("spanish"), t0).await;
    let routed = backend.route_work_item(company, c.id, when).await.expect("route c");
    assert_eq!(routed.iter().map(agent_of).collect::<Vec<_>>(), [any], "{be}: nobody has it");
    assert_eq!(routed[0].reasons["skillMatched"], false, "{be}: {}", routed[0].reasons);
    assert_eq!(open_items(backend, company, silent).await, 0, "{be}: silent agents get none");

    // The billing agent leaves: its item and the waiting one go to whoever is online.
    let gone = backend.set_agent_status(company, bill, AgentStatus::Offline, t0).await;
    gone.expect("offline");
    assert_eq!(backend.release_agent(company, bill, t0).await.expect("release"), 1, "{be}");
    let drained = backend.drain_work_queue(company, when).await.expect("drain");
    assert_eq!(drained.iter().map(|i| i.id).collect::<Vec<_>>(), [a.id], "{be}: oldest first");
    assert_eq!(agent_of(&drained[0]), any, "{be}: the fall-back agent");
    let waiting = backend.list_waiting_work(company, 10).await.expect("waiting");
    assert_eq!(waiting.iter().map(|i| i.id).collect::<Vec<_>>(), [b.id], "{be}: any is full");

    // Longest idle: two fresh agents, equally loaded; the one given work last waits.
    let other = data::register(backend, "help@globex.test", "gus@globex.test", t0).await;
    let globex = other.company.id;
    let x = online_agent(backend, globex, "x@globex.test", &[], 5, t0).await;
    let y = online_agent(backend, globex, "y@globex.test", &[], 5, t0).await;
    let mut order = Vec::new();
    for step in 1..=3_i64 {
        let at = clock(t0 + Duration::seconds(step));
        let item = queued_handoff(backend, globex, p, u, None, at.now).await;
        let routed = backend.route_work_item(globex, item.id, at).await.expect("route");
        order.push(agent_of(&routed[0]));
        if step == 1 {
            let closed = change_work(backend, globex, item.subject, WorkChange::Close, at.now);
            closed.await.expect("close the first");
        }
    }
    // 1: a tie, never assigned, settled by id; 2: y never had work; 3: x has fewer open.
    assert_eq!(order, [x, y, x], "{be}: longest idle, then fewest open items");
}

/// An agent going offline hands back its routed items and the conversations it took over
/// (queued now, aged from their handoff); a deactivated agent does the same, and both stop
/// being chosen.
pub async fn offline_and_deactivated_agents_release_their_items(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let acme = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let company = acme.company.id;
    let when = clock(t0);
    let ada = online_agent(backend, company, "ada@acme.test", &[], 2, t0).await;
    let ben = online_agent(backend, company, "ben@acme.test", &[], 2, t0).await;
    backend.set_agent_status(company, ben, AgentStatus::Offline, t0).await.expect("ben away");
    let (p, u) = (Priority::High, Urgency::Medium);
    let first = queued_handoff(backend, company, p, u, None, t0).await;
    let second = queued_handoff(backend, company, p, u, None, t0 + Duration::seconds(1)).await;
    let routed = backend.drain_work_queue(company, when).await.expect("drain");
    assert_eq!(routed.len(), 2, "{be}: both to the only present agent");
    let taken = handed_off(backend, company, Some(ada), t0 + Duration::seconds(2)).await;

    backend.set_agent_status(company, ada, AgentStatus::Offline, t0).await.expect("offline");
    assert_eq!(backend.release_agent(company, ada, t0).await.expect("release"), 3, "{be}");
    assert_eq!(open_items(backend, company, ada).await, 0, "{be}");
    let waiting = backend.list_waiting_work(company, 10).await.expect("waiting");
    let subjects: Vec<WorkSubject> = waiting.iter().map(|i| i.subject).collect();
    assert_eq!(
        subjects,
        [first.subject, second.subject, WorkSubject::Conversation(taken)],
        "{be}: back in the queue in age order"
    );
    assert_eq!(waiting[0].created_at, first.created_at, "{be}: the age is kept");
    assert!(waiting.iter().all(|i| i.assigned_at.is_none()), "{be}");
    let owner = backend.get_conversation(company, taken).await.expect("taken over");
    assert_eq!(owner.assigned_agent_id, None, "{be}: the conversation waits for a person");
    assert!(backend.drain_work_queue(company, when).await.expect("drain").is_empty(), "{be}");

    backend.set_agent_status(company, ben, AgentStatus::Online, t0).await.expect("ben back");
    let to_ben = backend.drain_work_queue(company, when).await.expect("drain");
    assert_eq!(to_ben.iter().map(agent_of).collect::<Vec<_>>(), [ben, ben], "{be}");
    backend.set_agent_status(company, ada, AgentStatus::Online, t0).await.expect("ada back");
    let to_ada = backend.drain_work_queue(company, when).await.expect("drain");
    assert_eq!(to_ada.iter().map(agent_of).collect::<Vec<_>>(), [ada], "{be}: the last one");

    assert_eq!(backend.deactivate_agent(company, ada, t0).await.expect("deactivate"), 1, "{be}");
    assert_eq!(open_items(backend, company, ada).await, 0, "{be}");
    let back = backend.list_waiting_work(company, 10).await.expect("waiting");
    assert_eq!(back.iter().map(|i| i.id).collect::<Vec<_>>(), [to_ada[0].id], "{be}");
    backend.set_agent_status(company, ada, AgentStatus::Online, t0).await.expect("status");
    assert!(
        backend.drain_work_queue(company, when).await.expect("drain").is_empty(),
        "{be}: a deactivated agent is never chosen, and ben is full"
    );
}
