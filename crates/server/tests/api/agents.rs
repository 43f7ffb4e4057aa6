//! Agent onboarding and management by admins, and agents' own status.

use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};

async fn create_agent(app: &TestApp, admin: &str, email: &str, skills: Value) -> Value {
    let body = json!({"name": "New Agent", "email": email, "skills": skills});
    app.post("/api/admin/agents", Some(admin), body).await.assert_ok(201).clone()
}

async fn login(app: &TestApp, company: &str, email: &str, password: &str) -> crate::helpers::Reply {
    app.post(
        "/api/auth/login",
        None,
        json!({"email": email, "password": password, "companyId": company}),
    )
    .await
}

#[tokio::test]
async fn an_onboarded_agent_must_change_its_one_time_password() {
    let app = spawn_app().await;
    let (admin, company) = app.register("onboard").await;
    let created =
        create_agent(&app, &admin, "Sam@Onboard.example.com", json!(["Billing", "spanish"])).await;
    assert_eq!(created["email"], "sam@onboard.example.com");
    assert_eq!(created["skills"], json!(["billing", "spanish"]));
    assert_eq!(created["status"], "offline");
    assert_eq!(created["accountStatus"], "active");
    assert_eq!(created["mustChangePassword"], true);
    let temporary = created["credentials"]["temporaryPassword"].as_str().unwrap().to_owned();
    assert_eq!(created["credentials"]["email"], "sam@onboard.example.com");
    assert!(temporary.len() >= 16);
    // The sign-in link carries the company, so the agent need not know its id.
    assert_eq!(
        created["credentials"]["signInPath"],
        format!("/login?company={company}&email=sam%40onboard.example.com")
    );

    let first = login(&app, &company, "sam@onboard.example.com", &temporary).await;
    let token = first.assert_ok(200)["token"].as_str().unwrap().to_owned();
    assert_eq!(first.body["data"]["mustChangePassword"], true);
    app.get("/api/agent/status", Some(&token)).await.assert_error(403, "password_change_required");
    let change = json!({"currentPassword": temporary, "newPassword": "my own agent passphrase"});
    app.post("/api/auth/change-password", Some(&token), change).await.assert_ok(200);
    app.get("/api/agent/status", Some(&token)).await.assert_ok(200);

    // The temporary password is never shown again.
    let fetched = app
        .get(&format!("/api/admin/agents/{}", created["id"].as_str().unwrap()), Some(&admin))
        .await;
    let fetched = fetched.assert_ok(200);
    assert!(fetched.get("credentials").is_none());
    assert_eq!(fetched["mustChangePassword"], false);
    app.shutdown().await;
}

#[tokio::test]
async fn agents_are_listed_paged_and_updated() {
    let app = spawn_app().await;
    let (admin, _) = app.register("roster").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            create_agent(&app, &admin, &format!("a{i}@roster.example.com"), json!([])).await["id"]
                .clone(),
        );
    }
    let first = app.get("/api/admin/agents?limit=2", Some(&admin)).await;
    assert_eq!(
        first
            .assert_ok(200)
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].clone())
            .collect::<Vec<_>>(),
        ids[..2]
    );
    let cursor = first.body["nextCursor"].as_str().unwrap().to_owned();
    let rest = app.get(&format!("/api/admin/agents?limit=2&cursor={cursor}"), Some(&admin)).await;
    assert_eq!(rest.assert_ok(200)[0]["id"], ids[2]);
    assert!(rest.body["nextCursor"].is_null());

    let path = format!("/api/admin/agents/{}", ids[0].as_str().unwrap());
    let updated = app
        .call(
            reqwest::Method::PUT,
            &path,
            Some(&admin),
            Some(json!({"name": "Renamed", "skills": ["vip"]})),
        )
        .await;
    let updated = updated.assert_ok(200);
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["skills"], json!(["vip"]));
    assert_eq!(updated["email"], "a0@roster.example.com", "fields not sent stay as they were");

    let clash = app
        .call(
            reqwest::Method::PUT,
            &path,
            Some(&admin),
            Some(json!({"email": "a1@roster.example.com"})),
        )
        .await;
    clash.assert_error(409, "conflict");
    let dup = json!({"name": "Dup", "email": "a1@roster.example.com"});
    app.post("/api/admin/agents", Some(&admin), dup).await.assert_error(409, "conflict");
    app.shutdown().await;
}

#[tokio::test]
async fn bad_agent_input_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (admin, _) = app.register("badagent").await;
    let cases = [
        (json!({"name": "", "email": "x@badagent.example.com"}), "name"),
        (json!({"name": "X", "email": "nope"}), "email"),
        (
            json!({"name": "X", "email": "x@badagent.example.com", "skills": ["ok", "bad;skill"]}),
            "skills[1]",
        ),
        (json!({"name": "X", "email": "x@badagent.example.com", "skills": "vip"}), "skills"),
        (json!({"email": "x@badagent.example.com"}), "name"),
    ];
    for (body, field) in cases {
        let reply = app.post("/api/admin/agents", Some(&admin), body).await;
        assert_eq!(
            reply.assert_error(400, "validation_error")["fields"][0]["field"],
            field,
            "{}",
            reply.text
        );
    }
    let list = app.get("/api/admin/agents", Some(&admin)).await;
    assert_eq!(list.assert_ok(200).as_array().unwrap().len(), 0);
    app.get("/api/admin/agents/not-a-uuid", Some(&admin)).await.assert_error(404, "not_found");
    let me = app.get("/api/auth/me", Some(&admin)).await.assert_ok(200)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get(&format!("/api/admin/agents/{me}"), Some(&admin)).await.assert_error(404, "not_found");
    app.shutdown().await;
}

#[tokio::test]
async fn deactivation_and_password_reset_end_sessions_at_once() {
    let app = spawn_app().await;
    let (admin, company) = app.register("offboard").await;
    let world_agent = app
        .add_staff(
            &company,
            "kim@offboard.example.com",
            switchboard_domain::Role::CompanyAgent,
            false,
        )
        .await;
    let token = world_agent["token"].as_str().unwrap().to_owned();
    let id = world_agent["user"]["id"].as_str().unwrap().to_owned();
    app.get("/api/agent/status", Some(&token)).await.assert_ok(200);

    let reset =
        app.post(&format!("/api/admin/agents/{id}/password-reset"), Some(&admin), json!({})).await;
    let temporary = reset.assert_ok(200)["temporaryPassword"].as_str().unwrap().to_owned();
    let link = reset.body["data"]["signInPath"].as_str().unwrap();
    assert_eq!(link, format!("/login?company={company}&email=kim%40offboard.example.com"));
    app.get("/api/agent/status", Some(&token)).await.assert_error(401, "unauthorized");
    login(&app, &company, "kim@offboard.example.com", crate::helpers::AGENT_PASSWORD)
        .await
        .assert_error(401, "invalid_credentials");
    let again = login(&app, &company, "kim@offboard.example.com", &temporary).await;
    let token = again.assert_ok(200)["token"].as_str().unwrap().to_owned();
    assert_eq!(again.body["data"]["mustChangePassword"], true);

    let gone = app
        .call(reqwest::Method::DELETE, &format!("/api/admin/agents/{id}"), Some(&admin), None)
        .await;
    assert_eq!(gone.assert_ok(200)["accountStatus"], "deactivated");
    app.get("/api/auth/me", Some(&token)).await.assert_error(401, "unauthorized");
    login(&app, &company, "kim@offboard.example.com", &temporary)
        .await
        .assert_error(401, "invalid_credentials");

    let log = app.get("/api/admin/audit-log", Some(&admin)).await;
    let actions: Vec<&str> = log
        .assert_ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"agent.password_reset") && actions.contains(&"agent.deactivated"),
        "{actions:?}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn agents_set_their_status_and_admins_see_it() {
    let app = spawn_app().await;
    let (admin, company) = app.register("presence").await;
    let agent = app
        .add_staff(
            &company,
            "pat@presence.example.com",
            switchboard_domain::Role::CompanyAgent,
            false,
        )
        .await;
    let token = agent["token"].as_str().unwrap();
    let set = app.post("/api/agent/status", Some(token), json!({"status": "online"})).await;
    let set = set.assert_ok(200);
    assert_eq!(set["status"], "online");
    assert!(set["lastSeenAt"].is_string());
    app.post("/api/agent/status", Some(token), json!({"status": "sleeping"}))
        .await
        .assert_error(400, "validation_error");
    assert_eq!(app.get("/api/agent/status", Some(token)).await.assert_ok(200)["status"], "online");

    let board = app.get("/api/admin/agents-status", Some(&admin)).await;
    let board = board.assert_ok(200).as_array().unwrap().clone();
    assert_eq!(board.len(), 1);
    assert_eq!(board[0]["agentId"], agent["user"]["id"]);
    assert_eq!(board[0]["status"], "online");
    assert_eq!(board[0]["openItems"], 0);

    // The presence sweep sets agents offline once their client has been silent too long.
    let swept = app
        .db
        .mark_absent_agents_offline(chrono::Utc::now() + chrono::Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(swept.len(), 1);
    assert_eq!(app.get("/api/agent/status", Some(token)).await.assert_ok(200)["status"], "offline");
    app.shutdown().await;
}

#[tokio::test]
async fn the_status_board_pages_over_active_agents_only() {
    let app = spawn_app().await;
    let (admin, _) = app.register("board-pages").await;
    let mut ids = Vec::new();
    for n in 0..6 {
        let agent =
            create_agent(&app, &admin, &format!("a{n}@board-pages.example"), json!([])).await;
        ids.push(agent["id"].as_str().unwrap().to_owned());
    }
    // Deactivate the second and third: a stored page of two then holds no active agent.
    for id in &ids[1..3] {
        let path = format!("/api/admin/agents/{id}");
        app.call(reqwest::Method::DELETE, &path, Some(&admin), None).await.assert_ok(200);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let path = match &cursor {
            Some(c) => format!("/api/admin/agents-status?limit=2&cursor={c}"),
            None => "/api/admin/agents-status?limit=2".to_owned(),
        };
        let reply = app.get(&path, Some(&admin)).await;
        let rows = reply.assert_ok(200).as_array().unwrap().clone();
        assert!(!rows.is_empty() && rows.len() <= 2, "{}", reply.text);
        seen.extend(rows.iter().map(|r| r["agentId"].as_str().unwrap().to_owned()));
        match reply.body["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let active: Vec<String> = [&ids[0], &ids[3], &ids[4], &ids[5]].map(String::clone).to_vec();
    assert_eq!(seen, active);
    // Every row of one page when the limit allows; bad paging parameters are 400s.
    let all = app.get("/api/admin/agents-status?limit=200", Some(&admin)).await;
    assert_eq!(all.assert_ok(200).as_array().unwrap().len(), 4);
    assert!(all.body["nextCursor"].is_null());
    for bad in ["limit=0", "limit=201", "cursor=zz"] {
        let r = app.get(&format!("/api/admin/agents-status?{bad}"), Some(&admin)).await;
        r.assert_error(400, "validation_error");
    }
    app.shutdown().await;
}
