//! Daily rollups: upserted by (day, agent), listed by day range, per company.

use crate::data::{self, name};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;
use switchboard_storage::{Backend, DailyRollup, NewEvent};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
}

fn rollup(d: &str, agent: Option<switchboard_domain::UserId>, started: u32) -> DailyRollup {
    DailyRollup {
        day: day(d),
        agent_id: agent,
        metrics: json!({ "started": started }),
        updated_at: data::now(),
    }
}

/// Upserting replaces a row with the same key and keeps the rest; lists are half-open by
/// day, company row first; other companies see nothing; `companies_with_events` and
/// `first_event_at` see the log.
pub async fn rollups_story(backend: &dyn Backend) {
    let be = name(backend);
    let a = data::register(backend, "support@acme.test", "ann@acme.test", data::now()).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", data::now()).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let agent = Some(a.admin.id);
    let first = [
        rollup("2025-03-01", None, 1),
        rollup("2025-03-01", agent, 2),
        rollup("2025-03-02", None, 3),
    ];
    backend.upsert_rollups(ca, &first).await.expect("upsert");
    let replaced = rollup("2025-03-01", None, 10);
    backend.upsert_rollups(ca, std::slice::from_ref(&replaced)).await.expect("replace");
    backend.upsert_rollups(ca, &[]).await.expect("nothing to write");

    let all = backend.list_rollups(ca, day("2025-03-01"), day("2025-03-03")).await.expect("list");
    assert_eq!(all, vec![replaced.clone(), first[1].clone(), first[2].clone()], "{be}: rows");
    let one = backend.list_rollups(ca, day("2025-03-02"), day("2025-03-03")).await.expect("one");
    assert_eq!(one, vec![first[2].clone()], "{be}: the lower bound is inclusive, the upper not");
    let theirs = backend.list_rollups(cb, day("2025-01-01"), day("2026-01-01")).await.expect("b");
    assert!(theirs.is_empty(), "{be}: b sees none of a's rollups: {theirs:?}");

    assert!(
        backend.companies_with_events().await.expect("companies").is_empty(),
        "{be}: no events"
    );
    assert_eq!(backend.first_event_at(ca).await.expect("first"), None, "{be}: no events yet");
    let t0: DateTime<Utc> = data::now() - Duration::days(3);
    for (secs, company) in [(60, ca), (0, ca), (30, cb)] {
        let e = NewEvent {
            kind: "conversation.started".to_owned(),
            conversation_id: None,
            agent_id: None,
            data: json!({}),
            occurred_at: t0 + Duration::seconds(secs),
        };
        backend.append_event(company, e).await.expect("append");
    }
    let mut expected = vec![ca, cb];
    expected.sort();
    assert_eq!(backend.companies_with_events().await.expect("companies"), expected, "{be}");
    assert_eq!(backend.first_event_at(ca).await.expect("first"), Some(t0), "{be}: oldest event");
}
