//! Compares the embedder with sentence-transformers on the same weights.
//!
//! `reference_vectors.json` was written by `bench/reference_vectors.py` (sentence-transformers
//! encoding each sentence on its own). Needs the model: run `scripts/fetch-model.sh` first.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Deserialize;
use switchboard_embed::{DIMENSIONS, LocalEmbedder, MODEL_NAME, Precision, default_model_dir};

/// Largest difference allowed per component between us and sentence-transformers.
const TOLERANCE: f32 = 1e-5;

#[derive(Deserialize)]
struct Reference {
    model: String,
    sentences: Vec<Sentence>,
}

#[derive(Deserialize)]
struct Sentence {
    text: String,
    tokens: usize,
    vector: Vec<f32>,
}

fn reference() -> Reference {
    let raw = include_str!("reference_vectors.json");
    serde_json::from_str(raw).expect("reference_vectors.json parses")
}

/// One embedder for all tests in this file: loading takes a moment.
fn embedder() -> &'static LocalEmbedder {
    static EMBEDDER: OnceLock<LocalEmbedder> = OnceLock::new();
    EMBEDDER.get_or_init(|| {
        let dir: PathBuf = default_model_dir();
        LocalEmbedder::load(&dir, Precision::F32).unwrap_or_else(|e| {
            panic!(
                "cannot load the model from {} ({e}).\n\
                 Run scripts/fetch-model.sh (or set SWITCHBOARD_MODEL_DIR to a directory it filled).",
                dir.display()
            )
        })
    })
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

#[test]
fn reference_file_covers_the_hard_cases() {
    let reference = reference();
    assert_eq!(reference.model, MODEL_NAME);
    let texts: Vec<&str> = reference.sentences.iter().map(|s| s.text.as_str()).collect();
    assert!(texts.contains(&""), "an empty string");
    assert!(texts.iter().any(|t| !t.is_ascii()), "non-ASCII text");
    // 256 word pieces after truncation: the original was longer.
    assert!(reference.sentences.iter().any(|s| s.tokens == 256), "a truncated input");
    assert!(reference.sentences.iter().all(|s| s.vector.len() == DIMENSIONS));
}

#[test]
fn batched_embeddings_match_sentence_transformers() {
    let reference = reference();
    let texts: Vec<&str> = reference.sentences.iter().map(|s| s.text.as_str()).collect();
    let vectors = embedder().embed(&texts).expect("embed");
    assert_eq!(vectors.len(), texts.len());
    for (sentence, vector) in reference.sentences.iter().zip(&vectors) {
        let diff = max_abs_diff(vector, &sentence.vector);
        println!(
            "{:?}: max |difference| {diff:e}",
            sentence.text.chars().take(30).collect::<String>()
        );
        assert!(
            diff <= TOLERANCE,
            "{:?}: differs from sentence-transformers by up to {diff:e}",
            sentence.text
        );
    }
}

#[test]
fn one_by_one_agrees_with_batched_and_order_is_kept() {
    let reference = reference();
    let texts: Vec<&str> = reference.sentences.iter().map(|s| s.text.as_str()).collect();
    let embedder = embedder();
    let batched = embedder.embed(&texts).expect("embed batch");

    for (text, from_batch) in texts.iter().zip(&batched) {
        let alone = embedder.embed(&[text]).expect("embed one");
        assert_eq!(alone.len(), 1);
        let diff = max_abs_diff(&alone[0], from_batch);
        assert!(diff <= 1e-6, "{text:?}: alone vs in a batch differ by {diff:e}");
    }

    // Reversed input gives the same vectors, reversed: results follow input order, not the
    // length-sorted order they were computed in.
    let reversed_texts: Vec<&str> = texts.iter().rev().copied().collect();
    let reversed = embedder.embed(&reversed_texts).expect("embed reversed");
    for (a, b) in reversed.iter().rev().zip(&batched) {
        assert!(max_abs_diff(a, b) <= 1e-6);
    }
}

#[test]
fn many_inputs_keep_their_order_across_batches() {
    // Enough distinct texts of mixed lengths to need several batches.
    let texts: Vec<String> = (0..120)
        .map(|i| format!("request {i}: {}", "please help with my card ".repeat(i % 23)))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let embedder = embedder();
    let all = embedder.embed(&refs).expect("embed all");
    assert_eq!(all.len(), texts.len());
    for i in [0, 1, 22, 67, 119] {
        let alone = embedder.embed(&refs[i..=i]).expect("embed one");
        assert!(max_abs_diff(&alone[0], &all[i]) <= 1e-6, "text {i} moved or changed");
    }
    for v in &all {
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
    }
}

#[test]
fn empty_input_list_gives_no_vectors_and_metadata_is_fixed() {
    let embedder = embedder();
    assert!(embedder.embed(&[]).expect("embed nothing").is_empty());
    assert_eq!(embedder.model_name(), MODEL_NAME);
    assert_eq!(embedder.dimensions(), DIMENSIONS);
}

/// The embedder the server runs: short passes on the 8-bit weights.
fn mixed_embedder() -> &'static LocalEmbedder {
    static EMBEDDER: OnceLock<LocalEmbedder> = OnceLock::new();
    EMBEDDER.get_or_init(|| {
        LocalEmbedder::load(&default_model_dir(), Precision::Mixed).expect("the model loads")
    })
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn mixed_precision_stays_close_alone_and_exact_in_bulk() {
    let reference = reference();
    let mixed = mixed_embedder();
    let mut int8_differs = false;
    for sentence in &reference.sentences {
        let alone = &mixed.embed(&[sentence.text.as_str()]).expect("embed one")[0];
        let similarity = cosine(alone, &sentence.vector);
        // A short text runs in int8 and moves a little: real requests stay above 0.999
        // (examples/query_latency.rs); the empty text, [CLS] [SEP] alone, moves most (0.997).
        assert!(similarity >= 0.995, "{:?}: cosine {similarity}", sentence.text);
        int8_differs |= max_abs_diff(alone, &sentence.vector) > TOLERANCE;
    }
    assert!(int8_differs, "no short text ran on the 8-bit weights");

    // A pass of many tokens stays in f32, so bulk embedding (documents) is exact.
    let texts: Vec<&str> = reference.sentences.iter().map(|s| s.text.as_str()).collect();
    let long = reference.sentences.iter().position(|s| s.tokens == 256).expect("a long text");
    let batched = mixed.embed(&texts).expect("embed batch");
    let diff = max_abs_diff(&batched[long], &reference.sentences[long].vector);
    assert!(diff <= TOLERANCE, "the long text differs by {diff:e}");
}
