//! Workflows, tools and approvals in conversations, through HTTP and the sockets: a refund
//! workflow asks for the order number, its tool waits for an agent's approval, and the
//! decision (approve, reject, escalate) reaches the customer. Also the acceptance journey
//! of actions and people, and a restart in the middle of a workflow.

use crate::chat::{FAQS, chat, company_with_faqs, messages, open};
use crate::helpers::{TestApp, spawn_app};
use crate::sockets::{customer_socket, frames_until, staff_socket, stays_quiet};
use serde_json::{Value, json};
use switchboard_domain::Role;
use switchboard_engine::{APPROVAL_PENDING_REPLY, APPROVED_REPLY, HANDOFF_REPLY, REJECTED_REPLY};

const ASK_ORDER: &str = "What is your order number?";

/// An approval-gated refund tool and the workflow that collects the order number for it.
async fn refund_setup(app: &TestApp, admin: &str) {
    refund_tool_and_workflow(app, admin, true, false).await;
}

/// The refund tool and workflow; either the tool requires approval, or the workflow's step
/// that calls it is marked sensitive, or neither.
async fn refund_tool_and_workflow(
    app: &TestApp,
    admin: &str,
    tool_requires_approval: bool,
    sensitive_step: bool,
) {
    let tool = json!({
        "name": "issue_refund",
        "description": "Refunds an order in full.",
        "type": "function",
        "parameters": {"type": "object", "required": ["orderNumber"],
            "properties": {"orderNumber": {"type": "string", "pattern": "^[0-9]{5,}$"}}},
        "config": {"script": "#{ message: `Refund for order ${args.orderNumber} issued.`, amount: 42 }"},
        "requiresApproval": tool_requires_approval,
    });
    app.post("/api/ai/tools", Some(admin), tool).await.assert_ok(201);
    let workflow = json!({
        "name": "Refund request",
        "trigger": {"type": "keyword", "keywords": ["refund"]},
        "steps": [
            {"type": "ask", "field": "orderNumber", "prompt": ASK_ORDER, "pattern": "\\b([0-9]{5,})\\b"},
            {"type": "tool", "tool": "issue_refund", "arguments": {"orderNumber": "{{orderNumber}}"},
             "sensitive": sensitive_step},
            {"type": "message", "content": "Your refund for order {{orderNumber}} is on its way."},
        ],
    });
    let created = app.post("/api/ai/workflows", Some(admin), workflow).await;
    let created = created.assert_ok(201);
    assert_eq!(created["steps"][1].get("sensitive").is_some(), sensitive_step, "{created}");
}

/// An agent of the company, signed in and online; returns (token, id).
async fn online_agent(app: &TestApp, company: &str, email: &str) -> (String, String) {
    let login = app.add_staff(company, email, Role::CompanyAgent, false).await;
    let token = login["token"].as_str().unwrap().to_owned();
    let id = login["user"]["id"].as_str().unwrap().to_owned();
    let r = app.post("/api/agent/status", Some(&token), json!({"status": "online"})).await;
    r.assert_ok(200);
    (token, id)
}

fn say(company: &str, session: &str, message: &str) -> Value {
    json!({"companyId": company, "message": message, "sessionId": session})
}

async fn my_approvals(app: &TestApp, agent: &str) -> Vec<Value> {
    let r = app.get("/api/agent/approvals", Some(agent)).await;
    r.assert_ok(200).as_array().unwrap().clone()
}

/// Starts the refund workflow up to its approval; returns (session, conversation id).
async fn refund_waiting_for_approval(app: &TestApp, company: &str) -> (String, String) {
    let first = open(app, company, "Hi, I would like a refund please").await;
    assert_eq!(first["reply"]["content"], ASK_ORDER, "{first}");
    let session = first["sessionId"].as_str().unwrap().to_owned();
    let second = chat(app, None, say(company, &session, "It is order 123456")).await;
    let second = second.assert_ok(200);
    assert_eq!(second["reply"]["content"], APPROVAL_PENDING_REPLY);
    assert_eq!(second["status"], "awaiting_approval");
    (session, first["conversationId"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn an_approved_refund_runs_and_the_workflow_goes_on() {
    let app = spawn_app().await;
    let (admin, company) = app.register("approve").await;
    refund_setup(&app, &admin).await;
    let (agent, agent_id) = online_agent(&app, &company, "ann@approve.example.com").await;
    let (session, conversation) = refund_waiting_for_approval(&app, &company).await;

    // While it waits the AI stays silent.
    let quiet = chat(&app, None, say(&company, &session, "Any news?")).await;
    assert!(quiet.assert_ok(200)["reply"].is_null());

    let inbox = my_approvals(&app, &agent).await;
    assert_eq!(inbox.len(), 1);
    let request = &inbox[0];
    assert_eq!(request["status"], "pending");
    assert_eq!(request["agentId"], agent_id.as_str());
    assert_eq!(request["conversationId"], conversation.as_str());
    assert_eq!(request["proposedAction"]["tool"], "issue_refund");
    assert_eq!(request["proposedAction"]["arguments"], json!({"orderNumber": "123456"}));
    let id = request["id"].as_str().unwrap();

    // A customer cannot decide, and an admin may not read an agent's inbox.
    let path = format!("/api/agent/approvals/{id}/approve");
    let customer = app.anonymous_customer(&company).await;
    app.post(&path, Some(&customer), json!({})).await.assert_error(403, "forbidden");
    app.get("/api/agent/approvals", Some(&admin)).await.assert_error(403, "forbidden");

    let decided = app.post(&path, Some(&agent), json!({"note": "ok"})).await;
    let decided = decided.assert_ok(200);
    assert_eq!(decided["status"], "approved");
    assert_eq!(decided["outcome"]["ok"], true);
    assert_eq!(decided["outcome"]["result"]["amount"], 42);
    // Decided exactly once.
    app.post(&path, Some(&agent), json!({})).await.assert_error(409, "conflict");
    let reject = format!("/api/agent/approvals/{id}/reject");
    app.post(&reject, Some(&agent), json!({"reason": "late"})).await.assert_error(409, "conflict");

    let said: Vec<String> = messages(&app, &session)
        .await
        .iter()
        .filter(|m| m["sender"] == "ai")
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect();
    let n = said.len();
    assert_eq!(said[n - 2], format!("{APPROVED_REPLY} Refund for order 123456 issued."));
    assert_eq!(said[n - 1], "Your refund for order 123456 is on its way.");
    let view = app.get(&format!("/api/admin/conversations/{conversation}"), Some(&admin)).await;
    assert_eq!(view.assert_ok(200)["status"], "ai");
    // The workflow is over: the next message is answered as usual (here: handed off).
    let next = chat(&app, None, say(&company, &session, "Do you sell tickets to the opera?")).await;
    assert_eq!(next.assert_ok(200)["reply"]["content"], HANDOFF_REPLY);
    app.shutdown().await;
}

#[tokio::test]
async fn a_step_marked_sensitive_asks_first_even_when_its_tool_does_not() {
    let app = spawn_app().await;
    let (admin, company) = app.register("sensitive").await;
    refund_tool_and_workflow(&app, &admin, false, true).await;
    let (agent, _) = online_agent(&app, &company, "ann@sensitive.example.com").await;
    let (session, _) = refund_waiting_for_approval(&app, &company).await;

    let inbox = my_approvals(&app, &agent).await;
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(inbox[0]["proposedAction"]["tool"], "issue_refund");
    let id = inbox[0]["id"].as_str().unwrap();
    let path = format!("/api/agent/approvals/{id}/approve");
    let decided = app.post(&path, Some(&agent), json!({})).await;
    assert_eq!(decided.assert_ok(200)["outcome"]["result"]["amount"], 42);
    let last = messages(&app, &session).await;
    let n = last.len();
    assert_eq!(last[n - 1]["content"], "Your refund for order 123456 is on its way.");
    app.shutdown().await;
}

#[tokio::test]
async fn an_unguarded_tool_step_runs_at_once() {
    let app = spawn_app().await;
    let (admin, company) = app.register("unguarded").await;
    refund_tool_and_workflow(&app, &admin, false, false).await;
    let (agent, _) = online_agent(&app, &company, "ann@unguarded.example.com").await;
    let first = open(&app, &company, "Hi, I would like a refund please").await;
    let session = first["sessionId"].as_str().unwrap();
    let second = chat(&app, None, say(&company, session, "It is order 123456")).await;
    let second = second.assert_ok(200);
    assert_eq!(second["status"], "ai", "{second}");
    let said: Vec<Value> = messages(&app, session).await;
    let n = said.len();
    assert_eq!(said[n - 2]["content"], "Refund for order 123456 issued.");
    assert_eq!(said[n - 1]["content"], "Your refund for order 123456 is on its way.");
    assert!(my_approvals(&app, &agent).await.is_empty());
    app.shutdown().await;
}

#[tokio::test]
async fn two_agents_deciding_at_once_get_one_success_and_one_conflict() {
    let app = spawn_app().await;
    let (admin, company) = app.register("race").await;
    refund_setup(&app, &admin).await;
    let (agent, _) = online_agent(&app, &company, "ann@race.example.com").await;
    refund_waiting_for_approval(&app, &company).await;
    let id = my_approvals(&app, &agent).await[0]["id"].as_str().unwrap().to_owned();
    // The assigned agent and an admin click at the same moment.
    let approve = format!("/api/agent/approvals/{id}/approve");
    let reject = format!("/api/agent/approvals/{id}/reject");
    let (a, b) = tokio::join!(
        app.post(&approve, Some(&agent), json!({})),
        app.post(&reject, Some(&admin), json!({"reason": "duplicate"})),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{} / {}", a.text, b.text);
    app.shutdown().await;
}

#[tokio::test]
async fn a_rejection_tells_the_customer_politely_and_ends_the_workflow() {
    let app = spawn_app().await;
    let (admin, company) = company_with_faqs(&app, "reject").await;
    refund_setup(&app, &admin).await;
    let (agent, _) = online_agent(&app, &company, "ann@reject.example.com").await;
    let (session, _) = refund_waiting_for_approval(&app, &company).await;
    let id = my_approvals(&app, &agent).await[0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/agent/approvals/{id}/reject");
    // The reason is required and bounded; a bad body changes nothing.
    app.post(&path, Some(&agent), json!({})).await.assert_error(400, "validation_error");
    let long = json!({"reason": "x".repeat(1001)});
    app.post(&path, Some(&agent), long).await.assert_error(400, "validation_error");
    assert_eq!(my_approvals(&app, &agent).await[0]["status"], "pending");

    let body = json!({"reason": "fraud suspected on this account",
        "customerMessage": "The order is older than 30 days."});
    let decided = app.post(&path, Some(&agent), body).await;
    let decided = decided.assert_ok(200);
    assert_eq!(decided["status"], "rejected");
    assert_eq!(decided["decisionNote"], "fraud suspected on this account");
    assert!(decided["outcome"].is_null(), "a rejected action never runs");
    let all = messages(&app, &session).await;
    let last = all.last().unwrap();
    assert_eq!(last["content"], format!("{REJECTED_REPLY} The order is older than 30 days."));
    assert!(all.iter().all(|m| !m["content"].as_str().unwrap().contains("fraud")));
    // Back with the AI, the workflow over.
    let next = chat(&app, None, say(&company, &session, FAQS[0].0)).await;
    let next = next.assert_ok(200);
    assert_eq!(next["status"], "ai");
    app.shutdown().await;
}

#[tokio::test]
async fn an_escalated_request_leaves_the_agent_for_the_admins_who_decide_it() {
    let app = spawn_app().await;
    let (admin, company) = app.register("escalate").await;
    refund_setup(&app, &admin).await;
    let (agent, _) = online_agent(&app, &company, "ann@escalate.example.com").await;
    refund_waiting_for_approval(&app, &company).await;
    let request = my_approvals(&app, &agent).await[0].clone();
    let id = request["id"].as_str().unwrap();
    let path = format!("/api/agent/approvals/{id}/escalate");
    app.post(&path, Some(&agent), json!({"reason": " "}))
        .await
        .assert_error(400, "validation_error");
    let escalated = app.post(&path, Some(&agent), json!({"reason": "above my limit"})).await;
    let escalated = escalated.assert_ok(200);
    assert_eq!(escalated["status"], "escalated");
    assert!(escalated["agentId"].is_null());
    assert_eq!(escalated["escalationNote"], "above my limit");
    assert_ne!(escalated["priority"], request["priority"], "priority raised");
    // No longer the agent's to decide; twice is a conflict.
    let approve = format!("/api/agent/approvals/{id}/approve");
    app.post(&approve, Some(&agent), json!({})).await.assert_error(404, "not_found");
    app.post(&path, Some(&admin), json!({"reason": "again"})).await.assert_error(409, "conflict");
    // An admin decides it.
    let decided = app.post(&approve, Some(&admin), json!({})).await;
    assert_eq!(decided.assert_ok(200)["status"], "approved");
    app.shutdown().await;
}

#[tokio::test]
async fn another_companys_request_is_not_found_on_every_verb() {
    let app = spawn_app().await;
    let (admin, company) = app.register("owner").await;
    refund_setup(&app, &admin).await;
    let (agent, _) = online_agent(&app, &company, "ann@owner.example.com").await;
    refund_waiting_for_approval(&app, &company).await;
    let id = my_approvals(&app, &agent).await[0]["id"].as_str().unwrap().to_owned();
    let (other_admin, other_company) = app.register("stranger").await;
    let (other_agent, _) = online_agent(&app, &other_company, "bob@stranger.example.com").await;
    for token in [&other_agent, &other_admin] {
        for (verb, body) in [
            ("approve", json!({})),
            ("reject", json!({"reason": "no"})),
            ("escalate", json!({"reason": "no"})),
        ] {
            let path = format!("/api/agent/approvals/{id}/{verb}");
            app.post(&path, Some(token), body).await.assert_error(404, "not_found");
        }
    }
    assert!(my_approvals(&app, &other_agent).await.is_empty());
    assert_eq!(my_approvals(&app, &agent).await[0]["status"], "pending");
    app.shutdown().await;
}

#[tokio::test]
async fn a_restart_in_the_middle_of_a_workflow_resumes_it_where_it_was() {
    let app = spawn_app().await;
    let (admin, company) = app.register("restart").await;
    refund_setup(&app, &admin).await;
    let first = open(&app, &company, "I need a refund").await;
    assert_eq!(first["reply"]["content"], ASK_ORDER);
    let session = first["sessionId"].as_str().unwrap().to_owned();
    // Asking again when the answer does not match.
    let vague = chat(&app, None, say(&company, &session, "I don't remember")).await;
    assert_eq!(vague.assert_ok(200)["reply"]["content"], ASK_ORDER);

    let app = app.restart().await;
    let answer = chat(&app, None, say(&company, &session, "found it: 98765")).await;
    let answer = answer.assert_ok(200);
    assert_eq!(answer["reply"]["content"], APPROVAL_PENDING_REPLY);
    assert_eq!(answer["status"], "awaiting_approval");
    let queue = app.get("/api/admin/queue", Some(&admin)).await;
    let queue = queue.assert_ok(200).as_array().unwrap().clone();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0]["proposedAction"]["arguments"]["orderNumber"], "98765");
    app.shutdown().await;
}

/// The acceptance journey of actions and people, on one company: FAQ answer, cited
/// knowledge answer, out-of-scope handoff, then a refund workflow whose approval goes to the
/// least-loaded agent, the outcome over the socket, takeover, reply, close, feedback, and the
/// performance route counting all of it.
#[tokio::test]
async fn journey_from_faq_to_approved_refund_to_feedback_is_counted() {
    let app = spawn_app().await;
    let (admin, company) = company_with_faqs(&app, "journey").await;
    refund_setup(&app, &admin).await;
    let content = "Returns policy.\n\nYou can return unused items within 30 days. \
        Refunds reach your card within five working days of the parcel arriving.";
    let doc = json!({"title": "Returns policy", "content": content, "format": "markdown"});
    let doc = app.post("/api/ai/knowledge-base", Some(&admin), doc).await;
    let document = doc.assert_ok(201)["id"].as_str().unwrap().to_owned();
    app.wait_for_document(&admin, &document).await;
    let (ann, ann_id) = online_agent(&app, &company, "ann@journey.example.com").await;
    let (bob, bob_id) = online_agent(&app, &company, "bob@journey.example.com").await;

    // 1. FAQ, cited passage, honest handoff (routed to one of the two agents).
    let first = open(&app, &company, "what are your opening hours?").await;
    assert_eq!(first["reply"]["content"], FAQS[0].1);
    let session = first["sessionId"].as_str().unwrap().to_owned();
    let cited =
        chat(&app, None, say(&company, &session, "can I send back something I did not use")).await;
    assert_eq!(cited.assert_ok(200)["reply"]["citations"][0]["documentId"], document.as_str());
    let handoff =
        chat(&app, None, say(&company, &session, "Do you sell tickets to the opera?")).await;
    let handoff = handoff.assert_ok(200);
    assert_eq!(handoff["status"], "human");
    let first_id = first["conversationId"].as_str().unwrap();
    let routed = app.get(&format!("/api/admin/conversations/{first_id}"), Some(&admin)).await;
    let busy = routed.assert_ok(200)["assignedAgentId"].as_str().unwrap().to_owned();
    let (idle, idle_id) = if busy == ann_id { (&bob, &bob_id) } else { (&ann, &ann_id) };

    // 2. The refund workflow: its approval goes to the agent with fewer open items.
    let (session, conversation) = refund_waiting_for_approval(&app, &company).await;
    let mut socket = customer_socket(&app, &session, None).await;
    let inbox = my_approvals(&app, idle).await;
    assert_eq!(inbox.len(), 1, "the least-loaded agent gets it");
    assert_eq!(inbox[0]["agentId"], idle_id.as_str());
    let reasons = &inbox[0]["assignmentReasons"];
    assert!(reasons.is_object() && !reasons.as_object().unwrap().is_empty(), "{reasons}");
    let busy_token = if busy == ann_id { &ann } else { &bob };
    assert!(my_approvals(&app, busy_token).await.is_empty());

    // 3. Approved: the outcome and the workflow's last message reach the socket.
    let id = inbox[0]["id"].as_str().unwrap();
    let path = format!("/api/agent/approvals/{id}/approve");
    app.post(&path, Some(idle), json!({})).await.assert_ok(200);
    let done = "Your refund for order 123456 is on its way.";
    let frames =
        frames_until(&mut socket, |f| f["type"] == "message" && f["content"] == done).await;
    assert!(
        frames.iter().any(|f| f["type"] == "message"
            && f["content"].as_str().unwrap().starts_with(APPROVED_REPLY))
    );
    assert!(frames.iter().any(|f| f["type"] == "status" && f["status"] == "ai"));

    // 4. Takeover, a reply, close; the customer is asked for feedback and gives it.
    let base = format!("/api/agent/conversations/{conversation}");
    app.post(&format!("{base}/takeover"), Some(idle), json!({})).await.assert_ok(200);
    let words = json!({"content": "Anything else I can do for you?"});
    app.post(&format!("{base}/messages"), Some(idle), words).await.assert_ok(201);
    frames_until(&mut socket, |f| f["type"] == "message" && f["sender"] == "agent").await;
    app.post(&format!("{base}/close"), Some(idle), json!({})).await.assert_ok(200);
    frames_until(&mut socket, |f| f["type"] == "status" && f["feedbackRequested"] == true).await;
    let feedback = json!({"companyId": company, "conversationId": conversation,
        "sessionId": session, "rating": 5});
    app.post("/api/feedback", None, feedback).await.assert_ok(201);

    // 5. The company's performance counts all of it.
    let r = app.get("/api/admin/performance/company", Some(&admin)).await;
    let data = r.assert_ok(200);
    assert_eq!(data["conversations"]["started"], 2, "{data}");
    assert_eq!(data["conversations"]["handedOff"], 2, "{data}");
    assert_eq!(data["conversations"]["closed"], 1, "{data}");
    assert_eq!(data["approvals"]["created"], 1, "{data}");
    assert_eq!(data["approvals"]["approved"], 1, "{data}");
    assert!(data["approvals"]["medianDecisionSeconds"].is_number(), "{data}");
    assert_eq!(data["csat"]["count"], 1, "{data}");
    assert_eq!(data["csat"]["mean"], 5.0, "{data}");
    let mine = app.get("/api/agent/performance", Some(idle)).await;
    assert_eq!(mine.assert_ok(200)["approvals"]["approved"], 1);
    app.shutdown().await;
}

/// `approval.*` frames reach the assignee and the admins, never another agent.
#[tokio::test]
async fn approval_events_reach_the_assignee_and_the_admins_only() {
    let app = spawn_app().await;
    let (admin, company) = app.register("events").await;
    refund_setup(&app, &admin).await;
    let (ann, _) = online_agent(&app, &company, "ann@events.example.com").await;
    let (bob, _) = online_agent(&app, &company, "bob@events.example.com").await;
    let mut admin_socket = staff_socket(&app, &admin).await;
    let mut ann_socket = staff_socket(&app, &ann).await;
    let mut bob_socket = staff_socket(&app, &bob).await;
    refund_waiting_for_approval(&app, &company).await;
    // Either may get it (both idle, neither loaded); the other must hear nothing of it.
    let (mine, mut theirs, token) = if my_approvals(&app, &ann).await.is_empty() {
        (&mut bob_socket, ann_socket, bob.clone())
    } else {
        (&mut ann_socket, bob_socket, ann.clone())
    };
    let id = my_approvals(&app, &token).await[0]["id"].as_str().unwrap().to_owned();
    let created = |f: &Value| f["type"] == "approval.created" && f["data"]["id"] == id.as_str();
    let seen = frames_until(mine, created).await;
    assert!(seen.last().unwrap()["data"]["agentId"].is_string());
    frames_until(&mut admin_socket, created).await;

    let path = format!("/api/agent/approvals/{id}/approve");
    app.post(&path, Some(&token), json!({})).await.assert_ok(200);
    let updated = |f: &Value| f["type"] == "approval.updated" && f["data"]["status"] == "approved";
    frames_until(mine, updated).await;
    frames_until(&mut admin_socket, updated).await;
    while let Some(frame) = stays_quiet(&mut theirs, std::time::Duration::from_millis(500)).await {
        let kind = frame["type"].as_str().unwrap();
        assert!(!kind.starts_with("approval."), "another agent saw {frame}");
    }
    app.shutdown().await;
}
