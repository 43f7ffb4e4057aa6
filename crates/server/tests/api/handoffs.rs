//! Routing under load and what a routed agent's first words do: a hundred customers handed
//! off at once over three agents of capacity two (six assigned, the rest waiting in queue
//! order and served as conversations close), an agent answering a conversation routing
//! gave it without taking it over first, and a released conversation handed off again.

use crate::chat::messages;
use crate::helpers::{TestApp, spawn_app};
use crate::queue::{
    UNANSWERABLE, agent, open_items, owner, queue_update, set_status, update_agent,
};
use crate::sockets::{Socket, customer_socket, frames_until, staff_socket, stays_quiet};
use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use switchboard_engine::{HANDOFF_REPLY, JOINED_NOTE};

const CUSTOMERS: usize = 100;
const CAPACITY: u64 = 2;

/// Every conversation the admins see handed to a person, with its owner.
async fn owners(app: &TestApp, admin: &str) -> BTreeMap<String, Option<String>> {
    let list = app.get("/api/admin/conversations?status=human&limit=200", Some(admin)).await;
    let list = list.assert_ok(200).as_array().unwrap().clone();
    list.iter()
        .map(|c| {
            let owner = c["assignedAgentId"].as_str().map(str::to_owned);
            (c["id"].as_str().unwrap().to_owned(), owner)
        })
        .collect()
}

/// The `queued` announcements the admins heard, as (queue position key, conversation).
async fn queued_order(socket: &mut Socket, n: usize) -> Vec<(DateTime<Utc>, String, String)> {
    let mut queued = Vec::new();
    while queued.len() < n {
        let frames = frames_until(socket, |f| {
            f["type"] == "queue.updated" && f["data"]["action"] == "queued"
        })
        .await;
        let data = &frames.last().unwrap()["data"];
        assert_eq!(data["kind"], "conversation", "{data}");
        let at: DateTime<Utc> = data["queuedAt"].as_str().unwrap().parse().unwrap();
        // Storage keeps microseconds; ties fall to the item id, as the queue orders them.
        let at = at - Duration::from_nanos(u64::from(at.timestamp_subsec_nanos() % 1000));
        let item = data["itemId"].as_str().unwrap().to_owned();
        queued.push((at, item, data["subjectId"].as_str().unwrap().to_owned()));
    }
    queued.sort();
    queued
}

#[tokio::test]
async fn a_hundred_handoffs_at_once_fill_three_agents_and_wait_in_order() {
    let app = spawn_app().await;
    let (admin, company) = app.register("rush").await;
    let mut agents = BTreeMap::new();
    for name in ["ann", "ben", "cat"] {
        let (token, id) = agent(&app, &company, &format!("{name}@rush.example.com")).await;
        update_agent(&app, &admin, &id, json!({"capacity": CAPACITY})).await;
        set_status(&app, &token, "online").await;
        agents.insert(id, token);
    }
    let mut admin_events = staff_socket(&app, &admin).await;

    let body = json!({"companyId": company, "message": UNANSWERABLE});
    let replies = join_all((0..CUSTOMERS).map(|_| app.post("/api/chat", None, body.clone()))).await;
    for reply in &replies {
        let reply = reply.assert_ok(200);
        assert_eq!(reply["status"], "human", "{reply}");
        assert_eq!(reply["reply"]["content"], HANDOFF_REPLY);
    }

    // Exactly capacity × agents assigned, two each; the rest wait, unowned.
    let handed = owners(&app, &admin).await;
    assert_eq!(handed.len(), CUSTOMERS);
    let assigned: Vec<(&String, &String)> =
        handed.iter().filter_map(|(c, o)| o.as_ref().map(|o| (c, o))).collect();
    assert_eq!(assigned.len(), agents.len() * CAPACITY as usize, "{assigned:?}");
    for id in agents.keys() {
        assert_eq!(open_items(&app, &admin, id).await, CAPACITY, "agent {id}");
    }

    // The waiting ones, in the order the queue promises: same priority and urgency here,
    // so oldest first.
    let queued = queued_order(&mut admin_events, CUSTOMERS).await;
    let mut waiting: Vec<String> =
        queued.into_iter().map(|(_, _, c)| c).filter(|c| handed[c].is_none()).collect();
    assert_eq!(waiting.len(), CUSTOMERS - assigned.len());

    // Closing one frees its agent for the head of the queue, and only for it.
    let mut open: Vec<(String, String)> =
        assigned.into_iter().map(|(c, o)| (c.clone(), o.clone())).collect();
    let mut served = BTreeSet::new();
    while let Some((conversation, agent_id)) = open.pop() {
        let token = &agents[&agent_id];
        let close = format!("/api/agent/conversations/{conversation}/close");
        app.post(&close, Some(token), json!({})).await.assert_ok(200);
        assert!(served.insert(conversation.clone()), "{conversation} served twice");
        if waiting.is_empty() {
            continue;
        }
        let head = waiting.remove(0);
        assert_eq!(owner(&app, &admin, &head).await.as_deref(), Some(agent_id.as_str()));
        if let Some(next) = waiting.first() {
            assert_eq!(owner(&app, &admin, next).await, None, "only the head moves");
        }
        assert_eq!(open_items(&app, &admin, &agent_id).await, CAPACITY);
        open.insert(0, (head, agent_id));
    }
    assert_eq!(served.len(), CUSTOMERS);
    for id in agents.keys() {
        assert_eq!(open_items(&app, &admin, id).await, 0);
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_routed_agent_answering_first_joins_once_and_the_widget_hears_one_status() {
    let app = spawn_app().await;
    let (admin, company) = app.register("first-words").await;
    let (ann, ann_id) = agent(&app, &company, "ann@first-words.example.com").await;

    // Nobody is online: the handoff waits, and the widget listens.
    let chat =
        app.post("/api/chat", None, json!({"companyId": company, "message": UNANSWERABLE})).await;
    let chat = chat.assert_ok(200);
    assert_eq!(chat["status"], "human");
    let id = chat["conversationId"].as_str().unwrap().to_owned();
    let session = chat["sessionId"].as_str().unwrap().to_owned();
    let mut widget = customer_socket(&app, &session, None).await;

    // Ann comes online and routing gives her the conversation: news for the staff only.
    set_status(&app, &ann, "online").await;
    assert_eq!(owner(&app, &admin, &id).await.as_deref(), Some(ann_id.as_str()));
    if let Some(frame) = stays_quiet(&mut widget, Duration::from_millis(300)).await {
        panic!("the widget heard of the routing: {frame}");
    }

    let base = format!("/api/agent/conversations/{id}");
    let said = app
        .post(&format!("{base}/messages"), Some(&ann), json!({"content": "Hi, Ann here."}))
        .await;
    assert_eq!(said.assert_ok(201)["content"], "Hi, Ann here.");
    let frames = frames_until(&mut widget, |f| f["content"] == "Hi, Ann here.").await;
    let contents: Vec<&str> = frames.iter().filter_map(|f| f["content"].as_str()).collect();
    assert_eq!(contents, [JOINED_NOTE, "Hi, Ann here."], "{frames:?}");
    assert!(frames.iter().all(|f| f["type"] != "status"), "{frames:?}");

    // Taking over afterwards, or writing again, does not say it twice.
    app.post(&format!("{base}/takeover"), Some(&ann), json!({})).await.assert_ok(200);
    let again =
        app.post(&format!("{base}/messages"), Some(&ann), json!({"content": "Still here."})).await;
    again.assert_ok(201);
    let history = messages(&app, &session).await;
    let joined = history.iter().filter(|m| m["content"] == JOINED_NOTE).count();
    assert_eq!(joined, 1, "{history:#?}");
    assert_eq!(open_items(&app, &admin, &ann_id).await, 1);
    if let Some(frame) = stays_quiet(&mut widget, Duration::from_millis(200)).await {
        assert_ne!(frame["type"], "status", "{frame}");
    }
    app.shutdown().await;
}

/// A release closes the agent's queue entry in the release's own write, so the customer's
/// next handoff is queued afresh (a new item, announced once) and routed again, and the
/// agent's capacity counts the conversation once.
#[tokio::test]
async fn a_released_conversation_handed_off_again_is_queued_afresh() {
    let app = spawn_app().await;
    let (admin, company) = app.register("again").await;
    let (ann, ann_id) = agent(&app, &company, "ann@again.example.com").await;
    set_status(&app, &ann, "online").await;
    let mut admin_events = staff_socket(&app, &admin).await;

    let chat =
        app.post("/api/chat", None, json!({"companyId": company, "message": UNANSWERABLE})).await;
    let chat = chat.assert_ok(200);
    let id = chat["conversationId"].as_str().unwrap().to_owned();
    let session = chat["sessionId"].as_str().unwrap().to_owned();
    let first = queue_update(&mut admin_events, "queued", &id).await;
    let base = format!("/api/agent/conversations/{id}");
    app.post(&format!("{base}/takeover"), Some(&ann), json!({})).await.assert_ok(200);
    let released = app.post(&format!("{base}/release"), Some(&ann), json!({})).await;
    assert_eq!(released.assert_ok(200)["status"], "ai");
    let closed = queue_update(&mut admin_events, "closed", &id).await;
    assert_eq!(closed["itemId"], first["itemId"]);
    assert_eq!(closed["agentId"], ann_id.as_str());
    assert_eq!(open_items(&app, &admin, &ann_id).await, 0);

    let body = json!({"companyId": company, "message": UNANSWERABLE, "sessionId": session});
    let again = app.post("/api/chat", None, body).await;
    let again = again.assert_ok(200);
    assert_eq!(
        (again["status"].as_str(), again["reply"]["content"].as_str()),
        (Some("human"), Some(HANDOFF_REPLY))
    );
    let requeued = queue_update(&mut admin_events, "queued", &id).await;
    assert_ne!(requeued["itemId"], first["itemId"], "a new item, not the released one");
    let assigned = queue_update(&mut admin_events, "assigned", &id).await;
    assert_eq!(assigned["itemId"], requeued["itemId"]);
    assert_eq!(owner(&app, &admin, &id).await.as_deref(), Some(ann_id.as_str()));
    assert_eq!(open_items(&app, &admin, &ann_id).await, 1);
    if let Some(frame) = stays_quiet(&mut admin_events, Duration::from_millis(300)).await {
        assert_ne!(frame["data"]["action"], "queued", "queued twice: {frame}");
    }
    app.shutdown().await;
}
