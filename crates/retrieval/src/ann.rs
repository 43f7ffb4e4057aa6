//! The approximate vector path: an HNSW graph (USearch) over the live rows of a `VectorStore`,
//! keyed by entry slot.
//!
//! A removed entry becomes a tombstone in the graph: USearch never returns it but keeps it as a
//! waypoint, and later reuses its node for a new vector, relinked from the old node's place.
//! Both wear the graph down, so the owner rebuilds it from the live rows after enough churn.

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread;

use usearch::{Index, IndexOptions, MetricKind, ScalarKind};

use crate::IndexError;
use crate::vectors::VectorStore;

/// Neighbours kept per node (twice that on the bottom layer). 16 is the usual sweet spot for
/// a few hundred dimensions: more costs memory and insert time for little recall.
const CONNECTIVITY: usize = 16;
/// Construction beam width. Measured at 100,000 clustered 384-d vectors (benches/search.rs,
/// text indexing included): 83 s to build with 128, 32 s with 64, recall@50 above 0.99 either
/// way.
const EXPANSION_ADD: usize = 64;
/// Search beam width (USearch widens it to the count asked for). Measured: recall@50 is
/// 0.995 at 96 against exact search, comfortably above the 0.95 floor, at about 0.3 ms.
const EXPANSION_SEARCH: usize = 96;

/// Bounds concurrent graph searches to the per-thread contexts USearch reserved: it fails a
/// search, rather than waiting, when all are taken.
struct Permits {
    free: Mutex<usize>,
    returned: Condvar,
}

struct Permit<'a>(&'a Permits);

impl Permits {
    fn acquire(&self) -> Permit<'_> {
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free == 0 {
            free = self.returned.wait(free).unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        self.0.returned.notify_one();
    }
}

pub(crate) struct Ann {
    graph: Index,
    permits: Permits,
    /// Entries removed since the graph was built.
    tombstones: usize,
}

fn ann_error(error: impl std::fmt::Display) -> IndexError {
    IndexError::Vector(error.to_string())
}

impl Ann {
    /// Builds a graph over every live row of `store`, inserting from all cores.
    pub fn build(store: &VectorStore) -> Result<Self, IndexError> {
        let options = IndexOptions {
            dimensions: store.dimensions(),
            // Inner product on unit vectors is cosine; distance = 1 - cosine.
            metric: MetricKind::IP,
            quantization: ScalarKind::F32,
            connectivity: CONNECTIVITY,
            expansion_add: EXPANSION_ADD,
            expansion_search: EXPANSION_SEARCH,
            multi: false,
        };
        let graph = Index::new(&options).map_err(ann_error)?;
        let threads = thread::available_parallelism().map_or(2, |n| n.get());
        // Searches come from the server's worker threads, possibly more than there are cores.
        let contexts = (threads * 2).max(4);
        let rows: Vec<usize> = (0..store.rows()).filter(|&r| store.is_alive(r)).collect();
        graph.reserve_capacity_and_threads(rows.len().max(1024), contexts).map_err(ann_error)?;
        let failed = thread::scope(|scope| {
            let workers: Vec<_> = rows
                .chunks(rows.len().div_ceil(threads).max(1))
                .map(|chunk| {
                    let graph = &graph;
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|&row| graph.add(store.slot(row), store.row(row)))
                            .find_map(Result::err)
                    })
                })
                .collect();
            workers.into_iter().find_map(|w| w.join().expect("an insert thread panicked"))
        });
        if let Some(error) = failed {
            return Err(ann_error(error));
        }
        Ok(Self {
            graph,
            permits: Permits { free: Mutex::new(contexts), returned: Condvar::new() },
            tombstones: 0,
        })
    }

    /// Adds one entry's unit vector.
    pub fn add(&mut self, slot: u64, unit: &[f32]) -> Result<(), IndexError> {
        let size = self.graph.size();
        if size + 1 > self.graph.capacity() {
            // Doubling keeps the amortised cost of growth constant per insert.
            self.graph.reserve(size * 2).map_err(ann_error)?;
        }
        self.graph.add(slot, unit).map_err(ann_error)
    }

    pub fn remove(&mut self, slot: u64) -> Result<(), IndexError> {
        let removed = self.graph.remove(slot).map_err(ann_error)?;
        self.tombstones += removed;
        Ok(())
    }

    /// Whether removals since the build reach a quarter of the graph: time to rebuild.
    pub fn worn(&self) -> bool {
        self.tombstones * 4 >= self.graph.size() + self.tombstones
    }

    /// Approximate top-`n` slots for the unit vector `query`, best first, with their cosine as
    /// the graph computed it.
    pub fn top_n(&self, query: &[f32], n: usize) -> Result<Vec<(u64, f32)>, IndexError> {
        let _permit = self.permits.acquire();
        let found = self.graph.search(query, n).map_err(ann_error)?;
        Ok(found
            .keys
            .into_iter()
            .zip(found.distances)
            .map(|(slot, distance)| (slot, 1.0 - distance))
            .collect())
    }

    #[cfg(test)]
    pub fn tombstones(&self) -> usize {
        self.tombstones
    }

    pub fn approx_bytes(&self) -> usize {
        self.graph.memory_usage()
    }
}
