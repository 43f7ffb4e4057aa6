//! `switchboard demo` as an operator runs it: the first run seeds a working company and
//! prints its sign-ins, a second run changes nothing and shows no password, and
//! `--reset-passwords` issues new ones. Then a real server serves what was seeded.

use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::{CompanyId, DocumentStatus, EmailAddress, PageLimit};
use switchboard_storage::{Backend, PageRequest};
use switchboard_storage_postgres::PostgresBackend;
use switchboard_storage_sqlite::SqliteBackend;
use switchboard_storage_tests::fixtures::fresh_postgres_database;

mod support;
use support::{BIN, Server};

const DEMO_COMPANY: &str = "01920000-de70-7000-8000-000000000001";
const ADMIN: &str = "admin@demo.acme-outfitters.example.com";

/// Runs `switchboard demo` with `args`; returns its standard output.
fn demo(data_dir: &Path, database_url: Option<&str>, args: &[&str]) -> String {
    let mut cmd = Command::new(BIN);
    cmd.arg("demo")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("SWITCHBOARD_JWT_SECRET")
        .env_remove("SWITCHBOARD_DATABASE_URL")
        .env("RUST_LOG", "warn");
    if let Some(url) = database_url {
        cmd.args(["--database-url", url]);
    }
    let out = cmd.output().expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "demo failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The password printed after `email`, if any.
fn password_of(output: &str, email: &str) -> Option<String> {
    output
        .lines()
        .find(|l| l.contains(email) && l.contains("password:"))
        .and_then(|l| l.split("password: ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
}

async fn open(data_dir: &Path, database_url: Option<&str>) -> Arc<dyn Backend> {
    match database_url {
        Some(url) => Arc::new(PostgresBackend::connect(url, 2).await.expect("PostgreSQL")),
        None => {
            Arc::new(SqliteBackend::open(&data_dir.join("switchboard.db")).await.expect("SQLite"))
        }
    }
}

fn all() -> PageRequest {
    PageRequest { limit: PageLimit::parse(PageLimit::MAX).unwrap(), after: None }
}

/// Everything the demo seeded, as comparable text: ids, names and revisions.
async fn snapshot(db: &dyn Backend, company: CompanyId) -> Vec<String> {
    let mut rows = Vec::new();
    let config = db.get_agent_config(company).await.unwrap();
    rows.push(format!("config {} {}", config.branding_name, config.updated_at));
    for d in db.list_documents(company, all()).await.unwrap().items {
        rows.push(format!("doc {} {} {} {}", d.id, d.title, d.chunk_count, d.updated_at));
    }
    for f in db.list_faqs(company, all()).await.unwrap().items {
        rows.push(format!("faq {} {} {}", f.id, f.question, f.updated_at));
    }
    for t in db.list_tools(company, all()).await.unwrap().items {
        rows.push(format!("tool {} {} {}", t.id, t.spec.name.as_str(), t.updated_at));
    }
    for w in db.list_workflows(company, all()).await.unwrap().items {
        rows.push(format!("workflow {} {} {}", w.id, w.spec.name, w.updated_at));
    }
    for a in db.list_agents(company, all()).await.unwrap().items {
        let u = &a.user;
        rows.push(format!(
            "agent {} {} {:?} {} {}",
            u.id, u.email, a.skills, u.password_hash, u.updated_at
        ));
    }
    let admin = EmailAddress::parse(ADMIN).unwrap();
    let admin = db.find_user_by_email(company, &admin).await.unwrap().expect("the admin");
    rows.push(format!("admin {} {}", admin.id, admin.password_hash));
    rows
}

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

async fn post(
    client: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut req = client.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_seeds_once_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pg = if std::env::var("SWITCHBOARD_TEST_BACKEND").as_deref() == Ok("postgres") {
        Some(fresh_postgres_database().await)
    } else {
        None
    };
    let url = pg.as_ref().map(|(u, _)| u.as_str());
    let company: CompanyId = DEMO_COMPANY.parse().unwrap();

    // First run: everything is created and the passwords are printed once.
    let first = demo(dir.path(), url, &[]);
    assert!(first.contains("Created the demo company"), "{first}");
    assert!(first.contains(&format!("companyId: {DEMO_COMPANY}")), "{first}");
    assert!(first.contains("3 knowledge document(s) chunked and indexed"), "{first}");
    assert!(first.contains("/api/chat") && first.contains("curl"), "{first}");
    let admin_password = password_of(&first, ADMIN).expect("the admin's password");
    let bea = "bea@demo.acme-outfitters.example.com";
    let bea_password = password_of(&first, bea).expect("an agent's password");
    assert!(password_of(&first, "gus@demo.acme-outfitters.example.com").is_some(), "{first}");

    let db = open(dir.path(), url).await;
    let config = db.get_agent_config(company).await.unwrap();
    assert_eq!(config.branding_name, "Acme Outfitters");
    assert!(config.greeting_message.contains("Ava"), "{}", config.greeting_message);
    let docs = db.list_documents(company, all()).await.unwrap().items;
    assert_eq!(docs.len(), 3);
    for d in &docs {
        assert_eq!(d.status, DocumentStatus::Ready, "{d:?}");
        assert!(d.chunk_count > 0, "{d:?}");
    }
    assert_eq!(db.list_faqs(company, all()).await.unwrap().items.len(), 3);
    let tool = db.tool_by_name(company, "issue_refund").await.unwrap();
    assert!(tool.spec.requires_approval && tool.spec.enabled);
    let workflows = db.list_workflows(company, all()).await.unwrap().items;
    assert_eq!(workflows.len(), 1);
    assert_eq!(workflows[0].spec.name, "Refund request");
    let agents = db.list_agents(company, all()).await.unwrap().items;
    let mut skills: Vec<Vec<String>> = agents.iter().map(|a| a.skills.clone()).collect();
    skills.sort();
    assert_eq!(
        skills,
        [vec!["billing".to_owned(), "returns".to_owned()], vec!["general".to_owned()]]
    );
    let before = snapshot(db.as_ref(), company).await;
    db.close().await;

    // Second run: nothing changes, and no password is shown.
    let second = demo(dir.path(), url, &[]);
    assert!(second.contains("already exists; nothing changed"), "{second}");
    assert!(!second.contains("password:"), "{second}");
    assert!(!second.contains(&admin_password) && !second.contains(&bea_password), "{second}");
    assert!(second.contains("--reset-passwords"), "{second}");
    assert!(second.contains(ADMIN) && second.contains(bea), "{second}");
    let db = open(dir.path(), url).await;
    assert_eq!(snapshot(db.as_ref(), company).await, before, "the second run changed something");
    db.close().await;

    // A real server serves the seeded company: the printed admin password signs in, the
    // refund tool runs, and a refund request starts the workflow.
    let server = Server::start_with(dir.path(), url, &[]);
    let client = http();
    let login = json!({"email": ADMIN, "password": admin_password, "companyId": DEMO_COMPANY});
    let (status, body) = post(&client, server.url("/api/auth/login"), None, login).await;
    assert_eq!(status, 200, "{body}");
    let token = body["data"]["token"].as_str().unwrap().to_owned();
    let test = server.url(&format!("/api/ai/tools/{}/test", tool.id));
    let (status, body) =
        post(&client, test, Some(&token), json!({"arguments": {"orderNumber": "12345"}})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["result"]["message"], "Refund issued for order 12345.", "{body}");
    let chat = json!({"companyId": DEMO_COMPANY, "message": "Hi, I would like a refund please"});
    let (status, body) = post(&client, server.url("/api/chat"), None, chat).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["reply"]["content"], "What is your order number?", "{body}");
    drop(server);

    // Asked for, new one-time passwords replace the old ones.
    let third = demo(dir.path(), url, &["--reset-passwords"]);
    let new_admin = password_of(&third, ADMIN).expect("a new admin password");
    assert_ne!(new_admin, admin_password);
    assert!(password_of(&third, bea).is_some_and(|p| p != bea_password), "{third}");
    let server = Server::start_with(dir.path(), url, &[]);
    let login =
        |password: &str| json!({"email": ADMIN, "password": password, "companyId": DEMO_COMPANY});
    let (old, _) = post(&client, server.url("/api/auth/login"), None, login(&admin_password)).await;
    assert_eq!(old, 401);
    let (new, body) = post(&client, server.url("/api/auth/login"), None, login(&new_admin)).await;
    assert_eq!(new, 200, "{body}");
    drop(server);

    if let Some((_, guard)) = pg {
        guard.drop_database().await;
    }
}
