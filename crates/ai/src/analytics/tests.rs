//! Hand-built event sequences whose medians and p90s are worked out in the comments.

use super::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use EventKind::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).single().expect("t0")
}

fn at(secs: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(secs)
}

fn ev(kind: EventKind, c: Uuid, secs: i64) -> LogEvent {
    LogEvent::new(kind, Some(c), at(secs))
}

/// A range wide enough for every event of a test.
fn report(events: &[LogEvent], scope: Scope) -> Metrics {
    compute(events, at(-3600), at(3600), scope)
}

fn closed(c: Uuid, secs: i64, by_human: bool) -> LogEvent {
    ev(ConversationClosed, c, secs).with_data(json!({ "byHuman": by_human }))
}

#[test]
fn ai_only_conversations() {
    let (c1, c2, c3) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let events = vec![
        ev(ConversationStarted, c1, 0),
        ev(CustomerMessage, c1, 0),
        ev(AiMessage, c1, 2),
        closed(c1, 60, false),
        ev(ConversationStarted, c2, 100),
        ev(CustomerMessage, c2, 100),
        ev(AiMessage, c2, 104),
        ev(CustomerMessage, c2, 110), // later messages do not restart the clock
        ev(AiMessage, c2, 150),
        closed(c2, 400, false),
        ev(ConversationStarted, c3, 200),
        ev(AiMessage, c3, 200), // a greeting before the customer speaks is not a response
        ev(CustomerMessage, c3, 205),
        ev(AiMessage, c3, 211),
    ];
    let m = report(&events, Scope::Company);
    assert_eq!(
        m.conversations,
        ConversationCounts { started: 3, ai_only: 3, handed_off: 0, closed: 2 }
    );
    // [2, 4, 6]: median 4, p90 = rank ceil(2.7) = 3 → 6.
    assert_eq!(m.first_response_seconds, stats(3, 4.0, 4.0, 6.0));
    // [60, 300]: median (60 + 300) / 2, p90 = rank 2 → 300.
    assert_eq!(m.resolution_seconds, stats(2, 180.0, 180.0, 300.0));
    assert_eq!(m.human_first_response_seconds.count, 0);
    assert_eq!(m.human_first_response_seconds.median, None);
    assert_eq!((m.ai_resolution_rate, m.handoff_rate), (Some(1.0), Some(0.0)));
}

fn stats(count: usize, mean: f64, median: f64, p90: f64) -> DurationStats {
    DurationStats { count, mean: Some(mean), median: Some(median), p90: Some(p90) }
}

#[test]
fn human_clock_starts_at_handoff_and_ignores_ai_messages() {
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let agent = Uuid::now_v7();
    let events = vec![
        ev(ConversationStarted, a, 0),
        ev(CustomerMessage, a, 0),
        ev(AiMessage, a, 3),
        ev(HandedOff, a, 10).by_agent(agent),
        ev(AiMessage, a, 12), // "an agent will be with you shortly": does not stop the clock
        ev(AgentMessage, a, 40).by_agent(agent),
        ev(AgentMessage, a, 45).by_agent(agent), // only the first reply counts
        closed(a, 100, true),
        ev(ConversationStarted, b, 0),
        ev(CustomerMessage, b, 5),
        ev(HandedOff, b, 6).by_agent(agent),
        ev(AgentMessage, b, 26).by_agent(agent), // also the first response: 21s
    ];
    let m = report(&events, Scope::Company);
    // First response [3, 21]; human first response [30, 20].
    assert_eq!(m.first_response_seconds, stats(2, 12.0, 12.0, 21.0));
    assert_eq!(m.human_first_response_seconds, stats(2, 25.0, 25.0, 30.0));
    assert_eq!(
        m.conversations,
        ConversationCounts { started: 2, ai_only: 0, handed_off: 2, closed: 1 }
    );
    assert_eq!((m.ai_resolution_rate, m.handoff_rate), (Some(0.0), Some(1.0)));
}

#[test]
fn a_close_after_a_human_took_part_is_not_an_ai_resolution_even_unmarked() {
    let c = Uuid::now_v7();
    let events = vec![
        ev(ConversationStarted, c, 0),
        ev(HandedOff, c, 1),
        ev(AgentMessage, c, 2).by_agent(Uuid::now_v7()),
        closed(c, 3, false),
    ];
    assert_eq!(report(&events, Scope::Company).ai_resolution_rate, Some(0.0));
}

#[test]
fn an_empty_range_has_zero_counts_and_null_statistics() {
    let c = Uuid::now_v7();
    // Events exist, but all outside the range asked for.
    let events =
        vec![ev(ConversationStarted, c, 0), ev(CustomerMessage, c, 0), ev(AiMessage, c, 1)];
    let m = compute(&events, at(100), at(200), Scope::Company);
    let json = serde_json::to_value(&m).expect("serialise");
    assert_eq!(
        json["conversations"],
        json!({"started": 0, "aiOnly": 0, "handedOff": 0, "closed": 0})
    );
    for key in ["firstResponseSeconds", "humanFirstResponseSeconds", "resolutionSeconds"] {
        assert_eq!(
            json[key],
            json!({"count": 0, "mean": null, "median": null, "p90": null}),
            "{key}"
        );
    }
    assert_eq!(json["csat"], json!({"count": 0, "mean": null, "positiveShare": null}));
    assert_eq!(json["approvals"]["medianDecisionSeconds"], json!(null));
    assert_eq!((&json["aiResolutionRate"], &json["handoffRate"]), (&json!(null), &json!(null)));
    assert_eq!(compute(&[], at(0), at(1), Scope::Company), m_with_range(&m, at(0), at(1)));
}

fn m_with_range(m: &Metrics, from: DateTime<Utc>, to: DateTime<Utc>) -> Metrics {
    Metrics { from, to, ..m.clone() }
}

#[test]
fn range_is_half_open_and_durations_count_where_they_end() {
    let c = Uuid::now_v7();
    let events = vec![
        ev(ConversationStarted, c, -10), // before `from`: not started in the range
        ev(CustomerMessage, c, -10),
        ev(AiMessage, c, 5),
        closed(c, 10, false),
        ev(ConversationStarted, Uuid::now_v7(), 100), // exactly `to`: excluded
    ];
    let m = compute(&events, at(0), at(100), Scope::Company);
    assert_eq!(m.conversations.started, 0);
    assert_eq!(m.conversations.closed, 1);
    assert_eq!(m.first_response_seconds.median, Some(15.0));
    assert_eq!(m.resolution_seconds.median, Some(20.0));
    assert_eq!(m.handoff_rate, None, "nothing started in the range");
}

#[test]
fn approvals_pair_by_request_id_or_in_order() {
    let (c, d) = (Uuid::now_v7(), Uuid::now_v7());
    let req = |kind, conv, secs, id: Option<&str>, decision: Option<&str>| {
        ev(kind, conv, secs).with_data(json!({ "requestId": id, "decision": decision }))
    };
    let events = vec![
        req(ApprovalCreated, c, 0, Some("r1"), None),
        req(ApprovalCreated, c, 10, Some("r2"), None),
        req(ApprovalDecided, c, 20, Some("r2"), Some("approved")), // 10s
        req(ApprovalDecided, c, 50, Some("r1"), Some("rejected")), // 50s
        req(ApprovalCreated, d, 0, None, None),
        req(ApprovalDecided, d, 30, None, Some("escalated")), // 30s
        req(ApprovalDecided, d, 31, None, Some("maybe")),     // unknown decision: ignored
    ];
    let m = report(&events, Scope::Company);
    // [10, 30, 50] → median 30.
    assert_eq!(
        m.approvals,
        ApprovalCounts {
            created: 3,
            approved: 1,
            rejected: 1,
            escalated: 1,
            median_decision_seconds: Some(30.0)
        }
    );
}

#[test]
fn csat_mean_and_positive_share() {
    let events: Vec<LogEvent> = [5, 4, 2, 5, 9, 0]
        .into_iter()
        .map(|r| ev(FeedbackSubmitted, Uuid::now_v7(), 0).with_data(json!({ "rating": r })))
        .collect();
    let m = report(&events, Scope::Company);
    // 9 and 0 are not ratings; [5, 4, 2, 5] → mean 4, three of four positive.
    assert_eq!(m.csat, Csat { count: 4, mean: Some(4.0), positive_share: Some(0.75) });
}

#[test]
fn agent_scope_keeps_the_agents_conversations_and_own_replies() {
    let (one, two, shared) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let (ann, bob) = (Uuid::now_v7(), Uuid::now_v7());
    let events = vec![
        ev(ConversationStarted, one, 0),
        ev(CustomerMessage, one, 0),
        ev(HandedOff, one, 10).by_agent(ann),
        ev(AgentMessage, one, 25).by_agent(ann), // ann: 15s
        ev(ConversationStarted, two, 0),
        ev(HandedOff, two, 5).by_agent(bob),
        ev(AgentMessage, two, 8).by_agent(bob), // bob: 3s
        ev(FeedbackSubmitted, two, 9).with_data(json!({"rating": 2})),
        ev(ConversationStarted, shared, 0),
        ev(HandedOff, shared, 0).by_agent(bob),
        ev(AgentMessage, shared, 100).by_agent(ann), // ann answered bob's handoff: 100s for ann
        ev(AiMessage, Uuid::now_v7(), 0),
    ];
    let ann_m = report(&events, Scope::Agent(ann));
    assert_eq!(ann_m.conversations.started, 2);
    assert_eq!(ann_m.human_first_response_seconds.count, 2);
    assert_eq!(ann_m.human_first_response_seconds.median, Some(57.5));
    assert_eq!(ann_m.csat.count, 0);
    let bob_m = report(&events, Scope::Agent(bob));
    // Bob's shared handoff waits for a reply of his own that never comes.
    assert_eq!(bob_m.human_first_response_seconds, stats(1, 3.0, 3.0, 3.0));
    assert_eq!(bob_m.csat.mean, Some(2.0));
    let all = report(&events, Scope::Company);
    // [15, 3, 100] → median 15, p90 rank 3 → 100.
    assert_eq!(all.human_first_response_seconds.median, Some(15.0));
    assert_eq!(all.human_first_response_seconds.p90, Some(100.0));
    let nobody = report(&events, Scope::Agent(Uuid::now_v7()));
    assert_eq!(nobody.conversations.started, 0);
}

#[test]
fn p90_over_ten_conversations_is_the_ninth_fastest() {
    let mut events = Vec::new();
    for secs in [1, 2, 3, 4, 5, 6, 7, 8, 9, 100] {
        let c = Uuid::now_v7();
        events.push(ev(CustomerMessage, c, 0));
        events.push(ev(AiMessage, c, secs));
    }
    let m = report(&events, Scope::Company);
    // Sorted [1..9, 100]: median (5 + 6) / 2, p90 rank 9 → 9, mean 145 / 10.
    assert_eq!(m.first_response_seconds, stats(10, 14.5, 5.5, 9.0));
}

#[test]
fn company_report_adds_a_zero_filled_daily_series_and_breakdowns() {
    let day = |d: i64, h: i64| (d * 24 + h) * 3600;
    let (c1, c2, c3) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let from = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).single().expect("from");
    let e = |kind, c, secs: i64| LogEvent::new(kind, Some(c), from + Duration::seconds(secs));
    let events = vec![
        e(ConversationStarted, c1, day(0, 1))
            .with_data(json!({"category": "billing", "priority": "high", "sentiment": "negative"})),
        e(HandedOff, c1, day(0, 2)),
        e(HandedOff, c1, day(0, 3)), // the same conversation again: one per day
        e(ConversationStarted, c2, day(0, 4)).with_data(json!({"category": "billing"})),
        e(ConversationStarted, c3, day(2, 1)),
        e(ConversationClosed, c3, day(2, 2)),
        e(FeedbackSubmitted, c3, day(2, 3)).with_data(json!({"rating": 5})),
        e(FeedbackSubmitted, c2, day(2, 4)).with_data(json!({"rating": 2})),
    ];
    let r = company_report(&events, from, from + Duration::days(3));
    let json = serde_json::to_value(&r).expect("serialise");
    assert_eq!(json["conversations"]["started"], 3, "flattened metrics: {json}");
    assert_eq!(
        json["daily"],
        json!([
            {"date": "2025-03-01", "started": 2, "closed": 0, "handedOff": 1, "csatMean": null},
            {"date": "2025-03-02", "started": 0, "closed": 0, "handedOff": 0, "csatMean": null},
            {"date": "2025-03-03", "started": 1, "closed": 1, "handedOff": 0, "csatMean": 3.5},
        ])
    );
    assert_eq!(json["byCategory"], json!({"billing": 2, "unknown": 1}));
    assert_eq!(json["byPriority"], json!({"high": 1, "unknown": 2}));
    assert_eq!(json["bySentiment"], json!({"negative": 1, "unknown": 2}));
    assert_eq!(json["from"], "2025-03-01T00:00:00Z");
}

#[test]
fn daily_series_covers_partial_days_and_nothing_for_an_empty_range() {
    let from = at(0); // 12:00 on 1 March
    let days = daily_series(&[], from, from + Duration::hours(13));
    let dates: Vec<String> = days.iter().map(|d| d.date.to_string()).collect();
    assert_eq!(dates, ["2025-03-01", "2025-03-02"]);
    assert!(daily_series(&[], from, from).is_empty());
    let midnight = Utc.with_ymd_and_hms(2025, 3, 2, 0, 0, 0).single().expect("midnight");
    assert_eq!(daily_series(&[], midnight - Duration::days(1), midnight).len(), 1);
}

#[test]
fn unknown_kinds_are_ignored() {
    let c = Uuid::now_v7();
    let mut odd = ev(ConversationStarted, c, 0);
    odd.kind = "conversation.teleported".to_owned();
    assert_eq!(report(&[odd], Scope::Company).conversations.started, 0);
}
