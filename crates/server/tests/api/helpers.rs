use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use switchboard_ai::embedding::{Embedder, LocalModel, Precision};
use switchboard_domain::{CompanyId, EmailAddress, Password, PersonName, Role, UserId};
use switchboard_server::{Application, JobRunner, ServerConfig, SigningKey};
use switchboard_storage::Backend;
use switchboard_storage::NewUser;
use switchboard_storage_postgres::PostgresBackend;
use switchboard_storage_sqlite::SqliteBackend;
use switchboard_storage_tests::fixtures::{PgDbGuard, fresh_postgres_database};
use tokio::sync::oneshot;

/// Keeps the test's database alive until the test ends.
enum DbGuard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres(PgDbGuard),
}

pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub db: Arc<dyn Backend>,
    /// The server has no background job worker: queued jobs run when a test runs them.
    pub jobs: JobRunner,
    /// The server's conversation engine, for sweeps a test runs itself.
    pub conversations: Arc<switchboard_engine::Conversations>,
    guard: Option<DbGuard>,
    /// Where the database is, to open it again after a restart.
    reopen: Reopen,
    config: ServerConfig,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// A response, read whole: status, headers and the JSON body (or `Null` if not JSON).
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// Asserts the error envelope with this status and code, and returns its details.
    pub fn assert_error(&self, status: u16, code: &str) -> &Value {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        assert_eq!(self.body["success"], json!(false), "not an error envelope: {}", self.text);
        assert_eq!(self.body["error"]["code"], json!(code), "wrong code: {}", self.text);
        assert!(self.body["error"]["message"].is_string(), "no message: {}", self.text);
        &self.body["error"]["details"]
    }

    /// Asserts a success envelope with this status and returns `data`.
    pub fn assert_ok(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        assert_eq!(self.body["success"], json!(true), "not a success envelope: {}", self.text);
        &self.body["data"]
    }
}

/// The local embedding model, loaded once per test process and shared by every server.
/// Retrieval tests need it; `scripts/fetch-model.sh` (run by `scripts/test.sh`) puts it in
/// place, or `SWITCHBOARD_MODEL_DIR` points at it.
pub fn shared_embedder() -> Option<Arc<dyn Embedder>> {
    static MODEL: OnceLock<Arc<dyn Embedder>> = OnceLock::new();
    let model = MODEL.get_or_init(|| {
        let dir = std::env::var_os("SWITCHBOARD_MODEL_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(switchboard_ai::embedding::default_model_dir);
        let model = LocalModel::load(&dir, Precision::Mixed).unwrap_or_else(|e| {
            panic!("no embedding model at {}: {e}; run scripts/fetch-model.sh", dir.display())
        });
        Arc::new(model)
    });
    Some(Arc::clone(model))
}

pub fn test_config() -> ServerConfig {
    let key = SigningKey {
        kid: "test".to_owned(),
        secret: "a-test-signing-secret-of-at-least-32-chars".to_owned().into(),
    };
    let mut config = ServerConfig::new("127.0.0.1:0".parse().expect("valid address"), key);
    // Every request of a test comes from 127.0.0.1; the rate-limit tests lower these.
    config.auth_requests_per_minute = 100_000;
    config.auth_requests_burst = 100_000;
    config
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_config()).await
}

pub async fn spawn_app_with(config: ServerConfig) -> TestApp {
    let (db, guard, reopen) = test_database().await;
    let app = Application::build_with_embedder(config.clone(), db.clone(), shared_embedder())
        .await
        .expect("build the app");
    serve(app, db, guard, reopen, config)
}

/// A server built the way `switchboard serve` builds one without a model: retrieval is
/// lexical (BM25) only.
pub async fn spawn_lexical_app() -> TestApp {
    let (db, guard, reopen) = test_database().await;
    let app = Application::build(test_config(), db.clone()).await.expect("build the app");
    serve(app, db, guard, reopen, test_config())
}

/// How to open a test database again, as a restarted server would.
#[derive(Clone)]
enum Reopen {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Reopen {
    async fn open(&self) -> Arc<dyn Backend> {
        match self {
            Reopen::Sqlite(path) => Arc::new(SqliteBackend::open(path).await.expect("open SQLite")),
            Reopen::Postgres(url) => Arc::new(
                PostgresBackend::connect(url, 5).await.expect("connect to the test database"),
            ),
        }
    }
}

async fn test_database() -> (Arc<dyn Backend>, DbGuard, Reopen) {
    if std::env::var("SWITCHBOARD_TEST_BACKEND").as_deref() == Ok("postgres") {
        let (url, guard) = fresh_postgres_database().await;
        let reopen = Reopen::Postgres(url);
        (reopen.open().await, DbGuard::Postgres(guard), reopen)
    } else {
        let dir = tempfile::tempdir().expect("temp dir");
        let reopen = Reopen::Sqlite(dir.path().join("test.db"));
        (reopen.open().await, DbGuard::Sqlite(dir), reopen)
    }
}

/// With `TEST_LOG` set, the test servers' logs go to the test's output (shown when a test
/// fails, or always with `--nocapture`), filtered by its value (`1` means `info`), e.g.
/// `TEST_LOG=switchboard_server=debug`.
fn init_test_log() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        let Ok(filter) = std::env::var("TEST_LOG") else { return };
        let filter = match filter.as_str() {
            "" | "0" => return,
            "1" => "info".to_owned(),
            _ => filter,
        };
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .with_ansi(false)
            .try_init();
    });
}

fn serve(
    app: Application,
    db: Arc<dyn Backend>,
    guard: DbGuard,
    reopen: Reopen,
    config: ServerConfig,
) -> TestApp {
    init_test_log();
    let app = app.without_job_worker();
    let jobs = app.job_runner();
    let conversations = Arc::clone(&app.state().conversations);
    // reqwest is built without a default TLS crypto provider (switchboard-ai picks ring);
    // a client cannot be built before one is installed. Installing it twice is a no-op error.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let address = app.local_addr();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        client: reqwest::Client::new(),
        db,
        jobs,
        conversations,
        guard: Some(guard),
        reopen,
        config,
        stop: Some(stop),
        server: Some(server),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        read(req.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    /// Registers a company whose names and emails derive from `tag`; returns the admin's
    /// token and the company id.
    pub async fn register(&self, tag: &str) -> (String, String) {
        let reply = self.post("/api/auth/register", None, registration(tag)).await;
        let data = reply.assert_ok(201);
        (
            data["token"].as_str().expect("token").to_owned(),
            data["companyId"].as_str().expect("id").to_owned(),
        )
    }

    /// Stops the server and starts a new one on the same database, as after a crash or an
    /// upgrade: nothing survives but what was stored. The new server listens elsewhere.
    pub async fn restart(mut self) -> TestApp {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task").expect("server stopped cleanly");
        }
        let db = self.reopen.open().await;
        let app =
            Application::build_with_embedder(self.config.clone(), db.clone(), shared_embedder())
                .await
                .expect("rebuild the app");
        let guard = self.guard.take().expect("the database guard");
        serve(app, db, guard, self.reopen.clone(), self.config.clone())
    }

    /// Stops the server gracefully and drops the test database.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task").expect("server stopped cleanly");
        }
        if let Some(DbGuard::Postgres(guard)) = self.guard.take() {
            guard.drop_database().await;
        }
    }
}

pub async fn read(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body read");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, headers, body, text }
}

pub fn registration(tag: &str) -> Value {
    json!({
        "companyName": format!("{tag} Inc"),
        "companyEmail": format!("contact@{tag}.example.com"),
        "adminName": format!("{tag} Admin"),
        "adminEmail": format!("admin@{tag}.example.com"),
        "adminPassword": "correct horse battery",
    })
}

/// One company as the isolation tests see it: a signed-in admin, agent and customer.
pub struct Tenant {
    pub company_id: String,
    pub admin: String,
    pub agent: String,
    pub agent_id: String,
    pub customer: String,
    /// A knowledge-base document, an FAQ and a classification example of the company, for
    /// routes that name one.
    pub document_id: String,
    pub faq_id: String,
    pub example_id: String,
    /// A webhook tool and a workflow that calls it.
    pub tool_id: String,
    pub workflow_id: String,
    /// A conversation the customer started, and its sessionId.
    pub conversation_id: String,
    pub session_id: String,
    /// An approval request in that conversation, waiting in the routing queue.
    pub request_id: String,
}

/// Two companies, each with an admin, an agent and a customer, all signed in.
pub struct World {
    pub a: Tenant,
    pub b: Tenant,
}

pub const AGENT_PASSWORD: &str = "agent passphrase 1";

impl TestApp {
    /// Creates a staff account directly in storage (the admin routes that create agents come
    /// with company administration), then signs it in through the API.
    pub async fn add_staff(
        &self,
        company_id: &str,
        email: &str,
        role: Role,
        must_change: bool,
    ) -> Value {
        let company: CompanyId = company_id.parse().expect("company id");
        let password = Password::parse(AGENT_PASSWORD).expect("valid password");
        let user = NewUser {
            id: UserId::new(),
            email: EmailAddress::parse(email).expect("valid email"),
            name: PersonName::parse("Staff Member").expect("valid name"),
            role,
            password_hash: switchboard_server::auth::password::hash(&password).await.expect("hash"),
            must_change_password: must_change,
        };
        self.db.create_user(company, user, chrono::Utc::now()).await.expect("create staff");
        let reply = self
            .post(
                "/api/auth/login",
                None,
                json!({"email": email, "password": AGENT_PASSWORD, "companyId": company_id}),
            )
            .await;
        reply.assert_ok(200).clone()
    }

    pub async fn anonymous_customer(&self, company_id: &str) -> String {
        let reply = self
            .post("/api/auth/customer/authenticate", None, json!({"companyId": company_id}))
            .await;
        reply.assert_ok(200)["token"].as_str().expect("token").to_owned()
    }

    pub async fn tenant(&self, tag: &str) -> Tenant {
        let (admin, company_id) = self.register(tag).await;
        let login = self
            .add_staff(&company_id, &format!("agent@{tag}.example.com"), Role::CompanyAgent, false)
            .await;
        let agent = login["token"].as_str().expect("token").to_owned();
        let agent_id = login["user"]["id"].as_str().expect("id").to_owned();
        let customer = self.anonymous_customer(&company_id).await;
        let document = self
            .post(
                "/api/ai/knowledge-base",
                Some(&admin),
                json!({"title": format!("{tag} handbook"), "content": "Opening hours are nine to five.", "format": "text"}),
            )
            .await;
        let document_id = document.assert_ok(201)["id"].as_str().expect("id").to_owned();
        let faq = self
            .post(
                "/api/ai/faqs",
                Some(&admin),
                json!({"question": "When are you open?", "answer": "Nine to five."}),
            )
            .await;
        let faq_id = faq.assert_ok(201)["id"].as_str().expect("id").to_owned();
        let example = self
            .post(
                "/api/ai/classification/examples",
                Some(&admin),
                json!({"text": "Is my kettle still under warranty?", "label": "warranty"}),
            )
            .await;
        let example_id = example.assert_ok(201)["id"].as_str().expect("id").to_owned();
        let (tool_id, workflow_id) = self.tool_and_workflow(&admin).await;
        let chat = self
            .post(
                "/api/chat",
                Some(&customer),
                json!({"companyId": company_id, "message": "When are you open?"}),
            )
            .await;
        let chat = chat.assert_ok(200);
        let conversation_id = chat["conversationId"].as_str().expect("id").to_owned();
        let session_id = chat["sessionId"].as_str().expect("sessionId").to_owned();
        let request_id = self.approval_request(&company_id, &conversation_id).await;
        Tenant {
            company_id,
            admin,
            agent,
            agent_id,
            customer,
            document_id,
            faq_id,
            example_id,
            tool_id,
            workflow_id,
            conversation_id,
            session_id,
            request_id,
        }
    }

    /// Queues an approval request in the conversation directly in storage, as the approval
    /// flow would; returns its id.
    pub async fn approval_request(&self, company_id: &str, conversation_id: &str) -> String {
        let company: CompanyId = company_id.parse().expect("company id");
        let request = switchboard_storage::NewApproval {
            id: switchboard_domain::ApprovalId::new(),
            conversation_id: conversation_id.parse().expect("conversation id"),
            action: switchboard_storage::ProposedAction {
                tool: Some("refund_order".to_owned()),
                arguments: json!({"orderNumber": "123456"}),
                workflow_step: None,
            },
            summary: "Refund order 123456".to_owned(),
            priority: switchboard_domain::Priority::Medium,
            urgency: switchboard_domain::Urgency::Medium,
            reasons: json!({}),
            skill: None,
            events: vec![],
            now: chrono::Utc::now(),
        };
        let created = self.db.create_approval(company, request).await.expect("create approval");
        created.id.to_string()
    }

    /// Creates a webhook tool and a workflow calling it; returns their ids.
    pub async fn tool_and_workflow(&self, admin: &str) -> (String, String) {
        let tool = json!({"name": "refund_order", "description": "Refunds an order.",
            "type": "webhook", "config": {"url": "https://api.example.com/refund",
            "headers": {"Authorization": "Bearer secret"}}});
        let tool = self.post("/api/ai/tools", Some(admin), tool).await;
        let tool_id = tool.assert_ok(201)["id"].as_str().expect("id").to_owned();
        let workflow = json!({"name": "Refunds", "trigger": {"type": "keyword", "keywords": ["refund"]},
            "steps": [{"type": "tool", "tool": "refund_order"}]});
        let workflow = self.post("/api/ai/workflows", Some(admin), workflow).await;
        let workflow_id = workflow.assert_ok(201)["id"].as_str().expect("id").to_owned();
        (tool_id, workflow_id)
    }

    pub async fn world(&self) -> World {
        World { a: self.tenant("alpha").await, b: self.tenant("bravo").await }
    }
}

impl TestApp {
    /// Sends a multipart body (a document upload) with a bearer token.
    pub async fn send_form(
        &self,
        method: Method,
        path: &str,
        token: &str,
        form: reqwest::multipart::Form,
    ) -> Reply {
        let req = self.client.request(method, self.url(path)).bearer_auth(token).multipart(form);
        read(req.send().await.expect("request sent")).await
    }

    /// Runs the queued jobs, as the worker would, and returns the knowledge-base document,
    /// which they must have moved out of `processing`.
    pub async fn wait_for_document(&self, token: &str, document_id: &str) -> Value {
        self.jobs.run_pending().await.expect("run the queued jobs");
        let reply = self.get(&format!("/api/ai/knowledge-base/{document_id}"), Some(token)).await;
        let doc = reply.assert_ok(200);
        assert_ne!(
            doc["status"], "processing",
            "document {document_id} not indexed: {}",
            reply.text
        );
        doc.clone()
    }
}
