//! FAQs over HTTP: create, defaults, validation, partial updates, delete, paging, and
//! company scoping of both the list and FAQ matching.

use crate::helpers::{shared_embedder, spawn_app};
use crate::knowledge::fields;
use reqwest::Method;
use serde_json::{Value, json};
use switchboard_ai::knowledge::Knowledge;
use switchboard_domain::CompanyId;

const FAQS: &str = "/api/ai/faqs";

#[tokio::test]
async fn an_faq_is_created_with_its_fields_or_their_defaults() {
    let app = spawn_app().await;
    let (admin, _) = app.register("faqcreate").await;
    let full = json!({
        "question": "Do you ship abroad?",
        "answer": "Yes, to every EU country.",
        "variants": ["Can you send my order overseas?", "International delivery?"],
        "category": "shipping",
        "tags": ["delivery", "international"],
        "enabled": false,
    });
    let reply = app.post(FAQS, Some(&admin), full.clone()).await;
    let faq = reply.assert_ok(201).clone();
    for key in ["question", "answer", "variants", "category", "tags", "enabled"] {
        assert_eq!(faq[key], full[key], "{key}: {}", reply.text);
    }
    assert!(faq["id"].is_string() && faq["createdAt"].is_string() && faq["updatedAt"].is_string());
    let read = app.get(&format!("{FAQS}/{}", faq["id"].as_str().unwrap()), Some(&admin)).await;
    assert_eq!(read.assert_ok(200), &faq, "GET differs from what POST returned");

    let reply = app
        .post(FAQS, Some(&admin), json!({"question": "Open on Sundays?", "answer": "No."}))
        .await;
    let bare = reply.assert_ok(201);
    assert_eq!(
        (&bare["enabled"], &bare["variants"], &bare["tags"], &bare["category"]),
        (&json!(true), &json!([]), &json!([]), &Value::Null),
        "{}",
        reply.text
    );
    app.shutdown().await;
}

#[tokio::test]
async fn invalid_faqs_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let (admin, _) = app.register("faqinvalid").await;
    let ok = |extra: Value| {
        let mut body = json!({"question": "Q?", "answer": "A."});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let cases = [
        (json!({"answer": "A."}), "question"),
        (json!({"question": "Q?"}), "answer"),
        (ok(json!({"question": "  "})), "question"),
        (ok(json!({"question": "q".repeat(501)})), "question"),
        (ok(json!({"answer": "a".repeat(5001)})), "answer"),
        (ok(json!({"variants": vec!["v"; 51]})), "variants"),
        (ok(json!({"variants": ["fine", ""]})), "variants[1]"),
        (ok(json!({"variants": ["v".repeat(501)]})), "variants[0]"),
        (ok(json!({"category": "c".repeat(101)})), "category"),
        (ok(json!({"tags": vec!["t"; 21]})), "tags"),
        (ok(json!({"tags": ["t".repeat(51)]})), "tags[0]"),
        (ok(json!({"enabled": "yes"})), "enabled"),
    ];
    for (body, field) in cases {
        let reply = app.post(FAQS, Some(&admin), body).await;
        let named = fields(&reply);
        assert!(named.contains(&field.to_owned()), "expected {field} in {named:?}: {}", reply.text);
    }
    // At the limits, everything is accepted.
    let edge = ok(json!({
        "question": "q".repeat(500), "answer": "a".repeat(5000), "variants": vec!["v"; 50],
        "category": "c".repeat(100), "tags": vec!["t".repeat(50); 20],
    }));
    app.post(FAQS, Some(&admin), edge).await.assert_ok(201);
    let list = app.get(FAQS, Some(&admin)).await;
    assert_eq!(list.assert_ok(200).as_array().map(Vec::len), Some(1), "a refused FAQ was stored");
    app.shutdown().await;
}

#[tokio::test]
async fn a_put_changes_only_what_it_names_and_delete_removes() {
    let app = spawn_app().await;
    let (admin, _) = app.register("faqupdate").await;
    let created = app
        .post(
            FAQS,
            Some(&admin),
            json!({"question": "Gift wrap?", "answer": "Yes.", "variants": ["Do you wrap presents?"],
                   "category": "orders", "tags": ["gifts"]}),
        )
        .await;
    let before = created.assert_ok(201).clone();
    let path = format!("{FAQS}/{}", before["id"].as_str().unwrap());

    let reply = app
        .call(Method::PUT, &path, Some(&admin), Some(json!({"answer": "Yes, for 3 euros."})))
        .await;
    let after = reply.assert_ok(200).clone();
    assert_eq!(after["answer"], "Yes, for 3 euros.");
    for key in ["id", "question", "variants", "category", "tags", "enabled", "createdAt"] {
        assert_eq!(after[key], before[key], "{key} changed: {}", reply.text);
    }
    let reply = app
        .call(Method::PUT, &path, Some(&admin), Some(json!({"category": null, "variants": []})))
        .await;
    let cleared = reply.assert_ok(200);
    assert_eq!(
        (&cleared["category"], &cleared["variants"]),
        (&Value::Null, &json!([])),
        "{}",
        reply.text
    );
    assert_eq!((&cleared["tags"], &cleared["answer"]), (&json!(["gifts"]), &after["answer"]));
    let reply = app.call(Method::PUT, &path, Some(&admin), Some(json!({"enabled": false}))).await;
    assert_eq!(reply.assert_ok(200)["enabled"], false);
    let read = app.get(&path, Some(&admin)).await;
    assert_eq!(read.assert_ok(200)["category"], Value::Null, "the cleared category came back");

    // A bad body is refused before the lookup, and changes nothing.
    let reply = app.call(Method::PUT, &path, Some(&admin), Some(json!({"question": ""}))).await;
    assert_eq!(fields(&reply), ["question"], "{}", reply.text);
    assert_eq!(app.get(&path, Some(&admin)).await.body["data"]["question"], "Gift wrap?");

    app.call(Method::DELETE, &path, Some(&admin), None).await.assert_ok(200);
    app.get(&path, Some(&admin)).await.assert_error(404, "not_found");
    let put = app.call(Method::PUT, &path, Some(&admin), Some(json!({"answer": "x"}))).await;
    put.assert_error(404, "not_found");
    app.call(Method::DELETE, &path, Some(&admin), None).await.assert_error(404, "not_found");
    app.shutdown().await;
}

#[tokio::test]
async fn faqs_list_oldest_first_in_pages_and_only_the_callers_own() {
    let app = spawn_app().await;
    let world = app.world().await; // each company already has one FAQ
    let (a, b) = (&world.a.admin, &world.b.admin);
    let mut a_ids = vec![world.a.faq_id.clone()];
    for n in 1..=2 {
        let body = json!({"question": format!("Alpha question {n}?"), "answer": "Alpha answer."});
        a_ids.push(
            app.post(FAQS, Some(a), body).await.assert_ok(201)["id"].as_str().unwrap().to_owned(),
        );
    }
    let body =
        json!({"question": "Do you sell quokkaberry jam?", "answer": "Only in Bravo shops."});
    let b_faq =
        app.post(FAQS, Some(b), body).await.assert_ok(201)["id"].as_str().unwrap().to_owned();

    let first = app.get(&format!("{FAQS}?limit=2"), Some(a)).await;
    let mut seen: Vec<String> = first
        .assert_ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seen.len(), 2, "{}", first.text);
    let cursor = first.body["nextCursor"].as_str().unwrap_or_else(|| panic!("{}", first.text));
    let rest = app.get(&format!("{FAQS}?limit=2&cursor={cursor}"), Some(a)).await;
    seen.extend(
        rest.assert_ok(200)
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_owned()),
    );
    assert!(rest.body["nextCursor"].is_null(), "{}", rest.text);
    assert_eq!(seen, a_ids, "company A's pages are not exactly its own FAQs, oldest first");

    let b_list = app.get(FAQS, Some(b)).await;
    let b_ids: Vec<&str> = b_list
        .assert_ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(b_ids, [world.b.faq_id.as_str(), b_faq.as_str()], "{}", b_list.text);
    app.shutdown().await;
}

/// No route matches FAQs yet (the responder will), so matching is checked on the same
/// database through the retrieval service, over FAQs written through the API.
#[tokio::test]
async fn faq_matching_never_returns_another_companys_faq() {
    let app = spawn_app().await;
    let world = app.world().await;
    let question = "Do you sell quokkaberry jam?";
    let body = json!({"question": question, "answer": "Only in Bravo shops.", "variants": ["Is there quokkaberry jam?"]});
    let b_faq = app.post(FAQS, Some(&world.b.admin), body).await.assert_ok(201)["id"].clone();

    let knowledge = Knowledge::new(app.db.clone(), shared_embedder());
    let company = |id: &str| id.parse::<CompanyId>().expect("company id");
    let (a, b) = (company(&world.a.company_id), company(&world.b.company_id));
    let own =
        knowledge.match_faq(b, question, 0.75).await.expect("match").expect("B's own FAQ matches");
    assert_eq!(json!(own.faq_id), b_faq, "{own:?}");

    let ranked = knowledge.rank_faqs(a, question, 100).await.expect("rank");
    let a_faq = json!(world.a.faq_id);
    assert!(
        ranked.iter().all(|c| json!(c.faq_id) == a_faq),
        "A ranked another company's FAQ: {ranked:?}"
    );
    let matched = knowledge.match_faq(a, question, 0.0).await.expect("match");
    assert!(matched.iter().all(|c| json!(c.faq_id) == a_faq), "A matched {matched:?}");
    app.shutdown().await;
}
