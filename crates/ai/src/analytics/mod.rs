//! Performance metrics computed from the analytics event log. Pure: the caller reads the
//! log and passes the events in, so every definition here is unit-tested on hand-built
//! sequences and both storage engines get identical numbers.

mod daily;
mod event;
mod kind;
mod report;
mod rollup;
mod stats;
#[cfg(test)]
mod tests;

pub use daily::{CompanyMetrics, DailyPoint, company_report, daily_series};
pub use event::{LogEvent, Scope};
pub use kind::EventKind;
pub use report::{ApprovalCounts, ConversationCounts, Csat, Metrics, compute, started_by};
pub use rollup::day_rollups;
pub use stats::{DurationStats, median_sorted, nearest_rank, ratio};
