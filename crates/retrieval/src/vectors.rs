//! Unit vectors in one contiguous row-major matrix, with tombstones and exact top-n search.
//!
//! Rows are append-only so that a row number stays a stable id for the approximate index
//! built over them; a removed row is only marked dead until `compact` rewrites the matrix.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::IndexError;

/// Lanes summed independently in `dot`: four 256-bit registers of f32, enough independent
/// accumulators to hide the add latency, and a fixed width the compiler turns into SIMD.
const LANES: usize = 32;

/// Dot product written so that it auto-vectorises: fixed-width chunks into independent
/// accumulators (a single running sum would serialise on float-add latency, since the
/// compiler may not reassociate float additions on its own).
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let mut acc = [0.0f32; LANES];
    let chunks_a = a.chunks_exact(LANES);
    let chunks_b = b.chunks_exact(LANES);
    let tail: f32 = chunks_a.remainder().iter().zip(chunks_b.remainder()).map(|(x, y)| x * y).sum();
    for (ca, cb) in chunks_a.zip(chunks_b) {
        for i in 0..LANES {
            acc[i] += ca[i] * cb[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Checks a vector's length and scales it to unit length, so that cosine is a plain dot product.
pub(crate) fn normalised(vector: &[f32], dimensions: usize) -> Result<Vec<f32>, IndexError> {
    if vector.len() != dimensions {
        return Err(IndexError::Dimensions { expected: dimensions, got: vector.len() });
    }
    if vector.iter().any(|x| !x.is_finite()) {
        return Err(IndexError::InvalidVector("a component is not finite"));
    }
    let norm = dot(vector, vector).sqrt();
    if norm <= f32::MIN_POSITIVE || !norm.is_finite() {
        return Err(IndexError::InvalidVector("the vector has no length"));
    }
    Ok(vector.iter().map(|x| x / norm).collect())
}

/// A candidate ordered by score, for a bounded min-heap of the best `n`.
#[derive(Clone, Copy)]
pub(crate) struct Scored {
    pub score: f32,
    pub row: u32,
}

impl PartialEq for Scored {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Scored {}
impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scored {
    /// Reversed so that `BinaryHeap` (a max-heap) keeps the worst candidate on top; a lower row
    /// wins a tie, so results are deterministic.
    fn cmp(&self, other: &Self) -> Ordering {
        other.score.total_cmp(&self.score).then(self.row.cmp(&other.row))
    }
}

pub(crate) struct VectorStore {
    dimensions: usize,
    /// `rows × dimensions` unit vectors.
    matrix: Vec<f32>,
    /// The entry slot each row belongs to.
    row_slot: Vec<u64>,
    alive: Vec<bool>,
    dead: usize,
}

impl VectorStore {
    pub fn new(dimensions: usize) -> Self {
        Self { dimensions, matrix: Vec::new(), row_slot: Vec::new(), alive: Vec::new(), dead: 0 }
    }

    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// Changes the width of the vectors the store holds; only possible while it holds no row,
    /// so that an index created before any vector was known takes the width of the first.
    pub fn set_dimensions(&mut self, dimensions: usize) -> bool {
        if self.row_slot.is_empty() {
            self.dimensions = dimensions;
            self.matrix.clear();
        }
        self.dimensions == dimensions
    }

    /// Rows ever pushed since the last compaction, dead ones included.
    pub fn rows(&self) -> usize {
        self.row_slot.len()
    }

    pub fn live(&self) -> usize {
        self.rows() - self.dead
    }

    pub fn dead(&self) -> usize {
        self.dead
    }

    pub fn is_alive(&self, row: usize) -> bool {
        self.alive.get(row).copied().unwrap_or(false)
    }

    pub fn row(&self, row: usize) -> &[f32] {
        &self.matrix[row * self.dimensions..(row + 1) * self.dimensions]
    }

    pub fn slot(&self, row: usize) -> u64 {
        self.row_slot[row]
    }

    /// Makes room for `additional` more rows. Grows by an eighth rather than doubling: at
    /// 100,000 rows of 384-d a doubling would leave 150 MB of spare capacity; an eighth still
    /// amortises the copies. A bulk load into an empty store allocates exactly once.
    pub fn reserve(&mut self, additional: usize) {
        let rows = self.row_slot.len();
        if self.row_slot.capacity() - rows >= additional {
            return;
        }
        let grow = additional.max(rows / 8);
        self.matrix.reserve_exact(grow * self.dimensions);
        self.row_slot.reserve_exact(grow);
        self.alive.reserve_exact(grow);
    }

    /// Appends an already normalised vector and returns its row.
    pub fn push(&mut self, slot: u64, unit: &[f32]) -> u32 {
        debug_assert_eq!(unit.len(), self.dimensions);
        let row = u32::try_from(self.row_slot.len()).expect("fewer than 2^32 vectors per index");
        self.matrix.extend_from_slice(unit);
        self.row_slot.push(slot);
        self.alive.push(true);
        row
    }

    pub fn kill(&mut self, row: u32) {
        if let Some(alive) = self.alive.get_mut(row as usize)
            && *alive
        {
            *alive = false;
            self.dead += 1;
        }
    }

    /// Rewrites the matrix without its dead rows; returns `(slot, new row)` for every live row so
    /// the caller can repoint its entries.
    pub fn compact(&mut self) -> Vec<(u64, u32)> {
        let d = self.dimensions;
        let mut moved = Vec::with_capacity(self.live());
        let mut write = 0usize;
        for read in 0..self.rows() {
            if !self.alive[read] {
                continue;
            }
            if read != write {
                self.matrix.copy_within(read * d..(read + 1) * d, write * d);
                self.row_slot[write] = self.row_slot[read];
            }
            moved.push((self.row_slot[write], write as u32));
            write += 1;
        }
        self.matrix.truncate(write * d);
        self.matrix.shrink_to_fit();
        self.row_slot.truncate(write);
        self.row_slot.shrink_to_fit();
        self.alive = vec![true; write];
        self.dead = 0;
        moved
    }

    /// Exact top-`n` live rows by cosine with the unit vector `query`, best first.
    pub fn top_n(&self, query: &[f32], n: usize) -> Vec<Scored> {
        if n == 0 {
            return Vec::new();
        }
        let mut heap = BinaryHeap::with_capacity(n + 1);
        for (row, vector) in self.matrix.chunks_exact(self.dimensions).enumerate() {
            if !self.alive[row] {
                continue;
            }
            let candidate = Scored { score: dot(query, vector), row: row as u32 };
            if heap.len() < n {
                heap.push(candidate);
            } else if let Some(worst) = heap.peek()
                && candidate < *worst
            {
                heap.pop();
                heap.push(candidate);
            }
        }
        // Ascending in the reversed order is best first.
        heap.into_sorted_vec()
    }

    pub fn approx_bytes(&self) -> usize {
        self.matrix.capacity() * size_of::<f32>()
            + self.row_slot.capacity() * size_of::<u64>()
            + self.alive.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_matches_naive_sum_for_every_tail_length() {
        for len in [0, 1, 31, 32, 33, 100, 384] {
            let a: Vec<f32> = (0..len).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..len).map(|i| (i as f32 * 0.11).cos()).collect();
            let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - naive).abs() < 1e-4, "len {len}");
        }
    }

    #[test]
    fn normalised_rejects_bad_vectors() {
        assert!(matches!(
            normalised(&[1.0, 0.0], 3),
            Err(IndexError::Dimensions { expected: 3, got: 2 })
        ));
        assert!(normalised(&[0.0, 0.0], 2).is_err());
        assert!(normalised(&[f32::NAN, 1.0], 2).is_err());
        let unit = normalised(&[3.0, 4.0], 2).unwrap();
        assert!((unit[0] - 0.6).abs() < 1e-6 && (unit[1] - 0.8).abs() < 1e-6);
    }

    #[test]
    fn top_n_skips_dead_rows_and_survives_compaction() {
        let mut store = VectorStore::new(2);
        let a = store.push(10, &[1.0, 0.0]);
        let b = store.push(11, &normalised(&[1.0, 0.1], 2).unwrap());
        store.push(12, &[0.0, 1.0]);
        let best = store.top_n(&[1.0, 0.0], 2);
        assert_eq!(best.iter().map(|s| s.row).collect::<Vec<_>>(), [a, b]);

        store.kill(a);
        store.kill(a);
        assert_eq!((store.live(), store.dead()), (2, 1));
        let best = store.top_n(&[1.0, 0.0], 5);
        assert_eq!(best.iter().map(|s| store.slot(s.row as usize)).collect::<Vec<_>>(), [11, 12]);

        let moved = store.compact();
        assert_eq!(moved, [(11, 0), (12, 1)]);
        assert_eq!((store.rows(), store.dead()), (2, 0));
        assert_eq!(store.top_n(&[0.0, 1.0], 1)[0].row, 1);
    }
}
