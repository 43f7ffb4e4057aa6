//! Knowledge-base documents over HTTP: every upload form, the refusals, the indexing
//! life-cycle and paging.

use crate::helpers::{TestApp, spawn_app, spawn_app_with, test_config};
use crate::knowledge::{add_ready, fields, mentions, search};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const DOCUMENTS: &str = "/api/ai/knowledge-base";

/// A fixture PDF of crates/ai: page 1 "Returns are accepted within 30 days." / "Keep your
/// receipt.", page 2 "Refunds go back to the original card.".
fn pdf_fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../ai/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A form with one `file` part; `mime: None` sends the part without a content type.
fn file_form(name: &str, mime: Option<&str>, bytes: Vec<u8>) -> Form {
    let part = Part::bytes(bytes).file_name(name.to_owned());
    let part = match mime {
        Some(m) => part.mime_str(m).expect("valid media type"),
        None => part,
    };
    Form::new().part("file", part)
}

async fn upload(app: &TestApp, token: &str, form: Form) -> crate::helpers::Reply {
    app.send_form(Method::POST, DOCUMENTS, token, form).await
}

#[tokio::test]
async fn json_documents_in_each_format_are_indexed_and_searchable() {
    let app = spawn_app().await;
    let (admin, _) = app.register("jsonfmt").await;
    let html = "<html><head><title>Help</title><script>var token = 'xylophonewhisker';</script></head>\
        <body><nav><a href='/'>zebracrossing menu</a></nav>\
        <main><h1>Support hours</h1><p>Our helpdesk answers every email within two hours.</p></main></body></html>";
    let docs = [
        ("Phones", "text", "The Glasgow office phone line is staffed by Fiona at weekends."),
        (
            "Warranty",
            "markdown",
            "# Warranty\n\nEvery **kettle** carries a *two-year* warranty.\n\n- Claims need the serial number",
        ),
        ("Support", "html", html),
    ];
    let mut ids = Vec::new();
    for (title, format, content) in docs {
        let body = json!({"title": title, "content": content, "format": format});
        let reply = app.post(DOCUMENTS, Some(&admin), body).await;
        let doc = reply.assert_ok(201);
        assert_eq!(doc["status"], "processing", "{}", reply.text);
        assert_eq!((doc["format"].as_str(), doc["chunkCount"].as_i64()), (Some(format), Some(0)));
        assert!(doc["content"].is_null(), "create echoed the content: {}", reply.text);
        ids.push(doc["id"].as_str().expect("id").to_owned());
    }
    for (id, (title, _, content)) in ids.iter().zip(docs) {
        let doc = app.wait_for_document(&admin, id).await;
        assert_eq!(doc["status"], "ready", "{title}: {doc}");
        assert!(doc["chunkCount"].as_i64() > Some(0) && doc["error"].is_null(), "{doc}");
        assert_eq!(doc["content"], content, "GET does not give back the stored text");
    }
    let phones = search(&app, &admin, "who answers the phone in Glasgow at weekends?", None).await;
    assert_eq!(phones.first().map(|h| h["documentId"].clone()), Some(json!(ids[0])), "{phones:?}");
    let kettle = search(&app, &admin, "kettle warranty", None).await;
    assert!(mentions(&kettle, "two-year warranty"), "{kettle:?}");
    assert!(
        !mentions(&kettle, "**") && !mentions(&kettle, "# Warranty"),
        "markdown syntax indexed: {kettle:?}"
    );
    let support = search(&app, &admin, "how fast does the helpdesk answer email?", None).await;
    assert_eq!(
        support.first().map(|h| h["documentId"].clone()),
        Some(json!(ids[2])),
        "{support:?}"
    );
    // Script and navigation text is not document text: BM25 never sees those words.
    for hidden in ["xylophonewhisker", "zebracrossing"] {
        let hits = search(&app, &admin, hidden, Some(0.0)).await;
        assert!(hits.iter().all(|h| h["lexicalRank"].is_null()), "{hidden} was indexed: {hits:?}");
        assert!(!mentions(&hits, hidden) && !mentions(&hits, "<"), "{hits:?}");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn uploaded_files_take_their_format_and_title_from_the_file() {
    let app = spawn_app().await;
    let (admin, _) = app.register("uploads").await;
    let text = b"Gift cards never expire and can be used in every shop.".to_vec();
    let markdown = b"## Parking\n\nCustomers park for free in the *Elm Street* garage.".to_vec();
    let html = b"<p>Lost property is kept at the front desk for <b>ninety</b> days.</p>".to_vec();
    // (form, expected title, format, source name, a question the document answers)
    let cases = [
        (
            file_form("Gift cards.txt", Some("text/plain"), text),
            "Gift cards",
            "text",
            "Gift cards.txt",
            "do gift cards expire?",
        ),
        (
            file_form("parking.md", Some("text/markdown"), markdown).text("title", "Where to park"),
            "Where to park",
            "markdown",
            "parking.md",
            "where can customers park?",
        ),
        (
            file_form("lost.html", Some("text/html"), html),
            "lost",
            "html",
            "lost.html",
            "how long is lost property kept?",
        ),
        (
            file_form("Returns.pdf", Some("application/pdf"), pdf_fixture("two-pages.pdf")),
            "Returns",
            "pdf",
            "Returns.pdf",
            "does my refund go back to my card?",
        ),
        // The media type decides over the name...
        (
            file_form(
                "notes.bin",
                Some("text/markdown"),
                b"# Notes\n\nThe *cafe* opens at eight.".to_vec(),
            ),
            "notes",
            "markdown",
            "notes.bin",
            "when does the cafe open?",
        ),
        // ...and the extension decides when the type says nothing useful.
        (
            file_form(
                "Guide.MD",
                Some("application/octet-stream"),
                b"# Guide\n\nBikes are rented by the hour.".to_vec(),
            ),
            "Guide",
            "markdown",
            "Guide.MD",
            "can I rent a bike?",
        ),
        (
            file_form("page.htm", None, b"<p>Dogs are welcome on the terrace.</p>".to_vec()),
            "page",
            "html",
            "page.htm",
            "may I bring my dog?",
        ),
    ];
    let mut created = Vec::new();
    for (form, title, format, source, question) in cases {
        let reply = upload(&app, &admin, form).await;
        let doc = reply.assert_ok(201);
        assert_eq!(
            (doc["title"].as_str(), doc["format"].as_str(), doc["sourceName"].as_str()),
            (Some(title), Some(format), Some(source)),
            "{}",
            reply.text
        );
        created.push((doc["id"].as_str().expect("id").to_owned(), question));
    }
    for (id, question) in &created {
        let doc = app.wait_for_document(&admin, id).await;
        assert_eq!(doc["status"], "ready", "{doc}");
        let hits = search(&app, &admin, question, None).await;
        assert_eq!(
            hits.first().map(|h| &h["documentId"]),
            Some(&json!(id)),
            "{question}: {hits:?}"
        );
    }
    // The PDF is stored as its extracted text, both pages.
    let pdf = app.get(&format!("{DOCUMENTS}/{}", created[3].0), Some(&admin)).await;
    let content = pdf.assert_ok(200)["content"].as_str().unwrap_or_default().to_owned();
    assert!(content.contains("Returns are accepted within 30 days."), "{content:?}");
    assert!(content.contains("Refunds go back to the original card."), "{content:?}");
    assert!(!content.contains("%PDF") && !content.contains("endobj"), "{content:?}");
    app.shutdown().await;
}

#[tokio::test]
async fn unusable_bodies_are_refused_with_the_right_status() {
    let app = spawn_app().await;
    let (admin, _) = app.register("refusals").await;
    let png = file_form("photo.png", Some("image/png"), vec![0x89, b'P', b'N', b'G']);
    upload(&app, &admin, png).await.assert_error(415, "unsupported_media_type");
    let unnamed = Form::new().part("file", Part::bytes(b"hello".to_vec()).file_name("README"));
    upload(&app, &admin, unnamed).await.assert_error(415, "unsupported_media_type");

    let form_cases = [
        (file_form("latin1.txt", Some("text/plain"), b"caf\xe9 cr\xe8me".to_vec()), "file"),
        (
            file_form("fake.pdf", Some("application/pdf"), b"this is not a PDF at all".to_vec()),
            "file",
        ),
        (file_form("scan.pdf", None, pdf_fixture("no-text.pdf")), "file"),
        (file_form("locked.pdf", None, pdf_fixture("encrypted-user-password.pdf")), "file"),
        (file_form("blank.txt", None, b"  \n ".to_vec()), "file"),
        (Form::new().text("title", "No file"), "file"),
        (file_form("a.txt", None, b"text".to_vec()).text("colour", "red"), "colour"),
        (file_form("a.txt", None, b"text".to_vec()).text("format", "docx"), "format"),
        (file_form("a.txt", None, b"text".to_vec()).text("title", "t".repeat(201)), "title"),
    ];
    for (i, (form, field)) in form_cases.into_iter().enumerate() {
        let reply = upload(&app, &admin, form).await;
        assert_eq!(fields(&reply), [field], "multipart case {i}: {}", reply.text);
    }
    let json_cases = [
        (json!({"title": "P", "content": "%PDF-1.4", "format": "pdf"}), "format"),
        (json!({"title": "W", "content": "text", "format": "docx"}), "format"),
        (json!({"title": "", "content": "text"}), "title"),
        (json!({"title": "E", "content": "   "}), "content"),
        (json!({"title": "U", "content": "text", "author": "me"}), "author"),
    ];
    for (body, field) in json_cases {
        let reply = app.post(DOCUMENTS, Some(&admin), body.clone()).await;
        assert!(fields(&reply).contains(&field.to_owned()), "{body} → {}", reply.text);
    }
    // Only the missing field is named.
    let reply = app.post(DOCUMENTS, Some(&admin), json!({"title": "No content"})).await;
    assert_eq!(fields(&reply), ["content"], "{}", reply.text);
    let reply = app.post(DOCUMENTS, Some(&admin), json!({"content": "No title"})).await;
    assert_eq!(fields(&reply), ["title"], "{}", reply.text);

    // No content type at all, or one that is neither JSON nor multipart.
    let bare = app.client.post(app.url(DOCUMENTS)).bearer_auth(&admin).body("plain words");
    crate::helpers::read(bare.send().await.unwrap())
        .await
        .assert_error(415, "unsupported_media_type");
    let typed = app
        .client
        .post(app.url(DOCUMENTS))
        .bearer_auth(&admin)
        .header("content-type", "text/plain")
        .body("plain words");
    crate::helpers::read(typed.send().await.unwrap())
        .await
        .assert_error(415, "unsupported_media_type");
    let list = app.get(DOCUMENTS, Some(&admin)).await;
    assert_eq!(list.assert_ok(200), &json!([]), "a refused upload was stored");
    app.shutdown().await;
}

#[tokio::test]
async fn uploads_over_the_limit_are_refused_with_413() {
    let mut config = test_config();
    config.max_upload_bytes = 4096;
    let app = spawn_app_with(config).await;
    let (admin, _) = app.register("limits").await;
    let big = "All work and no play. ".repeat(400); // 8800 bytes
    let body = json!({"title": "Big", "content": big});
    app.post(DOCUMENTS, Some(&admin), body.clone()).await.assert_error(413, "payload_too_large");
    let form = file_form("big.txt", Some("text/plain"), big.clone().into_bytes());
    upload(&app, &admin, form).await.assert_error(413, "payload_too_large");
    // Without a Content-Length (a streamed, chunked body) the limit holds while reading.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..40).map(|_| Ok(vec![b'a'; 256])).collect();
    let stream = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let form = Form::new().part("file", Part::stream(stream).file_name("stream.txt"));
    upload(&app, &admin, form).await.assert_error(413, "payload_too_large");

    let small =
        app.post(DOCUMENTS, Some(&admin), json!({"title": "Small", "content": "fits"})).await;
    let id = small.assert_ok(201)["id"].as_str().expect("id").to_owned();
    let path = format!("{DOCUMENTS}/{id}");
    let put = app.call(Method::PUT, &path, Some(&admin), Some(body)).await;
    put.assert_error(413, "payload_too_large");
    app.shutdown().await;
}

#[tokio::test]
async fn a_document_without_text_fails_with_a_reason_and_recovers_on_edit() {
    let app = spawn_app().await;
    let (admin, _) = app.register("lifecycle").await;
    let empty = "<html><body><script>track('visit')</script><nav>Home</nav></body></html>";
    let reply = app
        .post(
            DOCUMENTS,
            Some(&admin),
            json!({"title": "Blank", "content": empty, "format": "html"}),
        )
        .await;
    let id = reply.assert_ok(201)["id"].as_str().expect("id").to_owned();
    let doc = app.wait_for_document(&admin, &id).await;
    assert_eq!(doc["status"], "failed", "{doc}");
    let reason = doc["error"].as_str().unwrap_or_default();
    assert!(reason.contains("text"), "the reason does not say what is wrong: {doc}");
    assert_eq!((doc["chunkCount"].as_i64(), doc["content"].as_str()), (Some(0), Some(empty)));

    let path = format!("{DOCUMENTS}/{id}");
    let fixed =
        json!({"content": "<p>Our Lisbon branch sells hand-painted tiles.</p>", "format": "html"});
    let put = app.call(Method::PUT, &path, Some(&admin), Some(fixed)).await;
    let data = put.assert_ok(200);
    assert_eq!(
        (data["status"].as_str(), &data["error"]),
        (Some("processing"), &Value::Null),
        "{}",
        put.text
    );
    let doc = app.wait_for_document(&admin, &id).await;
    assert_eq!(
        (doc["status"].as_str(), doc["title"].as_str()),
        (Some("ready"), Some("Blank")),
        "{doc}"
    );
    assert!(doc["error"].is_null() && doc["chunkCount"].as_i64() > Some(0), "{doc}");
    // A PUT with nothing in it changes nothing.
    let same = app.call(Method::PUT, &path, Some(&admin), Some(json!({}))).await;
    assert_eq!(same.assert_ok(200)["status"], "ready", "{}", same.text);
    app.shutdown().await;
}

#[tokio::test]
async fn documents_list_oldest_first_in_pages() {
    let app = spawn_app().await;
    let (admin, _) = app.register("docpages").await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        let id = add_ready(&app, &admin, &format!("Doc {n}"), &format!("Fact number {n}."), "text")
            .await;
        ids.push(id);
    }
    let first = app.get(&format!("{DOCUMENTS}?limit=2"), Some(&admin)).await;
    let page: Vec<&Value> = first.assert_ok(200).as_array().expect("list").iter().collect();
    assert_eq!(
        page.iter().map(|d| d["id"].as_str().unwrap()).collect::<Vec<_>>(),
        [&ids[0], &ids[1]]
    );
    assert!(
        page.iter().all(|d| d["content"].is_null()),
        "the list carries content: {}",
        first.text
    );
    assert!(page.iter().all(|d| d["status"] == "ready" && d["chunkCount"].as_i64() > Some(0)));
    let cursor = first.body["nextCursor"].as_str().unwrap_or_else(|| panic!("{}", first.text));
    let rest = app.get(&format!("{DOCUMENTS}?limit=2&cursor={cursor}"), Some(&admin)).await;
    let rest_ids: Vec<&str> =
        rest.assert_ok(200).as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(rest_ids, [&ids[2]]);
    assert!(rest.body["nextCursor"].is_null(), "{}", rest.text);
    for bad in ["limit=0", "limit=201", "cursor=%27;drop"] {
        let reply = app.get(&format!("{DOCUMENTS}?{bad}"), Some(&admin)).await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text);
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_json_edit_without_a_format_keeps_the_documents_format() {
    let app = spawn_app().await;
    let (admin, _) = app.register("keepformat").await;
    let html = "<p>Our florist sells <b>tulips</b> in spring.</p>";
    let id = add_ready(&app, &admin, "Flowers", html, "html").await;
    let path = format!("{DOCUMENTS}/{id}");

    let edit = json!({"content": "<p>Our florist sells <b>roses</b> all year.</p>"});
    let put = app.call(Method::PUT, &path, Some(&admin), Some(edit)).await;
    assert_eq!(put.assert_ok(200)["format"], "html", "the edit changed the format: {}", put.text);
    assert_eq!(app.wait_for_document(&admin, &id).await["status"], "ready");
    let hits = search(&app, &admin, "does the florist sell roses?", None).await;
    assert!(mentions(&hits, "roses") && !mentions(&hits, "<b>"), "markup indexed: {hits:?}");

    // A format alone would change nothing, so it is refused; with content it applies.
    let put = app.call(Method::PUT, &path, Some(&admin), Some(json!({"format": "text"}))).await;
    assert_eq!(fields(&put), ["format"], "{}", put.text);
    let edit = json!({"content": "# Roses\n\nRed ones.", "format": "markdown"});
    let put = app.call(Method::PUT, &path, Some(&admin), Some(edit)).await;
    assert_eq!(put.assert_ok(200)["format"], "markdown", "{}", put.text);

    // New typed text for an uploaded PDF is text, not PDF.
    let form = file_form("Returns.pdf", None, pdf_fixture("two-pages.pdf"));
    let pdf = upload(&app, &admin, form).await.assert_ok(201)["id"].as_str().unwrap().to_owned();
    let put = app
        .call(
            Method::PUT,
            &format!("{DOCUMENTS}/{pdf}"),
            Some(&admin),
            Some(json!({"content": "Typed."})),
        )
        .await;
    assert_eq!(put.assert_ok(200)["format"], "text", "{}", put.text);
    app.shutdown().await;
}

#[tokio::test]
async fn a_pdf_decompression_bomb_is_refused_with_413_and_the_server_carries_on() {
    let app = spawn_app().await;
    let (admin, _) = app.register("pdf-bomb").await;
    // 2 KB on the wire, a gibibyte of content once its two Flate layers are undone.
    let bomb = pdf_fixture("flate-bomb.pdf");
    assert!(bomb.len() < 4096, "{}", bomb.len());
    let started = std::time::Instant::now();
    let reply = upload(&app, &admin, file_form("bomb.pdf", Some("application/pdf"), bomb)).await;
    reply.assert_error(413, "payload_too_large");
    assert!(reply.text.contains("decompresses to more than"), "{}", reply.text);
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());

    // Nothing was stored, and the next upload is served as usual.
    let list = app.get(DOCUMENTS, Some(&admin)).await;
    assert_eq!(list.assert_ok(200).as_array().map(Vec::len), Some(0), "{}", list.text);
    let form = file_form("Returns.pdf", None, pdf_fixture("two-pages.pdf"));
    upload(&app, &admin, form).await.assert_ok(201);
    app.shutdown().await;
}
