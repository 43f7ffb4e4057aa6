//! Classification examples over HTTP (create, read, page, update, delete, import all or
//! nothing, limits, company scoping) and what they teach the classifier, seen through
//! `POST /api/ai/classification/test`, plus the service's training cache.

use crate::helpers::{TestApp, shared_embedder, spawn_app, spawn_lexical_app};
use crate::knowledge::fields;
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use switchboard_ai::classify::Classifications;
use switchboard_domain::{CategoryLabel, CompanyId, ExampleId, ExampleText};
use switchboard_storage::NewExample;

const EXAMPLES: &str = "/api/ai/classification/examples";
const IMPORT: &str = "/api/ai/classification/examples/import";
const TEST: &str = "/api/ai/classification/test";

const WARRANTY: [&str; 10] = [
    "Is my blender still covered by the warranty?",
    "How long is the warranty on your laptops?",
    "My headphones broke after six months, can I claim the warranty?",
    "Does the guarantee cover accidental damage?",
    "How do I make a warranty claim?",
    "Can I extend the warranty on my washing machine?",
    "Is the manufacturer's guarantee valid abroad?",
    "What does the two-year warranty include?",
    "Do I need the receipt to use the warranty?",
    "The warranty card was not in the box",
];

fn labelled(texts: &[&str], label: &str) -> Value {
    let examples: Vec<Value> = texts.iter().map(|t| json!({"text": t, "label": label})).collect();
    json!({"examples": examples})
}

async fn classify(app: &TestApp, token: &str, text: &str) -> Value {
    app.post(TEST, Some(token), json!({"text": text})).await.assert_ok(200).clone()
}

/// Every example of the caller's company, following the cursors.
async fn all_examples(app: &TestApp, token: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut path = format!("{EXAMPLES}?limit=200");
    loop {
        let reply = app.get(&path, Some(token)).await;
        out.extend(reply.assert_ok(200).as_array().unwrap().iter().cloned());
        match reply.body["nextCursor"].as_str() {
            Some(c) => path = format!("{EXAMPLES}?limit=200&cursor={c}"),
            None => return out,
        }
    }
}

#[tokio::test]
async fn an_example_is_created_read_paged_updated_and_deleted() {
    let app = spawn_app().await;
    let (admin, _) = app.register("excrud").await;
    let reply = app
        .post(
            EXAMPLES,
            Some(&admin),
            json!({"text": "  Is it under warranty? ", "label": "Warranty"}),
        )
        .await;
    let created = reply.assert_ok(201).clone();
    assert_eq!(
        (&created["text"], &created["label"]),
        (&json!("Is it under warranty?"), &json!("warranty"))
    );
    assert!(created["createdAt"].is_string() && created["updatedAt"] == created["createdAt"]);
    let id = created["id"].as_str().unwrap().to_owned();
    let one = format!("{EXAMPLES}/{id}");
    assert_eq!(app.get(&one, Some(&admin)).await.assert_ok(200), &created);

    for text in ["Where is my parcel?", "Refund my order"] {
        let body = json!({"text": text, "label": "orders"});
        app.post(EXAMPLES, Some(&admin), body).await.assert_ok(201);
    }
    let first = app.get(&format!("{EXAMPLES}?limit=2"), Some(&admin)).await;
    let page = first.assert_ok(200).as_array().unwrap().clone();
    assert_eq!((page.len(), &page[0]["id"]), (2, &json!(id)), "oldest first: {}", first.text);
    let cursor = first.body["nextCursor"].as_str().expect("a second page").to_owned();
    let rest = app.get(&format!("{EXAMPLES}?limit=2&cursor={cursor}"), Some(&admin)).await;
    assert_eq!(rest.assert_ok(200).as_array().unwrap().len(), 1);
    assert_eq!(rest.body["nextCursor"], Value::Null);

    // Absent fields are kept.
    let relabelled = app.call(Method::PUT, &one, Some(&admin), Some(json!({"label": "returns"})));
    let relabelled = relabelled.await.assert_ok(200).clone();
    assert_eq!((&relabelled["text"], &relabelled["label"]), (&created["text"], &json!("returns")));
    let body = json!({"text": "Can I send it back?"});
    let rewritten = app.call(Method::PUT, &one, Some(&admin), Some(body)).await;
    let rewritten = rewritten.assert_ok(200);
    assert_eq!(
        (&rewritten["text"], &rewritten["label"]),
        (&json!("Can I send it back?"), &json!("returns"))
    );
    assert_eq!(rewritten["createdAt"], created["createdAt"]);
    assert_ne!(rewritten["updatedAt"], created["updatedAt"]);

    app.call(Method::DELETE, &one, Some(&admin), None).await.assert_ok(200);
    app.get(&one, Some(&admin)).await.assert_error(404, "not_found");
    app.call(Method::DELETE, &one, Some(&admin), None).await.assert_error(404, "not_found");
    assert_eq!(all_examples(&app, &admin).await.len(), 2);

    let log = app.get("/api/admin/audit-log?limit=200", Some(&admin)).await;
    let actions: Vec<&str> = log
        .assert_ok(200)
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "classification.example_created",
        "classification.example_updated",
        "classification.example_deleted",
    ] {
        assert!(actions.contains(&action), "{action} not audited: {actions:?}");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn bad_examples_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let (admin, _) = app.register("exbad").await;
    let cases = [
        (json!({"label": "billing"}), "text"),
        (json!({"text": "Hi"}), "label"),
        (json!({"text": "  ", "label": "billing"}), "text"),
        (json!({"text": "x".repeat(1001), "label": "billing"}), "text"),
        (json!({"text": "Hi", "label": "two words"}), "label"),
        (json!({"text": "Hi", "label": "a/b"}), "label"),
        (json!({"text": "Hi", "label": "l".repeat(41)}), "label"),
        (json!({"text": "Hi", "label": ""}), "label"),
        (json!({"text": "Hi", "label": "billing", "extra": 1}), "extra"),
    ];
    for (body, field) in cases {
        let reply = app.post(EXAMPLES, Some(&admin), body).await;
        let named = fields(&reply);
        assert!(
            named.iter().any(|f| f.starts_with(field)),
            "expected {field} in {named:?}: {}",
            reply.text
        );
    }
    assert!(all_examples(&app, &admin).await.is_empty(), "a refused example was stored");
    // At the limits, everything is accepted.
    let edge = json!({"text": "é".repeat(1000), "label": "l".repeat(40)});
    app.post(EXAMPLES, Some(&admin), edge).await.assert_ok(201);
    let id = all_examples(&app, &admin).await[0]["id"].as_str().unwrap().to_owned();
    let bad = json!({"label": "Not A Slug"});
    let reply = app.call(Method::PUT, &format!("{EXAMPLES}/{id}"), Some(&admin), Some(bad)).await;
    assert_eq!(fields(&reply), ["label"]);
    app.post(TEST, Some(&admin), json!({"text": ""})).await.assert_error(400, "validation_error");
    app.shutdown().await;
}

#[tokio::test]
async fn an_import_stores_every_example_or_none() {
    let app = spawn_app().await;
    let (admin, _) = app.register("eximport").await;
    let mut body = labelled(&WARRANTY[..3], "warranty");
    body["examples"][2]["label"] = json!("Not Valid");
    let reply = app.post(IMPORT, Some(&admin), body).await;
    assert_eq!(fields(&reply), ["examples[2].label"], "{}", reply.text);
    let empty = app.post(IMPORT, Some(&admin), json!({"examples": []})).await;
    assert_eq!(fields(&empty), ["examples"]);
    let too_many: Vec<String> = (0..1001).map(|i| format!("question {i}")).collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    let reply = app.post(IMPORT, Some(&admin), labelled(&too_many, "orders")).await;
    assert_eq!(fields(&reply), ["examples"]);
    assert!(all_examples(&app, &admin).await.is_empty(), "a refused import stored something");

    let reply = app.post(IMPORT, Some(&admin), labelled(&WARRANTY, "warranty")).await;
    let data = reply.assert_ok(201);
    assert_eq!(data["imported"], 10);
    let texts: Vec<&str> =
        data["examples"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap()).collect();
    assert_eq!(texts, WARRANTY, "in the order sent");

    let reply = app.post(IMPORT, Some(&admin), labelled(&too_many[..1000], "orders")).await;
    assert_eq!(reply.assert_ok(201)["imported"], 1000);
    let stored = all_examples(&app, &admin).await;
    assert_eq!(stored.len(), 1010);
    assert_eq!(stored[10]["text"], "question 0");
    assert_eq!(stored[1009]["text"], "question 999");
    app.shutdown().await;
}

#[tokio::test]
async fn examples_of_a_new_label_teach_the_classifier_that_category() {
    let app = spawn_app().await;
    let (admin, _) = app.register("exlearn").await;
    let (other, _) = app.register("exother").await;
    let question =
        "The coffee machine I bought last year stopped heating, is that covered under guarantee?";
    let before = classify(&app, &admin, question).await;
    assert_ne!(before["category"]["label"], "warranty", "{before}");

    app.post(IMPORT, Some(&admin), labelled(&WARRANTY, "warranty")).await.assert_ok(201);
    let after = classify(&app, &admin, question).await;
    assert_eq!(after["category"]["label"], "warranty", "{after}");
    assert_eq!(after["outOfScope"], false);
    let reasons = after["category"]["reasons"].as_array().unwrap();
    assert!(
        reasons.iter().any(|r| r.as_str().unwrap().starts_with("similar to: '")
            && r.as_str().unwrap().contains("(warranty, 0.")),
        "reasons name the nearest warranty examples: {after}"
    );
    let neighbour = &after["neighbours"][0];
    assert_eq!(neighbour["label"], "warranty", "{after}");
    assert!(WARRANTY.contains(&neighbour["text"].as_str().unwrap()));
    // The new category takes nothing from the others.
    let parcel = classify(&app, &admin, "My parcel still hasn't been delivered").await;
    assert_eq!(parcel["category"]["label"], "shipping", "{parcel}");
    // Another company's classifier never learnt it.
    let elsewhere = classify(&app, &other, question).await;
    assert_ne!(elsewhere["category"]["label"], "warranty", "{elsewhere}");

    // Deleting the examples takes the category away again.
    for e in all_examples(&app, &admin).await {
        let path = format!("{EXAMPLES}/{}", e["id"].as_str().unwrap());
        app.call(Method::DELETE, &path, Some(&admin), None).await.assert_ok(200);
    }
    let gone = classify(&app, &admin, question).await;
    assert_ne!(gone["category"]["label"], "warranty", "{gone}");
    app.shutdown().await;
}

#[tokio::test]
async fn a_classification_carries_priority_urgency_and_sentiment_with_their_cues() {
    let app = spawn_app().await;
    let (admin, _) = app.register("excues").await;
    let angry = "This is unacceptable, I was charged twice and I need it fixed immediately!";
    let c = classify(&app, &admin, angry).await;
    assert_eq!(c["category"]["label"], "billing", "{c}");
    assert_eq!(c["urgency"]["level"], "urgent", "{c}");
    assert_eq!(c["sentiment"]["level"], "negative", "{c}");
    assert!(["high", "critical"].contains(&c["priority"]["level"].as_str().unwrap()), "{c}");
    for verdict in ["category", "priority", "urgency", "sentiment"] {
        let score = c[verdict]["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{verdict}: {c}");
        assert!(
            !c[verdict]["reasons"].as_array().unwrap().is_empty(),
            "{verdict} has no reasons: {c}"
        );
    }
    // Far from every category: out of scope, filed under `general`, saying why.
    let stray = classify(&app, &admin, "Who won the football match yesterday?").await;
    assert_eq!(
        (&stray["outOfScope"], &stray["category"]["label"]),
        (&json!(true), &json!("general")),
        "{stray}"
    );
    let why = stray["category"]["reasons"][0].as_str().unwrap();
    assert!(why.starts_with("no category fits well"), "{stray}");
    let calm = classify(&app, &admin, "Just wondering, do you have gift cards? No rush.").await;
    assert_eq!(
        (&calm["priority"]["level"], &calm["urgency"]["level"]),
        (&json!("low"), &json!("low")),
        "{calm}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn concurrent_requests_share_one_training_and_only_a_change_retrains() {
    let app = spawn_app().await;
    let (_, company) = app.register("extrain").await;
    let company: CompanyId = company.parse().unwrap();
    let embedder = shared_embedder().expect("the test model");
    let service = Arc::new(Classifications::new(Arc::clone(&app.db), Some(Arc::clone(&embedder))));

    let asks = (0..8).map(|_| {
        let service = Arc::clone(&service);
        tokio::spawn(async move { service.classify(company, "Where is my refund?").await })
    });
    for ask in asks.collect::<Vec<_>>() {
        ask.await.unwrap().expect("classified");
    }
    assert_eq!(service.trainings(), 1, "eight concurrent requests, one training");
    service.classify(company, "Another question").await.unwrap();
    assert_eq!(service.trainings(), 1, "nothing changed, nothing retrained");

    let example = (
        ExampleText::parse("Is it under warranty?").unwrap(),
        CategoryLabel::parse("warranty").unwrap(),
    );
    service.create_examples(company, vec![example]).await.unwrap();
    service.classify(company, "Is my kettle covered?").await.unwrap();
    assert_eq!(service.trainings(), 2, "a change through the service retrains");

    // A change made elsewhere (another node) is seen through the stamp. Its vector came
    // from another model, so training makes a new one and stores it.
    let foreign = NewExample {
        id: ExampleId::new(),
        text: "Does the guarantee cover water damage?".to_owned(),
        label: "warranty".to_owned(),
        embedding: Some(vec![0.5, 0.5, 0.5]),
    };
    app.db
        .create_examples(company, vec![foreign.clone()], Some("another-model"), chrono::Utc::now())
        .await
        .unwrap();
    let c = service.classify(company, "Is my kettle covered by the guarantee?").await.unwrap();
    assert_eq!(service.trainings(), 3, "a change in the database retrains");
    // Its new vector is the one compared with (the stored one could not even be trained on).
    assert_eq!(c.neighbours[0].text, foreign.text, "{c:?}");
    let stored = app.db.list_all_examples(company).await.unwrap();
    let renewed = stored.iter().find(|e| e.id == foreign.id).unwrap();
    assert_eq!(renewed.embedding_model.as_deref(), Some(embedder.model()));
    assert_eq!(renewed.embedding.as_ref().map(Vec::len), Some(embedder.dimensions()));
    app.shutdown().await;
}

#[tokio::test]
async fn without_an_embedding_model_the_classifier_learns_from_words_alone() {
    let app = spawn_lexical_app().await;
    let (admin, _) = app.register("exlexical").await;
    app.post(IMPORT, Some(&admin), labelled(&WARRANTY, "warranty")).await.assert_ok(201);
    let c = classify(&app, &admin, "How long does the warranty last on a blender?").await;
    assert_eq!(c["category"]["label"], "warranty", "{c}");
    assert_eq!(c["neighbours"][0]["label"], "warranty", "{c}");
    app.shutdown().await;
}
