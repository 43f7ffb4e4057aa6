//! The analytics event log: half-open time ranges, oldest first, per company.

use crate::data::{self, name};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use switchboard_storage::{Backend, Event, NewEvent};
use uuid::Uuid;

fn event(kind: &str, occurred_at: DateTime<Utc>) -> NewEvent {
    NewEvent {
        kind: kind.to_owned(),
        conversation_id: Some(Uuid::now_v7()),
        agent_id: None,
        data: json!({ "kind": kind, "score": 4.5, "labels": ["billing"] }),
        occurred_at,
    }
}

/// Events come back oldest first within `[from, to)`, ties in write order, per company.
pub async fn events_are_listed_in_time_range_and_scoped(backend: &dyn Backend) {
    let be = name(backend);
    let a = data::register(backend, "support@acme.test", "ann@acme.test", data::now()).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", data::now()).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let t0 = DateTime::parse_from_rfc3339("2025-03-01T12:00:00Z").expect("t0").to_utc();
    let at = |secs: i64| t0 + Duration::seconds(secs);

    // Written out of time order, to show the list sorts rather than echoing insertion.
    let mut stored = std::collections::HashMap::<&str, Event>::new();
    for (label, secs) in
        [("e20", 20), ("e0", 0), ("e30", 30), ("e10a", 10), ("e10b", 10), ("early", -1)]
    {
        let mut new = event(label, at(secs));
        new.agent_id = (label == "e10a").then_some(a.admin.id.as_uuid());
        let got = backend.append_event(ca, new.clone()).await.expect("append");
        assert_eq!(
            (
                got.company_id,
                &got.kind,
                got.conversation_id,
                got.agent_id,
                &got.data,
                got.occurred_at
            ),
            (ca, &new.kind, new.conversation_id, new.agent_id, &new.data, new.occurred_at),
            "{be}: stored event {label}"
        );
        stored.insert(label, got);
    }
    let theirs = backend.append_event(cb, event("b5", at(5))).await.expect("append in b");

    let expect = |labels: &[&str]| labels.iter().map(|l| stored[l].clone()).collect::<Vec<_>>();
    let window = backend.list_events(ca, at(0), at(30)).await.expect("window");
    // Same instant: ties break by id, i.e. by write order.
    assert_eq!(window, expect(&["e0", "e10a", "e10b", "e20"]), "{be}: [t0, t0+30s)");
    let last = backend.list_events(ca, at(30), at(31)).await.expect("last");
    assert_eq!(last, expect(&["e30"]), "{be}: the upper bound is exclusive only");
    let empty = backend.list_events(ca, at(40), at(50)).await.expect("empty");
    assert!(empty.is_empty(), "{be}: no events after t0+30s: {empty:?}");
    let in_b = backend.list_events(cb, at(-10), at(60)).await.expect("b's events");
    assert_eq!(in_b, vec![theirs], "{be}: b sees only its own events");
}
