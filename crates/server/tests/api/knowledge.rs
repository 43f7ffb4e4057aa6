//! Knowledge-base search over HTTP: what `POST /api/ai/knowledge-base/search` returns, how
//! edits and deletes show in it, company scoping of both search paths, thresholds, and
//! lexical-only mode. Uploads are in `knowledge_documents`, FAQs in `knowledge_faqs`.

use crate::helpers::{Reply, TestApp, spawn_app, spawn_lexical_app};
use reqwest::Method;
use serde_json::{Value, json};

pub const SEARCH: &str = "/api/ai/knowledge-base/search";

pub const REFUNDS: &str = "Refund policy.\n\nYou can ask for a refund within 30 days of purchase. \
    Refunds are paid back to the original payment method within five business days.";

/// Names of the fields a validation error's details list.
pub fn fields(reply: &Reply) -> Vec<String> {
    let details = reply.assert_error(400, "validation_error");
    let list = details["fields"].as_array().unwrap_or_else(|| panic!("no fields: {}", reply.text));
    list.iter().map(|f| f["field"].as_str().unwrap_or_default().to_owned()).collect()
}

/// Adds a JSON document and waits until it is indexed; returns its id.
pub async fn add_ready(
    app: &TestApp,
    token: &str,
    title: &str,
    content: &str,
    format: &str,
) -> String {
    let reply = app
        .post(
            "/api/ai/knowledge-base",
            Some(token),
            json!({"title": title, "content": content, "format": format}),
        )
        .await;
    let id = reply.assert_ok(201)["id"].as_str().expect("id").to_owned();
    let doc = app.wait_for_document(token, &id).await;
    assert_eq!(doc["status"], "ready", "{title} was not indexed: {doc}");
    id
}

/// The hits for `query`; `threshold: None` leaves the company default.
pub async fn search(app: &TestApp, token: &str, query: &str, threshold: Option<f32>) -> Vec<Value> {
    let mut body = json!({"query": query, "topK": 10});
    if let Some(t) = threshold {
        body["threshold"] = json!(t);
    }
    let reply = app.post(SEARCH, Some(token), body).await;
    reply.assert_ok(200).as_array().unwrap_or_else(|| panic!("not a list: {}", reply.text)).clone()
}

/// Whether any hit's passage mentions `needle` (case-insensitive).
pub fn mentions(hits: &[Value], needle: &str) -> bool {
    let needle = needle.to_lowercase();
    hits.iter().any(|h| h["text"].as_str().unwrap_or_default().to_lowercase().contains(&needle))
}

#[tokio::test]
async fn a_hit_carries_its_passage_and_the_evidence_for_it() {
    let app = spawn_app().await;
    let (admin, _) = app.register("hits").await;
    let id = add_ready(&app, &admin, "Refunds", REFUNDS, "text").await;

    let hits = search(&app, &admin, "how do I get a refund for my purchase?", None).await;
    let top = hits.first().unwrap_or_else(|| panic!("a related question found nothing"));
    assert_eq!(top["documentId"], id.as_str(), "{top}");
    assert_eq!(top["title"], "Refunds");
    let text = top["text"].as_str().expect("text");
    let matched = top["matchedText"].as_str().expect("matchedText");
    assert!(!matched.is_empty() && text.contains(matched), "matchedText not inside text: {top}");
    assert!(top["chunkId"].is_string(), "{top}");
    let score = top["score"].as_f64().expect("score");
    assert!((0.40..=1.0).contains(&score), "score {score} under the default threshold: {top}");
    let fused = top["fused"].as_f64().expect("fused");
    assert!(fused > 0.0 && fused <= 1.0, "{top}");
    assert!(top["vectorRank"].as_u64().is_some(), "hybrid search without a vector rank: {top}");
    assert!(
        top["lexicalRank"].as_u64().is_some(),
        "'refund' is in the text but BM25 missed it: {top}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn the_threshold_decides_whether_an_unrelated_question_finds_anything() {
    let app = spawn_app().await;
    let (admin, _) = app.register("threshold").await;
    add_ready(&app, &admin, "Refunds", REFUNDS, "text").await;

    let unrelated = "how do I bake sourdough bread";
    let none = search(&app, &admin, unrelated, None).await;
    assert!(none.is_empty(), "the default threshold let an unrelated query through: {none:?}");
    let all = search(&app, &admin, unrelated, Some(0.0)).await;
    assert!(!all.is_empty(), "threshold 0 should return the best passages however poor");
    let related = search(&app, &admin, "Can I get my money back?", None).await;
    assert!(mentions(&related, "refund"), "the refund passage was not found: {related:?}");

    for (body, field) in [
        (json!({"query": "refund", "threshold": 1.5}), "threshold"),
        (json!({"query": "refund", "threshold": -0.1}), "threshold"),
        (json!({"query": "refund", "topK": 0}), "topK"),
        (json!({"query": "refund", "topK": 51}), "topK"),
        (json!({"query": ""}), "query"),
        (json!({"query": "   "}), "query"),
        (json!({"query": "x".repeat(1001)}), "query"),
    ] {
        let reply = app.post(SEARCH, Some(&admin), body.clone()).await;
        assert!(fields(&reply).contains(&field.to_owned()), "{body} → {}", reply.text);
    }
    let reply = app.post(SEARCH, Some(&admin), json!({"topK": 5})).await;
    assert!(fields(&reply).contains(&"query".to_owned()), "{}", reply.text);
    app.shutdown().await;
}

#[tokio::test]
async fn edits_and_deletes_show_in_the_next_search() {
    let app = spawn_app().await;
    let (admin, _) = app.register("edits").await;
    let old = "Our loyalty programme is called Starlight Rewards and earns seven points per euro.";
    let id = add_ready(&app, &admin, "Loyalty", old, "text").await;
    let path = format!("/api/ai/knowledge-base/{id}");
    assert!(mentions(&search(&app, &admin, "Starlight Rewards", None).await, "Starlight"));

    let new = "Our loyalty programme is called Moonbeam Club and earns three points per euro.";
    let put = app.call(Method::PUT, &path, Some(&admin), Some(json!({"content": new}))).await;
    assert_eq!(put.assert_ok(200)["status"], "processing", "{}", put.text);
    let doc = app.wait_for_document(&admin, &id).await;
    assert_eq!(doc["status"], "ready", "{doc}");
    assert_eq!(doc["title"], "Loyalty", "a content-only PUT changed the title");
    let stale = search(&app, &admin, "Starlight Rewards", Some(0.0)).await;
    assert!(!mentions(&stale, "Starlight"), "the replaced text is still searchable: {stale:?}");
    assert!(mentions(&search(&app, &admin, "Moonbeam Club", None).await, "Moonbeam"));

    let chunks = doc["chunkCount"].clone();
    let put =
        app.call(Method::PUT, &path, Some(&admin), Some(json!({"title": "Rewards guide"}))).await;
    let renamed = put.assert_ok(200);
    assert_eq!(renamed["status"], "ready", "a title-only PUT re-indexed: {renamed}");
    assert_eq!(renamed["chunkCount"], chunks);
    let hits = search(&app, &admin, "Moonbeam Club", None).await;
    assert_eq!(hits.first().map(|h| h["title"].clone()), Some(json!("Rewards guide")), "{hits:?}");

    app.call(Method::DELETE, &path, Some(&admin), None).await.assert_ok(200);
    let gone = search(&app, &admin, "Moonbeam Club", Some(0.0)).await;
    assert!(gone.iter().all(|h| h["documentId"] != id.as_str()), "deleted yet found: {gone:?}");
    app.get(&path, Some(&admin)).await.assert_error(404, "not_found");
    app.call(Method::DELETE, &path, Some(&admin), None).await.assert_error(404, "not_found");
    app.shutdown().await;
}

#[tokio::test]
async fn neither_search_path_reaches_another_company() {
    let app = spawn_app().await;
    let world = app.world().await;
    let (a, b) = (&world.a.admin, &world.b.admin);
    add_ready(&app, a, "Refunds", REFUNDS, "text").await;
    let secret = "Our Reykjavik warehouse dispatches parcels every Thursday morning. \
                  Quote the code quokkaberry for free gift wrapping.";
    let b_doc = add_ready(&app, b, "Shipping", secret, "text").await;

    // The positive control: B itself finds it both ways.
    let lexical = search(&app, b, "quokkaberry", Some(0.0)).await;
    assert_eq!(lexical.first().map(|h| h["lexicalRank"].clone()), Some(json!(1)), "{lexical:?}");
    let paraphrase = "Which day of the week do you send out packages from Iceland?";
    let semantic = search(&app, b, paraphrase, None).await;
    assert_eq!(
        semantic.first().map(|h| h["documentId"].clone()),
        Some(json!(b_doc)),
        "{semantic:?}"
    );

    for query in ["quokkaberry", paraphrase, "Reykjavik warehouse Thursday"] {
        let hits = search(&app, a, query, Some(0.0)).await;
        let leaked = hits.iter().any(|h| h["documentId"] == b_doc.as_str())
            || mentions(&hits, "quokkaberry")
            || mentions(&hits, "Reykjavik");
        assert!(!leaked, "company A saw company B's document for {query:?}: {hits:?}");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn without_a_model_search_is_lexical_and_ready_says_so() {
    let app = spawn_app().await;
    let ready = app.get("/ready", None).await;
    assert_eq!(ready.assert_ok(200)["retrieval"], "hybrid", "{}", ready.text);
    assert!(ready.body["data"]["embeddingModel"].is_string(), "{}", ready.text);
    app.shutdown().await;

    let app = spawn_lexical_app().await;
    let ready = app.get("/ready", None).await;
    assert_eq!(ready.assert_ok(200)["retrieval"], "lexical", "{}", ready.text);
    assert!(ready.body["data"]["embeddingModel"].is_null(), "{}", ready.text);
    let (admin, _) = app.register("lexical").await;
    let id = add_ready(&app, &admin, "Refunds", REFUNDS, "text").await;
    let doc = app.get(&format!("/api/ai/knowledge-base/{id}"), Some(&admin)).await;
    assert!(doc.assert_ok(200)["chunkCount"].as_i64() > Some(0), "{}", doc.text);

    let hits = search(&app, &admin, "refund payment method", Some(0.0)).await;
    let top = hits.first().unwrap_or_else(|| panic!("BM25 found nothing for words in the text"));
    assert_eq!(top["documentId"], id.as_str());
    assert_eq!(top["lexicalRank"], 1, "{top}");
    for hit in &hits {
        assert!(hit["vectorRank"].is_null() && hit["cosine"].is_null(), "a vector path ran: {hit}");
        assert!(hit["bm25"].as_f64() > Some(0.0), "{hit}");
    }
    // No word in common: BM25 recalls nothing, whatever the threshold.
    assert!(search(&app, &admin, "sourdough bread", Some(0.0)).await.is_empty());
    app.shutdown().await;
}

/// The chat engine searches on every turn, so an empty knowledge base must be a plain empty
/// result: before the first upload, and again after the last document is deleted.
#[tokio::test]
async fn an_empty_knowledge_base_answers_with_no_hits() {
    let app = spawn_app().await;
    let (admin, _) = app.register("empty-kb").await;
    assert!(search(&app, &admin, "can I get my money back?", None).await.is_empty());
    assert!(search(&app, &admin, "the", Some(0.0)).await.is_empty(), "only stop words");

    let id = add_ready(&app, &admin, "Refunds", REFUNDS, "text").await;
    assert!(!search(&app, &admin, "refund", None).await.is_empty());
    let path = format!("/api/ai/knowledge-base/{id}");
    app.call(Method::DELETE, &path, Some(&admin), None).await.assert_ok(200);
    assert!(search(&app, &admin, "refund", Some(0.0)).await.is_empty());

    // And a new document after that is found by both paths again.
    add_ready(&app, &admin, "Refunds again", REFUNDS, "text").await;
    let hits = search(&app, &admin, "can I get my money back?", Some(0.0)).await;
    assert!(hits.first().is_some_and(|h| h["vectorRank"].is_u64()), "{hits:?}");
}

/// A customer rarely uses the document's words: a paraphrase that only the vectors connect
/// must still find the one sentence that answers it, at the default threshold.
#[tokio::test]
async fn a_paraphrase_finds_the_sentence_that_answers_it() {
    let app = spawn_app().await;
    let (admin, _) = app.register("paraphrase").await;
    let policy = "Store policies.\n\n\
        Our shop opens at nine every weekday and closes at six. Gift cards never expire and can be \
        used online or in any branch. You can return unused items within 30 days. Delivery is free \
        on orders over fifty pounds, and express delivery costs five pounds more.";
    add_ready(&app, &admin, "Policies", policy, "text").await;
    // Paraphrases with no word in common with the answer, at the company's default threshold.
    for (question, answer) in [
        ("can I send back something I did not use", "return unused items"),
        ("is it possible to give back a product I never used?", "return unused items"),
        ("do gift vouchers run out?", "Gift cards never expire"),
    ] {
        let hits = search(&app, &admin, question, None).await;
        let top = hits.first().unwrap_or_else(|| panic!("nothing found for {question:?}"));
        let matched = top["matchedText"].as_str().unwrap();
        assert!(matched.contains(answer), "{question:?} matched {matched:?}");
        assert!(matched.len() < 100, "not the one sentence: {matched:?}");
        assert!(top["text"].as_str().unwrap().contains(matched), "{top}");
    }
    app.shutdown().await;
}
