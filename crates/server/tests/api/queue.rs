//! Routing people to work, through HTTP and the staff socket: handoffs and approval requests
//! go to online agents with the needed skill (any online agent when nobody has it), under
//! their capacity, fewest open items first; with nobody available they wait, and an agent
//! coming online, freeing capacity, going offline or being deactivated moves them on. Also
//! the admins' queue of approval requests, reassigning one, and agents' capacity.

use crate::helpers::{TestApp, spawn_app};
use crate::sockets::{Socket, frames_until, staff_socket, stays_quiet};
use chrono::Utc;
use serde_json::{Value, json};
use std::time::Duration;
use switchboard_domain::{
    ApprovalId, CompanyId, ConversationId, Priority, Role, Urgency, UserId, WorkItemId,
};
use switchboard_engine::{HANDOFF_REPLY, JOINED_NOTE};
use switchboard_storage::{
    ApprovalDecision, ConversationClassification, ConversationWrite, Decision, NewApproval,
    NewConversation, NewWorkItem, ProposedAction, StatusChange, WorkChange, WorkSubject,
};

/// A question no knowledge of a new company answers: the AI hands off.
pub const UNANSWERABLE: &str = "Can you recalibrate the flux capacitor on my hoverboard?";

/// A signed-in agent of the company, offline; returns (token, id).
pub async fn agent(app: &TestApp, company: &str, email: &str) -> (String, String) {
    let login = app.add_staff(company, email, Role::CompanyAgent, false).await;
    (login["token"].as_str().unwrap().to_owned(), login["user"]["id"].as_str().unwrap().to_owned())
}

pub async fn set_status(app: &TestApp, token: &str, status: &str) -> Value {
    let reply = app.post("/api/agent/status", Some(token), json!({"status": status})).await;
    reply.assert_ok(200).clone()
}

pub async fn update_agent(app: &TestApp, admin: &str, id: &str, body: Value) -> Value {
    let path = format!("/api/admin/agents/{id}");
    app.call(reqwest::Method::PUT, &path, Some(admin), Some(body)).await.assert_ok(200).clone()
}

pub async fn open_items(app: &TestApp, admin: &str, id: &str) -> u64 {
    let agent = app.get(&format!("/api/admin/agents/{id}"), Some(admin)).await;
    agent.assert_ok(200)["openItems"].as_u64().unwrap()
}

/// Who owns the conversation now, as the admins see it; `None` while nobody does.
pub async fn owner(app: &TestApp, admin: &str, conversation: &str) -> Option<String> {
    let c = app.get(&format!("/api/admin/conversations/{conversation}"), Some(admin)).await;
    let c = c.assert_ok(200);
    c["assignedAgentId"].as_str().map(str::to_owned)
}

pub fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

async fn agent_conversations(app: &TestApp, token: &str) -> Vec<String> {
    ids(app.get("/api/agent/conversations", Some(token)).await.assert_ok(200))
}

/// A bare conversation of the company, held by the AI.
async fn conversation(app: &TestApp, company: &str) -> ConversationId {
    let company: CompanyId = company.parse().unwrap();
    let id = ConversationId::new();
    let hash = format!("{}{}", id.as_uuid().simple(), ConversationId::new().as_uuid().simple());
    let new = NewConversation {
        id,
        customer_id: None,
        session_hash: hash,
        category: None,
        now: Utc::now(),
    };
    app.db.create_conversation(company, new).await.unwrap().id
}

/// A conversation classified as `category` with `priority`, handed to a person as the AI's
/// handoff leaves it and routed as the turn pipeline routes it.
async fn hand_off(app: &TestApp, company: &str, category: Option<&str>, priority: &str) -> String {
    let id = conversation(app, company).await;
    let company: CompanyId = company.parse().unwrap();
    let mut write = ConversationWrite::at(Utc::now());
    write.classification = Some(ConversationClassification {
        category: category.map(str::to_owned),
        priority: priority.to_owned(),
        urgency: "medium".to_owned(),
        sentiment: None,
        detail: json!({}),
    });
    write.change = Some(StatusChange {
        from: "ai".into(),
        from_agent: None,
        to: "human".into(),
        agent: None,
        resolution: None,
    });
    write.work = Some(WorkChange::Queue(NewWorkItem {
        id: WorkItemId::new(),
        subject: WorkSubject::Conversation(id),
        priority: Priority::parse(priority).unwrap(),
        urgency: Urgency::Medium,
        skill: category.map(str::to_owned),
        now: Utc::now(),
    }));
    let handed = app.db.record_work(company, id, write).await.unwrap();
    app.conversations.route_queued_handoff(company, handed.work.as_ref()).await;
    id.to_string()
}

/// An approval request in the conversation, queued and waiting.
async fn approval(
    app: &TestApp,
    company: &str,
    conversation: ConversationId,
    priority: Priority,
    urgency: Urgency,
) -> String {
    let company: CompanyId = company.parse().unwrap();
    let new = NewApproval {
        id: ApprovalId::new(),
        conversation_id: conversation,
        action: ProposedAction {
            tool: Some("issue_refund".into()),
            arguments: json!({"orderNumber": "123456"}),
            workflow_step: None,
        },
        summary: format!("Refund ({} / {})", priority.as_str(), urgency.as_str()),
        priority,
        urgency,
        reasons: json!({"why": ["the customer asked for a refund"]}),
        skill: None,
        events: vec![],
        now: Utc::now(),
    };
    app.db.create_approval(company, new).await.unwrap().id.to_string()
}

async fn queue(app: &TestApp, admin: &str, query: &str) -> Vec<String> {
    ids(app.get(&format!("/api/admin/queue{query}"), Some(admin)).await.assert_ok(200))
}

/// Frames until a `queue.updated` with this action about this subject.
pub async fn queue_update(socket: &mut Socket, action: &str, subject: &str) -> Value {
    let frames = frames_until(socket, |f| {
        f["type"] == "queue.updated"
            && f["data"]["action"] == action
            && f["data"]["subjectId"] == subject
    })
    .await;
    frames.last().unwrap()["data"].clone()
}

#[tokio::test]
async fn the_admin_queue_lists_requests_by_priority_urgency_and_age_with_filters() {
    let app = spawn_app().await;
    let (admin, company) = app.register("queue-order").await;
    let c = conversation(&app, &company).await;
    let low = approval(&app, &company, c, Priority::Low, Urgency::Low).await;
    let high_low = approval(&app, &company, c, Priority::High, Urgency::Low).await;
    let high_urgent = approval(&app, &company, c, Priority::High, Urgency::Urgent).await;
    let critical = approval(&app, &company, c, Priority::Critical, Urgency::Low).await;
    let medium = approval(&app, &company, c, Priority::Medium, Urgency::High).await;
    let high_later = approval(&app, &company, c, Priority::High, Urgency::Low).await;
    let order =
        [&critical, &high_urgent, &high_low, &high_later, &medium, &low].map(|s| s.as_str());

    let all = app.get("/api/admin/queue", Some(&admin)).await;
    let all = all.assert_ok(200);
    assert_eq!(ids(all), order);
    let first = &all[0];
    assert_eq!(first["priority"], "critical");
    assert_eq!(first["status"], "pending");
    assert_eq!(first["conversationId"], c.to_string());
    assert!(first["agentId"].is_null(), "nobody is online: it waits");
    assert_eq!(first["proposedAction"]["tool"], "issue_refund");

    assert_eq!(
        queue(&app, &admin, "?priority=high").await,
        [high_urgent.as_str(), high_low.as_str(), high_later.as_str()]
    );
    assert_eq!(queue(&app, &admin, "?status=pending").await, order);
    assert!(queue(&app, &admin, "?status=approved").await.is_empty());
    let nobody = UserId::new();
    assert!(queue(&app, &admin, &format!("?agentId={nobody}")).await.is_empty());
    for bad in ["?status=sleeping", "?priority=extreme", "?agentId=ann", "?limit=0"] {
        let reply = app.get(&format!("/api/admin/queue{bad}"), Some(&admin)).await;
        reply.assert_error(400, "validation_error");
    }

    // Pages of two, in the same order.
    let mut paged = Vec::new();
    let mut query = "?limit=2".to_owned();
    loop {
        let page = app.get(&format!("/api/admin/queue{query}"), Some(&admin)).await;
        page.assert_ok(200);
        paged.extend(ids(&page.body["data"]));
        match page.body["nextCursor"].as_str() {
            Some(cursor) => query = format!("?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(paged, order);

    // Another company's admin sees none of it; agents and customers may not look.
    let (other, _) = app.register("queue-elsewhere").await;
    assert!(queue(&app, &other, "").await.is_empty());
    let (ann, _) = agent(&app, &company, "ann@queue-order.example.com").await;
    let customer = app.anonymous_customer(&company).await;
    for token in [&ann, &customer] {
        app.get("/api/admin/queue", Some(token)).await.assert_error(403, "forbidden");
        let path = format!("/api/admin/queue/{low}/reassign");
        let reply = app.post(&path, Some(token), json!({})).await;
        reply.assert_error(403, "forbidden");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn an_admin_reassigns_an_open_request_and_the_agents_hear_of_it() {
    let app = spawn_app().await;
    let (admin, company) = app.register("reassign").await;
    let (ann, ann_id) = agent(&app, &company, "ann@reassign.example.com").await;
    let (ben, ben_id) = agent(&app, &company, "ben@reassign.example.com").await;
    let c = conversation(&app, &company).await;
    let request = approval(&app, &company, c, Priority::High, Urgency::High).await;
    let path = format!("/api/admin/queue/{request}/reassign");
    let mut ann_events = staff_socket(&app, &ann).await;
    let mut ben_events = staff_socket(&app, &ben).await;
    let mut admin_events = staff_socket(&app, &admin).await;

    let given = app.post(&path, Some(&admin), json!({"agentId": ann_id})).await;
    let given = given.assert_ok(200);
    assert_eq!(given["id"], request.as_str());
    assert_eq!(given["agentId"], ann_id.as_str());
    assert_eq!(given["status"], "pending");
    assert!(
        given["assignmentReasons"].as_object().is_some_and(|r| !r.is_empty()),
        "the reasons are shown: {given}"
    );
    let frames = frames_until(&mut ann_events, |f| f["type"] == "approval.updated").await;
    assert_eq!(frames.last().unwrap()["data"]["agentId"], ann_id.as_str());
    let assigned = queue_update(&mut ann_events, "assigned", &request).await;
    assert_eq!(
        (assigned["kind"].as_str(), assigned["agentId"].as_str()),
        (Some("approval"), Some(ann_id.as_str()))
    );
    frames_until(&mut admin_events, |f| f["type"] == "approval.updated").await;
    assert_eq!(queue(&app, &admin, &format!("?agentId={ann_id}")).await, [request.as_str()]);
    assert_eq!(open_items(&app, &admin, &ann_id).await, 1);
    if let Some(leak) = stays_quiet(&mut ben_events, Duration::from_millis(300)).await {
        panic!("Ben heard of Ann's request: {leak}");
    }

    // To Ben: Ann hears she lost it, Ben that he has it.
    let moved = app.post(&path, Some(&admin), json!({"agentId": ben_id})).await;
    assert_eq!(moved.assert_ok(200)["agentId"], ben_id.as_str());
    let released = queue_update(&mut ann_events, "released", &request).await;
    assert_eq!(released["agentId"], ann_id.as_str());
    let frames = frames_until(&mut ben_events, |f| f["type"] == "approval.updated").await;
    assert_eq!(frames.last().unwrap()["data"]["agentId"], ben_id.as_str());
    assert_eq!(open_items(&app, &admin, &ann_id).await, 0);
    assert_eq!(open_items(&app, &admin, &ben_id).await, 1);

    // Bodies are checked after the request is found.
    for bad in [json!({}), json!({"agentId": "ann"}), json!({"agentId": ann_id, "note": "x"})] {
        app.post(&path, Some(&admin), bad).await.assert_error(400, "validation_error");
    }
    let missing = format!("/api/admin/queue/{}/reassign", ApprovalId::new());
    app.post(&missing, Some(&admin), json!({"agentId": ann_id}))
        .await
        .assert_error(404, "not_found");
    app.post(&missing, Some(&admin), json!({})).await.assert_error(404, "not_found");
    let unknown = json!({"agentId": UserId::new()});
    app.post(&path, Some(&admin), unknown).await.assert_error(404, "not_found");
    // An admin is no agent.
    let me = app.get("/api/auth/me", Some(&admin)).await;
    let admin_id = me.assert_ok(200)["id"].as_str().unwrap().to_owned();
    app.post(&path, Some(&admin), json!({"agentId": admin_id}))
        .await
        .assert_error(404, "not_found");

    // Another company's request and agent are not found.
    let (other_admin, other_company) = app.register("reassign-elsewhere").await;
    let (_, stranger) = agent(&app, &other_company, "sam@reassign-elsewhere.example.com").await;
    let oc = conversation(&app, &other_company).await;
    let theirs = approval(&app, &other_company, oc, Priority::Low, Urgency::Low).await;
    let their_path = format!("/api/admin/queue/{theirs}/reassign");
    app.post(&their_path, Some(&admin), json!({"agentId": ann_id}))
        .await
        .assert_error(404, "not_found");
    app.post(&path, Some(&admin), json!({"agentId": stranger}))
        .await
        .assert_error(404, "not_found");
    let untouched = app.get("/api/admin/queue", Some(&other_admin)).await;
    assert!(untouched.assert_ok(200)[0]["agentId"].is_null());

    // Once decided it stays decided.
    let decision = ApprovalDecision {
        decision: Decision::Approve,
        by: ben_id.parse().unwrap(),
        assignee: None,
        expected: None,
        note: None,
        events: vec![],
        now: Utc::now(),
    };
    let company_id: CompanyId = company.parse().unwrap();
    app.db.decide_approval(company_id, request.parse().unwrap(), decision).await.unwrap();
    app.post(&path, Some(&admin), json!({"agentId": ann_id})).await.assert_error(409, "conflict");

    // A deactivated agent takes nothing.
    let next = approval(&app, &company, c, Priority::Low, Urgency::Low).await;
    let path = format!("/api/admin/queue/{next}/reassign");
    let gone = app
        .call(reqwest::Method::DELETE, &format!("/api/admin/agents/{ben_id}"), Some(&admin), None)
        .await;
    gone.assert_ok(200);
    app.post(&path, Some(&admin), json!({"agentId": ben_id})).await.assert_error(409, "conflict");
    app.shutdown().await;
}

#[tokio::test]
async fn agents_capacity_is_one_to_a_hundred_and_five_by_default() {
    let app = spawn_app().await;
    let (admin, _) = app.register("capacity").await;
    let new = |email: &str, capacity: Value| json!({"name": "Cap", "email": email, "skills": ["billing"], "capacity": capacity});
    for bad in [json!(0), json!(101), json!(-1), json!("5"), json!(2.5), json!(null)] {
        let reply = app
            .post("/api/admin/agents", Some(&admin), new("x@capacity.example.com", bad.clone()))
            .await;
        if bad.is_null() {
            // Left out is the default.
            assert_eq!(reply.assert_ok(201)["capacity"], 5);
            continue;
        }
        let details = reply.assert_error(400, "validation_error").to_string();
        assert!(details.contains("capacity"), "{bad}: {details}");
    }
    let created = app
        .post("/api/admin/agents", Some(&admin), new("cap@capacity.example.com", json!(3)))
        .await;
    let created = created.assert_ok(201);
    assert_eq!(created["capacity"], 3);
    assert_eq!(created["openItems"], 0);
    let id = created["id"].as_str().unwrap().to_owned();
    let shown = app.get(&format!("/api/admin/agents/{id}"), Some(&admin)).await;
    assert_eq!(shown.assert_ok(200)["capacity"], 3);
    let list = app.get("/api/admin/agents", Some(&admin)).await;
    let list = list.assert_ok(200).as_array().unwrap().clone();
    assert!(list.iter().all(|a| a["capacity"].is_u64() && a["openItems"].is_u64()));

    assert_eq!(update_agent(&app, &admin, &id, json!({"capacity": 100})).await["capacity"], 100);
    assert_eq!(update_agent(&app, &admin, &id, json!({"name": "Cap Two"})).await["capacity"], 100);
    for bad in [json!(0), json!(101), json!("many")] {
        let path = format!("/api/admin/agents/{id}");
        let reply = app
            .call(reqwest::Method::PUT, &path, Some(&admin), Some(json!({"capacity": bad})))
            .await;
        reply.assert_error(400, "validation_error");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_handoff_goes_to_the_online_agent_who_joins_once_and_frees_its_capacity() {
    let app = spawn_app().await;
    let (admin, company) = app.register("routed").await;
    let (ann, ann_id) = agent(&app, &company, "ann@routed.example.com").await;
    let (ben, _) = agent(&app, &company, "ben@routed.example.com").await;
    set_status(&app, &ann, "online").await;
    let mut ann_events = staff_socket(&app, &ann).await;
    let mut ben_events = staff_socket(&app, &ben).await;
    let mut admin_events = staff_socket(&app, &admin).await;

    let chat =
        app.post("/api/chat", None, json!({"companyId": company, "message": UNANSWERABLE})).await;
    let chat = chat.assert_ok(200);
    assert_eq!(chat["reply"]["content"], HANDOFF_REPLY);
    assert_eq!(chat["status"], "human");
    let id = chat["conversationId"].as_str().unwrap().to_owned();
    let session = chat["sessionId"].as_str().unwrap().to_owned();

    // Ann, the only one online, has it; Ben (offline) does not see it any more.
    assert_eq!(owner(&app, &admin, &id).await.as_deref(), Some(ann_id.as_str()));
    let listed = app.get("/api/agent/conversations", Some(&ann)).await;
    let listed = listed.assert_ok(200);
    assert_eq!(ids(listed), [id.as_str()]);
    assert_eq!(listed[0]["assignedAgentId"], ann_id.as_str());
    assert_eq!(listed[0]["status"], "human");
    assert!(agent_conversations(&app, &ben).await.is_empty());
    assert_eq!(open_items(&app, &admin, &ann_id).await, 1);

    let frames = frames_until(&mut ann_events, |f| {
        f["type"] == "conversation.updated" && f["data"]["assignedAgentId"] == ann_id.as_str()
    })
    .await;
    assert_eq!(frames.last().unwrap()["data"]["id"], id.as_str());
    let assigned = queue_update(&mut ann_events, "assigned", &id).await;
    assert_eq!(assigned["kind"], "conversation");
    assert_eq!(assigned["agentId"], ann_id.as_str());
    assert_eq!(assigned["reasons"]["rule"], "least_queue");
    assert!(!assigned["reasons"]["why"].as_array().unwrap().is_empty());
    let queued = queue_update(&mut admin_events, "queued", &id).await;
    assert!(queued["agentId"].is_null());
    queue_update(&mut admin_events, "assigned", &id).await;
    // Ben saw the handoff while nobody owned it, but none of the queue.
    let ben_saw = frames_until(&mut ben_events, |f| f["type"] == "conversation.updated").await;
    assert!(ben_saw.iter().all(|f| f["type"] != "queue.updated"));
    if let Some(leak) = stays_quiet(&mut ben_events, Duration::from_millis(300)).await {
        assert_ne!(leak["type"], "queue.updated", "Ben saw Ann's queue: {leak}");
    }

    // Joining tells the customer once, however often the agent takes it over.
    let base = format!("/api/agent/conversations/{id}");
    for _ in 0..2 {
        let taken = app.post(&format!("{base}/takeover"), Some(&ann), json!({})).await;
        assert_eq!(taken.assert_ok(200)["assignedAgentId"], ann_id.as_str());
    }
    let history = crate::chat::messages(&app, &session).await;
    let joined = history.iter().filter(|m| m["content"] == JOINED_NOTE).count();
    assert_eq!(joined, 1, "{history:#?}");
    assert_eq!(open_items(&app, &admin, &ann_id).await, 1);

    // Closing frees Ann's capacity.
    app.post(&format!("{base}/close"), Some(&ann), json!({})).await.assert_ok(200);
    assert_eq!(open_items(&app, &admin, &ann_id).await, 0);
    let closed = queue_update(&mut ann_events, "closed", &id).await;
    assert_eq!(closed["agentId"], ann_id.as_str());
    app.shutdown().await;
}

#[tokio::test]
async fn skills_come_first_then_anyone_online_and_capacity_bounds_both() {
    let app = spawn_app().await;
    let (admin, company) = app.register("skills").await;
    let (ann, ann_id) = agent(&app, &company, "ann@skills.example.com").await;
    let (ben, ben_id) = agent(&app, &company, "ben@skills.example.com").await;
    update_agent(&app, &admin, &ann_id, json!({"skills": ["Billing"], "capacity": 2})).await;
    set_status(&app, &ann, "online").await;
    set_status(&app, &ben, "online").await;

    // Billing goes to Ann, who has the skill, even once she has more open items than Ben.
    let first = hand_off(&app, &company, Some("billing"), "medium").await;
    let second = hand_off(&app, &company, Some("billing"), "medium").await;
    assert_eq!(owner(&app, &admin, &first).await.as_deref(), Some(ann_id.as_str()));
    assert_eq!(owner(&app, &admin, &second).await.as_deref(), Some(ann_id.as_str()));

    // Nobody has shipping: anyone online with room, Ben.
    let shipping = hand_off(&app, &company, Some("shipping"), "medium").await;
    assert_eq!(owner(&app, &admin, &shipping).await.as_deref(), Some(ben_id.as_str()));
    let company_id: CompanyId = company.parse().unwrap();
    let bens = app.db.list_agent_work(company_id, ben_id.parse().unwrap()).await.unwrap();
    assert_eq!(bens.len(), 1);
    assert_eq!(bens[0].reasons["skillMatched"], false, "{:#}", bens[0].reasons);
    let anns = app.db.list_agent_work(company_id, ann_id.parse().unwrap()).await.unwrap();
    assert!(anns.iter().all(|i| i.reasons["skillMatched"] == true));

    // Ann is full: the next billing handoff waits for her rather than go to Ben.
    let third = hand_off(&app, &company, Some("billing"), "high").await;
    assert_eq!(owner(&app, &admin, &third).await, None);
    for token in [&ann, &ben] {
        let listed = agent_conversations(&app, token).await;
        assert!(listed.contains(&third), "unowned, every agent sees it: {listed:?}");
    }

    // Ann closes one: the freed room goes to the waiting one at once.
    let base = format!("/api/agent/conversations/{first}");
    app.post(&format!("{base}/takeover"), Some(&ann), json!({})).await.assert_ok(200);
    app.post(&format!("{base}/close"), Some(&ann), json!({})).await.assert_ok(200);
    assert_eq!(owner(&app, &admin, &third).await.as_deref(), Some(ann_id.as_str()));
    assert_eq!(open_items(&app, &admin, &ann_id).await, 2);

    // Releasing to the AI frees room too.
    let base = format!("/api/agent/conversations/{second}");
    app.post(&format!("{base}/release"), Some(&ann), json!({})).await.assert_ok(200);
    assert_eq!(open_items(&app, &admin, &ann_id).await, 1);
    app.shutdown().await;
}

#[tokio::test]
async fn work_waits_for_someone_online_and_goes_back_when_its_agent_leaves() {
    let app = spawn_app().await;
    let (admin, company) = app.register("waiting").await;
    let (ann, ann_id) = agent(&app, &company, "ann@waiting.example.com").await;
    let (ben, ben_id) = agent(&app, &company, "ben@waiting.example.com").await;

    // Nobody online: the handoff waits, unowned.
    let chat =
        app.post("/api/chat", None, json!({"companyId": company, "message": UNANSWERABLE})).await;
    assert_eq!(chat.assert_ok(200)["status"], "human");
    let id = chat.body["data"]["conversationId"].as_str().unwrap().to_owned();
    assert_eq!(owner(&app, &admin, &id).await, None);
    let c = conversation(&app, &company).await;
    let request = approval(&app, &company, c, Priority::Medium, Urgency::Medium).await;

    // Ann comes online and gets both at once.
    let mut ann_events = staff_socket(&app, &ann).await;
    let status = set_status(&app, &ann, "online").await;
    assert_eq!(status["openItems"], 2);
    assert_eq!(owner(&app, &admin, &id).await.as_deref(), Some(ann_id.as_str()));
    let frames = frames_until(&mut ann_events, |f| f["type"] == "approval.created").await;
    assert_eq!(frames.last().unwrap()["data"]["id"], request.as_str());
    assert_eq!(frames.last().unwrap()["data"]["agentId"], ann_id.as_str());
    assert_eq!(queue(&app, &admin, &format!("?agentId={ann_id}")).await, [request.as_str()]);

    // Going offline hands both back; they wait again.
    let mut admin_events = staff_socket(&app, &admin).await;
    assert_eq!(set_status(&app, &ann, "offline").await["openItems"], 0);
    assert_eq!(owner(&app, &admin, &id).await, None);
    let listed = app.get("/api/admin/queue", Some(&admin)).await;
    assert!(listed.assert_ok(200)[0]["agentId"].is_null());
    let released = queue_update(&mut ann_events, "released", &id).await;
    assert_eq!(released["agentId"], ann_id.as_str());
    queue_update(&mut admin_events, "released", &request).await;
    let frames = frames_until(&mut admin_events, |f| f["type"] == "approval.updated").await;
    assert!(frames.last().unwrap()["data"]["agentId"].is_null());

    // Busy or away keeps what one has but takes nothing new.
    set_status(&app, &ben, "busy").await;
    assert_eq!(owner(&app, &admin, &id).await, None);

    // Ann back online takes both again; deactivated, they move on to Ben, online.
    set_status(&app, &ann, "online").await;
    assert_eq!(owner(&app, &admin, &id).await.as_deref(), Some(ann_id.as_str()));
    let mut ben_events = staff_socket(&app, &ben).await;
    set_status(&app, &ben, "online").await;
    let path = format!("/api/admin/agents/{ann_id}");
    let gone = app.call(reqwest::Method::DELETE, &path, Some(&admin), None).await;
    assert_eq!(gone.assert_ok(200)["openItems"], 0);
    assert_eq!(owner(&app, &admin, &id).await.as_deref(), Some(ben_id.as_str()));
    assert_eq!(queue(&app, &admin, &format!("?agentId={ben_id}")).await, [request.as_str()]);
    assert_eq!(open_items(&app, &admin, &ben_id).await, 2);
    let frames = frames_until(&mut ben_events, |f| {
        f["type"] == "conversation.updated" && f["data"]["assignedAgentId"] == ben_id.as_str()
    })
    .await;
    assert_eq!(frames.last().unwrap()["data"]["id"], id.as_str());

    // The presence sweep sets Ben offline once silent; his work goes back to the queue.
    let swept = app.db.mark_absent_agents_offline(Utc::now() + chrono::Duration::seconds(1)).await;
    let swept = swept.unwrap();
    assert!(swept.contains(&(company.parse().unwrap(), ben_id.parse().unwrap())), "{swept:?}");
    for (company, agent) in swept {
        app.conversations.agent_unavailable(company, agent).await;
    }
    assert_eq!(owner(&app, &admin, &id).await, None);
    assert_eq!(open_items(&app, &admin, &ben_id).await, 0);
    app.shutdown().await;
}

#[tokio::test]
async fn more_capacity_drains_the_queue_in_priority_order() {
    let app = spawn_app().await;
    let (admin, company) = app.register("drain").await;
    let (ann, ann_id) = agent(&app, &company, "ann@drain.example.com").await;
    update_agent(&app, &admin, &ann_id, json!({"capacity": 1})).await;
    set_status(&app, &ann, "online").await;
    let first = hand_off(&app, &company, None, "low").await;
    let low = hand_off(&app, &company, None, "low").await;
    let urgent = hand_off(&app, &company, None, "critical").await;
    assert_eq!(owner(&app, &admin, &first).await.as_deref(), Some(ann_id.as_str()));
    assert_eq!(owner(&app, &admin, &urgent).await, None, "Ann is full");

    // Raising her capacity routes what waits, the critical one before the older low one.
    update_agent(&app, &admin, &ann_id, json!({"capacity": 2})).await;
    assert_eq!(owner(&app, &admin, &urgent).await.as_deref(), Some(ann_id.as_str()));
    assert_eq!(owner(&app, &admin, &low).await, None);
    app.shutdown().await;
}
