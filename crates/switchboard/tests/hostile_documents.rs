//! Hostile knowledge documents against the real `switchboard` binary: a document built to
//! crash or stall the indexer must fail on its own, with a reason, while the process keeps
//! serving every other company. A child process, because a stack overflow aborts the whole
//! process and would take a test runner down with it.

use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};
use switchboard_storage_tests::fixtures::fresh_postgres_database;

mod support;
use support::Server;

impl Server {
    /// Without an embedding model: indexing is extraction and chunking only, which is what is
    /// under test, and start-up does not depend on a downloaded model.
    fn start(data_dir: &Path, database_url: Option<&str>, env: &[(&str, &str)]) -> Server {
        let mut all =
            vec![("SWITCHBOARD_EMBEDDINGS", "none"), ("RUST_LOG", "warn,switchboard=info")];
        all.extend_from_slice(env);
        Self::start_with(data_dir, database_url, &all)
    }

    /// Panics if the process has exited.
    fn assert_alive(&mut self) {
        if let Some(status) = self.child.try_wait().expect("wait") {
            panic!("the server process died: {status}");
        }
    }
}

fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap()
}

/// Registers a company; returns its admin's token.
async fn register(client: &reqwest::Client, server: &Server, name: &str) -> String {
    let body = json!({
        "companyName": name,
        "companyEmail": format!("hello@{name}.example.com"),
        "adminName": "Admin",
        "adminEmail": format!("admin@{name}.example.com"),
        "adminPassword": "correct horse battery",
    });
    let reply = client.post(server.url("/api/auth/register")).json(&body).send().await.unwrap();
    assert_eq!(reply.status(), 201, "registration of {name}");
    let reply: Value = reply.json().await.unwrap();
    reply["data"]["token"].as_str().expect("a token").to_owned()
}

/// Uploads a document as JSON; returns its id.
async fn upload(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    format: &str,
    content: &str,
) -> String {
    let body = json!({"title": "Doc", "format": format, "content": content});
    let reply = client
        .post(server.url("/api/ai/knowledge-base"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201, "upload");
    let reply: Value = reply.json().await.unwrap();
    reply["data"]["id"].as_str().expect("an id").to_owned()
}

async fn document(client: &reqwest::Client, server: &Server, token: &str, id: &str) -> Value {
    let path = format!("/api/ai/knowledge-base/{id}");
    let reply = client.get(server.url(&path)).bearer_auth(token).send().await.unwrap();
    assert_eq!(reply.status(), 200, "read document");
    reply.json::<Value>().await.unwrap()["data"].clone()
}

/// Polls until the document leaves `processing`, checking the process stays up meanwhile.
async fn settled(
    client: &reqwest::Client,
    server: &mut Server,
    token: &str,
    id: &str,
    within: Duration,
) -> Value {
    let deadline = Instant::now() + within;
    loop {
        server.assert_alive();
        let doc = document(client, server, token, id).await;
        if doc["status"] != "processing" {
            return doc;
        }
        assert!(Instant::now() < deadline, "document still processing after {within:?}: {doc}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How many of `ids` are no longer `processing`.
async fn settled_count(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    ids: &[String],
) -> usize {
    let mut done = 0;
    for id in ids {
        if document(client, server, token, id).await["status"] != "processing" {
            done += 1;
        }
    }
    done
}

fn nested_divs(depth: usize) -> String {
    format!("<html><body>{}deep{}</body></html>", "<div>".repeat(depth), "</div>".repeat(depth))
}

/// Runs `story` against a server on SQLite, or on a fresh PostgreSQL database when
/// `SWITCHBOARD_TEST_BACKEND=postgres`.
async fn with_server<F, Fut>(env: &[(&str, &str)], story: F)
where
    F: FnOnce(Server) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    if std::env::var("SWITCHBOARD_TEST_BACKEND").as_deref() == Ok("postgres") {
        let (url, guard) = fresh_postgres_database().await;
        story(Server::start(dir.path(), Some(&url), env)).await;
        guard.drop_database().await;
    } else {
        story(Server::start(dir.path(), None, env)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeply_nested_html_fails_alone_and_the_server_keeps_serving() {
    with_server(&[], async |mut server| {
        let client = http_client();
        let mallory = register(&client, &server, "mallory").await;
        let alice = register(&client, &server, "alice").await;

        // 40,000 nested elements, 240 KB: once enough to overflow the extractor's stack.
        let hostile = upload(&client, &server, &mallory, "html", &nested_divs(40_000)).await;
        let plain = upload(&client, &server, &alice, "text", "Opening hours are 9 to 5.").await;

        let doc = settled(&client, &mut server, &mallory, &hostile, Duration::from_secs(60)).await;
        assert_eq!(doc["status"], "failed", "{doc}");
        let reason = doc["error"].as_str().unwrap_or_default();
        assert!(reason.contains("nested"), "the reason names the nesting: {reason:?}");

        let doc = settled(&client, &mut server, &alice, &plain, Duration::from_secs(30)).await;
        assert_eq!(doc["status"], "ready", "{doc}");
        let health = client.get(server.url("/health")).send().await.unwrap();
        assert_eq!(health.status(), 200);
        server.assert_alive();
    })
    .await;
}

/// Markup within the nesting limit that still keeps the parser busy for seconds (over the
/// 2 s budget the test sets): many paragraphs deep inside the tree, each costing a walk of
/// the open elements.
fn slow_html() -> String {
    let depth = 250;
    let body = "<p>x".repeat(1024 * 1024 / 4);
    format!("{}{body}{}", "<div>".repeat(depth), "</div>".repeat(depth))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_documents_of_one_company_do_not_hold_back_another() {
    let env = [("SWITCHBOARD_JOB_WORKERS", "2"), ("SWITCHBOARD_JOB_TIMEOUT_SECS", "2")];
    with_server(&env, async |mut server| {
        let client = http_client();
        let mallory = register(&client, &server, "mallory").await;
        let alice = register(&client, &server, "alice").await;
        // Alice's first document loads and warms the embedding model, so that the one timed
        // below costs only its own indexing (a cold model load took seconds on a slow host,
        // long enough for more of Mallory's documents to time out meanwhile).
        let warm = upload(&client, &server, &alice, "text", "We are closed on Sundays.").await;
        let doc = settled(&client, &mut server, &alice, &warm, Duration::from_secs(60)).await;
        assert_eq!(doc["status"], "ready", "{doc}");

        // Four times as many slow documents as there are workers, queued first.
        let slow = slow_html();
        let mut hostile = Vec::new();
        for _ in 0..8 {
            hostile.push(upload(&client, &server, &mallory, "html", &slow).await);
        }
        let done_before = settled_count(&client, &server, &mallory, &hostile).await;
        let plain = upload(&client, &server, &alice, "text", "Opening hours are 9 to 5.").await;

        // Alice's line waits at most for one worker to come free (the time budget), then
        // goes before Mallory's older documents: taken oldest first, it would wait for all
        // eight to run out of time. Fair, it sees the two that were running finish, and on a
        // slow host one more round of the other worker while it is indexed and polled.
        let doc = settled(&client, &mut server, &alice, &plain, Duration::from_secs(60)).await;
        assert_eq!(doc["status"], "ready", "{doc}");
        let overtaken = settled_count(&client, &server, &mallory, &hostile).await - done_before;
        assert!(
            overtaken <= 4,
            "{overtaken} of mallory's documents finished while alice's waited \
             ({done_before} had before it was uploaded)"
        );

        // Each slow document is failed when its budget runs out, with the reason.
        for id in &hostile {
            let doc = settled(&client, &mut server, &mallory, id, Duration::from_secs(30)).await;
            assert_eq!(doc["status"], "failed", "{doc}");
            let reason = doc["error"].as_str().unwrap_or_default();
            assert!(reason.contains("longer than 2 s"), "the reason names the budget: {reason:?}");
        }
        server.assert_alive();
    })
    .await;
}
