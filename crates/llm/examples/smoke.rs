//! One streamed turn against a real OpenAI-compatible server, for `scripts/llm-smoke.sh`:
//! `cargo run -p switchboard-llm --example smoke -- http://127.0.0.1:18081/v1 [model]`.
//! Prints each delta as it arrives, then the action and the timings.

use std::io::Write as _;
use std::time::{Duration, Instant};

use switchboard_ai::knowledge::PassageHit;
use switchboard_domain::{ChunkId, DocumentId};
use switchboard_llm::{LlmResponder, LlmSettings, OutboundPolicy, Turn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let base_url = args.next().ok_or("usage: smoke BASE_URL [MODEL]")?;
    let model = args.next().unwrap_or_else(|| "smollm2".to_owned());
    let text = "You can return unused items within 30 days of delivery for a full refund.";
    let passages = [PassageHit {
        chunk_id: ChunkId::new(),
        document_id: DocumentId::new(),
        title: "Returns policy".to_owned(),
        text: text.to_owned(),
        matched_text: text.to_owned(),
        score: 0.9,
        fused: 0.9,
        lexical_rank: Some(1),
        vector_rank: Some(1),
        cosine: None,
        bm25: None,
    }];
    let turn = Turn {
        persona: "You are Ava, the helpful assistant of Acme Outdoor. Be brief.",
        passages: &passages,
        faqs: &[],
        history: &[],
        tools: &[],
        message: "Can I send back a tent I did not use?",
    };
    let settings = LlmSettings {
        base_url,
        model,
        api_key: None,
        timeout: Duration::from_secs(120),
        max_retries: 1,
        temperature: Some(0.0),
    };
    // The server runs on loopback, which only an operator's explicit allowance permits.
    let llm = LlmResponder::new(OutboundPolicy { allow_private: true })?;
    println!("question: {}", turn.message);
    print!("deltas: ");
    let started = Instant::now();
    let mut first: Option<Duration> = None;
    let mut count = 0;
    let result = llm
        .respond(&settings, turn, &mut |piece: &str| {
            first.get_or_insert_with(|| started.elapsed());
            count += 1;
            print!("{piece}|");
            let _ = std::io::stdout().flush();
        })
        .await;
    println!();
    let total = started.elapsed();
    println!("action: {}", serde_json::to_string(&result?)?);
    println!(
        "deltas received: {count}; first delta after {} ms; whole turn {} ms",
        first.map_or(0, |d| d.as_millis()),
        total.as_millis()
    );
    Ok(())
}
