use std::time::{Duration, Instant};

use switchboard_ai::knowledge::PassageHit;
use switchboard_domain::{ChunkId, DocumentId};
use switchboard_llm::{
    CuratedAnswer, HistoryMessage, LlmError, LlmResponder, LlmSettings, OutboundPolicy,
    ResponderAction, Sender, ToolSpec, Turn,
};

pub fn passage(title: &str, text: &str) -> PassageHit {
    PassageHit {
        chunk_id: ChunkId::new(),
        document_id: DocumentId::new(),
        title: title.to_owned(),
        text: text.to_owned(),
        matched_text: text.to_owned(),
        score: 0.8,
        fused: 0.8,
        lexical_rank: Some(1),
        vector_rank: Some(1),
        cosine: Some(0.7),
        bm25: Some(3.0),
    }
}

pub fn settings(base_url: &str) -> LlmSettings {
    LlmSettings {
        base_url: base_url.to_owned(),
        model: "smol-test".to_owned(),
        api_key: Some("sk-test-secret".to_owned()),
        timeout: Duration::from_secs(10),
        max_retries: 2,
        temperature: Some(0.2),
    }
}

/// The same conversation for every test: two passages, one tool, some history; no curated
/// answers unless a test adds them.
pub struct Fixture {
    pub passages: Vec<PassageHit>,
    pub faqs: Vec<CuratedAnswer>,
    pub history: Vec<HistoryMessage>,
    pub tools: Vec<ToolSpec>,
}

impl Fixture {
    pub fn new() -> Self {
        Self {
            passages: vec![
                passage("Returns policy", "You can return unused items within 30 days."),
                passage("Shipping", "Standard shipping takes 3 to 5 working days."),
            ],
            faqs: Vec::new(),
            history: vec![
                HistoryMessage { sender: Sender::Ai, content: "Hello! How can I help?".into() },
                HistoryMessage { sender: Sender::Customer, content: "Hi there".into() },
                HistoryMessage { sender: Sender::System, content: "An agent joined".into() },
                HistoryMessage { sender: Sender::Agent, content: "Sam here.".into() },
            ],
            tools: vec![ToolSpec {
                name: "track_order".into(),
                description: "Where an order is".into(),
                parameters: serde_json::json!({
                    "type": "object",
                    "properties": {"order": {"type": "string"}},
                    "required": ["order"]
                }),
            }],
        }
    }

    pub fn turn<'a>(&'a self, message: &'a str) -> Turn<'a> {
        Turn {
            persona: "You are Ava, the friendly assistant of Acme.",
            passages: &self.passages,
            faqs: &self.faqs,
            history: &self.history,
            tools: &self.tools,
            message,
        }
    }
}

/// What one call produced: the result, the deltas with when each arrived, and when it ended.
pub struct Outcome {
    pub result: Result<ResponderAction, LlmError>,
    pub deltas: Vec<(String, Instant)>,
    pub started: Instant,
    pub ended: Instant,
}

pub async fn run(policy: OutboundPolicy, settings: &LlmSettings, turn: Turn<'_>) -> Outcome {
    let llm = LlmResponder::new(policy).expect("a client");
    let mut deltas = Vec::new();
    let started = Instant::now();
    let result = llm
        .respond(settings, turn, &mut |piece: &str| deltas.push((piece.to_owned(), Instant::now())))
        .await;
    Outcome { result, deltas, started, ended: Instant::now() }
}

pub const OPEN: OutboundPolicy = OutboundPolicy { allow_private: true };
