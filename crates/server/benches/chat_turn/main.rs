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

mod corpus;
mod data;
mod http;
mod passes;
mod report;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, ensure};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;
use switchboard_ai::embedding::{Embedder, LocalModel, Precision};
use switchboard_domain::{CompanyId, DocumentId};
use switchboard_server::{Application, ServerConfig, SigningKey};
use switchboard_storage::Backend;
use switchboard_storage_sqlite::SqliteBackend;

use crate::data::{Data, Kind};
use crate::http::Http;
use crate::passes::{engine_turns, health, http_turns, profile};
use crate::report::{Stats, load_average, print_machine, row, secs, verdict};

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
