//! One chat turn with the builtin responder, server-side and over HTTP, beside the one cost a
//! turn cannot shed: embedding the customer's message.
//!
//! A real server (SQLite in a temp dir, the local all-MiniLM-L6-v2) is seeded with one company:
//! ~50 FAQs and documents adding up to 10,000 indexed chunks. Messages are real customer
//! requests: BANKING77 texts of the FAQs' intents (FAQ path), of other intents (document path)
//! and CLINC150 out-of-scope and non-banking requests (nothing to answer with), from
//! ../shared/data beside the repository when present, a built-in list otherwise.
//!
//! Measured in one run: turns through `Conversations::customer_says`, each message also
//! embedded alone with the same embedder right before its turn (baseline A: both then see the
//! same load on the machine); the same kind of turns over `POST /api/chat`; `GET /health`
//! (baseline B); and, on messages whose vector is already in the query cache, the parts of a
//! turn without the embedding, to show where the rest of the time goes. Every pass uses
//! messages no earlier pass has seen, since the query cache would hide the embedding otherwise.
//!
//! `cargo bench -p switchboard-server --bench chat_turn`; `BENCH_TURNS` (messages per pass,
//! default 300), `BENCH_CHUNKS` (default 10000), `BENCH_FAQS` (default 50), `BENCH_DIR` (where
//! the temp database goes), `SWITCHBOARD_MODEL_DIR` (the model).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use switchboard_ai::embedding::{Embedder, LocalModel, Precision};
use switchboard_ai::knowledge::{CANDIDATES, readback_batch, relevance};
use switchboard_ai::knowledge::{DEFAULT_ANSWER_THRESHOLD, DEFAULT_FAQ_THRESHOLD};
use switchboard_domain::{ChunkId, CompanyId, ConversationId, DocumentId};
use switchboard_engine::builtin::MAX_QUOTED;
use switchboard_engine::grounding::{Thresholds, ground};
use switchboard_engine::{Conversations, HANDOFF_REPLY, Turn};
use switchboard_retrieval::{Entry, Hit, HybridIndex, Query};
use switchboard_server::{AppState, Application, ServerConfig, SigningKey};
use switchboard_storage::Backend;
use switchboard_storage_sqlite::SqliteBackend;

/// Turns per conversation before the next message opens a new one.
const PER_CONVERSATION: usize = 10;
const WARMUP: usize = 30;
const HEALTH_REQUESTS: usize = 2_000;
const SENTENCES_PER_DOCUMENT: usize = 100;
const SENTENCES_PER_PARAGRAPH: usize = 5;
const VARIANTS_PER_FAQ: usize = 4;
/// The targets.
const P50_TARGET_MS: f64 = 15.0;
const P99_TARGET_MS: f64 = 50.0;
const RATIO_TARGET: f64 = 1.5;

fn main() -> anyhow::Result<()> {
    let settings = Settings::from_env();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(settings))
}

struct Settings {
    turns: usize,
    chunks: usize,
    faqs: usize,
    dir: Option<PathBuf>,
}

impl Settings {
    fn from_env() -> Self {
        let number = |name: &str, default: usize| {
            std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
        };
        Self {
            turns: number("BENCH_TURNS", 300).max(10),
            chunks: number("BENCH_CHUNKS", 10_000).max(SENTENCES_PER_DOCUMENT),
            faqs: number("BENCH_FAQS", 50).max(1),
            dir: std::env::var_os("BENCH_DIR").map(PathBuf::from),
        }
    }
}

async fn run(settings: Settings) -> anyhow::Result<()> {
    print_machine();
    let data = Data::load();
    println!("messages: {}", data.source);

    let temp = match &settings.dir {
        Some(dir) => tempfile::tempdir_in(dir)?,
        None => tempfile::tempdir()?,
    };
    let db_path = temp.path().join("bench.db");
    println!("database: SQLite at {} (WAL, synchronous=FULL)", db_path.display());
    let embedder = load_embedder()?;
    let db: Arc<dyn Backend> = Arc::new(SqliteBackend::open(&db_path).await?);
    let app =
        Application::build_with_embedder(config(), Arc::clone(&db), Some(Arc::clone(&embedder)))
            .await?
            .without_job_worker();
    let jobs = app.job_runner();
    let state = app.state().clone();
    let http = Http::new(format!("http://{}", app.local_addr()));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));

    // 1. Seeding, reported apart from the figures.
    let mut rng = StdRng::seed_from_u64(77);
    let plan = data.plan(&mut rng, settings.faqs);
    let (token, company) = http.register().await?;
    let started = Instant::now();
    for faq in &plan.faqs {
        http.admin_post(&token, "/api/ai/faqs", faq).await?;
    }
    let faq_time = started.elapsed();
    let documents = data.documents(&mut rng, settings.chunks);
    let started = Instant::now();
    let mut ids = Vec::with_capacity(documents.len());
    for (title, content) in &documents {
        let body = json!({"title": title, "content": content, "format": "text"});
        let doc = http.admin_post(&token, "/api/ai/knowledge-base", &body).await?;
        ids.push(doc["id"].as_str().context("a document id")?.to_owned());
    }
    let upload_time = started.elapsed();
    let started = Instant::now();
    jobs.run_pending().await?;
    let index_time = started.elapsed();
    let mut chunks = 0;
    for id in &ids {
        let doc = http.admin_get(&token, &format!("/api/ai/knowledge-base/{id}")).await?;
        ensure!(doc["status"] == "ready", "document {id} not indexed: {doc}");
        chunks += doc["chunkCount"].as_i64().unwrap_or(0);
    }
    println!();
    println!("## Seeding (not part of the figures)");
    println!(
        "- {} FAQs ({VARIANTS_PER_FAQ} variants each) created in {:.1} s",
        plan.faqs.len(),
        secs(faq_time)
    );
    println!(
        "- {} documents uploaded in {:.1} s, indexed (chunked + embedded) in {:.1} s: {chunks} chunks",
        ids.len(),
        secs(upload_time),
        secs(index_time)
    );

    // 2. Messages: disjoint sets, so no pass finds another's vectors in the query cache.
    let mut pools = plan.pools;
    let warm = pools.take(WARMUP);
    let engine_messages = pools.take(settings.turns);
    let http_messages = pools.take(settings.turns);
    let company: CompanyId = company.parse().context("company id")?;
    let engine = Arc::clone(&state.conversations);

    // Warm-up: the first query loads the company's index into memory.
    let started = Instant::now();
    let first = engine.open(company, None, &warm[0].text).await?;
    let first_open = started.elapsed();
    let started = Instant::now();
    engine.customer_says(company, first.conversation.id, &warm[0].text).await?;
    let first_turn = started.elapsed();
    engine_turns(&engine, company, &warm[1..WARMUP - 10], Some(embedder.as_ref())).await?;
    http_turns(&http, company, &warm[WARMUP - 10..], Some(embedder.as_ref())).await?;
    for _ in 0..20 {
        http.health().await?;
    }
    println!(
        "- first open after seeding (the classifier's first use): {:.2} s; first turn (loads \
         the FAQ and passage indexes into memory): {:.2} s",
        secs(first_open),
        secs(first_turn)
    );
    println!("- warm-up: {} engine turns, 10 over HTTP", WARMUP - 10);

    // Engine turns and HTTP turns, each beside baseline A; then baseline B.
    let turns = engine_turns(&engine, company, &engine_messages, Some(embedder.as_ref())).await?;
    let over_http = http_turns(&http, company, &http_messages, Some(embedder.as_ref())).await?;
    let (embed_a, embed_http) = (&turns.embeddings.times, &over_http.embeddings.times);
    let health = health(&http).await?;
    // Where the time goes: the engine messages' vectors are cached now, so these are the
    // turn's parts without the embedding.
    let documents: Vec<DocumentId> =
        ids.iter().map(|id| id.parse()).collect::<Result<_, _>>().context("document ids")?;
    let vectors = &turns.embeddings.vectors;
    let profile = profile(&state, company, &engine_messages, vectors, &documents).await?;
    let load_after = load_average();

    println!();
    println!("## Results ({} messages per pass)", settings.turns);
    println!();
    println!("| measure | n | p50 | p90 | p99 | mean | per second |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    row("A: embedding, one message at a time", embed_a);
    row("engine turn (`customer_says`)", &turns.turns);
    row("engine open (new conversation, classified)", &turns.opens);
    row("HTTP turn, `POST /api/chat` with sessionId", &over_http.turns);
    row("HTTP first message (open + turn)", &over_http.firsts);
    row("HTTP, every request", &over_http.all);
    row("A': embedding of the HTTP messages", embed_http);
    row("B: `GET /health`", &health);
    row("cached vector: engine turn", &profile.cached_turn);
    for (outcome, times) in
        ["an FAQ answer", "a passage answer", "a handoff"].iter().zip(&profile.cached_by_outcome)
    {
        row(&format!("cached vector: engine turn giving {outcome}"), times);
    }
    row("cached vector: `ground` (FAQ match + passages)", &profile.ground);
    row("cached vector: `match_faq` alone", &profile.match_faq);
    row("cached vector: `search_passages` alone", &profile.passages);
    row("`knowledge_stamp` query (1 per turn)", &profile.stamp);
    row("in-memory hybrid search, 50 candidates (index built here)", &profile.index_search);
    row("`passages` read-back of the hits above the threshold", &profile.passages_read);
    row("turn in a handed-off conversation (message stored, no reply)", &profile.stored_only);
    row("`get_conversation` query", &profile.get_conversation);
    row("`get_agent_config` query (1 per turn)", &profile.agent_config);

    let turn = Stats::of(&turns.turns);
    let embed = Stats::of(embed_a);
    let http_turn = Stats::of(&over_http.turns);
    let http_embed = Stats::of(embed_http);
    let cached = Stats::of(&profile.cached_turn);
    let grounded = Stats::of(&profile.ground);
    println!();
    println!("## Against the issue's targets");
    println!(
        "- engine turn p50 {:.2} ms (target ≤ {P50_TARGET_MS}): {}; p99 {:.2} ms (target ≤ {P99_TARGET_MS}): {}",
        turn.p50,
        verdict(turn.p50 <= P50_TARGET_MS),
        turn.p99,
        verdict(turn.p99 <= P99_TARGET_MS)
    );
    println!(
        "- turn / embedding: {:.2}× by mean ({:.1} turns/s vs {:.1} embeddings/s), {:.2}× by p50 (target ≤ {RATIO_TARGET}×): {}",
        turn.mean / embed.mean,
        turn.per_second,
        embed.per_second,
        turn.p50 / embed.p50,
        verdict(turn.mean / embed.mean <= RATIO_TARGET)
    );
    println!(
        "- over HTTP: {:.2}× by mean ({:.1} turns/s vs {:.1} embeddings/s of the same messages), {:.2}× by p50",
        http_turn.mean / http_embed.mean,
        http_turn.per_second,
        http_embed.per_second,
        http_turn.p50 / http_embed.p50
    );
    println!(
        "- mean engine turn {:.2} ms ≈ embedding {:.2} + retrieval {:.2} + conversation, storage and events {:.2} \
         (cached-vector turn {:.2} − ground {:.2})",
        turn.mean,
        embed.mean,
        grounded.mean,
        cached.mean - grounded.mean,
        cached.mean,
        grounded.mean
    );
    let (passages, stamp) = (Stats::of(&profile.passages), Stats::of(&profile.stamp));
    println!(
        "- mean `search_passages` {:.2} ms ≈ stamp query {:.2} + in-memory search {:.2} + reading back \
         {:.1} passages {:.2}; mean `match_faq` {:.2} ms (a stamp query included)",
        passages.mean,
        stamp.mean,
        Stats::of(&profile.index_search).mean,
        profile.passages_read_ids as f64 / profile.passages_read.len().max(1) as f64,
        Stats::of(&profile.passages_read).mean,
        Stats::of(&profile.match_faq).mean,
    );
    println!("- load average at the end: {load_after}");
    println!(
        "- outcomes of the engine turns: {} FAQ answers, {} passage answers, {} handoffs, {} without reply; {} conversations",
        turns.outcomes.faq,
        turns.outcomes.passage,
        turns.outcomes.handoff,
        turns.outcomes.none,
        turns.opens.len()
    );
    println!(
        "- outcomes over HTTP: {} FAQ answers, {} passage answers, {} handoffs, {} without reply",
        over_http.outcomes.faq,
        over_http.outcomes.passage,
        over_http.outcomes.handoff,
        over_http.outcomes.none
    );
    println!(
        "- messages per pass: {} of FAQ intents, {} of other banking intents, {} out of scope",
        engine_messages.iter().filter(|m| m.kind == Kind::Faq).count(),
        engine_messages.iter().filter(|m| m.kind == Kind::Document).count(),
        engine_messages.iter().filter(|m| m.kind == Kind::Nothing).count(),
    );

    let _ = stop.send(());
    server.await??;
    Ok(())
}

fn print_machine() {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let profile = if cfg!(debug_assertions) { "dev (debug assertions on)" } else { "release" };
    println!(
        "machine: {cpus} CPUs ({model}); profile: {profile}; load average at start: {}",
        load_average()
    );
}

/// The 1, 5 and 15 minute load averages: other work on the machine skews every figure.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn config() -> ServerConfig {
    let key = SigningKey {
        kid: "bench".to_owned(),
        secret: "a-bench-signing-secret-of-at-least-32-chars".to_owned().into(),
    };
    let mut config = ServerConfig::new(([127, 0, 0, 1], 0).into(), key);
    // Every request comes from 127.0.0.1.
    config.auth_requests_per_minute = 100_000;
    config.auth_requests_burst = 100_000;
    config
}

fn load_embedder() -> anyhow::Result<Arc<dyn Embedder>> {
    let dir = std::env::var_os("SWITCHBOARD_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(switchboard_ai::embedding::default_model_dir);
    let model = LocalModel::load(&dir, Precision::Mixed).with_context(|| {
        format!("no embedding model at {}; run scripts/fetch-model.sh", dir.display())
    })?;
    Ok(Arc::new(model))
}

// ---------------------------------------------------------------------------------------------
// The passes.

#[derive(Default)]
struct Outcomes {
    faq: usize,
    passage: usize,
    handoff: usize,
    none: usize,
}

impl Outcomes {
    /// Counts a turn's outcome and says which it was: 0 an FAQ answer, 1 a passage answer,
    /// 2 a handoff, 3 no reply.
    fn count(&mut self, content: Option<&str>, cited: bool) -> usize {
        let (counter, kind) = match content {
            None => (&mut self.none, 3),
            Some(HANDOFF_REPLY) => (&mut self.handoff, 2),
            Some(_) if cited => (&mut self.passage, 1),
            Some(_) => (&mut self.faq, 0),
        };
        *counter += 1;
        kind
    }
}

/// Baseline A, taken message by message just before each turn, so that both see the same
/// machine (other work on it comes and goes).
#[derive(Default)]
struct Embeddings {
    times: Vec<Duration>,
    vectors: Vec<Vec<f32>>,
}

impl Embeddings {
    async fn embed(&mut self, embedder: Option<&dyn Embedder>, text: &str) -> anyhow::Result<()> {
        let Some(embedder) = embedder else { return Ok(()) };
        let started = Instant::now();
        let mut vectors = embedder.embed(vec![text.to_owned()]).await?;
        self.times.push(started.elapsed());
        self.vectors.push(vectors.pop().context("one vector")?);
        Ok(())
    }
}

#[derive(Default)]
struct EngineRun {
    turns: Vec<Duration>,
    /// The same turns by outcome, as [`Outcomes::count`] numbers them.
    by_outcome: [Vec<Duration>; 4],
    opens: Vec<Duration>,
    embeddings: Embeddings,
    outcomes: Outcomes,
}

/// Each message through `customer_says`, in conversations of up to [`PER_CONVERSATION`]
/// messages; a handoff ends a conversation (the AI no longer replies in it). With an
/// embedder, each message is also embedded alone right before its turn.
async fn engine_turns(
    engine: &Conversations,
    company: CompanyId,
    messages: &[Message],
    embedder: Option<&dyn Embedder>,
) -> anyhow::Result<EngineRun> {
    let mut run = EngineRun::default();
    let mut current: Option<(ConversationId, usize)> = None;
    for m in messages {
        let (id, n) = match current {
            Some((id, n)) if n < PER_CONVERSATION => (id, n),
            _ => {
                let started = Instant::now();
                let opened = engine.open(company, None, &m.text).await?;
                run.opens.push(started.elapsed());
                (opened.conversation.id, 0)
            }
        };
        run.embeddings.embed(embedder, &m.text).await?;
        let started = Instant::now();
        let turn: Turn = engine.customer_says(company, id, &m.text).await?;
        let took = started.elapsed();
        run.turns.push(took);
        let reply = turn.reply.as_ref();
        let outcome = run.outcomes.count(
            reply.map(|r| r.content.as_str()),
            reply.is_some_and(|r| !r.citations.is_empty()),
        );
        run.by_outcome[outcome].push(took);
        current = (turn.conversation.status == "ai").then_some((id, n + 1));
    }
    Ok(run)
}

#[derive(Default)]
struct HttpRun {
    turns: Vec<Duration>,
    firsts: Vec<Duration>,
    all: Vec<Duration>,
    embeddings: Embeddings,
    outcomes: Outcomes,
}

/// As [`engine_turns`], over `POST /api/chat`.
async fn http_turns(
    http: &Http,
    company: CompanyId,
    messages: &[Message],
    embedder: Option<&dyn Embedder>,
) -> anyhow::Result<HttpRun> {
    let mut run = HttpRun::default();
    let mut current: Option<(String, usize)> = None;
    for m in messages {
        let session = current.as_ref().filter(|(_, n)| *n < PER_CONVERSATION);
        run.embeddings.embed(embedder, &m.text).await?;
        let started = Instant::now();
        let data = http.chat(company, &m.text, session.map(|(s, _)| s.as_str())).await?;
        let took = started.elapsed();
        run.all.push(took);
        let n = match session {
            Some((_, n)) => {
                run.turns.push(took);
                *n
            }
            None => {
                run.firsts.push(took);
                0
            }
        };
        let reply = &data["reply"];
        let cited = reply["citations"].as_array().is_some_and(|c| !c.is_empty());
        run.outcomes.count(reply["content"].as_str(), cited);
        let session_id = data["sessionId"].as_str().context("a sessionId")?.to_owned();
        current = (data["status"] == "ai").then_some((session_id, n + 1));
    }
    Ok(run)
}

async fn health(http: &Http) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(HEALTH_REQUESTS);
    for _ in 0..HEALTH_REQUESTS {
        let started = Instant::now();
        http.health().await?;
        times.push(started.elapsed());
    }
    Ok(times)
}

struct Profile {
    cached_turn: Vec<Duration>,
    cached_by_outcome: [Vec<Duration>; 4],
    ground: Vec<Duration>,
    match_faq: Vec<Duration>,
    passages: Vec<Duration>,
    stamp: Vec<Duration>,
    index_search: Vec<Duration>,
    passages_read: Vec<Duration>,
    /// Passages read back per message, summed.
    passages_read_ids: usize,
    stored_only: Vec<Duration>,
    get_conversation: Vec<Duration>,
    agent_config: Vec<Duration>,
}

/// The parts of a turn, on messages whose vectors are in the query cache (`vectors` are the
/// same vectors, for the index this bench builds itself).
async fn profile(
    state: &AppState,
    company: CompanyId,
    messages: &[Message],
    vectors: &[Vec<f32>],
    documents: &[DocumentId],
) -> anyhow::Result<Profile> {
    let knowledge = &state.knowledge;
    let db = state.db.as_ref();
    let mut p = Profile {
        cached_turn: Vec::new(),
        cached_by_outcome: Default::default(),
        ground: Vec::new(),
        match_faq: Vec::new(),
        passages: Vec::new(),
        stamp: Vec::new(),
        index_search: Vec::new(),
        passages_read: Vec::new(),
        passages_read_ids: 0,
        stored_only: Vec::new(),
        get_conversation: Vec::new(),
        agent_config: Vec::new(),
    };
    let top_k = MAX_QUOTED * 2;
    for m in messages {
        let started = Instant::now();
        std::hint::black_box(ground(knowledge, db, company, &m.text, Thresholds::default()).await?);
        p.ground.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(knowledge.match_faq(company, &m.text, DEFAULT_FAQ_THRESHOLD).await?);
        p.match_faq.push(started.elapsed());
        let started = Instant::now();
        let hits =
            knowledge.search_passages(company, &m.text, top_k, DEFAULT_ANSWER_THRESHOLD).await?;
        p.passages.push(started.elapsed());
        std::hint::black_box(hits);
        let started = Instant::now();
        std::hint::black_box(db.knowledge_stamp(company).await?);
        p.stamp.push(started.elapsed());
    }

    // `search_passages` is a stamp query, the in-memory search, then reading the passages
    // back; the index is private to `Knowledge`, so the same one is built here from the same
    // stored chunks and searched with the same query.
    let model = knowledge.embedder().map(|e| e.model().to_owned());
    let entries: Vec<Entry> = db
        .indexed_chunks(company, documents)
        .await?
        .into_iter()
        .map(|c| Entry {
            key: c.id.as_uuid(),
            group: c.document_id.as_uuid(),
            text: c.text,
            vector: c.embedding.filter(|_| c.embedding_model == model),
        })
        .collect();
    let mut index = HybridIndex::new(knowledge.embedder().map_or(0, |e| e.dimensions()));
    index.extend(entries)?;
    for (m, vector) in messages.iter().zip(vectors) {
        let query = Query {
            text: &m.text,
            vector: Some(vector),
            candidates: CANDIDATES,
            limit: CANDIDATES,
        };
        let started = Instant::now();
        let hits = index.search(&query)?;
        p.index_search.push(started.elapsed());
        // The first batch `search_passages` reads back: the best-scoring recalled chunks.
        let mut scored: Vec<(f32, &Hit)> = hits.iter().map(|h| (relevance(h, false), h)).collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let ids: Vec<ChunkId> = scored
            .iter()
            .take(readback_batch(top_k))
            .map(|(_, h)| ChunkId::from_uuid(h.key))
            .collect();
        p.passages_read_ids += ids.len();
        let started = Instant::now();
        std::hint::black_box(db.passages(company, &ids).await?);
        p.passages_read.push(started.elapsed());
    }

    let run = engine_turns(&state.conversations, company, messages, None).await?;
    p.cached_turn = run.turns;
    p.cached_by_outcome = run.by_outcome;

    // A handed-off conversation: the customer's message is stored, the AI does not reply.
    let engine = &state.conversations;
    let mut handed_off = None;
    for m in messages.iter().filter(|m| m.kind == Kind::Nothing) {
        let opened = engine.open(company, None, &m.text).await?;
        let turn = engine.customer_says(company, opened.conversation.id, &m.text).await?;
        if turn.conversation.status == "human" {
            handed_off = Some(turn.conversation.id);
            break;
        }
    }
    if let Some(conversation) = handed_off {
        for m in messages {
            let started = Instant::now();
            std::hint::black_box(engine.customer_says(company, conversation, &m.text).await?);
            p.stored_only.push(started.elapsed());
        }
        for _ in messages {
            let started = Instant::now();
            std::hint::black_box(db.get_conversation(company, conversation).await?);
            p.get_conversation.push(started.elapsed());
            let started = Instant::now();
            std::hint::black_box(db.get_agent_config(company).await?);
            p.agent_config.push(started.elapsed());
        }
    }
    Ok(p)
}

// ---------------------------------------------------------------------------------------------
// HTTP.

struct Http {
    base: String,
    client: reqwest::Client,
}

impl Http {
    fn new(base: String) -> Self {
        // reqwest is built without a default TLS crypto provider; a client cannot be built
        // before one is installed (a second install is a harmless error).
        let _ = rustls::crypto::ring::default_provider().install_default();
        Self { base, client: reqwest::Client::new() }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> anyhow::Result<Value> {
        let response = request.send().await?;
        let status = response.status();
        let body: Value = response.json().await?;
        if !status.is_success() || body["success"] != json!(true) {
            bail!("{status}: {body}");
        }
        Ok(body["data"].clone())
    }

    async fn register(&self) -> anyhow::Result<(String, String)> {
        let body = json!({
            "companyName": "Bench Bank",
            "companyEmail": "contact@bench.example.com",
            "adminName": "Bench Admin",
            "adminEmail": "admin@bench.example.com",
            "adminPassword": "correct horse battery",
        });
        let data = self.send(self.client.post(self.url("/api/auth/register")).json(&body)).await?;
        let token = data["token"].as_str().context("a token")?.to_owned();
        let company = data["companyId"].as_str().context("a company id")?.to_owned();
        Ok((token, company))
    }

    async fn admin_post(&self, token: &str, path: &str, body: &Value) -> anyhow::Result<Value> {
        self.send(self.client.post(self.url(path)).bearer_auth(token).json(body)).await
    }

    async fn admin_get(&self, token: &str, path: &str) -> anyhow::Result<Value> {
        self.send(self.client.get(self.url(path)).bearer_auth(token)).await
    }

    async fn chat(
        &self,
        company: CompanyId,
        message: &str,
        session: Option<&str>,
    ) -> anyhow::Result<Value> {
        let mut body = json!({"companyId": company.to_string(), "message": message});
        if let Some(session) = session {
            body["sessionId"] = json!(session);
        }
        self.send(self.client.post(self.url("/api/chat")).json(&body)).await
    }

    async fn health(&self) -> anyhow::Result<()> {
        let response = self.client.get(self.url("/health")).send().await?;
        ensure!(response.status().is_success(), "/health answered {}", response.status());
        std::hint::black_box(response.bytes().await?);
        Ok(())
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

// ---------------------------------------------------------------------------------------------
// Data: real requests, and a handbook generated from their words.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Of an intent that has an FAQ.
    Faq,
    /// Of a banking intent without one: the documents may answer.
    Document,
    /// Out of scope for a bank.
    Nothing,
}

#[derive(Clone)]
struct Message {
    text: String,
    kind: Kind,
}

struct Data {
    source: String,
    /// (intent, its requests), in file order, each request once.
    intents: Vec<(String, Vec<String>)>,
    /// Requests a bank has nothing to answer with.
    nothing: Vec<String>,
}

const FALLBACK_INTENTS: &[(&str, &[&str])] = &[
    (
        "card_arrival",
        &[
            "My card still hasn't arrived, what should I do?",
            "How long until my new card gets here?",
            "I ordered a card two weeks ago and nothing came.",
            "Where is my card? It has been ten days.",
            "Is there a way to track the card you sent me?",
            "The card you posted never reached me.",
        ],
    ),
    (
        "exchange_rate",
        &[
            "What exchange rate do you use?",
            "How do you calculate the rate for euros?",
            "Is the exchange rate the same at weekends?",
            "Why was my rate worse than the market rate?",
            "Where can I see today's exchange rates?",
            "Do you add a margin to the exchange rate?",
        ],
    ),
    (
        "pin_blocked",
        &[
            "My PIN is blocked after three tries.",
            "How do I unblock my PIN?",
            "I entered the wrong PIN too many times.",
            "Can you reset my blocked PIN please?",
            "The ATM says my PIN is locked.",
            "What do I do if my PIN got blocked?",
        ],
    ),
    (
        "refund_not_showing_up",
        &[
            "My refund is not in my account yet.",
            "The shop says it refunded me but I see nothing.",
            "How long do refunds take to appear?",
            "Where is the refund from last week?",
            "A merchant refund is missing from my balance.",
            "Why can't I see my refund?",
        ],
    ),
    (
        "top_up_failed",
        &[
            "My top up failed, why?",
            "I tried to add money and it was declined.",
            "Top-up with my debit card does not work.",
            "Why did my transfer to top up get rejected?",
            "The app says top up failed again.",
            "I can't top up my account.",
        ],
    ),
    (
        "lost_or_stolen_card",
        &[
            "I lost my card yesterday.",
            "My card was stolen, please block it.",
            "What do I do if someone took my card?",
            "I think my wallet with the card is gone.",
            "How do I report a stolen card?",
            "Can you freeze my lost card?",
        ],
    ),
];

const FALLBACK_NOTHING: &[&str] = &[
    "What's the weather like tomorrow?",
    "Tell me a joke about cats.",
    "How do I cook risotto?",
    "Who won the football last night?",
    "Book me a table for two at eight.",
    "What is the capital of Peru?",
    "Set an alarm for 6 am.",
    "How many calories are in an apple?",
    "Play some jazz music.",
    "When does the next train to Leeds leave?",
    "Translate good morning into German.",
    "How tall is Mount Everest?",
    "Recommend a good science fiction book.",
    "What time is it in Tokyo?",
];

impl Data {
    fn load() -> Self {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        let banking = std::env::var_os("BANKING77_CSV")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("banking77/train.csv"));
        let clinc = root.join("clinc150");
        let intents = std::fs::read_to_string(&banking).ok().map(|csv| {
            let mut by_intent: Vec<(String, Vec<String>)> = Vec::new();
            let mut seen = HashSet::new();
            for record in csv_records(&csv).iter().skip(1) {
                let [text, intent] = record.as_slice() else { continue };
                // A few requests span lines inside their quotes.
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if text.is_empty() || !seen.insert(text.clone()) {
                    continue;
                }
                match by_intent.iter_mut().find(|(i, _)| i == intent) {
                    Some((_, texts)) => texts.push(text),
                    None => by_intent.push((intent.to_owned(), vec![text])),
                }
            }
            by_intent
        });
        let nothing = clinc_out_of_scope(&clinc);
        let source = format!(
            "{}; {}",
            match &intents {
                Some(i) => format!("BANKING77 train split ({} intents)", i.len()),
                None => "built-in banking requests (BANKING77 not found)".to_owned(),
            },
            match &nothing {
                Some(n) => format!("CLINC150 out-of-scope and non-banking requests ({})", n.len()),
                None => "built-in out-of-scope requests (CLINC150 not found)".to_owned(),
            }
        );
        let owned = |texts: &[&str]| texts.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        Self {
            source,
            intents: intents.unwrap_or_else(|| {
                FALLBACK_INTENTS.iter().map(|(i, t)| ((*i).to_owned(), owned(t))).collect()
            }),
            nothing: nothing.unwrap_or_else(|| owned(FALLBACK_NOTHING)),
        }
    }

    /// FAQs for `faqs` intents (each a request as the question, the next few as variants),
    /// and the requests left over, as message pools.
    fn plan(&self, rng: &mut StdRng, faqs: usize) -> Plan {
        let mut order: Vec<usize> = (0..self.intents.len()).collect();
        order.shuffle(rng);
        let faq_intents: HashSet<usize> = order.iter().take(faqs).copied().collect();
        let mut plan = Plan { faqs: Vec::new(), pools: Pools::default() };
        for (i, (intent, texts)) in self.intents.iter().enumerate() {
            if faq_intents.contains(&i) && texts.len() > VARIANTS_PER_FAQ + 1 {
                let label = intent.replace('_', " ");
                plan.faqs.push(json!({
                    "question": texts[0],
                    "variants": texts[1..=VARIANTS_PER_FAQ],
                    "answer": format!(
                        "Here is what to know about {label}: the app's Help section has the steps, \
                         and our team can look at your account if they do not solve it."
                    ),
                }));
                plan.pools.faq.extend(texts[VARIANTS_PER_FAQ + 1..].iter().cloned());
            } else {
                plan.pools.document.extend(texts.iter().cloned());
            }
        }
        plan.pools.nothing = self.nothing.clone();
        for pool in [&mut plan.pools.faq, &mut plan.pools.document, &mut plan.pools.nothing] {
            pool.shuffle(rng);
        }
        plan
    }

    /// Documents adding up to `chunks` sentences, each sentence a child chunk: a handbook of
    /// every intent, sentences from templates filled with the words its customers use.
    fn documents(&self, rng: &mut StdRng, chunks: usize) -> Vec<(String, String)> {
        let vocabularies: Vec<(String, Vocabulary)> = self
            .intents
            .iter()
            .map(|(intent, texts)| (intent.replace('_', " "), Vocabulary::of(texts)))
            .collect();
        let mut seen = HashSet::new();
        let mut documents = Vec::new();
        let mut left = chunks;
        let mut part: HashMap<usize, usize> = HashMap::new();
        while left > 0 {
            let which = documents.len() % vocabularies.len();
            let (label, words) = &vocabularies[which];
            let n = left.min(SENTENCES_PER_DOCUMENT);
            let mut paragraphs = Vec::new();
            let mut paragraph = Vec::new();
            for _ in 0..n {
                let sentence = loop {
                    let s = sentence(rng, label, words);
                    if seen.insert(s.clone()) {
                        break s;
                    }
                };
                paragraph.push(sentence);
                if paragraph.len() == SENTENCES_PER_PARAGRAPH {
                    paragraphs.push(paragraph.join(" "));
                    paragraph.clear();
                }
            }
            if !paragraph.is_empty() {
                paragraphs.push(paragraph.join(" "));
            }
            let k = part.entry(which).or_default();
            *k += 1;
            documents
                .push((format!("{} guide, part {k}", capitalised(label)), paragraphs.join("\n\n")));
            left -= n;
        }
        documents
    }
}

/// The records of a CSV text: fields split on commas, quoted fields may hold commas, line
/// breaks and doubled quotes.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Out-of-scope requests and those of CLINC150's non-banking domains (validation split).
fn clinc_out_of_scope(dir: &std::path::Path) -> Option<Vec<String>> {
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("data_dev.json")).ok()?).ok()?;
    let domains: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("domains.json")).ok()?).ok()?;
    let banking: HashSet<&str> = ["banking", "credit_cards"]
        .iter()
        .filter_map(|d| domains[*d].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let pairs = |split: &str| data[split].as_array().cloned().unwrap_or_default();
    let mut seen = HashSet::new();
    let texts: Vec<String> = [pairs("oos_val"), pairs("oos_train"), pairs("val")]
        .concat()
        .iter()
        .filter_map(|p| Some((p[0].as_str()?, p[1].as_str()?)))
        .filter(|(_, intent)| !banking.contains(intent))
        .map(|(text, _)| text.to_owned())
        .filter(|t| seen.insert(t.clone()))
        .collect();
    (!texts.is_empty()).then_some(texts)
}

struct Plan {
    faqs: Vec<Value>,
    pools: Pools,
}

#[derive(Default)]
struct Pools {
    faq: Vec<String>,
    document: Vec<String>,
    nothing: Vec<String>,
    /// Messages handed out so far, to keep every text unique when a pool runs dry.
    taken: usize,
}

impl Pools {
    /// `n` messages, 4 of FAQ intents to 3 of other intents to 3 out of scope, interleaved,
    /// none handed out before.
    fn take(&mut self, n: usize) -> Vec<Message> {
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let kind = match i % 10 {
                0..=3 => Kind::Faq,
                4..=6 => Kind::Document,
                _ => Kind::Nothing,
            };
            let pool = match kind {
                Kind::Faq => &mut self.faq,
                Kind::Document => &mut self.document,
                Kind::Nothing => &mut self.nothing,
            };
            let text = pool.pop().unwrap_or_else(|| {
                // Only the built-in lists run dry; a suffix keeps the text out of the cache.
                let base = FALLBACK_NOTHING[self.taken % FALLBACK_NOTHING.len()];
                format!("{base} (message {})", self.taken)
            });
            self.taken += 1;
            out.push(Message { text, kind });
        }
        out
    }
}

/// The content words of one intent's requests, drawn by frequency.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<u64>,
}

const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "that", "this", "with", "have", "what", "when", "where", "which", "your",
    "from", "there", "been", "does", "will", "would", "could", "should", "about", "into", "they",
    "them", "their", "then", "than", "just", "some", "still", "yet", "why", "how", "can", "are",
    "was", "were", "you", "not", "but", "has", "had", "did", "its", "it's", "i'm", "don't", "any",
    "get", "got", "need", "want", "please", "help", "know", "able", "there's", "also", "one",
];

impl Vocabulary {
    fn of(texts: &[String]) -> Self {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for text in texts {
            for word in text.split(|c: char| !c.is_alphanumeric() && c != '\'') {
                let word = word.to_lowercase();
                if word.len() >= 4 && !STOP_WORDS.contains(&word.as_str()) {
                    *counts.entry(word).or_default() += 1;
                }
            }
        }
        let mut words: Vec<(String, u64)> = counts.into_iter().collect();
        words.sort();
        if words.is_empty() {
            words.push(("account".to_owned(), 1));
        }
        let mut total = 0;
        let cumulative = words
            .iter()
            .map(|(_, c)| {
                total += c;
                total
            })
            .collect();
        Self { words: words.into_iter().map(|(w, _)| w).collect(), cumulative }
    }

    fn draw(&self, rng: &mut StdRng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let pick = rng.random_range(0..total);
        let i = self.cumulative.partition_point(|&c| c <= pick).min(self.words.len() - 1);
        &self.words[i]
    }
}

/// Help-centre sentences: `{t}` the topic, `{a}` `{b}` `{c}` words of its requests, `{n}` a
/// small number, `{m}` a month. Each comes out between 40 and 300 characters, one child chunk.
const TEMPLATES: &[&str] = &[
    "For questions about {t}, check the {a} section of the app before contacting us about your {b}.",
    "Most {t} cases are resolved within {n} working days once we have confirmed the {a} and the {b}.",
    "If the {a} does not show up after {n} days, open a chat and mention {t} so the right team picks it up.",
    "We never charge a fee for {t} when the {a} was caused by a {b} on our side.",
    "Customers in the EEA can manage {t} from the {a} screen; elsewhere the {b} option may differ.",
    "To speed up a {t} request, have your {a} and the date of the {b} ready when you write to us.",
    "A {a} related to {t} is usually visible in your statement within {n} hours.",
    "Our {t} policy was last updated in {m}, and it now covers {a}, {b} and {c}.",
    "When a {a} fails, the app explains why and suggests the next step for {t}.",
    "You can cancel a {a} linked to {t} at any time, but a {b} already sent cannot be recalled.",
    "Security checks on {t} may ask for a photo of your {a} or a short video of your {b}.",
    "Business accounts follow the same {t} rules, except that {a} limits are raised to {n}000 a day.",
    "Please do not share your {a} with anyone, including staff who ask about {t} or your {b}.",
    "The {t} team works from 8 am to {n} pm on weekdays and answers {a} questions in order.",
    "If you think a {a} was applied twice, the {t} guide shows how to dispute the {b}.",
    "Some merchants hold a {a} for up to {n} days before the {t} is final.",
    "Step {n}: open the card tab, tap {a}, then choose {t} and confirm with your {b}.",
    "Rates for {t} are set when the {a} is processed, not when the {b} was made.",
    "Children's accounts cannot use {t}, and any {a} on them needs a parent's approval.",
    "A reference number for your {t} case is sent by email so you can follow the {a}.",
    "Since {m} the {a} and {b} checks for {t} run automatically, usually in under {n} minutes.",
    "Travellers should tell us about {t} before leaving, especially if a {a} or {b} is involved.",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn sentence(rng: &mut StdRng, topic: &str, words: &Vocabulary) -> String {
    let template = TEMPLATES[rng.random_range(0..TEMPLATES.len())];
    let mut out = template.replace("{t}", topic);
    for slot in ["{a}", "{b}", "{c}"] {
        out = out.replace(slot, words.draw(rng));
    }
    out = out.replace("{n}", &rng.random_range(2..10).to_string());
    out.replace("{m}", MONTHS[rng.random_range(0..MONTHS.len())])
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

// ---------------------------------------------------------------------------------------------
// Figures.

struct Stats {
    p50: f64,
    p90: f64,
    p99: f64,
    mean: f64,
    per_second: f64,
}

impl Stats {
    /// Milliseconds, nearest rank; per second is one after another (count over total time).
    fn of(times: &[Duration]) -> Self {
        if times.is_empty() {
            return Self { p50: 0.0, p90: 0.0, p99: 0.0, mean: 0.0, per_second: 0.0 };
        }
        let mut sorted = times.to_vec();
        sorted.sort();
        let at = |p: f64| {
            let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
            sorted[rank - 1].as_secs_f64() * 1e3
        };
        let total: f64 = sorted.iter().map(Duration::as_secs_f64).sum();
        Self {
            p50: at(0.50),
            p90: at(0.90),
            p99: at(0.99),
            mean: total * 1e3 / sorted.len() as f64,
            per_second: sorted.len() as f64 / total,
        }
    }
}

fn row(name: &str, times: &[Duration]) {
    let s = Stats::of(times);
    println!(
        "| {name} | {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.0} |",
        times.len(),
        s.p50,
        s.p90,
        s.p99,
        s.mean,
        s.per_second
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
