//! The company report: the range's metrics plus a daily series and breakdowns.

use super::event::{LogEvent, Scope, rating};
use super::kind::EventKind;
use super::report::{Metrics, compute, started_by};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use utoipa::ToSchema;

/// One UTC day of the series.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DailyPoint {
    pub date: NaiveDate,
    pub started: usize,
    pub closed: usize,
    /// Conversations handed off that day.
    pub handed_off: usize,
    /// Mean rating given that day; `null` without ratings.
    pub csat_mean: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompanyMetrics {
    #[serde(flatten)]
    pub metrics: Metrics,
    /// Every UTC day that overlaps the range, oldest first, days without events included.
    pub daily: Vec<DailyPoint>,
    /// Conversations started in the range by category (`unknown` when unclassified).
    pub by_category: BTreeMap<String, usize>,
    pub by_priority: BTreeMap<String, usize>,
    pub by_sentiment: BTreeMap<String, usize>,
}

/// The company report of `[from, to)`.
pub fn company_report(
    events: &[LogEvent],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> CompanyMetrics {
    CompanyMetrics {
        metrics: compute(events, from, to, Scope::Company),
        daily: daily_series(events, from, to),
        by_category: started_by(events, from, to, "category"),
        by_priority: started_by(events, from, to, "priority"),
        by_sentiment: started_by(events, from, to, "sentiment"),
    }
}

#[derive(Default)]
struct Day {
    started: usize,
    closed: usize,
    handed_off: HashSet<Option<uuid::Uuid>>,
    ratings: Vec<u8>,
}

/// Per-day counts of the events in `[from, to)`; empty when the range is.
pub fn daily_series(
    events: &[LogEvent],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<DailyPoint> {
    if from >= to {
        return Vec::new();
    }
    let mut days: BTreeMap<NaiveDate, Day> = BTreeMap::new();
    let (first, last) = (from.date_naive(), (to - chrono::Duration::nanoseconds(1)).date_naive());
    for date in first.iter_days().take_while(|d| *d <= last) {
        days.insert(date, Day::default());
    }
    for e in events.iter().filter(|e| from <= e.occurred_at && e.occurred_at < to) {
        let Some(day) = days.get_mut(&e.occurred_at.date_naive()) else { continue };
        match EventKind::parse(&e.kind) {
            Some(EventKind::ConversationStarted) => day.started += 1,
            Some(EventKind::ConversationClosed) => day.closed += 1,
            Some(EventKind::HandedOff) => {
                day.handed_off.insert(e.conversation_id);
            }
            Some(EventKind::FeedbackSubmitted) => day.ratings.extend(rating(e)),
            _ => {}
        }
    }
    days.into_iter()
        .map(|(date, d)| DailyPoint {
            date,
            started: d.started,
            closed: d.closed,
            handed_off: d.handed_off.len(),
            csat_mean: super::report::Csat::from_ratings(&d.ratings).mean,
        })
        .collect()
}
