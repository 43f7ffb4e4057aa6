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

/// Per-label figures of a classification run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassFigures {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// What `switchboard eval classification` prints: shares from 0 to 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassificationReport {
    pub examples: usize,
    /// Share of test examples given their label (an out-of-scope decision counts as the
    /// out-of-scope label).
    pub accuracy: f64,
    /// Mean F1 over the labels present in the test set.
    pub macro_f1: f64,
    pub per_class: std::collections::BTreeMap<String, ClassFigures>,
    /// With an out-of-scope label: share of out-of-scope examples recognised as such.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oos_recall: Option<f64>,
    /// With an out-of-scope label: share of in-scope examples given their right label
    /// (and not declared out of scope).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_scope_accuracy: Option<f64>,
}

/// `gold` and `predicted` labels side by side; when `oos_label` is given, a prediction
/// should already be that label wherever the classifier declared the request out of scope.
pub fn classification_report(
    gold: &[String],
    predicted: &[String],
    oos_label: Option<&str>,
) -> ClassificationReport {
    use std::collections::BTreeMap;
    let n = gold.len().min(predicted.len());
    let share = |k: usize, of: usize| if of == 0 { 0.0 } else { k as f64 / of as f64 };
    let mut tp: BTreeMap<&str, usize> = BTreeMap::new();
    let mut fp: BTreeMap<&str, usize> = BTreeMap::new();
    let mut support: BTreeMap<&str, usize> = BTreeMap::new();
    let mut correct = 0;
    for (g, p) in gold.iter().zip(predicted).take(n) {
        *support.entry(g).or_default() += 1;
        if g == p {
            correct += 1;
            *tp.entry(g).or_default() += 1;
        } else {
            *fp.entry(p).or_default() += 1;
        }
    }
    let per_class: BTreeMap<String, ClassFigures> = support
        .iter()
        .map(|(&label, &support)| {
            let t = tp.get(label).copied().unwrap_or(0);
            let f = fp.get(label).copied().unwrap_or(0);
            let precision = share(t, t + f);
            let recall = share(t, support);
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            (label.to_owned(), ClassFigures { precision, recall, f1, support })
        })
        .collect();
    let macro_f1 = if per_class.is_empty() {
        0.0
    } else {
        per_class.values().map(|c| c.f1).sum::<f64>() / per_class.len() as f64
    };
    let (oos_recall, in_scope_accuracy) = match oos_label {
        Some(oos) => {
            let pairs = || gold.iter().zip(predicted).take(n);
            let oos_n = pairs().filter(|(g, _)| *g == oos).count();
            let oos_hit = pairs().filter(|(g, p)| *g == oos && *p == oos).count();
            let in_n = n - oos_n;
            let in_hit = pairs().filter(|(g, p)| *g != oos && g == p).count();
            (Some(share(oos_hit, oos_n)), Some(share(in_hit, in_n)))
        }
        None => (None, None),
    };
    ClassificationReport {
        examples: n,
        accuracy: share(correct, n),
        macro_f1,
        per_class,
        oos_recall,
        in_scope_accuracy,
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

    #[test]
    fn classification_figures_follow_their_definitions() {
        let v = |xs: &[&str]| xs.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let gold = v(&["a", "a", "b", "b", "oos", "oos"]);
        let predicted = v(&["a", "b", "b", "oos", "oos", "a"]);
        let r = classification_report(&gold, &predicted, Some("oos"));
        assert_eq!(r.accuracy, 0.5);
        assert_eq!(r.oos_recall, Some(0.5));
        assert_eq!(r.in_scope_accuracy, Some(0.5));
        // a: precision 1/2 (one "a" was oos), recall 1/2; b: 1/2, 1/2; oos: 1/2, 1/2.
        assert!((r.per_class["a"].f1 - 0.5).abs() < 1e-12);
        assert!((r.macro_f1 - 0.5).abs() < 1e-12);
        assert_eq!(r.per_class["b"].support, 2);
        let plain = classification_report(&gold[..4], &predicted[..4], None);
        assert_eq!((plain.accuracy, plain.oos_recall), (0.5, None));
    }
}
