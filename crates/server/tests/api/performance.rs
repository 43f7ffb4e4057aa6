//! The performance endpoints: numbers computed from events appended through storage, range
//! validation, and who may see whose metrics.

use crate::helpers::{TestApp, World, spawn_app};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};
use switchboard_domain::CompanyId;
use switchboard_storage::NewEvent;
use uuid::Uuid;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).single().expect("t0")
}

async fn append(
    app: &TestApp,
    company: &str,
    kind: &str,
    conversation: Uuid,
    agent: Option<Uuid>,
    secs: i64,
    data: Value,
) {
    let company: CompanyId = company.parse().expect("company id");
    let event = NewEvent {
        kind: kind.to_owned(),
        conversation_id: Some(conversation),
        agent_id: agent,
        data,
        occurred_at: t0() + Duration::seconds(secs),
    };
    app.db.append_event(company, event).await.expect("append event");
}

/// Company A: one AI-only conversation (first response 4s, resolved in 60s) and one handed
/// to A's agent (first response 10s, human first response 30s after the handoff although
/// the AI spoke in between, rated 5). Company B: noise that must not show up in A.
async fn seed(app: &TestApp, world: &World) -> Uuid {
    let (a, b) = (&world.a.company_id, &world.b.company_id);
    let agent: Uuid = world.a.agent_id.parse().expect("agent id");
    let (ai, human) = (Uuid::now_v7(), Uuid::now_v7());
    let none = json!({});
    append(app, a, "conversation.started", ai, None, 0, json!({"category": "billing"})).await;
    append(app, a, "message.customer", ai, None, 0, none.clone()).await;
    append(app, a, "message.ai", ai, None, 4, none.clone()).await;
    append(app, a, "conversation.closed", ai, None, 60, json!({"byHuman": false})).await;
    append(app, a, "conversation.started", human, None, 100, json!({"priority": "high"})).await;
    append(app, a, "message.customer", human, None, 100, none.clone()).await;
    append(app, a, "message.ai", human, None, 110, none.clone()).await;
    append(app, a, "conversation.handed_off", human, Some(agent), 120, none.clone()).await;
    append(app, a, "message.ai", human, None, 125, none.clone()).await;
    append(app, a, "message.agent", human, Some(agent), 150, none.clone()).await;
    append(app, a, "conversation.closed", human, Some(agent), 400, json!({"byHuman": true})).await;
    append(app, a, "feedback.submitted", human, None, 500, json!({"rating": 5})).await;
    let other = Uuid::now_v7();
    append(app, b, "conversation.started", other, None, 0, none.clone()).await;
    append(app, b, "feedback.submitted", other, None, 1, json!({"rating": 1})).await;
    agent
}

const RANGE: &str = "from=2025-03-01&to=2025-03-02T00:00:00Z";

#[tokio::test]
async fn company_metrics_are_computed_from_the_log() {
    let app = spawn_app().await;
    let world = app.world().await;
    seed(&app, &world).await;
    let path = format!("/api/admin/performance/company?{RANGE}");
    let r = app.get(&path, Some(&world.a.admin)).await;
    let data = r.assert_ok(200);
    assert_eq!(data["from"], "2025-03-01T00:00:00Z");
    assert_eq!(data["to"], "2025-03-02T00:00:00Z");
    assert_eq!(
        data["conversations"],
        json!({"started": 2, "aiOnly": 1, "handedOff": 1, "closed": 2})
    );
    // [4, 10]: median averages the two, p90 is the 2nd (nearest rank).
    assert_eq!(
        data["firstResponseSeconds"],
        json!({"count": 2, "mean": 7.0, "median": 7.0, "p90": 10.0})
    );
    assert_eq!(
        data["humanFirstResponseSeconds"],
        json!({"count": 1, "mean": 30.0, "median": 30.0, "p90": 30.0})
    );
    // [60, 300]
    assert_eq!(
        data["resolutionSeconds"],
        json!({"count": 2, "mean": 180.0, "median": 180.0, "p90": 300.0})
    );
    assert_eq!(data["csat"], json!({"count": 1, "mean": 5.0, "positiveShare": 1.0}));
    assert_eq!(data["aiResolutionRate"], 0.5);
    assert_eq!(data["handoffRate"], 0.5);
    assert_eq!(data["approvals"]["created"], 0);
    assert_eq!(data["approvals"]["medianDecisionSeconds"], Value::Null);
    assert_eq!(
        data["daily"],
        json!([{"date": "2025-03-01", "started": 2, "closed": 2, "handedOff": 1, "csatMean": 5.0}])
    );
    assert_eq!(data["byCategory"], json!({"billing": 1, "unknown": 1}));
    assert_eq!(data["byPriority"], json!({"high": 1, "unknown": 1}));
    assert_eq!(data["bySentiment"], json!({"unknown": 2}));

    // Company B sees only its own event.
    let b = app.get(&path, Some(&world.b.admin)).await;
    assert_eq!(b.assert_ok(200)["conversations"]["started"], 1);
    assert_eq!(b.assert_ok(200)["csat"]["mean"], 1.0);
    app.shutdown().await;
}

#[tokio::test]
async fn agent_metrics_cover_the_agents_conversations_for_admin_and_agent_alike() {
    let app = spawn_app().await;
    let world = app.world().await;
    seed(&app, &world).await;
    let by_admin = app
        .get(
            &format!("/api/admin/performance/agents/{}?{RANGE}", world.a.agent_id),
            Some(&world.a.admin),
        )
        .await;
    let data = by_admin.assert_ok(200).clone();
    assert_eq!(
        data["conversations"],
        json!({"started": 1, "aiOnly": 0, "handedOff": 1, "closed": 1})
    );
    assert_eq!(data["humanFirstResponseSeconds"]["median"], 30.0);
    assert_eq!(data["resolutionSeconds"]["median"], 300.0);
    assert_eq!(data["csat"]["mean"], 5.0);
    assert_eq!(data["aiResolutionRate"], 0.0);
    assert!(data.get("daily").is_none(), "the daily series is for the company only");
    let own = app.get(&format!("/api/agent/performance?{RANGE}"), Some(&world.a.agent)).await;
    assert_eq!(own.assert_ok(200), &data);
    app.shutdown().await;
}

#[tokio::test]
async fn empty_ranges_answer_zeros_and_nulls_and_default_to_thirty_days() {
    let app = spawn_app().await;
    // A company without a single conversation yet.
    let (admin, company) = app.register("quiet").await;
    let agent = app
        .add_staff(
            &company,
            "agent@quiet.example.com",
            switchboard_domain::Role::CompanyAgent,
            false,
        )
        .await;
    let agent = agent["token"].as_str().unwrap();
    let r = app.get("/api/admin/performance/company", Some(&admin)).await;
    let data = r.assert_ok(200);
    let from: DateTime<Utc> = data["from"].as_str().unwrap().parse().unwrap();
    let to: DateTime<Utc> = data["to"].as_str().unwrap().parse().unwrap();
    assert_eq!(to - from, Duration::days(30));
    assert!((Utc::now() - to).num_seconds().abs() < 60);
    assert_eq!(
        data["firstResponseSeconds"],
        json!({"count": 0, "mean": null, "median": null, "p90": null})
    );
    assert_eq!(data["aiResolutionRate"], Value::Null);
    assert_eq!(data["daily"].as_array().map(Vec::len), Some(31), "partial first and last days");
    let own = app.get("/api/agent/performance", Some(agent)).await;
    assert_eq!(
        own.assert_ok(200)["csat"],
        json!({"count": 0, "mean": null, "positiveShare": null})
    );
    app.shutdown().await;
}

fn fields(details: &Value) -> Vec<&str> {
    details["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn bad_ranges_are_400s_naming_the_field() {
    let app = spawn_app().await;
    let world = app.world().await;
    let paths = [
        "/api/admin/performance/company".to_owned(),
        format!("/api/admin/performance/agents/{}", world.a.agent_id),
    ];
    for base in &paths {
        let admin = Some(world.a.admin.as_str());
        let cases: [(&str, &[&str]); 8] = [
            ("from=yesterday", &["from"]),
            // chrono's extremes: once a panic (500), now plain 400s.
            ("to=-262143-01-01", &["to"]),
            ("from=%2B262142-12-31", &["from"]),
            ("to=-262143-01-01T00:00:00Z&from=-262143-01-01", &["to", "from"]),
            ("to=2025-13-01", &["to"]),
            ("from=2025-03-02&to=2025-03-01", &["to"]),
            ("from=2025-03-01&to=2025-03-01", &["to"]),
            ("from=2024-01-01&to=2025-01-02", &["to"]),
        ];
        for (query, expected) in cases {
            let r = app.get(&format!("{base}?{query}"), admin).await;
            assert_eq!(fields(r.assert_error(400, "validation_error")), expected, "{base}?{query}");
        }
        app.get(&format!("{base}?from=2024-01-01&to=2025-01-01"), admin).await.assert_ok(200);
    }
    let r = app.get("/api/agent/performance?from=nope", Some(&world.a.agent)).await;
    assert_eq!(fields(r.assert_error(400, "validation_error")), ["from"]);
    app.shutdown().await;
}

#[tokio::test]
async fn agent_metrics_need_an_agent_of_the_callers_company() {
    let app = spawn_app().await;
    let world = app.world().await;
    let me = app.get("/api/auth/me", Some(&world.a.admin)).await;
    let admin_id = me.assert_ok(200)["id"].as_str().unwrap().to_owned();
    for id in [world.b.agent_id.as_str(), &Uuid::now_v7().to_string(), &admin_id, "not-a-uuid"] {
        let r = app.get(&format!("/api/admin/performance/agents/{id}"), Some(&world.a.admin)).await;
        r.assert_error(404, "not_found");
    }
    // Validation comes before existence.
    let r = app.get("/api/admin/performance/agents/not-a-uuid?from=x", Some(&world.a.admin)).await;
    r.assert_error(400, "validation_error");
    app.shutdown().await;
}

#[tokio::test]
async fn roles_are_checked_before_anything_else() {
    let app = spawn_app().await;
    let World { a, .. } = app.world().await;
    let agent_path = format!("/api/admin/performance/agents/{}?from=bad", a.agent_id);
    for path in ["/api/admin/performance/company?from=bad", agent_path.as_str()] {
        app.get(path, None).await.assert_error(401, "unauthorized");
        app.get(path, Some(&a.agent)).await.assert_error(403, "forbidden");
        app.get(path, Some(&a.customer)).await.assert_error(403, "forbidden");
    }
    let own = "/api/agent/performance?from=bad";
    app.get(own, None).await.assert_error(401, "unauthorized");
    app.get(own, Some(&a.admin)).await.assert_error(403, "forbidden");
    app.get(own, Some(&a.customer)).await.assert_error(403, "forbidden");
    app.shutdown().await;
}

#[tokio::test]
async fn rollups_are_rebuilt_from_the_log() {
    let app = spawn_app().await;
    let world = app.world().await;
    let agent = seed(&app, &world).await;
    let now = t0() + Duration::days(1);
    let written = switchboard_server::analytics::rebuild_rollups(
        app.db.as_ref(),
        world.a.company_id.parse().unwrap(),
        now,
    )
    .await
    .expect("rebuild");
    // 1 March: the company and its agent; 2 March: the company only.
    assert_eq!(written, 3);
    let day = |d| chrono::NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
    let company: CompanyId = world.a.company_id.parse().unwrap();
    let rows = app.db.list_rollups(company, day(1), day(3)).await.expect("rollups");
    assert_eq!(rows.len(), 3);
    assert_eq!((rows[0].day, rows[0].agent_id), (day(1), None));
    assert_eq!(rows[0].metrics["conversations"]["started"], 2);
    assert_eq!(rows[0].metrics["firstResponseSeconds"]["median"], 7.0);
    assert_eq!(rows[1].agent_id.map(|a| a.as_uuid()), Some(agent));
    assert_eq!(rows[1].metrics["humanFirstResponseSeconds"]["median"], 30.0);
    assert_eq!(rows[2].metrics["conversations"]["started"], 0);
    // Running it again changes nothing but the timestamps.
    let again = switchboard_server::analytics::rebuild_all_rollups(app.db.as_ref(), now)
        .await
        .expect("all");
    assert_eq!(again, 3 + 2, "company B's day too");
    let rows_again = app.db.list_rollups(company, day(1), day(3)).await.expect("rollups");
    assert_eq!(
        rows_again.iter().map(|r| &r.metrics).collect::<Vec<_>>(),
        rows.iter().map(|r| &r.metrics).collect::<Vec<_>>()
    );
    app.shutdown().await;
}
