//! Retrieval quality figures from ranked FAQ candidates: what `switchboard eval retrieval`
//! prints. Pure arithmetic, so the definitions are tested here once.

use serde::Serialize;

/// One query's outcome: the FAQ it should find (none when out of scope), what came back
/// (best first), and the confidence of the first, which the threshold is compared with.
#[derive(Debug, Clone)]
pub struct QueryOutcome {
    pub expected: Option<String>,
    pub ranked: Vec<String>,
    pub confidence: f32,
}

/// The figures, as shares from 0 to 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetrievalReport {
    pub queries: usize,
    pub in_scope: usize,
    pub out_of_scope: usize,
    pub recall_at1: f64,
    pub recall_at5: f64,
    pub mrr: f64,
    pub threshold: f64,
    /// Of in-scope queries: answered with the right FAQ, with a wrong one, or handed off.
    pub answered_correct: f64,
    pub answered_wrong: f64,
    pub handed_off: f64,
    /// Share of out-of-scope queries handed off (the rest got a wrong answer).
    pub oos_handed_off: Option<f64>,
}

/// What the responder would do at `threshold` for one query.
fn decision(o: &QueryOutcome, threshold: f64) -> Option<&str> {
    o.ranked.first().filter(|_| f64::from(o.confidence) >= threshold).map(String::as_str)
}

pub fn report(outcomes: &[QueryOutcome], threshold: f64) -> RetrievalReport {
    let in_scope: Vec<&QueryOutcome> = outcomes.iter().filter(|o| o.expected.is_some()).collect();
    let oos: Vec<&QueryOutcome> = outcomes.iter().filter(|o| o.expected.is_none()).collect();
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    let rank_of = |o: &QueryOutcome| {
        let want = o.expected.as_deref()?;
        o.ranked.iter().position(|id| id == want).map(|p| p + 1)
    };
    let at = |k: usize| in_scope.iter().filter(|o| rank_of(o).is_some_and(|r| r <= k)).count();
    let mrr = if in_scope.is_empty() {
        0.0
    } else {
        in_scope.iter().filter_map(|o| rank_of(o)).map(|r| 1.0 / r as f64).sum::<f64>()
            / in_scope.len() as f64
    };
    let (mut correct, mut wrong, mut handed) = (0, 0, 0);
    for o in &in_scope {
        match decision(o, threshold) {
            Some(id) if Some(id) == o.expected.as_deref() => correct += 1,
            Some(_) => wrong += 1,
            None => handed += 1,
        }
    }
    let oos_handed = oos.iter().filter(|o| decision(o, threshold).is_none()).count();
    RetrievalReport {
        queries: outcomes.len(),
        in_scope: in_scope.len(),
        out_of_scope: oos.len(),
        recall_at1: share(at(1), in_scope.len()),
        recall_at5: share(at(5), in_scope.len()),
        mrr,
        threshold,
        answered_correct: share(correct, in_scope.len()),
        answered_wrong: share(wrong, in_scope.len()),
        handed_off: share(handed, in_scope.len()),
        oos_handed_off: (!oos.is_empty()).then(|| share(oos_handed, oos.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(expected: Option<&str>, ranked: &[(&str, f32)]) -> QueryOutcome {
        QueryOutcome {
            expected: expected.map(str::to_owned),
            ranked: ranked.iter().map(|(id, _)| (*id).to_owned()).collect(),
            confidence: ranked.first().map_or(0.0, |(_, s)| *s),
        }
    }

    #[test]
    fn figures_follow_their_definitions() {
        let outcomes = vec![
            outcome(Some("a"), &[("a", 0.9), ("b", 0.5)]), // right, answered
            outcome(Some("a"), &[("b", 0.8), ("a", 0.7)]), // rank 2, answered wrong
            outcome(Some("c"), &[("c", 0.5)]),             // right but below threshold
            outcome(Some("d"), &[("a", 0.4)]),             // missing, handed off
            outcome(None, &[("a", 0.9)]),                  // out of scope, answered
            outcome(None, &[("a", 0.2)]),                  // out of scope, handed off
        ];
        let r = report(&outcomes, 0.6);
        assert_eq!((r.queries, r.in_scope, r.out_of_scope), (6, 4, 2));
        assert_eq!(r.recall_at1, 0.5);
        assert_eq!(r.recall_at5, 0.75);
        assert!((r.mrr - (1.0 + 0.5 + 1.0) / 4.0).abs() < 1e-12);
        assert_eq!((r.answered_correct, r.answered_wrong, r.handed_off), (0.25, 0.25, 0.5));
        assert_eq!(r.oos_handed_off, Some(0.5));
    }
}
