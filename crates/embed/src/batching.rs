//! Grouping inputs into forward passes.
//!
//! Every row of a batch is padded to the batch's longest input, and the work of a pass grows
//! with rows × padded length, so inputs are sorted by token count and cut into batches that hold
//! at most a fixed number of (padded) tokens. Neighbours in sorted order have nearly equal
//! lengths, so little work is spent on padding, and short texts go in large batches where long
//! ones go in small ones, which keeps the size of each pass (and its memory) about constant.

/// One forward pass over some of the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Batch {
    /// Positions in the caller's input, longest input first.
    pub indices: Vec<usize>,
    /// Token count every row is padded to: the length of the first (longest) input.
    pub seq_len: usize,
}

/// Cuts the inputs, whose token counts are `lengths`, into batches of at most `token_budget`
/// padded tokens and at most `max_rows` rows. An input longer than the budget gets a batch of
/// its own. Ties keep input order, so the plan is deterministic.
pub(crate) fn plan(lengths: &[usize], token_budget: usize, max_rows: usize) -> Vec<Batch> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    // Stable sort: equal lengths stay in input order.
    order.sort_by_key(|&i| std::cmp::Reverse(lengths[i]));

    let mut batches = Vec::new();
    let mut rest = order.as_slice();
    while let Some(&first) = rest.first() {
        let seq_len = lengths[first].max(1);
        let rows = (token_budget / seq_len).clamp(1, max_rows.max(1)).min(rest.len());
        let (taken, left) = rest.split_at(rows);
        batches.push(Batch { indices: taken.to_vec(), seq_len: lengths[first] });
        rest = left;
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_input_gives_no_batches() {
        assert!(plan(&[], 1000, 10).is_empty());
    }

    #[test]
    fn every_input_appears_exactly_once() {
        let lengths: Vec<usize> = (0..500).map(|i| (i * 37) % 120 + 2).collect();
        let batches = plan(&lengths, 512, 64);
        let mut seen: Vec<usize> = batches.iter().flat_map(|b| b.indices.clone()).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..500).collect::<Vec<_>>());
    }

    #[test]
    fn batches_respect_budget_rows_and_padding_length() {
        let lengths: Vec<usize> = (0..300).map(|i| (i * 53) % 200 + 3).collect();
        for b in plan(&lengths, 1024, 32) {
            assert!(b.indices.len() <= 32);
            assert!(b.indices.len() * b.seq_len <= 1024 || b.indices.len() == 1);
            assert_eq!(b.seq_len, lengths[b.indices[0]]);
            // Longest first, so seq_len bounds every row.
            assert!(b.indices.windows(2).all(|w| lengths[w[0]] >= lengths[w[1]]));
        }
    }

    #[test]
    fn short_inputs_share_big_batches_and_long_ones_small() {
        let mut lengths = vec![8; 100];
        lengths.extend([250; 4]);
        let batches = plan(&lengths, 512, 64);
        // 4 × 250 tokens exceed 512, so the long inputs come two to a batch, first.
        assert_eq!(batches[0].indices, vec![100, 101]);
        assert_eq!(batches[1].indices, vec![102, 103]);
        assert_eq!(batches[2].indices.len(), 64);
        assert_eq!(batches[3].indices.len(), 36);
    }

    #[test]
    fn an_input_over_the_budget_gets_its_own_batch() {
        let batches = plan(&[5, 900, 5], 256, 16);
        assert_eq!(batches[0], Batch { indices: vec![1], seq_len: 900 });
        assert_eq!(batches[1], Batch { indices: vec![0, 2], seq_len: 5 });
    }
}
