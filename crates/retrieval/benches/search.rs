//! Hybrid index benchmark: build time, hybrid search latency, the exact brute-force baseline,
//! recall@50 of the vector path against exact, and memory, at 1,000 / 10,000 / 100,000 entries.
//!
//! Texts are assembled from the words of real customer requests (BANKING77's train split, from
//! ../shared/data beside the repository when present; a built-in list otherwise), drawn by
//! their frequency there. Vectors are 384-d and clustered around 300 random centroids, since
//! real sentence embeddings are clustered, not uniform. Query texts are real requests.
//!
//! `cargo bench -p switchboard-retrieval`; `BENCH_SIZES=1000,10000` to pick sizes.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use switchboard_retrieval::{APPROXIMATE_FROM, Entry, HybridIndex, Query};
use uuid::Uuid;

const DIMENSIONS: usize = 384;
const CENTROIDS: usize = 300;
/// Per-component noise around a centroid: a point's cosine to its centroid is about 0.75 and
/// two points of one cluster about 0.55, close to what a sentence encoder gives paraphrases.
const NOISE: f32 = 0.045;
const ENTRIES_PER_GROUP: usize = 5;
const QUERIES: usize = 1_000;
const RECALL_AT: usize = 50;

const FALLBACK_WORDS: &str = "card arrived account balance transfer money refund payment pending \
declined cash withdrawal atm fee charged twice exchange rate currency top up verify identity \
pin blocked unblock lost stolen phone app password change address delivery order cancel \
subscription statement interest loan mortgage savings direct debit transaction failed wrong \
amount help please why still waiting how long does it take can i my the a to is not was have";

fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    let corpus = Corpus::load();
    let mut rng = StdRng::seed_from_u64(77);
    let centroids: Vec<Vec<f32>> = (0..CENTROIDS).map(|_| unit(gaussian(&mut rng, 1.0))).collect();

    println!("corpus: {}", corpus.source);
    println!(
        "vectors: {DIMENSIONS}-d, {CENTROIDS} centroids, noise {NOISE}/component; \
         exact below {APPROXIMATE_FROM} live vectors, HNSW above"
    );
    println!("fixed cost of a small index: {}", fixed_cost());
    println!();
    println!(
        "| entries | build | hybrid p50 | hybrid p99 | lexical p50 / p99 | vector p50 / p99 | \
         exact p50 | exact p99 | recall@{RECALL_AT} | replace_group | approx_bytes | RSS growth |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        let rss_before = rss_bytes();
        let entries: Vec<Entry> = (0..n)
            .map(|i| Entry {
                key: Uuid::from_u128(i as u128),
                group: Uuid::from_u128((i / ENTRIES_PER_GROUP) as u128 + (1 << 64)),
                text: corpus.passage(&mut rng),
                vector: Some(around(&mut rng, &centroids)),
            })
            .collect();
        let queries: Vec<(String, Vec<f32>)> = (0..QUERIES)
            .map(|_| (corpus.request(&mut rng).to_owned(), around(&mut rng, &centroids)))
            .collect();

        let mut index = HybridIndex::new(DIMENSIONS);
        let started = Instant::now();
        index.extend(entries).expect("bulk load");
        let build = started.elapsed();

        let hybrid = timed(&queries, |(text, vector)| {
            let hits = index
                .search(&Query { text, vector: Some(vector), candidates: 50, limit: 10 })
                .expect("search");
            std::hint::black_box(hits);
        });
        let lexical = timed(&queries, |(text, _)| {
            let query = Query { text, vector: None, candidates: 50, limit: 10 };
            std::hint::black_box(index.search(&query).expect("search"));
        });
        let vector = timed(&queries, |(_, vector)| {
            let query = Query { text: "", vector: Some(vector), candidates: 50, limit: 10 };
            std::hint::black_box(index.search(&query).expect("search"));
        });
        let exact = timed(&queries, |(_, vector)| {
            std::hint::black_box(index.exact_vector_search(vector, RECALL_AT));
        });
        let recall = recall(&index, &queries);
        let replace = replace_latency(&mut index, &mut rng, &corpus, &centroids, n);

        println!(
            "| {n} | {:.2} s | {} | {} | {} / {} | {} / {} | {} | {} | {recall:.4} | {} | {:.1} MB | {:.1} MB |",
            build.as_secs_f64(),
            ms(hybrid.0),
            ms(hybrid.1),
            ms(lexical.0),
            ms(lexical.1),
            ms(vector.0),
            ms(vector.1),
            ms(exact.0),
            ms(exact.1),
            ms(replace),
            index.approx_bytes() as f64 / 1e6,
            rss_bytes().saturating_sub(rss_before) as f64 / 1e6,
        );
        drop(index);
    }
}

/// Words of real customer requests with their frequencies, and the requests themselves.
struct Corpus {
    source: String,
    requests: Vec<String>,
    words: Vec<String>,
    /// Running totals of word counts, for frequency-weighted draws.
    cumulative: Vec<u64>,
}

impl Corpus {
    fn load() -> Self {
        let path = std::env::var_os("BANKING77_CSV").map(PathBuf::from).unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data/banking77/train.csv")
        });
        let (source, requests) = match fs::read_to_string(&path) {
            Ok(csv) => {
                let requests: Vec<String> = csv
                    .lines()
                    .skip(1)
                    .filter_map(|line| line.rsplit_once(','))
                    .map(|(text, _category)| text.trim_matches('"').to_owned())
                    .collect();
                (format!("BANKING77 train split, {} requests", requests.len()), requests)
            }
            Err(_) => (
                "built-in word list (BANKING77 not found)".to_owned(),
                FALLBACK_WORDS
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .chunks(6)
                    .map(|c| c.join(" "))
                    .collect(),
            ),
        };
        let mut counts: HashMap<String, u64> = HashMap::new();
        for request in &requests {
            for word in request.split(|c: char| !c.is_alphanumeric() && c != '\'') {
                if !word.is_empty() {
                    *counts.entry(word.to_lowercase()).or_default() += 1;
                }
            }
        }
        let mut words: Vec<(String, u64)> = counts.into_iter().collect();
        words.sort();
        let mut total = 0;
        let cumulative = words
            .iter()
            .map(|(_, c)| {
                total += c;
                total
            })
            .collect();
        Self { source, requests, words: words.into_iter().map(|(w, _)| w).collect(), cumulative }
    }

    /// A chunk-sized passage of 30 to 90 words drawn by frequency.
    fn passage(&self, rng: &mut StdRng) -> String {
        let total = *self.cumulative.last().expect("a non-empty vocabulary");
        let len = rng.random_range(30..90);
        let mut text = String::with_capacity(len * 7);
        for _ in 0..len {
            let pick = rng.random_range(0..total);
            let i = self.cumulative.partition_point(|&c| c <= pick);
            text.push_str(&self.words[i]);
            text.push(' ');
        }
        text
    }

    fn request(&self, rng: &mut StdRng) -> &str {
        &self.requests[rng.random_range(0..self.requests.len())]
    }
}

fn gaussian(rng: &mut StdRng, sigma: f32) -> Vec<f32> {
    // Box-Muller; two normals per pair of uniforms.
    let mut v = Vec::with_capacity(DIMENSIONS);
    while v.len() < DIMENSIONS {
        let u1: f32 = rng.random_range(f32::EPSILON..1.0);
        let u2: f32 = rng.random_range(0.0..1.0);
        let r = (-2.0 * u1.ln()).sqrt() * sigma;
        let theta = std::f32::consts::TAU * u2;
        v.push(r * theta.cos());
        v.push(r * theta.sin());
    }
    v.truncate(DIMENSIONS);
    v
}

fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

fn around(rng: &mut StdRng, centroids: &[Vec<f32>]) -> Vec<f32> {
    let c = &centroids[rng.random_range(0..centroids.len())];
    unit(gaussian(rng, NOISE).iter().zip(c).map(|(n, c)| n + c).collect())
}

/// p50 and p99 of one call per query.
fn timed<Q>(queries: &[Q], mut f: impl FnMut(&Q)) -> (Duration, Duration) {
    let mut times: Vec<Duration> = queries
        .iter()
        .map(|q| {
            let started = Instant::now();
            f(q);
            started.elapsed()
        })
        .collect();
    times.sort();
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    (at(0.50), at(0.99))
}

/// Mean recall@50 of the vector path (a vector-only query) against exact search.
fn recall(index: &HybridIndex, queries: &[(String, Vec<f32>)]) -> f64 {
    let (mut found, mut wanted) = (0, 0);
    for (_, vector) in queries {
        let exact: HashSet<Uuid> =
            index.exact_vector_search(vector, RECALL_AT).into_iter().map(|(key, _)| key).collect();
        let hits = index
            .search(&Query {
                text: "",
                vector: Some(vector),
                candidates: RECALL_AT,
                limit: RECALL_AT,
            })
            .expect("search");
        wanted += exact.len();
        found += hits.iter().filter(|h| exact.contains(&h.key)).count();
    }
    found as f64 / wanted as f64
}

/// Median time to replace one group's entries (a re-ingested document).
fn replace_latency(
    index: &mut HybridIndex,
    rng: &mut StdRng,
    corpus: &Corpus,
    centroids: &[Vec<f32>],
    n: usize,
) -> Duration {
    let mut times: Vec<Duration> = (0..20)
        .map(|round| {
            let group =
                Uuid::from_u128(rng.random_range(0..(n / ENTRIES_PER_GROUP)) as u128 + (1 << 64));
            let entries = (0..ENTRIES_PER_GROUP)
                .map(|i| Entry {
                    key: Uuid::from_u128((1 << 100) + round * 10 + i as u128),
                    group,
                    text: corpus.passage(rng),
                    vector: Some(around(rng, centroids)),
                })
                .collect();
            let started = Instant::now();
            index.replace_group(group, entries).expect("replace");
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Resident memory added per small index (one group of five entries), over 200 indexes: what
/// each idle company costs the process.
fn fixed_cost() -> String {
    let mut rng = StdRng::seed_from_u64(1);
    let before = rss_bytes();
    let indexes: Vec<HybridIndex> = (0..200u128)
        .map(|g| {
            let mut index = HybridIndex::new(DIMENSIONS);
            let entries = (0..5u128)
                .map(|i| Entry {
                    key: Uuid::from_u128(g * 10 + i),
                    group: Uuid::from_u128(g),
                    text: "How long does a card delivery take?".to_owned(),
                    vector: Some(unit(gaussian(&mut rng, 1.0))),
                })
                .collect();
            index.replace_group(Uuid::from_u128(g), entries).expect("replace");
            index
        })
        .collect();
    let per_index = rss_bytes().saturating_sub(before) / indexes.len();
    format!(
        "{:.1} KB RSS per index ({} approx_bytes)",
        per_index as f64 / 1e3,
        indexes[0].approx_bytes()
    )
}

fn rss_bytes() -> usize {
    // Second field of statm is resident pages; Linux pages are 4 KiB here.
    fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}
