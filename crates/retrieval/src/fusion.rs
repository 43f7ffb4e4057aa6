//! Reciprocal-rank fusion of the lexical and vector candidate lists.
//!
//! RRF needs no score calibration between BM25 (unbounded) and cosine (-1..1): each list
//! contributes `1 / (k + rank)`. With k = 60 (Cormack et al. 2009) a document ranked well on
//! one path still beats one ranked middling on both.

use std::cmp::Ordering;
use std::collections::HashMap;

pub(crate) const RRF_K: f32 = 60.0;

/// One candidate's evidence from both paths, keyed by the caller's slot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fused {
    pub slot: u64,
    pub fused: f32,
    pub lexical_rank: Option<u32>,
    pub vector_rank: Option<u32>,
    pub bm25: Option<f32>,
    pub cosine: Option<f32>,
}

/// Fuses two best-first lists of `(slot, score)`. `active_paths` (1 or 2) is how many paths
/// this query could use; the sum is divided by its maximum, `active_paths / (k + 1)`, so 1.0
/// means first on every path that ran. Ties go to the better cosine, then to `tie_key`.
pub(crate) fn fuse<K: Ord>(
    lexical: &[(u64, f32)],
    vector: &[(u64, f32)],
    active_paths: usize,
    tie_key: impl Fn(u64) -> K,
) -> Vec<Fused> {
    let mut by_slot: HashMap<u64, Fused> = HashMap::with_capacity(lexical.len() + vector.len());
    let blank = |slot| Fused {
        slot,
        fused: 0.0,
        lexical_rank: None,
        vector_rank: None,
        bm25: None,
        cosine: None,
    };
    for (i, &(slot, score)) in lexical.iter().enumerate() {
        let entry = by_slot.entry(slot).or_insert_with(|| blank(slot));
        // A slot listed twice keeps its best (first) rank.
        if entry.lexical_rank.is_none() {
            entry.lexical_rank = Some(i as u32 + 1);
            entry.bm25 = Some(score);
        }
    }
    for (i, &(slot, score)) in vector.iter().enumerate() {
        let entry = by_slot.entry(slot).or_insert_with(|| blank(slot));
        if entry.vector_rank.is_none() {
            entry.vector_rank = Some(i as u32 + 1);
            entry.cosine = Some(score);
        }
    }
    let best = active_paths.max(1) as f32 / (RRF_K + 1.0);
    let mut fused: Vec<Fused> = by_slot
        .into_values()
        .map(|mut f| {
            let part = |rank: Option<u32>| rank.map_or(0.0, |r| 1.0 / (RRF_K + r as f32));
            f.fused = ((part(f.lexical_rank) + part(f.vector_rank)) / best).min(1.0);
            f
        })
        .collect();
    fused.sort_by(|a, b| {
        b.fused
            .total_cmp(&a.fused)
            .then_with(|| cmp_cosine(b.cosine, a.cosine))
            .then_with(|| tie_key(a.slot).cmp(&tie_key(b.slot)))
    });
    fused
}

/// Orders cosines with "absent" below any value.
fn cmp_cosine(a: Option<f32>, b: Option<f32>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_on_both_paths_scores_one_and_wins() {
        let lexical = [(1, 9.0), (2, 5.0), (3, 1.0)];
        let vector = [(1, 0.9), (3, 0.8)];
        let fused = fuse(&lexical, &vector, 2, |slot| slot);
        assert_eq!(fused.iter().map(|f| f.slot).collect::<Vec<_>>(), [1, 3, 2]);
        assert_eq!(fused[0].fused, 1.0);
        assert_eq!((fused[0].lexical_rank, fused[0].vector_rank), (Some(1), Some(1)));
        assert_eq!(fused[2].vector_rank, None);
        assert_eq!(fused[2].cosine, None);
        assert_eq!(fused[2].bm25, Some(5.0));
        // Rank 2 on one path only: (1/62) / (2/61).
        assert!((fused[2].fused - 61.0 / 124.0).abs() < 1e-6);
    }

    #[test]
    fn one_path_normalises_to_one() {
        let fused = fuse(&[(7, 3.0), (8, 2.0)], &[], 1, |slot| slot);
        assert_eq!(fused[0].fused, 1.0);
        assert!(fused[1].fused < 1.0);
    }

    #[test]
    fn ties_go_to_better_cosine_then_key() {
        // 5 is first lexically, 6 first by vector: equal fused scores.
        let fused = fuse(&[(5, 2.0)], &[(6, 0.5)], 2, |slot| slot);
        assert_eq!(fused[0].fused, fused[1].fused);
        assert_eq!(fused[0].slot, 6, "a cosine beats none");

        // Mirror-image ranks and the same cosine (duplicate vectors): the key decides.
        let lexical = [(9, 3.0), (4, 2.0)];
        let vector = [(4, 0.8), (9, 0.8)];
        let fused = fuse(&lexical, &vector, 2, |slot| slot);
        assert_eq!(fused[0].fused, fused[1].fused);
        assert_eq!(fused[0].slot, 4);
        let fused = fuse(&lexical, &vector, 2, std::cmp::Reverse);
        assert_eq!(fused[0].slot, 9);
    }
}
