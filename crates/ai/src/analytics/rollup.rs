//! Daily rollups: one day's metrics for the company and for every agent active that day.
//! Stored as a cache beside the log and rebuildable from it at any time.

use super::event::{LogEvent, Scope};
use super::report::{Metrics, compute};
use chrono::{Duration, NaiveDate};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The metrics of UTC day `day`: first the company's (`None`), then each agent's whose id
/// appears on an event of that day, in id order. `events` may reach back before the day,
/// so durations that end on it keep their start.
pub fn day_rollups(events: &[LogEvent], day: NaiveDate) -> Vec<(Option<Uuid>, Metrics)> {
    let Some(start) = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()) else { return Vec::new() };
    let end = start + Duration::days(1);
    let agents: BTreeSet<Uuid> = events
        .iter()
        .filter(|e| start <= e.occurred_at && e.occurred_at < end)
        .filter_map(|e| e.agent_id)
        .collect();
    let mut out = vec![(None, compute(events, start, end, Scope::Company))];
    out.extend(agents.into_iter().map(|a| (Some(a), compute(events, start, end, Scope::Agent(a)))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::EventKind;
    use chrono::{TimeZone, Utc};

    #[test]
    fn one_row_for_the_company_and_one_per_active_agent() {
        let (c, agent) = (Uuid::now_v7(), Uuid::now_v7());
        let at = |d, h| Utc.with_ymd_and_hms(2025, 3, d, h, 0, 0).single().expect("time");
        let events = vec![
            LogEvent::new(EventKind::ConversationStarted, Some(c), at(1, 23)),
            LogEvent::new(EventKind::HandedOff, Some(c), at(1, 23)),
            LogEvent::new(EventKind::AgentMessage, Some(c), at(2, 1)).by_agent(agent),
        ];
        let day1 = day_rollups(&events, NaiveDate::from_ymd_opt(2025, 3, 1).expect("day"));
        assert_eq!(day1.len(), 1, "no agent acted on 1 March");
        assert_eq!(day1[0].1.conversations.started, 1);
        let day2 = day_rollups(&events, NaiveDate::from_ymd_opt(2025, 3, 2).expect("day"));
        assert_eq!(day2.iter().map(|(a, _)| *a).collect::<Vec<_>>(), [None, Some(agent)]);
        // The handoff was the evening before; the reply's two hours still count on the 2nd.
        assert_eq!(day2[1].1.human_first_response_seconds.median, Some(7200.0));
        assert_eq!(day2[0].1.conversations.started, 0);
    }
}
