//! Figures: the machine, and statistics of the measured times.

use std::time::Duration;

pub(crate) fn print_machine() {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let profile = if cfg!(debug_assertions) { "dev (debug assertions on)" } else { "release" };
    println!(
        "machine: {cpus} CPUs ({model}); profile: {profile}; load average at start: {}",
        load_average()
    );
}

/// The 1, 5 and 15 minute load averages: other work on the machine skews every figure.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

pub(crate) struct Stats {
    pub(crate) p50: f64,
    pub(crate) p90: f64,
    pub(crate) p99: f64,
    pub(crate) mean: f64,
    pub(crate) per_second: f64,
}

impl Stats {
    /// Milliseconds, nearest rank; per second is one after another (count over total time).
    pub(crate) fn of(times: &[Duration]) -> Self {
        if times.is_empty() {
            return Self { p50: 0.0, p90: 0.0, p99: 0.0, mean: 0.0, per_second: 0.0 };
        }
        let mut sorted = times.to_vec();
        sorted.sort();
        let at = |p: f64| {
            let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
            sorted[rank - 1].as_secs_f64() * 1e3
        };
        let total: f64 = sorted.iter().map(Duration::as_secs_f64).sum();
        Self {
            p50: at(0.50),
            p90: at(0.90),
            p99: at(0.99),
            mean: total * 1e3 / sorted.len() as f64,
            per_second: sorted.len() as f64 / total,
        }
    }
}

pub(crate) fn row(name: &str, times: &[Duration]) {
    let s = Stats::of(times);
    println!(
        "| {name} | {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.0} |",
        times.len(),
        s.p50,
        s.p90,
        s.p99,
        s.mean,
        s.per_second
    );
}

pub(crate) fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

pub(crate) fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
