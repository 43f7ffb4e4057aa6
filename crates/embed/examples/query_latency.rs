//! Latency of embedding one short text at a time, as a chat turn does (the throughput bench
//! measures batches). `cargo run --release -p switchboard-embed --example query_latency [N]`
//! embeds the first N (300) requests of bench/data/sentences.txt one by one, twice, and
//! prints the second round.

use std::path::Path;
use std::time::{Duration, Instant};
use switchboard_embed::{LocalEmbedder, default_model_dir};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(300);
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/data/sentences.txt");
    let corpus = std::fs::read_to_string(corpus).expect("bench/data/sentences.txt");
    let sentences: Vec<&str> = corpus.lines().take(n).collect();
    let embedder =
        LocalEmbedder::load(&default_model_dir()).expect("the model (scripts/fetch-model.sh)");
    time(&sentences, |s| {
        embedder.embed(&[s]).expect("embeds");
    });
    let times = time(&sentences, |s| {
        embedder.embed(&[s]).expect("embeds");
    });
    report("one at a time", &times);
}

fn time(sentences: &[&str], mut f: impl FnMut(&str)) -> Vec<Duration> {
    sentences
        .iter()
        .map(|s| {
            let started = Instant::now();
            f(s);
            started.elapsed()
        })
        .collect()
}

fn report(name: &str, times: &[Duration]) {
    let mut ms: Vec<f64> = times.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    ms.sort_by(f64::total_cmp);
    let mean = ms.iter().sum::<f64>() / ms.len() as f64;
    println!(
        "{name:16} p50 {:.2} ms  p90 {:.2} ms  mean {mean:.2} ms",
        ms[ms.len() / 2],
        ms[ms.len() * 9 / 10]
    );
}
