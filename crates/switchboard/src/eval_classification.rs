//! `switchboard eval classification`: trains an intent classifier on labelled JSON lines
//! exactly as the server does (`switchboard_ai::classify`), predicts the test lines and
//! prints accuracy, macro-F1 and per-label figures (with an out-of-scope label, also its
//! recall and the in-scope accuracy) as one JSON object. Floors make it a CI gate.

use crate::eval::{check_floors, read_lines};
use anyhow::{Context, bail};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use switchboard_ai::classify::{
    Classifier, Config, LabelledText, intent_config, train_with_vectors,
};
use switchboard_ai::embedding::Embedder;
use switchboard_ai::eval::{ClassificationReport, classification_report};

pub struct ClassificationOptions<'a> {
    pub train: &'a Path,
    pub test: &'a Path,
    pub oos_label: Option<&'a str>,
    pub threshold: Option<f32>,
    /// Regularisation experiments (default: the server's C).
    pub c: Option<f32>,
    /// Also report the nearest-labelled-example and embedding-only baselines.
    pub baselines: bool,
    /// Development only: keep the vectors of every text in this file between runs.
    pub vector_cache: Option<PathBuf>,
    pub min: &'a [String],
    pub max: &'a [String],
}

pub async fn classification(
    embedder: Option<Arc<dyn Embedder>>,
    options: ClassificationOptions<'_>,
) -> anyhow::Result<bool> {
    let train: Vec<LabelledText> = read_lines(options.train)?;
    let test: Vec<LabelledText> = read_lines(options.test)?;
    if train.is_empty() || test.is_empty() {
        bail!("both files need at least one line");
    }
    let started = Instant::now();
    let (train_vectors, test_vectors) = match &embedder {
        Some(e) => {
            let mut cache = VectorCache::open(options.vector_cache.as_deref(), e.model())?;
            let a = cache.embed(e.as_ref(), &train).await?;
            cache.save()?;
            // One at a time and never from the cache, as the server classifies each request
            // alone: a short text alone runs on the 8-bit weights, in bulk on the f32 ones.
            let mut b = Vec::with_capacity(test.len());
            for row in &test {
                b.extend(e.embed(vec![row.text.clone()]).await?);
            }
            (Some(a), Some(b))
        }
        None => (None, None),
    };
    let embed_secs = started.elapsed().as_secs_f64();

    let mut config = intent_config(options.oos_label, options.threshold);
    if let Some(c) = options.c {
        config.c = c;
    }
    let threshold = config.threshold;
    let started = Instant::now();
    let model = train_with_vectors(&train, train_vectors.as_deref(), &config)?;
    let train_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let report = evaluate(&model, &test, test_vectors.as_deref(), options.oos_label);
    let predict_secs = started.elapsed().as_secs_f64();

    let mut out = serde_json::to_value(&report)?;
    if options.oos_label.is_some() {
        out["threshold"] = f64::from(threshold).into();
    }
    out["training"] = serde_json::to_value(model.stats())?;
    out["embeddings"] = embedder.as_ref().map(|e| e.model().to_owned()).into();
    out["embedSeconds"] = embed_secs.into();
    out["trainSeconds"] = train_secs.into();
    out["predictSeconds"] = predict_secs.into();
    if options.oos_label.is_some() {
        out["thresholdSweep"] = sweep(&model, &test, test_vectors.as_deref(), options.oos_label)?;
    }
    if options.baselines {
        out["baselines"] =
            baselines(&model, &train, &train_vectors, &test, &test_vectors, &config)?;
    }
    println!("{}", serde_json::to_string_pretty(&out)?);
    check_floors(&out, options.min, options.max)
}

fn evaluate(
    model: &Classifier,
    test: &[LabelledText],
    vectors: Option<&[Vec<f32>]>,
    oos_label: Option<&str>,
) -> ClassificationReport {
    let gold: Vec<String> = test.iter().map(|t| t.label.clone()).collect();
    let predicted: Vec<String> = test
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = model.predict(&t.text, vectors.map(|v| v[i].as_slice()));
            match oos_label {
                Some(oos) if p.out_of_scope => oos.to_owned(),
                _ => p.label,
            }
        })
        .collect();
    classification_report(&gold, &predicted, oos_label)
}

/// In-scope accuracy and out-of-scope recall at other thresholds, for choosing the default.
fn sweep(
    model: &Classifier,
    test: &[LabelledText],
    vectors: Option<&[Vec<f32>]>,
    oos_label: Option<&str>,
) -> anyhow::Result<serde_json::Value> {
    let Some(oos) = oos_label else { return Ok(serde_json::Value::Null) };
    let gold: Vec<String> = test.iter().map(|t| t.label.clone()).collect();
    let probs: Vec<(String, f32)> = test
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = model.predict(&t.text, vectors.map(|v| v[i].as_slice()));
            (p.label, p.score)
        })
        .collect();
    let rows = (1..=8)
        .map(|i| {
            let threshold = i as f32 / 10.0;
            let predicted: Vec<String> = probs
                .iter()
                .map(|(l, s)| if *s < threshold { oos.to_owned() } else { l.clone() })
                .collect();
            let r = classification_report(&gold, &predicted, Some(oos));
            serde_json::json!({"threshold": threshold, "inScopeAccuracy": r.in_scope_accuracy,
                "oosRecall": r.oos_recall})
        })
        .collect();
    Ok(serde_json::Value::Array(rows))
}

/// The same run's baselines: the nearest labelled example (cosine), and a logistic
/// regression on the embedding alone.
fn baselines(
    model: &Classifier,
    train: &[LabelledText],
    train_vectors: &Option<Vec<Vec<f32>>>,
    test: &[LabelledText],
    test_vectors: &Option<Vec<Vec<f32>>>,
    config: &Config,
) -> anyhow::Result<serde_json::Value> {
    let (Some(_), Some(tv)) = (train_vectors, test_vectors) else {
        return Ok(serde_json::Value::Null);
    };
    let oos = config.oos_label.as_deref();
    let gold: Vec<String> = test.iter().map(|t| t.label.clone()).collect();
    let nearest: Vec<String> = test
        .iter()
        .enumerate()
        .map(|(i, t)| {
            model.neighbours(&t.text, Some(&tv[i]), 1).pop().map(|n| n.label).unwrap_or_default()
        })
        .collect();
    let nearest = classification_report(&gold, &nearest, oos);
    let embedding_only = Config { lexical: false, ..config.clone() };
    let started = Instant::now();
    let lr = train_with_vectors(train, train_vectors.as_deref(), &embedding_only)?;
    let secs = started.elapsed().as_secs_f64();
    let lr_report = evaluate(&lr, test, Some(tv), oos);
    let brief = |r: &ClassificationReport| {
        serde_json::json!({"accuracy": r.accuracy, "macroF1": r.macro_f1,
            "oosRecall": r.oos_recall, "inScopeAccuracy": r.in_scope_accuracy})
    };
    let mut lr_json = brief(&lr_report);
    lr_json["trainSeconds"] = secs.into();
    Ok(
        serde_json::json!({"nearestExample": brief(&nearest), "embeddingLogisticRegression": lr_json}),
    )
}

/// Training vectors by text, optionally kept on disk between runs (development only: embedding
/// the full data sets takes minutes on a busy machine). File: for each text, its UTF-8 length
/// (u32 LE), its bytes, then the vector's length and values (f32 LE). The first record's
/// text is the model's name, so another model's cache is ignored.
struct VectorCache {
    path: Option<PathBuf>,
    model: String,
    vectors: HashMap<String, Vec<f32>>,
    dirty: bool,
}

impl VectorCache {
    fn open(path: Option<&Path>, model: &str) -> anyhow::Result<Self> {
        let mut cache = Self {
            path: path.map(Path::to_owned),
            model: model.to_owned(),
            vectors: HashMap::new(),
            dirty: false,
        };
        let Some(path) = path else { return Ok(cache) };
        let Ok(mut file) = std::fs::File::open(path) else { return Ok(cache) };
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        let mut at = 0usize;
        let mut take = |n: usize| -> anyhow::Result<&[u8]> {
            let s = bytes.get(at..at + n).context("truncated vector cache")?;
            at += n;
            Ok(s)
        };
        let mut records = Vec::new();
        loop {
            let Ok(len) = take(4) else { break };
            let len = u32::from_le_bytes(len.try_into()?) as usize;
            let text = String::from_utf8(take(len)?.to_vec())?;
            let dims = u32::from_le_bytes(take(4)?.try_into()?) as usize;
            let v: Vec<f32> = take(dims * 4)?
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            records.push((text, v));
        }
        let mut records = records.into_iter();
        if records.next().is_some_and(|(name, _)| name == model) {
            cache.vectors = records.collect();
        }
        Ok(cache)
    }

    async fn embed(
        &mut self,
        embedder: &dyn Embedder,
        rows: &[LabelledText],
    ) -> anyhow::Result<Vec<Vec<f32>>> {
        let mut missing: Vec<String> =
            rows.iter().map(|r| r.text.clone()).filter(|t| !self.vectors.contains_key(t)).collect();
        missing.sort();
        missing.dedup();
        for batch in missing.chunks(512) {
            let vectors = embedder.embed(batch.to_vec()).await?;
            for (t, v) in batch.iter().zip(vectors) {
                self.vectors.insert(t.clone(), v);
            }
            self.dirty = true;
        }
        Ok(rows.iter().map(|r| self.vectors[&r.text].clone()).collect())
    }

    fn save(&self) -> anyhow::Result<()> {
        let (Some(path), true) = (&self.path, self.dirty) else { return Ok(()) };
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        let mut write = |text: &str, v: &[f32]| -> std::io::Result<()> {
            out.write_all(&(text.len() as u32).to_le_bytes())?;
            out.write_all(text.as_bytes())?;
            out.write_all(&(v.len() as u32).to_le_bytes())?;
            v.iter().try_for_each(|x| out.write_all(&x.to_le_bytes()))
        };
        write(&self.model, &[])?;
        let mut texts: Vec<&String> = self.vectors.keys().collect();
        texts.sort();
        for t in texts {
            write(t, &self.vectors[t])?;
        }
        Ok(())
    }
}
