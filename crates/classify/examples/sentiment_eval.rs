//! Measures the sentiment cues (and, as a comparison, a lexical softmax model trained on 80%
//! of the same corpus) on labelled JSON lines `{"text","label"}` with labels negative,
//! neutral and positive: `cargo run --release -p switchboard-classify --example
//! sentiment_eval -- FILE.jsonl`. docs/benchmarks.md says where the airline corpus comes from.

use switchboard_classify::cues::{Sentiment, sentiment};
use switchboard_classify::{Classifier, Config, Example};

fn main() {
    let path = std::env::args().nth(1).expect("usage: sentiment_eval FILE.jsonl");
    let text = std::fs::read_to_string(&path).expect("readable file");
    let rows: Vec<(String, String)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            (
                v["text"].as_str().unwrap_or("").to_owned(),
                v["label"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let name = |s: Sentiment| match s {
        Sentiment::Negative => "negative",
        Sentiment::Neutral => "neutral",
        Sentiment::Positive => "positive",
    };
    let correct = rows.iter().filter(|(t, l)| name(sentiment(t).level) == l).count();
    println!("cues: accuracy {:.4} on {} texts", correct as f64 / rows.len() as f64, rows.len());

    let cut = rows.len() * 4 / 5;
    let (train, test) = rows.split_at(cut);
    let examples: Vec<Example<'_>> =
        train.iter().map(|(t, l)| Example { text: t, label: l, embedding: None }).collect();
    let started = std::time::Instant::now();
    let model =
        Classifier::train(&examples, &Config { c: 1.0, ..Config::default() }).expect("trains");
    let secs = started.elapsed().as_secs_f64();
    let correct = test.iter().filter(|(t, l)| &model.predict(t, None).label == l).count();
    let cue_correct = test.iter().filter(|(t, l)| name(sentiment(t).level) == l).count();
    println!(
        "lexical softmax (C = 1, trained on the first {cut} in {secs:.1} s): accuracy {:.4} on the last {}; cues on the same {}: {:.4}",
        correct as f64 / test.len() as f64,
        test.len(),
        test.len(),
        cue_correct as f64 / test.len() as f64
    );
}
