//! An in-memory hybrid search index for one company: BM25 over text (tantivy, RAM directory)
//! and cosine similarity over unit embeddings, fused by reciprocal rank.
//!
//! The database is the source of truth: this index is rebuilt from it at start-up (`extend`)
//! and kept current with `replace_group` / `remove_group`. It knows nothing of companies,
//! documents or storage; entries are opaque `Uuid` keys in `Uuid` groups (a document, an FAQ).
//!
//! Vector search is exact brute force up to [`APPROXIMATE_FROM`] live vectors and an HNSW
//! graph above it (see `ann.rs`).

mod ann;
mod fusion;
mod lexical;
mod vectors;

use std::collections::HashMap;

use uuid::Uuid;

use crate::ann::Ann;
use crate::lexical::{Lexical, LexicalDoc};
use crate::vectors::{VectorStore, normalised};

/// Live vectors from which the vector path switches from exact brute force to the HNSW graph
/// (and back below half of it). Measured with benches/search.rs (384-d): exact search costs
/// about 0.05 ms per 1,000 vectors (0.47 ms at 10,000, 5.7 ms at 100,000) while the graph
/// answers in about 0.3 ms at 100,000 but costs seconds to build; at 20,000 exact search is
/// still near 1 ms and the graph is not yet worth its build time and memory.
pub const APPROXIMATE_FROM: usize = 20_000;
/// Candidates each path recalls at the least, whatever the query asks.
pub const MIN_CANDIDATES: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Uuid,
    pub group: Uuid,
    pub text: String,
    pub vector: Option<Vec<f32>>,
}

#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    pub text: &'a str,
    pub vector: Option<&'a [f32]>,
    /// Candidates each path recalls before fusion; at least 50.
    pub candidates: usize,
    /// Hits returned after fusion.
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub key: Uuid,
    pub group: Uuid,
    /// Reciprocal-rank fusion, normalised to 0..=1 (1 = first on both paths), k = 60. The
    /// divisor counts only the paths this query could use (text with at least one searchable
    /// term; a vector while the index holds any), so a lexical-only query's best hit is 1 too.
    pub fused: f32,
    /// 1-based rank on the BM25 path, None if not recalled there.
    pub lexical_rank: Option<u32>,
    /// 1-based rank on the cosine path, None if not recalled there.
    pub vector_rank: Option<u32>,
    pub bm25: Option<f32>,
    pub cosine: Option<f32>,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    #[error("vector has {got} dimensions but the index holds {expected}")]
    Dimensions { expected: usize, got: usize },
    #[error("invalid vector: {0}")]
    InvalidVector(&'static str),
    #[error("entry {key} belongs to group {found}, not to the group {expected} being replaced")]
    GroupMismatch { key: Uuid, expected: Uuid, found: Uuid },
    #[error("text index: {0}")]
    Lexical(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("vector index: {0}")]
    Vector(String),
}

impl From<tantivy::TantivyError> for IndexError {
    fn from(error: tantivy::TantivyError) -> Self {
        Self::Lexical(Box::new(error))
    }
}

/// What the index keeps per entry; the text lives only in tantivy's postings.
struct Slot {
    key: Uuid,
    group: Uuid,
    row: Option<u32>,
}

pub struct HybridIndex {
    lexical: Lexical,
    vectors: VectorStore,
    ann: Option<Ann>,
    approximate_from: usize,
    /// By slot: an internal id, never reused, shared by tantivy (a fast field) and the vector
    /// rows. Never reusing it means a stale lexical hit can only miss, never alias.
    slots: HashMap<u64, Slot>,
    groups: HashMap<Uuid, Vec<u64>>,
    next_slot: u64,
}

/// An entry checked and ready to insert.
struct Prepared {
    slot: u64,
    entry: Entry,
    unit: Option<Vec<f32>>,
}

impl HybridIndex {
    pub fn new(dimensions: usize) -> Self {
        Self::with_threshold(dimensions, APPROXIMATE_FROM)
    }

    pub(crate) fn with_threshold(dimensions: usize, approximate_from: usize) -> Self {
        Self {
            // Creating an empty schema in RAM only fails on a tantivy bug.
            lexical: Lexical::new().expect("an empty in-RAM tantivy index can be created"),
            vectors: VectorStore::new(dimensions),
            ann: None,
            approximate_from,
            slots: HashMap::new(),
            groups: HashMap::new(),
            next_slot: 0,
        }
    }

    /// Replaces every entry of `group` (a document, an FAQ) with `entries` (which all carry that group).
    pub fn replace_group(&mut self, group: Uuid, entries: Vec<Entry>) -> Result<(), IndexError> {
        if let Some(stray) = entries.iter().find(|e| e.group != group) {
            return Err(IndexError::GroupMismatch {
                key: stray.key,
                expected: group,
                found: stray.group,
            });
        }
        let prepared = self.prepare(entries)?;
        self.lexical.apply(&[group], &lexical_docs(&prepared))?;
        self.forget_group(group);
        self.insert(prepared);
        self.maintain_vectors();
        Ok(())
    }

    pub fn remove_group(&mut self, group: Uuid) -> Result<(), IndexError> {
        if !self.groups.contains_key(&group) {
            return Ok(());
        }
        self.lexical.apply(&[group], &[])?;
        self.forget_group(group);
        self.maintain_vectors();
        Ok(())
    }

    /// Bulk load, much faster than many replace_group calls (one commit).
    /// Entries are added to whatever their groups already hold.
    pub fn extend(&mut self, entries: Vec<Entry>) -> Result<(), IndexError> {
        if entries.is_empty() {
            return Ok(());
        }
        let prepared = self.prepare(entries)?;
        self.lexical.apply(&[], &lexical_docs(&prepared))?;
        self.insert(prepared);
        self.maintain_vectors();
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn search(&self, query: &Query<'_>) -> Result<Vec<Hit>, IndexError> {
        // An index that holds no vector (a new company, every document deleted, a lexical-only
        // load) answers a vector query from its text alone: there is nothing to compare with,
        // and the width of its vectors is not known yet.
        let unit = match query.vector {
            Some(v) if self.vectors.live() > 0 => Some(normalised(v, self.vectors.dimensions())?),
            _ => None,
        };
        if query.limit == 0 {
            return Ok(Vec::new());
        }
        let n = query.candidates.max(MIN_CANDIDATES).max(query.limit);
        let lexical = self.lexical.search(query.text, n)?;
        let vector = match &unit {
            Some(unit) if self.vectors.live() > 0 => Some(self.vector_top_n(unit, n)?),
            _ => None,
        };
        let active = usize::from(lexical.is_some()) + usize::from(vector.is_some());
        let fused = fusion::fuse(
            lexical.as_deref().unwrap_or_default(),
            vector.as_deref().unwrap_or_default(),
            active,
            |slot| self.slots.get(&slot).map(|s| s.key),
        );
        Ok(fused
            .into_iter()
            .filter_map(|f| {
                let slot = self.slots.get(&f.slot)?;
                Some(Hit {
                    key: slot.key,
                    group: slot.group,
                    fused: f.fused,
                    lexical_rank: f.lexical_rank,
                    vector_rank: f.vector_rank,
                    bm25: f.bm25,
                    cosine: f.cosine,
                })
            })
            .take(query.limit)
            .collect())
    }

    /// Exact brute-force cosine top-n (the baseline the approximate path is measured against).
    /// A vector of the wrong length, or without direction, matches nothing.
    pub fn exact_vector_search(&self, vector: &[f32], n: usize) -> Vec<(Uuid, f32)> {
        let Ok(unit) = normalised(vector, self.vectors.dimensions()) else {
            return Vec::new();
        };
        self.vectors
            .top_n(&unit, n)
            .into_iter()
            .filter_map(|s| {
                let slot = self.slots.get(&self.vectors.slot(s.row as usize))?;
                Some((slot.key, s.score))
            })
            .collect()
    }

    /// Rough heap bytes held, for the benchmark report.
    pub fn approx_bytes(&self) -> usize {
        let per_slot = size_of::<(u64, Slot)>() + 8; // plus hashbrown's control bytes, rounded up
        let per_group = size_of::<(Uuid, Vec<u64>)>() + 8;
        let group_lists: usize = self.groups.values().map(|v| v.capacity() * 8).sum();
        self.lexical.approx_bytes()
            + self.vectors.approx_bytes()
            + self.ann.as_ref().map_or(0, Ann::approx_bytes)
            + self.slots.capacity() * per_slot
            + self.groups.capacity() * per_group
            + group_lists
    }

    /// Whether vector queries currently go through the HNSW graph.
    #[cfg(test)]
    pub(crate) fn is_approximate(&self) -> bool {
        self.ann.is_some()
    }

    /// Top-`n` `(slot, cosine)` by vector, best first: exact below the threshold, the graph
    /// above it.
    fn vector_top_n(&self, unit: &[f32], n: usize) -> Result<Vec<(u64, f32)>, IndexError> {
        let Some(ann) = &self.ann else {
            return Ok(self
                .vectors
                .top_n(unit, n)
                .into_iter()
                .map(|s| (self.vectors.slot(s.row as usize), s.score))
                .collect());
        };
        let mut found: Vec<(u64, f32)> = ann
            .top_n(unit, n)?
            .into_iter()
            .filter_map(|(slot, _)| {
                let row = self.slots.get(&slot)?.row?;
                // Recomputed so that both paths report the same cosine, bit for bit.
                Some((slot, vectors::dot(unit, self.vectors.row(row as usize))))
            })
            .collect();
        found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(found)
    }

    /// Checks and normalises every vector before anything is changed, so a bad entry leaves
    /// the index as it was.
    fn prepare(&mut self, entries: Vec<Entry>) -> Result<Vec<Prepared>, IndexError> {
        // A store with no rows takes the width of the first vector it is given.
        if self.vectors.rows() == 0
            && let Some(first) = entries.iter().find_map(|e| e.vector.as_ref())
        {
            self.vectors.set_dimensions(first.len());
        }
        let dimensions = self.vectors.dimensions();
        let mut prepared = Vec::with_capacity(entries.len());
        for entry in entries {
            let unit = entry.vector.as_deref().map(|v| normalised(v, dimensions)).transpose()?;
            prepared.push(Prepared { slot: 0, entry, unit });
        }
        for p in &mut prepared {
            p.slot = self.next_slot;
            self.next_slot += 1;
        }
        Ok(prepared)
    }

    fn insert(&mut self, prepared: Vec<Prepared>) {
        self.vectors.reserve(prepared.iter().filter(|p| p.unit.is_some()).count());
        for Prepared { slot, entry, unit } in prepared {
            if let (Some(ann), Some(unit)) = (&mut self.ann, &unit)
                && ann.add(slot, unit).is_err()
            {
                // Only allocation failure gets here; the exact path stays correct meanwhile.
                self.ann = None;
            }
            let row = unit.map(|unit| self.vectors.push(slot, &unit));
            self.groups.entry(entry.group).or_default().push(slot);
            self.slots.insert(slot, Slot { key: entry.key, group: entry.group, row });
        }
    }

    fn forget_group(&mut self, group: Uuid) {
        for slot in self.groups.remove(&group).unwrap_or_default() {
            if let Some(Slot { row: Some(row), .. }) = self.slots.remove(&slot) {
                self.vectors.kill(row);
                if let Some(ann) = &mut self.ann
                    && ann.remove(slot).is_err()
                {
                    self.ann = None;
                }
            }
        }
    }

    /// Keeps the vector side healthy after a mutation: compacts the matrix once a quarter of
    /// it is dead rows, rebuilds the graph once a quarter of it is tombstones, switches to the
    /// graph at `approximate_from` live vectors and back to brute force below half of that (the
    /// gap stops a company hovering at the threshold from rebuilding on every edit).
    ///
    /// A graph that cannot be built (allocation failure) leaves the exact path in charge rather
    /// than failing a mutation that has already been applied; the next mutation tries again.
    fn maintain_vectors(&mut self) {
        if self.vectors.dead() > 0 && self.vectors.dead() * 4 >= self.vectors.rows() {
            for (slot, row) in self.vectors.compact() {
                if let Some(entry) = self.slots.get_mut(&slot) {
                    entry.row = Some(row);
                }
            }
        }
        let live = self.vectors.live();
        let rebuild = match &self.ann {
            _ if live < self.approximate_from / 2 => false,
            Some(ann) => ann.worn(),
            None => live >= self.approximate_from,
        };
        if live < self.approximate_from / 2 || rebuild {
            self.ann = None;
        }
        if rebuild {
            self.ann = Ann::build(&self.vectors).ok();
        }
    }
}

fn lexical_docs(prepared: &[Prepared]) -> Vec<LexicalDoc<'_>> {
    prepared
        .iter()
        .map(|p| LexicalDoc { slot: p.slot, group: p.entry.group, text: &p.entry.text })
        .collect()
}

#[cfg(test)]
mod tests;
