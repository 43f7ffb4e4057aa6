//! One streamed conversation through Switchboard itself against a real OpenAI-compatible
//! server, for `scripts/llm-smoke.sh`:
//! `cargo run -p switchboard-server --example llm_smoke -- http://127.0.0.1:18081/v1 [model]`.
//!
//! Starts the real server in-process (SQLite in a temp dir, the local embedding model when it
//! is there), registers a company whose AI provider is that server, indexes a returns policy,
//! opens a conversation and asks one question over the customer socket. Prints each `delta`
//! frame as the widget gets it, then the final message and the timings. Exits non-zero when
//! nothing was streamed or the builtin responder answered instead of the model: the point is
//! to prove the path provider → engine → socket, not the (tiny) model's answer quality.
//! `RUST_LOG` filters the server's log on stderr (default `warn`, which shows a provider
//! failure and the builtin fallback).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use serde_json::{Value, json};
use switchboard_ai::embedding::{Embedder, LocalModel, Precision};
use switchboard_engine::HANDOFF_REPLY;
use switchboard_server::{Application, ServerConfig, SigningKey};
use switchboard_storage::Backend;
use switchboard_storage_sqlite::SqliteBackend;
use tokio_tungstenite::tungstenite::Message;

const POLICY: &str = "Returns policy. You can return unused items within 30 days of delivery \
    for a full refund. Send them back in their original packaging with the order number. \
    Refunds reach your card within five working days of our receiving the parcel. \
    Used items can only be returned if they are faulty.";
/// Short, so that the model's answer (unbounded in length) and the history it adds to the
/// question's prompt stay small: the engine allows the provider 30 s per answer.
const OPENING: &str = "Hi!";
const QUESTION: &str = "Can I return something I did not use?";
/// How the builtin responder frames a quoted passage (`switchboard_engine::builtin`).
const BUILTIN_PREFIX: &str = "Here is what our documentation says";
/// The engine gives the provider 30 s per answer; past this something else is stuck.
const REPLY_DEADLINE: Duration = Duration::from_secs(120);
/// Conversations opened before giving up when the model hands the opening turn to a person
/// (a tiny model may call the handoff function on a greeting).
const OPENING_TRIES: usize = 3;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let base_url = args.next().context("usage: llm_smoke BASE_URL [MODEL]")?;
    let model = args.next().unwrap_or_else(|| "smollm2".to_owned());
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    // reqwest is built without a default TLS crypto provider; install ring's once.
    let _ = rustls::crypto::ring::default_provider().install_default();

    let dir = tempfile::tempdir().context("temp dir")?;
    let db: Arc<dyn Backend> = Arc::new(SqliteBackend::open(&dir.path().join("smoke.db")).await?);
    let (app, retrieval) = match load_embedder() {
        Ok((embedder, path)) => (
            Application::build_with_embedder(config(), db, Some(embedder)).await?,
            format!("hybrid (embedding model at {})", path.display()),
        ),
        Err(e) => {
            (Application::build(config(), db).await?, format!("lexical only (no model: {e:#})"))
        }
    };
    let app = app.without_job_worker();
    let jobs = app.job_runner();
    let address = app.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    println!(
        "switchboard: in-process at http://{address}, SQLite in a temp dir, retrieval {retrieval}"
    );
    println!("provider: openai-compatible at {base_url}, model {model}");

    let api = Api { client: reqwest::Client::new(), address };
    let outcome = converse(&api, &jobs, &base_url, &model).await;
    let _ = stop.send(());
    server.await.context("server task")??;
    if let Err(e) = outcome {
        // The reason alone: a backtrace of the example says nothing about the provider.
        eprintln!("FAILED: {e:#}");
        std::process::exit(1);
    }
    Ok(())
}

/// The company's set-up, the opening turn and the streamed question; `Err` on any failure,
/// including a reply the model did not stream.
async fn converse(
    api: &Api,
    jobs: &switchboard_server::JobRunner,
    base_url: &str,
    model: &str,
) -> anyhow::Result<()> {
    let registration = json!({
        "companyName": "Acme Outdoor", "companyEmail": "contact@acme-outdoor.example.com",
        "adminName": "Acme Admin", "adminEmail": "admin@acme-outdoor.example.com",
        "adminPassword": "correct horse battery",
    });
    let admin = api.call(Method::POST, "/api/auth/register", None, registration).await?;
    let token = admin["token"].as_str().context("no token")?.to_owned();
    let company = admin["companyId"].as_str().context("no companyId")?.to_owned();
    let ai = json!({"ai": {"provider": "openai", "baseUrl": base_url, "model": model}});
    api.call(Method::PUT, "/api/admin/config", Some(&token), ai).await?;

    let doc = json!({"title": "Returns policy", "content": POLICY, "format": "text"});
    let doc = api.call(Method::POST, "/api/ai/knowledge-base", Some(&token), doc).await?;
    let doc_id = doc["id"].as_str().context("no document id")?.to_owned();
    let indexing = Instant::now();
    jobs.run_pending().await.context("run the indexing job")?;
    let path = format!("/api/ai/knowledge-base/{doc_id}");
    let doc = api.call(Method::GET, &path, Some(&token), Value::Null).await?;
    ensure!(doc["status"] == "ready", "the document was not indexed: {doc}");
    println!(
        "document: \"Returns policy\" indexed in {} ms ({} chunks)",
        indexing.elapsed().as_millis(),
        doc["chunkCount"]
    );

    let session = open_conversation(api, &company).await?;
    let url = format!("ws://{}/api/chat/ws?sessionId={session}", api.address);
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.context("customer socket")?;
    let ask = json!({"type": "message", "content": QUESTION});
    println!("question (over the customer socket): {QUESTION}");
    let sent = Instant::now();
    socket.send(Message::Text(ask.to_string().into())).await.context("send the question")?;

    let mut deltas = 0usize;
    let mut streamed = String::new();
    let mut first_delta = None;
    let reply = loop {
        let frame = next_frame(&mut socket, sent).await?;
        let at = sent.elapsed().as_millis();
        match frame["type"].as_str() {
            Some("delta") => {
                let piece = frame["content"].as_str().unwrap_or_default();
                first_delta.get_or_insert(sent.elapsed());
                deltas += 1;
                streamed.push_str(piece);
                println!("  +{at:>6} ms  delta {piece:?}");
            }
            Some("message") if frame["sender"] == "ai" => break frame,
            Some("message") => println!("  +{at:>6} ms  message from {}", frame["sender"]),
            Some("error") => bail!("the socket refused the question: {frame}"),
            _ => println!("  +{at:>6} ms  {frame}"),
        }
    };
    let whole = sent.elapsed();
    let content = reply["content"].as_str().unwrap_or_default();
    println!("reply: {content:?}");
    let citations = reply["citations"].as_array().map(Vec::as_slice).unwrap_or_default();
    println!("citations: {}", citations.len());
    for c in citations {
        println!("  - {} ({}): {:?}", c["title"], c["documentId"], c["excerpt"]);
    }
    println!(
        "deltas: {deltas}; first delta after {}; whole reply after {} ms",
        first_delta.map_or("-".to_owned(), |d| format!("{} ms", d.as_millis())),
        whole.as_millis()
    );
    ensure!(
        deltas > 0,
        "no delta arrived: the model did not stream, so the builtin responder (or a handoff) answered; see the server's warnings above"
    );
    // Deltas then a builtin quote: the provider failed mid-stream and the engine fell back.
    let builtin =
        content.starts_with(BUILTIN_PREFIX) && !streamed.trim_start().starts_with(BUILTIN_PREFIX);
    ensure!(
        !builtin,
        "the builtin responder answered after {deltas} deltas: the provider failed mid-stream"
    );
    if content == HANDOFF_REPLY {
        println!("note: the model streamed text, then called the handoff function");
    }
    println!("ok: the model's reply was streamed through Switchboard to the customer socket");
    Ok(())
}

/// Opens a conversation with a greeting over `POST /api/chat` and returns its sessionId,
/// opening another if the model handed the first to a person (then the AI may not answer).
async fn open_conversation(api: &Api, company: &str) -> anyhow::Result<String> {
    for attempt in 1..=OPENING_TRIES {
        let started = Instant::now();
        let body = json!({"companyId": company, "message": OPENING});
        let data = api.call(Method::POST, "/api/chat", None, body).await?;
        println!(
            "opening turn (POST /api/chat, not streamed): {OPENING:?} -> {:?} in {} ms, status {}",
            data["reply"]["content"].as_str().unwrap_or("(none)"),
            started.elapsed().as_millis(),
            data["status"]
        );
        if data["status"] == "ai" {
            return data["sessionId"].as_str().map(str::to_owned).context("no sessionId");
        }
        println!("the opening turn was handed off ({attempt}/{OPENING_TRIES}); opening another");
    }
    bail!(
        "every opening turn was handed off to a person (a provider that fails hands off a \
         greeting, since no passage answers it; see the server's warnings above)"
    )
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next JSON frame, pings skipped, within [`REPLY_DEADLINE`] of `sent`.
async fn next_frame(socket: &mut Socket, sent: Instant) -> anyhow::Result<Value> {
    let deadline = tokio::time::Instant::from_std(sent + REPLY_DEADLINE);
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next())
            .await
            .context("no reply within the deadline")?
            .context("the socket closed")?
            .context("the socket failed")?;
        match frame {
            Message::Text(text) => return serde_json::from_str(&text).context("a non-JSON frame"),
            Message::Close(c) => bail!("the socket closed: {c:?}"),
            _ => continue,
        }
    }
}

/// The server's HTTP API: success envelopes unwrapped, anything else an error.
struct Api {
    client: reqwest::Client,
    address: SocketAddr,
}

impl Api {
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> anyhow::Result<Value> {
        let mut req = self.client.request(method.clone(), format!("http://{}{path}", self.address));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if !body.is_null() {
            req = req.json(&body);
        }
        let response = req.send().await.with_context(|| format!("{method} {path}"))?;
        let status = response.status();
        let text = response.text().await?;
        let envelope: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if !status.is_success() || envelope["success"] != true {
            bail!("{method} {path}: {status}: {text}");
        }
        Ok(envelope["data"].clone())
    }
}

fn config() -> ServerConfig {
    let key = SigningKey {
        kid: "smoke".to_owned(),
        secret: "a-smoke-signing-secret-of-at-least-32-chars".to_owned().into(),
    };
    let mut config = ServerConfig::new(([127, 0, 0, 1], 0).into(), key);
    // The model server listens on loopback, which only an operator's allowance permits.
    config.allow_private_outbound = true;
    // The opening turn waits for the model within the HTTP request; on a slow machine the
    // default could cut it short before the engine's own provider deadline.
    config.request_timeout = Duration::from_secs(120);
    config
}

/// The local all-MiniLM-L6-v2 at `SWITCHBOARD_MODEL_DIR`, else in the default model directory.
fn load_embedder() -> anyhow::Result<(Arc<dyn Embedder>, PathBuf)> {
    let dir = switchboard_ai::embedding::default_model_dir();
    let model =
        LocalModel::load(&dir, Precision::Mixed).with_context(|| format!("{}", dir.display()))?;
    Ok((Arc::new(model), dir))
}
