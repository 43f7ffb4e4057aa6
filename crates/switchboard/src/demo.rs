//! `switchboard demo`: a ready-to-try company, seeded through the same storage traits, domain
//! parsers and ingestion path as the API (documents are queued and indexed by the server's
//! job runner, FAQs embedded by the knowledge service), so what it seeds behaves exactly
//! like what an admin creates.
//!
//! It is idempotent: the company has a fixed id, and each piece (configuration, documents,
//! FAQs, the tool, the workflow, the accounts) is created only when it is missing. Passwords
//! are generated for accounts it creates and printed once; they are never stored in clear,
//! so a later run cannot show them and offers `--reset-passwords` instead.

use crate::settings::Settings;
use crate::{backend, embedder};
use anyhow::{Context, bail};
use chrono::Utc;
use rand::Rng;
use serde_json::json;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use switchboard_domain::tool::{check_parameters, parse_function_config, parse_tool_description};
use switchboard_domain::{
    BoundedText, CompanyId, CompanyName, Cursor, DocumentFormat, DocumentId, EmailAddress, JobId,
    PageLimit, Password, PersonName, Role, SessionId, Skill, ToolId, ToolKind, ToolName, ToolSpec,
    UserId, ValidationErrors, WorkflowId, WorkflowInput, WorkflowSpec,
};
use switchboard_server::{AppState, Application, ServerConfig, SigningKey};
use switchboard_storage::{
    AgentConfigDefaults, AgentConfigUpdate, Backend, FaqContent, NewDocument, NewRegistration,
    NewSession, NewUser, PageRequest, SessionSubject, StorageError,
};

/// The demo company's id, the same on every installation so a second run finds it.
pub const DEMO_COMPANY_ID: &str = "01920000-de70-7000-8000-000000000001";
const COMPANY_NAME: &str = "Acme Outfitters";
const COMPANY_EMAIL: &str = "hello@demo.acme-outfitters.example.com";
const ADMIN_NAME: &str = "Ada Admin";
const ADMIN_EMAIL: &str = "admin@demo.acme-outfitters.example.com";

struct DemoAgent {
    name: &'static str,
    email: &'static str,
    skills: &'static [&'static str],
}

const AGENTS: [DemoAgent; 2] = [
    DemoAgent {
        name: "Bea Billing",
        email: "bea@demo.acme-outfitters.example.com",
        skills: &["billing", "returns"],
    },
    DemoAgent {
        name: "Gus General",
        email: "gus@demo.acme-outfitters.example.com",
        skills: &["general"],
    },
];

const DOCUMENTS: [(&str, &str); 3] = [
    (
        "Returns policy",
        "# Returns policy\n\nYou can return unused items within 30 days of delivery for a full \
         refund. Start a return from your account's order page, or ask us here with your order \
         number.\n\nRefunds go back to the original payment method within 5 working days of the \
         return reaching our warehouse. Sale items can be exchanged but not refunded.",
    ),
    (
        "Shipping times",
        "# Shipping times\n\nStandard shipping takes 3 to 5 working days within the country and \
         is free on orders over $50. Express shipping takes 1 to 2 working days and costs $12.\n\n\
         International orders arrive in 7 to 14 working days; customs fees are paid on delivery. \
         Every order gets a tracking link by email once it leaves the warehouse.",
    ),
    (
        "Account help",
        "# Account help\n\nTo reset your password, choose \"Forgot password\" on the sign-in page; \
         the link in the email works for one hour.\n\nYou can change your email address and \
         delivery addresses under Account settings. To close your account, ask our team: we \
         confirm by email before deleting anything.",
    ),
];

const FAQS: [(&str, &str); 3] = [
    (
        "How long do refunds take?",
        "Refunds reach your original payment method within 5 working days of the return arriving at our warehouse.",
    ),
    (
        "Do you ship internationally?",
        "Yes. International orders arrive in 7 to 14 working days; customs fees are paid on delivery.",
    ),
    (
        "How do I reset my password?",
        "Choose \"Forgot password\" on the sign-in page and follow the link we email you within the hour.",
    ),
];

const TOOL_NAME: &str = "issue_refund";
const WORKFLOW_NAME: &str = "Refund request";

/// What the demo's `issue_refund` script does: a stand-in for a payment provider's call.
const REFUND_SCRIPT: &str = r#"#{
    refunded: true,
    orderNumber: args.orderNumber,
    message: `Refund issued for order ${args.orderNumber}.`
}"#;

/// A password set in this run, shown once.
struct Issued {
    email: String,
    what: String,
    password: String,
    /// The first sign-in must replace it.
    one_time: bool,
}

/// What one run did, to be printed.
#[derive(Default)]
struct Report {
    company_created: bool,
    created: Vec<String>,
    /// Accounts given a password in this run.
    passwords: Vec<Issued>,
    /// Accounts that exist but whose passwords this run cannot show.
    existing_accounts: Vec<(String, String)>,
    indexed: Option<usize>,
}

/// Seeds the demo company (or completes it), then prints how to use it.
pub async fn run(settings: Settings, reset_passwords: bool) -> anyhow::Result<()> {
    let db = backend::open(&settings).await?;
    let embedder = embedder::load(&settings).await?;
    // A server that never serves: its knowledge service, indexing jobs and storage are
    // what the API uses. Its signing key signs nothing (no token is issued here, and no
    // secret is sealed with the key the cipher derives from it).
    let throwaway = SigningKey { kid: "demo".to_owned(), secret: hex_secret().into() };
    let mut config = ServerConfig::new(SocketAddr::from(([127, 0, 0, 1], 0)), throwaway);
    config.job_timeout = std::time::Duration::from_secs(settings.job_timeout_secs);
    config.max_pdf_pages = settings.max_pdf_pages;
    let app = Application::build_with_embedder(config, Arc::clone(&db), embedder)
        .await
        .context("while preparing the demo")?
        .without_job_worker();
    let state = app.state().clone();
    let company: CompanyId = DEMO_COMPANY_ID.parse().context("the demo company id")?;

    let mut report = Report::default();
    let outcome = seed(&state, company, reset_passwords, &mut report).await;
    let outcome = match outcome {
        Ok(()) if report.indexed.is_some() => {
            // The queued `index_document` jobs, run as the server's worker runs them.
            app.job_runner().run_pending().await.context("while indexing the documents")?;
            Ok(())
        }
        other => other,
    };
    db.close().await;
    outcome?;
    print(&settings, company, &report);
    Ok(())
}

async fn seed(
    state: &AppState,
    company: CompanyId,
    reset_passwords: bool,
    report: &mut Report,
) -> anyhow::Result<()> {
    let db = state.db.as_ref();
    match db.get_company(company).await {
        Ok(_) => {}
        Err(StorageError::NotFound) => {
            register(db, company, report).await?;
            configure(db, company).await?;
            report.company_created = true;
        }
        Err(e) => return Err(e).context("while looking for the demo company"),
    }
    documents(state, company, report).await?;
    faqs(state, company, report).await?;
    tool(db, company, report).await?;
    workflow(db, company, report).await?;
    agents(db, company, report).await?;
    if reset_passwords {
        reset(db, company, report).await?;
    }
    Ok(())
}

async fn register(db: &dyn Backend, company: CompanyId, report: &mut Report) -> anyhow::Result<()> {
    let password = new_password();
    let admin_id = UserId::new();
    let now = Utc::now();
    let registration = NewRegistration {
        company_id: company,
        company_name: parse(CompanyName::parse(COMPANY_NAME))?,
        company_email: parse(EmailAddress::parse(COMPANY_EMAIL))?,
        admin: NewUser {
            id: admin_id,
            email: parse(EmailAddress::parse(ADMIN_EMAIL))?,
            name: parse(PersonName::parse(ADMIN_NAME))?,
            role: Role::CompanyAdmin,
            password_hash: hash(&password).await?,
            must_change_password: false,
        },
        config: AgentConfigDefaults {
            agent_name: "Ava".to_owned(),
            branding_name: COMPANY_NAME.to_owned(),
            greeting_message: greeting(),
        },
        // Registration opens the admin's first session; nobody holds its token, and it is
        // revoked at once.
        session: NewSession {
            id: SessionId::new(),
            subject: SessionSubject::User(admin_id),
            role: Role::CompanyAdmin,
            expires_at: now + chrono::Duration::minutes(1),
            client_addr: None,
            user_agent: Some("switchboard demo".to_owned()),
        },
        now,
    };
    match db.register_company(registration).await {
        Ok(_) => {}
        Err(StorageError::Conflict { .. }) => bail!(
            "another company already uses the demo's email {COMPANY_EMAIL}; the demo cannot be created here"
        ),
        Err(e) => return Err(e).context("while registering the demo company"),
    }
    db.revoke_subject_sessions(company, SessionSubject::User(admin_id), None, Utc::now()).await?;
    report.created.push(format!("company {COMPANY_NAME:?}"));
    report.passwords.push(Issued {
        email: ADMIN_EMAIL.to_owned(),
        what: "admin".to_owned(),
        password,
        one_time: false,
    });
    Ok(())
}

fn greeting() -> String {
    format!("Hi! I'm Ava from {COMPANY_NAME}. Ask me about returns, shipping or your account.")
}

/// Branding and greeting, set once when the company is created (a later run keeps whatever
/// the admin changed since).
async fn configure(db: &dyn Backend, company: CompanyId) -> anyhow::Result<()> {
    let color = parse(switchboard_domain::HexColor::parse("#0f766e"))?;
    let update = AgentConfigUpdate {
        agent_name: Some("Ava".to_owned()),
        agent_persona: Some(
            "Friendly, concise and practical. Answers from Acme Outfitters' own help pages, \
             and hands over to a person when unsure."
                .to_owned(),
        ),
        branding_name: Some(COMPANY_NAME.to_owned()),
        branding_primary_color: Some(color.as_str().to_owned()),
        greeting_message: Some(greeting()),
        ..Default::default()
    };
    db.update_agent_config(company, update, Utc::now()).await?;
    Ok(())
}

async fn documents(
    state: &AppState,
    company: CompanyId,
    report: &mut Report,
) -> anyhow::Result<()> {
    let mut titles = BTreeSet::new();
    let mut after: Option<Cursor> = None;
    loop {
        let page = state.db.list_documents(company, page(after)).await?;
        titles.extend(page.items.into_iter().map(|d| d.title));
        match next(page.next_cursor)? {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    let mut queued = 0;
    for (title, content) in DOCUMENTS {
        if titles.contains(title) {
            continue;
        }
        let doc = NewDocument {
            id: DocumentId::new(),
            title: parse(BoundedText::parse(title, 1, 200))?.into_inner(),
            format: DocumentFormat::Markdown,
            content: content.to_owned(),
            source_name: None,
            job_id: JobId::new(),
            created_at: Utc::now(),
        };
        state.db.create_document(company, doc).await?;
        report.created.push(format!("document {title:?}"));
        queued += 1;
    }
    if queued > 0 {
        report.indexed = Some(queued);
    }
    Ok(())
}

async fn faqs(state: &AppState, company: CompanyId, report: &mut Report) -> anyhow::Result<()> {
    let mut questions = BTreeSet::new();
    let mut after: Option<Cursor> = None;
    loop {
        let page = state.db.list_faqs(company, page(after)).await?;
        questions.extend(page.items.into_iter().map(|f| f.question));
        match next(page.next_cursor)? {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    for (question, answer) in FAQS {
        if questions.contains(question) {
            continue;
        }
        let content = FaqContent {
            question: parse(BoundedText::parse(question, 1, 500))?.into_inner(),
            answer: parse(BoundedText::parse(answer, 1, 5000))?.into_inner(),
            variants: Vec::new(),
            category: None,
            tags: vec!["demo".to_owned()],
            enabled: true,
        };
        // Through the knowledge service, which embeds the question as the API does.
        state.knowledge.create_faq(company, content).await?;
        report.created.push(format!("FAQ {question:?}"));
    }
    Ok(())
}

/// The `issue_refund` tool, checked by the same parsers and compilers as the API.
pub fn refund_tool() -> anyhow::Result<ToolSpec> {
    let parameters = json!({
        "type": "object",
        "properties": {
            "orderNumber": {"type": "string", "pattern": "^[0-9]{5,}$",
                            "description": "The order number: five or more digits."}
        },
        "required": ["orderNumber"],
        "additionalProperties": false
    });
    check_parameters(&parameters).map_err(anyhow::Error::msg)?;
    switchboard_tools::ParameterSchema::compile(&parameters)?;
    let config = json!({"script": REFUND_SCRIPT});
    let mut errors = ValidationErrors::new();
    let Some(function) = parse_function_config(&config, &mut errors) else {
        bail!("the demo tool's config is invalid: {errors:?}");
    };
    switchboard_tools::FunctionTool::compile(&function.script)?;
    Ok(ToolSpec {
        name: parse(ToolName::parse(TOOL_NAME))?,
        description: parse(parse_tool_description(
            "Refunds an order in full, by its order number. A person approves each refund.",
        ))?,
        kind: ToolKind::Function,
        parameters,
        config: serde_json::to_value(function)?,
        requires_approval: true,
        enabled: true,
    })
}

async fn tool(db: &dyn Backend, company: CompanyId, report: &mut Report) -> anyhow::Result<()> {
    match db.tool_by_name(company, TOOL_NAME).await {
        Ok(_) => return Ok(()),
        Err(StorageError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    db.create_tool(company, ToolId::new(), refund_tool()?, None, Utc::now()).await?;
    report.created.push(format!("tool {TOOL_NAME} (requires approval)"));
    Ok(())
}

/// The "Refund request" workflow, checked by [`WorkflowSpec::parse`] against `tools`.
pub fn refund_workflow(tools: &BTreeSet<String>) -> anyhow::Result<WorkflowSpec> {
    let input = WorkflowInput {
        name: WORKFLOW_NAME.to_owned(),
        description: "Collects the order number and issues the refund once a person approves it."
            .to_owned(),
        trigger: json!({"type": "keyword", "keywords": ["refund"]}),
        steps: vec![
            json!({"type": "ask", "field": "orderNumber", "prompt": "What is your order number?",
                   "pattern": r"\b([0-9]{5,})\b"}),
            json!({"type": "tool", "tool": TOOL_NAME,
                   "arguments": {"orderNumber": "{{orderNumber}}"}}),
            json!({"type": "message",
                   "content": "Your refund for order {{orderNumber}} is on its way."}),
        ],
        enabled: true,
    };
    WorkflowSpec::parse(input, tools)
        .map_err(|e| anyhow::anyhow!("the demo workflow is invalid: {e:?}"))
}

async fn workflow(db: &dyn Backend, company: CompanyId, report: &mut Report) -> anyhow::Result<()> {
    let mut after: Option<Cursor> = None;
    loop {
        let page = db.list_workflows(company, page(after)).await?;
        if page.items.iter().any(|w| w.spec.name == WORKFLOW_NAME) {
            return Ok(());
        }
        match next(page.next_cursor)? {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    let tools: BTreeSet<String> = db.tool_names(company).await?.into_iter().collect();
    db.create_workflow(company, WorkflowId::new(), refund_workflow(&tools)?, Utc::now()).await?;
    report.created.push(format!("workflow {WORKFLOW_NAME:?}"));
    Ok(())
}

async fn agents(db: &dyn Backend, company: CompanyId, report: &mut Report) -> anyhow::Result<()> {
    for agent in &AGENTS {
        let email = parse(EmailAddress::parse(agent.email))?;
        let what = format!("agent, skills {}", agent.skills.join(", "));
        if db.find_user_by_email(company, &email).await?.is_some() {
            report.existing_accounts.push((agent.email.to_owned(), what));
            continue;
        }
        let password = new_password();
        let user = NewUser {
            id: UserId::new(),
            email,
            name: parse(PersonName::parse(agent.name))?,
            role: Role::CompanyAgent,
            password_hash: hash(&password).await?,
            // As for an agent an admin adds: the first sign-in sets a password of their own.
            must_change_password: true,
        };
        let skills =
            agent.skills.iter().map(|s| parse(Skill::parse(s))).collect::<anyhow::Result<_>>()?;
        db.create_agent(company, user, skills, Utc::now()).await?;
        report.created.push(format!("agent {}", agent.email));
        report.passwords.push(Issued {
            email: agent.email.to_owned(),
            what,
            password,
            one_time: true,
        });
    }
    if !report.company_created {
        report.existing_accounts.insert(0, (ADMIN_EMAIL.to_owned(), "admin".to_owned()));
    }
    Ok(())
}

/// New one-time passwords for the accounts that existed before this run; their sessions end.
async fn reset(db: &dyn Backend, company: CompanyId, report: &mut Report) -> anyhow::Result<()> {
    for (email, what) in std::mem::take(&mut report.existing_accounts) {
        let address = parse(EmailAddress::parse(&email))?;
        let Some(user) = db.find_user_by_email(company, &address).await? else { continue };
        let password = new_password();
        let now = Utc::now();
        db.set_password(company, user.id, &hash(&password).await?, true, now).await?;
        db.revoke_subject_sessions(company, SessionSubject::User(user.id), None, now).await?;
        report.created.push(format!("a new password for {email}"));
        report.passwords.push(Issued { email, what, password, one_time: true });
    }
    Ok(())
}

fn print(settings: &Settings, company: CompanyId, report: &Report) {
    if report.created.is_empty() {
        println!("The demo company {COMPANY_NAME:?} already exists; nothing changed.");
    } else if report.company_created {
        println!("Created the demo company {COMPANY_NAME:?}.");
    } else {
        println!("The demo company {COMPANY_NAME:?} already existed; completed it.");
    }
    for line in &report.created {
        println!("  + {line}");
    }
    if let Some(n) = report.indexed {
        println!("  {n} knowledge document(s) chunked and indexed.");
    }
    println!();
    println!("companyId: {company}");
    for Issued { email, what, password, one_time } in &report.passwords {
        let change = if *one_time { " (one-time: replaced at first sign-in)" } else { "" };
        println!("  {what}: {email}  password: {password}{change}");
    }
    for (email, what) in &report.existing_accounts {
        println!("  {what}: {email}");
    }
    if !report.existing_accounts.is_empty() {
        println!(
            "Passwords are shown only when they are set. To issue new one-time passwords \
             (signing those accounts out), run `switchboard demo --reset-passwords` with the \
             same --data-dir or --database-url."
        );
    }
    let base = base_url(settings.bind);
    println!();
    println!(
        "Start the server with `switchboard serve` on the same database, then sign in at {base}/"
    );
    println!("or chat as a customer:");
    println!(
        "  curl -s {base}/api/chat -H 'content-type: application/json' \\\n    -d '{{\"companyId\": \"{company}\", \"message\": \"I would like a refund\"}}'"
    );
}

fn base_url(bind: SocketAddr) -> String {
    let host = if bind.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else if bind.is_ipv6() {
        format!("[{}]", bind.ip())
    } else {
        bind.ip().to_string()
    };
    format!("http://{host}:{}", bind.port())
}

fn page(after: Option<Cursor>) -> PageRequest {
    PageRequest { limit: PageLimit::parse(PageLimit::MAX).unwrap_or_default(), after }
}

fn next(cursor: Option<String>) -> anyhow::Result<Option<Cursor>> {
    cursor.as_deref().map(Cursor::parse).transpose().map_err(|e| anyhow::anyhow!("{e}"))
}

fn parse<T>(parsed: Result<T, String>) -> anyhow::Result<T> {
    parsed.map_err(anyhow::Error::msg)
}

async fn hash(password: &str) -> anyhow::Result<String> {
    let password = parse(Password::parse(password))?;
    switchboard_server::auth::password::hash(&password).await.map_err(|e| anyhow::anyhow!("{e}"))
}

/// 20 characters without look-alikes (no 0/O, 1/l/I): about 115 bits, easy to type.
fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

fn hex_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value};

    #[tokio::test]
    async fn the_refund_tool_and_workflow_pass_the_apis_checks() {
        let spec = refund_tool().expect("a valid tool");
        let tools = BTreeSet::from([spec.name.as_str().to_owned()]);
        let workflow = refund_workflow(&tools).expect("a valid workflow");
        assert_eq!(workflow.tools().collect::<Vec<_>>(), [TOOL_NAME]);
        assert!(refund_workflow(&BTreeSet::new()).is_err(), "the tool must exist");

        let script = spec.config["script"].as_str().unwrap();
        let function = switchboard_tools::FunctionTool::compile(script).unwrap();
        let mut args = Map::new();
        args.insert("orderNumber".into(), Value::from("12345"));
        let result = function.run(&args).await.expect("runs");
        assert_eq!(result["message"], "Refund issued for order 12345.");
        let schema = switchboard_tools::ParameterSchema::compile(&spec.parameters).unwrap();
        assert!(schema.validate(&json!({"orderNumber": "1234"})).is_err());
        assert!(schema.validate(&json!({"orderNumber": "12345"})).is_ok());
    }

    #[test]
    fn the_printed_address_is_one_a_client_can_reach() {
        assert_eq!(base_url("0.0.0.0:8080".parse().unwrap()), "http://127.0.0.1:8080");
        assert_eq!(base_url("127.0.0.1:9000".parse().unwrap()), "http://127.0.0.1:9000");
        assert_eq!(base_url("[::1]:80".parse().unwrap()), "http://[::1]:80");
    }
}
