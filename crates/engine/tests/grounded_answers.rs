//! The builtin responder over a real company's knowledge: real storage (SQLite, or PostgreSQL
//! with `SWITCHBOARD_TEST_BACKEND=postgres`), the real embedding model, documents indexed by
//! the real indexer and FAQs written through the knowledge service. It must give the curated
//! answer for an FAQ question, a cited passage for a question only a document covers, and
//! hand off every question the knowledge cannot answer.

use std::sync::Arc;
use switchboard_ai::ResponderAction;
use switchboard_ai::embedding::{Embedder, LocalModel, Precision, default_model_dir};
use switchboard_ai::knowledge::{IndexOutcome, Knowledge};
use switchboard_domain::CompanyId;
use switchboard_engine::builtin::respond;
use switchboard_engine::grounding::{Thresholds, ground};
use switchboard_storage::{Backend, FaqContent};
use switchboard_storage_postgres::PostgresBackend;
use switchboard_storage_sqlite::SqliteBackend;
use switchboard_storage_tests::data::{new_document, now, register};
use switchboard_storage_tests::fixtures::{PgDbGuard, fresh_postgres_database};

const RETURNS: &str = "# Returns and refunds\n\n\
    You can return unused items within 30 days of delivery. Refunds are paid to the original \
    payment method within five business days of the return arriving at our warehouse.";
const SHIPPING: &str = "# Shipping\n\n\
    We ship to the United Kingdom and the European Union. Standard delivery takes three to five \
    working days; express delivery arrives the next working day and costs eight pounds.";

/// Questions nothing above answers, some close to the topics (shipping to other continents,
/// warranties), most far from them.
const UNANSWERABLE: &[&str] = &[
    "What is the capital of Australia?",
    "Can you write me a poem about the sea?",
    "How do I bake sourdough bread?",
    "Who won the football world cup in 2018?",
    "What will the weather be like tomorrow?",
    "Do you sell motorbike helmets?",
    "Can I pay with bitcoin?",
    "Is there a warranty on electronics?",
    "What is your company's phone number?",
    "How do I reset my router?",
    "Are your products vegan?",
    "Can I book a table for two tonight?",
    "What's the square root of 144?",
    "Do you have a shop in Tokyo?",
    "How many employees work at your company?",
];

struct Store {
    db: Arc<dyn Backend>,
    _sqlite: Option<tempfile::TempDir>,
    _postgres: Option<PgDbGuard>,
}

async fn store() -> Store {
    if std::env::var("SWITCHBOARD_TEST_BACKEND").as_deref() == Ok("postgres") {
        let (url, guard) = fresh_postgres_database().await;
        let db = PostgresBackend::connect(&url, 5).await.expect("connect to PostgreSQL");
        Store { db: Arc::new(db), _sqlite: None, _postgres: Some(guard) }
    } else {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = SqliteBackend::open(&dir.path().join("engine.db")).await.expect("open SQLite");
        Store { db: Arc::new(db), _sqlite: Some(dir), _postgres: None }
    }
}

fn embedder() -> Arc<dyn Embedder> {
    let dir = std::env::var_os("SWITCHBOARD_MODEL_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(default_model_dir);
    let model = LocalModel::load(&dir, Precision::Mixed).unwrap_or_else(|e| {
        panic!("no embedding model at {}: {e}; run scripts/fetch-model.sh", dir.display())
    });
    Arc::new(model)
}

async fn add_document(
    knowledge: &Knowledge,
    db: &dyn Backend,
    company: CompanyId,
    title: &str,
    text: &str,
) {
    let doc = db.create_document(company, new_document(title, text, now())).await.unwrap();
    let outcome = knowledge
        .index_document(company, doc.id, std::time::Duration::from_secs(60))
        .await
        .unwrap();
    assert!(matches!(outcome, IndexOutcome::Ready { .. }), "{title}: {outcome:?}");
}

async fn answer(
    knowledge: &Knowledge,
    db: &dyn Backend,
    company: CompanyId,
    q: &str,
) -> ResponderAction {
    let grounding = ground(knowledge, db, company, q, Thresholds::default()).await.unwrap();
    respond(&grounding)
}

#[tokio::test]
async fn faq_then_cited_passage_then_honest_handoff() {
    let store = store().await;
    let db = store.db.as_ref();
    let company =
        register(db, "hello@engine.example", "ada@engine.example", now()).await.company.id;
    let knowledge = Knowledge::new(Arc::clone(&store.db), Some(embedder()));
    add_document(&knowledge, db, company, "Returns", RETURNS).await;
    add_document(&knowledge, db, company, "Shipping", SHIPPING).await;
    let faqs = [
        (
            "How do I change my password?",
            "Open Settings, choose Security and pick Change password.",
            ["I forgot my password", "reset my password"],
        ),
        (
            "When are you open?",
            "Our support team answers from 9:00 to 17:00, Monday to Friday.",
            ["what are your opening hours", "are you open on weekends"],
        ),
        (
            "Do gift cards expire?",
            "Gift cards never expire.",
            ["how long is a gift card valid", "can I still use an old gift card"],
        ),
    ];
    for (question, answer, variants) in faqs {
        let faq = FaqContent {
            question: question.into(),
            answer: answer.into(),
            variants: variants.map(String::from).to_vec(),
            category: None,
            tags: Vec::new(),
            enabled: true,
        };
        knowledge.create_faq(company, faq).await.unwrap();
    }

    // Covered by the FAQ: its curated answer, word for word.
    let reply = answer(&knowledge, db, company, "how can I change my password?").await;
    assert_eq!(
        reply,
        ResponderAction::Answer {
            content: "Open Settings, choose Security and pick Change password.".into(),
            citations: vec![]
        }
    );

    // Covered only by a document, in other words than the document's: a cited quote.
    let reply = answer(&knowledge, db, company, "can I send back something I did not use?").await;
    let ResponderAction::Answer { content, citations } = reply else {
        panic!("a question the returns policy answers was not answered: {reply:?}");
    };
    assert_eq!(citations.len(), 1, "{content}");
    assert_eq!(citations[0].title, "Returns");
    assert!(citations[0].excerpt.contains("return unused items within 30 days"), "{citations:?}");
    assert!(content.contains(&citations[0].excerpt), "{content}");

    // Covered by nothing: every one handed off, none answered.
    let mut answered = Vec::new();
    for q in UNANSWERABLE {
        match answer(&knowledge, db, company, q).await {
            ResponderAction::Handoff { .. } => {}
            other => answered.push(format!("{q} -> {other:?}")),
        }
    }
    assert!(answered.is_empty(), "answered without grounds:\n{}", answered.join("\n"));
}

#[tokio::test]
async fn a_company_with_no_knowledge_hands_everything_off() {
    let store = store().await;
    let db = store.db.as_ref();
    let company = register(db, "hi@empty.example", "bo@empty.example", now()).await.company.id;
    let knowledge = Knowledge::new(Arc::clone(&store.db), Some(embedder()));
    for q in ["can I return my order?", "hello", "where is my parcel"] {
        let reply = answer(&knowledge, db, company, q).await;
        assert!(matches!(reply, ResponderAction::Handoff { .. }), "{q}: {reply:?}");
    }
}
