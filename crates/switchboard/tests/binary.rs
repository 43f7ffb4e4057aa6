//! Tests of the real `switchboard` binary as an operator runs it: zero-configuration start,
//! restarts, crash safety, and the operational subcommands.

use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use switchboard_storage_tests::fixtures::{PgDbGuard, fresh_postgres_database};

mod support;
use support::{BIN, Server};

impl Server {
    fn start(data_dir: &Path, database_url: Option<&str>) -> Server {
        Self::start_with(data_dir, database_url, &[])
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL delivered");
        self.child.wait().expect("reaped");
    }

    /// SIGTERM, then waits for a clean exit.
    fn terminate(mut self) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "graceful shutdown should exit 0, got {status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not stop after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The database the test runs on: SQLite in the data directory, or a fresh PostgreSQL
/// database when `SWITCHBOARD_TEST_BACKEND=postgres`.
async fn database() -> Option<(String, PgDbGuard)> {
    if std::env::var("SWITCHBOARD_TEST_BACKEND").as_deref() == Ok("postgres") {
        Some(fresh_postgres_database().await)
    } else {
        None
    }
}

fn registration(n: usize, run: &str) -> Value {
    json!({
        "companyName": format!("Crash {n}"),
        "companyEmail": format!("c{n}-{run}@crash.example.com"),
        "adminName": "Admin",
        "adminEmail": format!("admin{n}@crash.example.com"),
        "adminPassword": "correct horse battery",
    })
}

/// reqwest is built with rustls but no default crypto provider (the server picks ring), so
/// one must be installed before a client is built; installing it twice is a no-op error.
fn http_client(timeout: Duration) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(timeout).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_a_sigkill_and_sqlite_stays_intact() {
    let dir = tempfile::tempdir().unwrap();
    let pg = database().await;
    let url = pg.as_ref().map(|(u, _)| u.as_str());
    let server = Server::start(dir.path(), url);
    let client = http_client(Duration::from_secs(10));
    let run = uuid_like();

    // Arrange: writers hammer registration; each 201 is an acknowledged write.
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let counter = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut writers = Vec::new();
    for _ in 0..6 {
        let (client, url, acked, counter, run) = (
            client.clone(),
            server.url("/api/auth/register"),
            acknowledged.clone(),
            counter.clone(),
            run.clone(),
        );
        writers.push(tokio::spawn(async move {
            loop {
                let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                match client.post(&url).json(&registration(n, &run)).send().await {
                    Ok(r) if r.status() == 201 => {
                        let body: Value = r.json().await.unwrap_or(Value::Null);
                        if let Some(t) = body["data"]["token"].as_str() {
                            acked.lock().unwrap().push(t.to_owned());
                        }
                    }
                    Ok(r) => assert!(r.status().is_success(), "unexpected {}", r.status()),
                    Err(_) => return, // the server is gone
                }
            }
        }));
    }
    // Act: kill the process mid-stream, with requests in flight.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acknowledged.lock().unwrap().len() < 40 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    for w in writers {
        w.await.unwrap();
    }
    let tokens = acknowledged.lock().unwrap().clone();
    assert!(tokens.len() >= 40, "only {} writes were acknowledged", tokens.len());

    // Assert: after a restart every acknowledged registration and its session are there
    // (which also shows the development signing key survived the restart).
    let server = Server::start(dir.path(), url);
    for token in &tokens {
        let r = client.get(server.url("/api/auth/me")).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), 200, "an acknowledged registration was lost");
    }
    server.terminate();
    if let Some((_, guard)) = pg {
        guard.drop_database().await;
    } else {
        let db =
            switchboard_storage_sqlite::SqliteBackend::open(&dir.path().join("switchboard.db"))
                .await
                .unwrap();
        db.integrity_check().await.expect("PRAGMA integrity_check says ok");
    }
}

#[tokio::test]
async fn it_runs_with_zero_configuration_and_answers_health() {
    let dir = tempfile::tempdir().unwrap();
    let pg = database().await;
    let server = Server::start(dir.path(), pg.as_ref().map(|(u, _)| u.as_str()));
    let health: Value = http_client(Duration::from_secs(10))
        .get(server.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["data"]["status"], "ok");
    assert!(
        dir.path().join("dev-jwt-secret").exists(),
        "the development key is kept in the data dir"
    );
    if pg.is_none() {
        assert!(dir.path().join("switchboard.db").exists());
    }

    let ok = Command::new(BIN).args(["healthcheck", "--bind", &server.address]).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    server.terminate();
    let down = Command::new(BIN).args(["healthcheck", "--bind", "127.0.0.1:9"]).output().unwrap();
    assert!(!down.status.success());
    if let Some((_, guard)) = pg {
        guard.drop_database().await;
    }
}

#[test]
fn production_mode_refuses_to_start_without_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--production", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env_remove("SWITCHBOARD_JWT_SECRET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SWITCHBOARD_JWT_SECRET"), "{stderr}");
    assert!(!dir.path().join("dev-jwt-secret").exists());
}

#[tokio::test]
async fn no_secret_token_or_password_reaches_the_log_at_any_level() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "an-explicit-production-secret-0123456789";
    let env = [("SWITCHBOARD_JWT_SECRET", secret), ("RUST_LOG", "trace")];
    let server = Server::start_with(dir.path(), None, &env);
    let client = http_client(Duration::from_secs(30));
    let password = "a rather secret passphrase";
    let body = json!({"companyName": "Logs", "companyEmail": "c@logs.example.com", "adminName": "A",
        "adminEmail": "a@logs.example.com", "adminPassword": password});
    let reply: Value = client
        .post(server.url("/api/auth/register"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = reply["data"]["token"].as_str().expect("registered").to_owned();
    let company = reply["data"]["companyId"].as_str().unwrap().to_owned();
    let me = client.get(server.url("/api/auth/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(me.status(), 200);
    let wrong = json!({"email": "a@logs.example.com", "password": "wrong-password-xyz", "companyId": company});
    client.post(server.url("/api/auth/login")).json(&wrong).send().await.unwrap();
    let ws =
        client.get(server.url(&format!("/api/events?access_token={token}"))).send().await.unwrap();
    drop(ws);
    let log = server.log.clone();
    server.terminate();
    let log = log.lock().unwrap().join("\n");
    assert!(log.contains("switchboard is listening"), "the log was captured: {log}");
    assert!(log.lines().count() > 10, "trace logging was on");
    for (what, value) in [
        ("signing secret", secret),
        ("token", token.as_str()),
        ("password", password),
        ("wrong password", "wrong-password-xyz"),
    ] {
        assert!(!log.contains(value), "the {what} appears in the log");
    }
}

#[test]
fn export_openapi_prints_an_openapi_3_document() {
    let out = Command::new(BIN).arg("export-openapi").output().unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/auth/register"]["post"].is_object());
}

#[test]
fn migrate_creates_a_fresh_database_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let out = Command::new(BIN)
            .args(["migrate", "--data-dir"])
            .arg(dir.path())
            .env_remove("SWITCHBOARD_DATABASE_URL")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(dir.path().join("switchboard.db").exists());
}

#[test]
fn rebuild_rollups_runs_on_a_fresh_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["rebuild-rollups", "--data-dir"])
        .arg(dir.path())
        .env_remove("SWITCHBOARD_DATABASE_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bad = Command::new(BIN)
        .args(["rebuild-rollups", "--company", "not-a-uuid", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!bad.status.success(), "a malformed company id is refused");
}

fn uuid_like() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    )
}
