//! Embedding throughput on bench/data/sentences.txt (2,000 real customer requests).
//!
//! `cargo bench -p switchboard-embed`. Needs the model (scripts/fetch-model.sh). Prints
//! sentences per second: one warm-up pass, then the median of three timed passes. Compare with
//! `bench/embed_python.py` (sentence-transformers on the same corpus and weights).
//!
//! It also prints the CPU time the process used per pass: on a machine shared with other work
//! the wall-clock rate moves with their load, while CPU seconds per pass stay steady enough to
//! compare settings.
//!
//! What was tried (2 cores of an AMD EPYC Zen 4, 2,000 sentences, 27,600 word pieces):
//! - Profile: ~60% of the time is gemm's AVX2/FMA kernel, already near the FMA peak
//!   (~95 GFLOP/s per core); the rest is erf for GELU (~10%), softmax exp (~5%) and candle's
//!   element-wise ops. So the forward pass cannot get much cheaper in f32.
//! - Token budget per batch (CPU s per pass): 768 → 16, 1024 → 15.7, 1536 → 14, 2048 → 12.9,
//!   3072/4096 → 13.3. 2048 kept.
//! - gemm's AVX-512 kernels (feature `x86-v4`): ~3% less CPU; not worth the extra dependency.
//! - Two batches at once (two threads, or rayon over batches, with candle's own threading
//!   inside): same or more CPU, no faster. Kept one batch at a time.
//! - `RAYON_NUM_THREADS=1 CANDLE_NUM_THREADS=1` (process-wide, set by whoever runs the binary):
//!   ~10.3 CPU s per pass against ~12.5 with two threads when other processes compete for the
//!   cores (candle's thread pool spins while waiting); on an idle machine two threads cost
//!   ~10.6 CPU s and halve the wall time.

use std::path::Path;
use std::time::Instant;

use switchboard_embed::{LocalEmbedder, Precision, default_model_dir};

const PASSES: usize = 3;

fn main() {
    let corpus_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/data/sentences.txt");
    let corpus = std::fs::read_to_string(&corpus_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", corpus_path.display()));
    let sentences: Vec<&str> = corpus.lines().collect();

    for precision in [Precision::F32, Precision::Mixed] {
        measure(&sentences, precision);
    }
}

/// One warm-up pass, then the median rate of `PASSES` timed passes with weights in `precision`.
fn measure(sentences: &[&str], precision: Precision) {
    let dir = default_model_dir();
    let embedder = LocalEmbedder::load(&dir, precision).unwrap_or_else(|e| {
        panic!("cannot load the model from {} ({e}); run scripts/fetch-model.sh", dir.display())
    });

    let warm_up = Instant::now();
    embedder.embed(sentences).expect("embed");
    println!("{precision:?} warm-up: {:.2} s", warm_up.elapsed().as_secs_f64());

    let mut rates = Vec::with_capacity(PASSES);
    for pass in 1..=PASSES {
        let cpu_before = process_cpu_seconds();
        let start = Instant::now();
        let vectors = embedder.embed(sentences).expect("embed");
        let wall = start.elapsed().as_secs_f64();
        assert_eq!(vectors.len(), sentences.len());
        let cpu = process_cpu_seconds().zip(cpu_before).map(|(after, before)| after - before);
        let cpu = cpu.map_or_else(|| "?".to_owned(), |s| format!("{s:.1}"));
        println!("pass {pass}: {wall:.2} s wall, {cpu} s CPU");
        rates.push(sentences.len() as f64 / wall);
    }
    rates.sort_by(f64::total_cmp);
    let runs: Vec<String> = rates.iter().map(|r| format!("{r:.0}")).collect();
    println!(
        "switchboard-embed (candle, {precision:?}): {} sentences, median {:.0} sentences/s (runs: {})",
        sentences.len(),
        rates[PASSES / 2],
        runs.join(", ")
    );
}

/// User + system CPU time of this process so far, from /proc (Linux only; None elsewhere).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is parenthesised and may contain spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, i.e. 12 and 13 after the name;
    // the kernel reports them in USER_HZ ticks, which is 100 on Linux.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}
