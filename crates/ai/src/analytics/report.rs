//! Metrics of one range, for a company or one agent, computed from the event log alone.
//!
//! Definitions (the API documents the same):
//! - Counts (`started`, `handedOff`, `closed`, approvals, ratings) count events whose time is
//!   in `[from, to)`. `handedOff` counts conversations, however often they were handed over.
//! - `aiOnly`: conversations started in the range in which no human took part (no handoff and
//!   no agent message among the events given).
//! - A duration is counted in the range its *end* falls in, and only when its start is among
//!   the events given: a conversation begun before `from` adds to the counts, not to the
//!   durations whose start the caller did not pass.
//! - First response: the customer's first message to the first reply after it, by the AI or
//!   an agent.
//! - Human first response: from each handoff to the first agent message after it. AI
//!   messages never stop this clock, so an AI holding message cannot hide a slow human.
//! - Resolution: `conversation.started` to `conversation.closed`.
//! - `aiResolutionRate`: closes neither marked `byHuman` nor preceded by a handoff or an
//!   agent message, over all closes. `handoffRate`: of the conversations started in the
//!   range, the share that were handed off (so it cannot exceed 1). Both `null` over zero.
//! - Approvals are paired by `data.requestId`, or first-in first-out within a conversation.
//! - CSAT: ratings 1–5 of `feedback.submitted`; `positiveShare` is the share of 4s and 5s.

use super::event::{LogEvent, Scope};
use super::kind::EventKind;
use super::stats::{DurationStats, median_sorted, ratio};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, VecDeque};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationCounts {
    pub started: usize,
    pub ai_only: usize,
    pub handed_off: usize,
    pub closed: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalCounts {
    pub created: usize,
    pub approved: usize,
    pub rejected: usize,
    pub escalated: usize,
    /// Median seconds from request to decision; `null` when none was decided.
    pub median_decision_seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Csat {
    pub count: usize,
    /// Mean rating (1–5); `null` without ratings.
    pub mean: Option<f64>,
    /// Share of ratings that are 4 or 5; `null` without ratings.
    pub positive_share: Option<f64>,
}

impl Csat {
    pub fn from_ratings(ratings: &[u8]) -> Self {
        let count = ratings.len();
        let sum: usize = ratings.iter().map(|&r| usize::from(r)).sum();
        let positive = ratings.iter().filter(|&&r| r >= 4).count();
        Self { count, mean: ratio(sum, count), positive_share: ratio(positive, count) }
    }
}

/// The metrics every performance endpoint returns.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub conversations: ConversationCounts,
    pub first_response_seconds: DurationStats,
    pub human_first_response_seconds: DurationStats,
    pub resolution_seconds: DurationStats,
    pub approvals: ApprovalCounts,
    pub csat: Csat,
    pub ai_resolution_rate: Option<f64>,
    pub handoff_rate: Option<f64>,
}

fn seconds(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_milliseconds() as f64 / 1000.0
}

/// Running totals while walking the log.
#[derive(Default)]
struct Tally {
    started: usize,
    ai_only: usize,
    handed_off: usize,
    started_and_handed_off: usize,
    closed: usize,
    closed_by_ai: usize,
    first: Vec<f64>,
    human_first: Vec<f64>,
    resolution: Vec<f64>,
    approvals: [usize; 4],
    decision: Vec<f64>,
    ratings: Vec<u8>,
}

/// Computes the metrics of `[from, to)` from `events` (any order; events outside the range
/// only serve as the start of durations).
pub fn compute(
    events: &[LogEvent],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    scope: Scope,
) -> Metrics {
    let in_range = |t: DateTime<Utc>| from <= t && t < to;
    let mut tally = Tally::default();
    for conversation in super::event::by_conversation(events, scope) {
        walk(&conversation, &in_range, &mut tally);
    }
    tally.decision.sort_by(f64::total_cmp);
    let [created, approved, rejected, escalated] = tally.approvals;
    Metrics {
        from,
        to,
        conversations: ConversationCounts {
            started: tally.started,
            ai_only: tally.ai_only,
            handed_off: tally.handed_off,
            closed: tally.closed,
        },
        first_response_seconds: DurationStats::from_values(&tally.first),
        human_first_response_seconds: DurationStats::from_values(&tally.human_first),
        resolution_seconds: DurationStats::from_values(&tally.resolution),
        approvals: ApprovalCounts {
            created,
            approved,
            rejected,
            escalated,
            median_decision_seconds: median_sorted(&tally.decision),
        },
        csat: Csat::from_ratings(&tally.ratings),
        ai_resolution_rate: ratio(tally.closed_by_ai, tally.closed),
        handoff_rate: ratio(tally.started_and_handed_off, tally.started),
    }
}

/// One conversation's events, oldest first.
fn walk(
    events: &[(EventKind, &LogEvent)],
    in_range: &impl Fn(DateTime<Utc>) -> bool,
    t: &mut Tally,
) {
    let human_ever =
        events.iter().any(|(k, _)| matches!(k, EventKind::HandedOff | EventKind::AgentMessage));
    let mut started_at = None;
    let mut started_here = false;
    let mut customer_first: Option<DateTime<Utc>> = None;
    let mut first_done = false;
    let mut human_clock: Option<DateTime<Utc>> = None;
    let mut human_so_far = false;
    let mut handed_off_here = false;
    let mut pending: HashMap<Option<String>, VecDeque<DateTime<Utc>>> = HashMap::new();
    for &(kind, e) in events {
        let at = e.occurred_at;
        let here = in_range(at);
        match kind {
            EventKind::ConversationStarted if started_at.is_none() => {
                started_at = Some(at);
                started_here = here;
                t.started += usize::from(here);
            }
            EventKind::CustomerMessage if customer_first.is_none() => customer_first = Some(at),
            EventKind::AiMessage | EventKind::AgentMessage => {
                if let (Some(c), false) = (customer_first, first_done) {
                    first_done = true;
                    if here {
                        t.first.push(seconds(c, at));
                    }
                }
                if kind == EventKind::AgentMessage {
                    human_so_far = true;
                    if let Some(s) = human_clock.take().filter(|_| here) {
                        t.human_first.push(seconds(s, at));
                    }
                }
            }
            EventKind::HandedOff => {
                human_so_far = true;
                // A second handoff while the first still waits does not restart the clock.
                human_clock.get_or_insert(at);
                if here && !handed_off_here {
                    handed_off_here = true;
                    t.handed_off += 1;
                }
            }
            EventKind::ApprovalCreated => {
                pending.entry(request_key(e)).or_default().push_back(at);
                t.approvals[0] += usize::from(here);
            }
            EventKind::ApprovalDecided => {
                let created = pending.get_mut(&request_key(e)).and_then(VecDeque::pop_front);
                let slot = match e.data.get("decision").and_then(|d| d.as_str()) {
                    Some("approved") => 1,
                    Some("rejected") => 2,
                    Some("escalated") => 3,
                    _ => continue,
                };
                if here {
                    t.approvals[slot] += 1;
                    if let Some(c) = created {
                        t.decision.push(seconds(c, at));
                    }
                }
            }
            EventKind::ConversationClosed if here => {
                t.closed += 1;
                let by_human = e.data.get("byHuman").and_then(|b| b.as_bool()).unwrap_or(false);
                t.closed_by_ai += usize::from(!by_human && !human_so_far);
                if let Some(s) = started_at {
                    t.resolution.push(seconds(s, at));
                }
            }
            EventKind::FeedbackSubmitted if here => t.ratings.extend(super::event::rating(e)),
            _ => {}
        }
    }
    if started_here {
        t.ai_only += usize::from(!human_ever);
        t.started_and_handed_off +=
            usize::from(events.iter().any(|(k, _)| *k == EventKind::HandedOff));
    }
}

/// Approvals pair by request id when the writer gave one, otherwise in order.
fn request_key(e: &LogEvent) -> Option<String> {
    e.data.get("requestId").and_then(|v| v.as_str()).map(str::to_owned)
}

/// Counts of conversations started in the range by a `data` field of
/// `conversation.started`; a missing value counts as `unknown`.
pub fn started_by(
    events: &[LogEvent],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    field: &str,
) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for e in events.iter().filter(|e| from <= e.occurred_at && e.occurred_at < to) {
        if EventKind::parse(&e.kind) == Some(EventKind::ConversationStarted) {
            let key = e.data.get(field).and_then(|v| v.as_str()).unwrap_or("unknown");
            *counts.entry(key.to_owned()).or_insert(0) += 1;
        }
    }
    counts
}
