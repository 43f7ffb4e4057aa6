//! Latency of embedding one short text at a time, as a chat turn does (the throughput bench
//! measures batches). `cargo run --release -p switchboard-embed --example query_latency [N]`
//! embeds the first N (300) requests of bench/data/sentences.txt one by one, twice, all in
//! f32 and with short passes in int8 (`Precision::Mixed`), prints the second round of each,
//! and how close the mixed vectors are to the f32 ones (cosine).

use std::path::Path;
use std::time::{Duration, Instant};
use switchboard_embed::{LocalEmbedder, Precision, default_model_dir};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(300);
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/data/sentences.txt");
    let corpus = std::fs::read_to_string(corpus).expect("bench/data/sentences.txt");
    let sentences: Vec<&str> = corpus.lines().take(n).collect();
    let mut vectors = Vec::new();
    for precision in [Precision::F32, Precision::Mixed] {
        let embedder = LocalEmbedder::load(&default_model_dir(), precision)
            .expect("the model (scripts/fetch-model.sh)");
        time(&sentences, |s| {
            embedder.embed(&[s]).expect("embeds");
        });
        let mut alone = Vec::new();
        let times = time(&sentences, |s| {
            alone.extend(embedder.embed(&[s]).expect("embeds"));
        });
        report(&format!("{precision:?}, one at a time"), &times);
        vectors.push(alone);
    }
    let mut cosines: Vec<f32> = vectors[0]
        .iter()
        .zip(&vectors[1])
        .map(|(a, b)| a.iter().zip(b).map(|(x, y)| x * y).sum())
        .collect();
    cosines.sort_by(f32::total_cmp);
    let mean = cosines.iter().sum::<f32>() / cosines.len() as f32;
    println!("cosine mixed to f32: mean {mean:.5}, lowest {:.5}", cosines[0]);
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
