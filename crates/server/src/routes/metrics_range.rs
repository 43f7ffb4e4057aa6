//! `?from=&to=` of the performance endpoints, and reading the log for a range.

use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Deserialize;
use switchboard_ai::analytics::LogEvent;
use switchboard_domain::{CompanyId, ValidationErrors};
use utoipa::IntoParams;

/// The default window when `from` is not given.
const DEFAULT_DAYS: i64 = 30;
/// The longest window one request may ask for: a year, leap day included. It bounds the
/// events read into memory and the length of the daily series.
const MAX_DAYS: i64 = 366;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeParams {
    /// Start, inclusive: RFC 3339 (`2025-03-01T00:00:00Z`) or a date (`2025-03-01`, midnight
    /// UTC). Default: 30 days before `to`.
    from: Option<String>,
    /// End, exclusive, in the same formats (a date means midnight UTC at its start).
    /// Default: now. At most 366 days after `from`.
    to: Option<String>,
}

/// Years a range may name. chrono accepts ±262,143; bounding them keeps every later date
/// calculation (the default window, the daily series) far from chrono's edges.
const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

fn parse_instant(raw: &str) -> Result<DateTime<Utc>, &'static str> {
    let instant = match DateTime::parse_from_rfc3339(raw) {
        Ok(t) => t.to_utc(),
        Err(_) => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
            .ok_or("must be an RFC 3339 timestamp or a YYYY-MM-DD date")?,
    };
    if !YEARS.contains(&instant.year()) {
        return Err("must be between the years 1970 and 9999");
    }
    Ok(instant)
}

impl RangeParams {
    /// The half-open range `[from, to)`, every problem reported under its field.
    pub fn resolve(
        &self,
        now: DateTime<Utc>,
    ) -> Result<(DateTime<Utc>, DateTime<Utc>), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let to = match self.to.as_deref() {
            Some(raw) => errors.check("to", parse_instant(raw)),
            None => Some(now),
        };
        let from = match self.from.as_deref() {
            Some(raw) => errors.check("from", parse_instant(raw)),
            None => to.and_then(|to| to.checked_sub_signed(Duration::days(DEFAULT_DAYS))),
        };
        let (from, to) = match (from, to) {
            (Some(from), Some(to)) if errors.is_empty() => (from, to),
            _ => return Err(errors),
        };
        if from >= to {
            errors.push("to", "must be later than from");
        } else if to - from > Duration::days(MAX_DAYS) {
            errors.push("to", format!("must be at most {MAX_DAYS} days after from"));
        }
        errors.into_result().map(|()| (from, to))
    }
}

/// The company's events of `[from, to)`, in the analytics module's terms.
pub async fn load_events(
    state: &AppState,
    company: CompanyId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Vec<LogEvent>> {
    let events = state.db.list_events(company, from, to).await?;
    Ok(events.into_iter().map(crate::analytics::log_event).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(from: Option<&str>, to: Option<&str>) -> RangeParams {
        RangeParams { from: from.map(str::to_owned), to: to.map(str::to_owned) }
    }

    fn fields(e: ValidationErrors) -> Vec<String> {
        e.fields().iter().map(|f| f.field.clone()).collect()
    }

    #[test]
    fn defaults_to_the_last_thirty_days() {
        let now = Utc::now();
        assert_eq!(params(None, None).resolve(now), Ok((now - Duration::days(30), now)));
    }

    #[test]
    fn accepts_dates_and_timestamps() {
        let (from, to) = params(Some("2025-03-01"), Some("2025-03-02T06:00:00+02:00"))
            .resolve(Utc::now())
            .expect("valid");
        assert_eq!(from.to_rfc3339(), "2025-03-01T00:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2025-03-02T04:00:00+00:00");
    }

    #[test]
    fn rejects_bad_order_long_ranges_and_garbage() {
        let now = Utc::now();
        let bad = |f, t| fields(params(f, t).resolve(now).expect_err("invalid"));
        assert_eq!(bad(Some("yesterday"), Some("soon")), ["to", "from"]);
        assert_eq!(bad(Some("2025-03-02"), Some("2025-03-01")), ["to"]);
        assert_eq!(bad(Some("2025-03-01"), Some("2025-03-01")), ["to"]);
        assert_eq!(bad(Some("2024-01-01"), Some("2025-01-02")), ["to"]);
        assert!(params(Some("2024-01-01"), Some("2025-01-01")).resolve(now).is_ok(), "366 days");
    }

    #[test]
    fn extreme_dates_are_refused_not_panicked_on() {
        let now = Utc::now();
        let bad = |f, t| fields(params(f, t).resolve(now).expect_err("invalid"));
        assert_eq!(bad(None, Some("-262143-01-01")), ["to"]);
        assert_eq!(bad(Some("+262142-12-31"), None), ["from"]);
        assert_eq!(bad(Some("1969-12-31"), Some("1970-01-02")), ["from"]);
        assert_eq!(bad(None, Some("-0001-01-01T00:00:00Z")), ["to"]);
        assert!(params(Some("9999-12-01"), Some("9999-12-31")).resolve(now).is_ok());
    }
}
