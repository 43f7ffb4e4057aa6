//! The OpenAPI document describes the wire: every success in the `{success, data}` envelope
//! (lists with `nextCursor`), every error in the error envelope, the statuses each kind of
//! route can answer, and links from each create to what it created. A route added without
//! them fails here, whatever its module.

use crate::helpers::spawn_app;
use serde_json::Value;

/// The served document, its operations as (label, path, method, operation).
async fn document() -> Value {
    let app = spawn_app().await;
    let doc = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await;
    app.shutdown().await;
    doc.unwrap()
}

fn operations(doc: &Value) -> Vec<(String, &str, &str, &Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().unwrap() {
            ops.push((
                format!("{} {path}", method.to_uppercase()),
                path.as_str(),
                method.as_str(),
                op,
            ));
        }
    }
    assert!(ops.len() > 30, "too few operations: {}", ops.len());
    ops
}

/// Follows `$ref`s (to schemas or responses) within the document.
fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    while let Some(target) = v["$ref"].as_str() {
        let pointer = target.strip_prefix('#').expect("a local reference");
        v = doc.pointer(pointer).unwrap_or_else(|| panic!("dangling reference {target}"));
    }
    v
}

/// The JSON schema of a response, resolved, if it has a JSON body.
fn json_schema<'a>(doc: &'a Value, response: &'a Value) -> Option<&'a Value> {
    let response = resolve(doc, response);
    response["content"].get("application/json").map(|c| resolve(doc, &c["schema"]))
}

fn statuses(op: &Value) -> Vec<&str> {
    op["responses"].as_object().expect("responses").keys().map(String::as_str).collect()
}

/// Each operation's problems, so that one failure lists every offending route at once.
fn check_all(doc: &Value, check: impl Fn(&str, &str, &Value) -> Vec<String>) {
    let problems: Vec<String> = operations(doc)
        .into_iter()
        .flat_map(|(label, path, method, op)| {
            check(path, method, op).into_iter().map(move |p| format!("{label}: {p}"))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn every_success_is_documented_inside_the_envelope_and_lists_carry_next_cursor() {
    let doc = document().await;
    check_all(&doc, |_, method, op| {
        let mut problems = Vec::new();
        for (status, response) in op["responses"].as_object().unwrap() {
            if !status.starts_with('2') {
                continue;
            }
            let content = &resolve(&doc, response)["content"];
            // Only `/metrics` answers a non-JSON success (Prometheus text).
            let Some(schema) = json_schema(&doc, response) else {
                if content.get("text/plain").is_none() {
                    problems.push(format!("{status} has neither a JSON nor a text body"));
                }
                continue;
            };
            let props = &schema["properties"];
            let required = schema["required"].as_array().cloned().unwrap_or_default();
            if props["success"]["enum"] != serde_json::json!([true]) {
                problems.push(format!("{status} lacks `success: true`"));
            }
            if props.get("data").is_none() || !required.contains(&"data".into()) {
                problems.push(format!("{status} lacks a required `data`"));
            }
            let data = resolve(&doc, &props["data"]);
            let is_list = data["type"] == "array";
            let has_cursor = props.get("nextCursor").is_some();
            let paged = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "cursor" && p["in"] == "query"));
            // A list read is paged and says where the next page starts; a POST may answer
            // with a plain array (search results).
            if method == "get" && is_list && !(has_cursor && paged) {
                problems.push(format!("{status} lists without `nextCursor` and `?cursor=`"));
            }
            if (has_cursor || paged) && !(is_list && has_cursor && paged) {
                problems
                    .push(format!("{status}: `nextCursor`, `?cursor=` and an array go together"));
            }
        }
        problems
    });
}

#[tokio::test]
async fn every_error_is_the_error_envelope() {
    let doc = document().await;
    let error_body = &doc["components"]["schemas"]["ErrorBody"];
    assert_eq!(error_body["properties"]["success"]["enum"], serde_json::json!([false]));
    check_all(&doc, |_, _, op| {
        let mut problems = Vec::new();
        for (status, response) in op["responses"].as_object().unwrap() {
            if status.starts_with('4') || status.starts_with('5') {
                let schema = json_schema(&doc, response);
                if schema != Some(error_body) {
                    problems.push(format!("{status} is not documented as ErrorBody"));
                }
            }
        }
        problems
    });
}

#[tokio::test]
async fn every_status_an_extractor_can_answer_is_documented() {
    let doc = document().await;
    check_all(&doc, |_, _, op| {
        let documented = statuses(op);
        let mut missing = Vec::new();
        let mut need = |status: &'static str, why: &str| {
            if !documented.contains(&status) {
                missing.push(format!("{status} undocumented ({why})"));
            }
        };
        if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
            need("401", "secured");
        }
        if op.get("requestBody").is_some() {
            need("400", "a body");
            need("413", "a body");
            need("415", "a body");
        }
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        if params.iter().any(|p| p["in"] == "path") {
            need("404", "an id in the path");
        }
        if params.iter().any(|p| p["in"] == "query") {
            need("400", "query parameters");
        }
        if documented.contains(&"429") {
            let retry = &resolve(&doc, &op["responses"]["429"])["headers"]["Retry-After"];
            if retry.is_null() {
                missing.push("429 without a Retry-After header".to_owned());
            }
        }
        missing
    });
}

#[tokio::test]
async fn each_create_links_to_the_operations_on_what_it_created() {
    let doc = document().await;
    let links = &doc["paths"]["/api/ai/faqs"]["post"]["responses"]["201"]["links"];
    for operation in ["get_faq", "update_faq", "delete_faq"] {
        assert_eq!(links[operation]["operationId"], operation, "{links}");
        assert_eq!(links[operation]["parameters"]["faqId"], "$response.body#/data/id");
    }
    // Every create whose resource has its own paths links to each operation on them.
    let ids: Vec<(&str, &str)> = operations(&doc)
        .iter()
        .filter_map(|(_, path, _, op)| Some((*path, op["operationId"].as_str()?)))
        .collect();
    check_all(&doc, |path, method, op| {
        let Some(created) = op["responses"].get("201").filter(|_| method == "post") else {
            return vec![];
        };
        let prefix = format!("{path}/{{");
        ids.iter()
            .filter(|(p, _)| p.starts_with(&prefix) && p.matches('{').count() == 1)
            .filter(|(_, id)| created["links"][*id]["operationId"] != *id)
            .map(|(p, id)| format!("201 does not link to {id} ({p})"))
            .collect()
    });
}

/// Client generators and links name operations by id, and every `$ref` must resolve: a
/// parameter type used only in a query string is easy to leave out of the components.
#[tokio::test]
async fn operation_ids_are_unique_and_every_reference_resolves() {
    let doc = document().await;
    let mut seen = std::collections::BTreeMap::new();
    for (label, _, _, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{label} has no id"));
        if let Some(first) = seen.insert(id.to_owned(), label.clone()) {
            panic!("operationId {id:?} is used by {first} and {label}");
        }
    }
    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("external reference {r}"));
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
}
