//! The access-control harness. Every route the server documents is listed here with who may
//! call it; the harness checks, for each one, that no token is a 401, a wrong role a 403 and
//! (for routes that name a resource) another company's resource a 404, before any body
//! validation. A route added to the server but not to this table fails the test.

use crate::helpers::{Tenant, TestApp, World, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Access {
    /// No token needed.
    Public,
    /// No token needed, but a proof of ownership in the body (a customer token or a
    /// conversation's sessionId): without either it is a 401, before the body is judged,
    /// and staff tokens are refused.
    CustomerProof,
    /// Any signed-in caller: admin, agent or customer.
    Anyone,
    Admin,
    Agent,
    /// Admins and agents.
    Staff,
    /// The widget's routes: anonymous callers and customers; a staff token is a 403, an
    /// invalid token a 401. Routes naming a sessionId refuse another company's customer
    /// with a 404.
    Widget,
}

impl Access {
    /// The caller of company `t` who may use a route, if any.
    fn allowed(self, t: &Tenant) -> Option<&str> {
        match self {
            Access::Public | Access::CustomerProof => None,
            Access::Anyone | Access::Admin | Access::Staff => Some(&t.admin),
            Access::Agent => Some(&t.agent),
            Access::Widget => Some(&t.customer),
        }
    }

    /// Callers of company `t` who must get a 403.
    fn refused(self, t: &Tenant) -> Vec<&str> {
        match self {
            Access::Public | Access::Anyone => vec![],
            Access::Admin => vec![&t.agent, &t.customer],
            Access::CustomerProof => vec![&t.admin, &t.agent],
            Access::Agent => vec![&t.admin, &t.customer],
            Access::Staff => vec![&t.customer],
            Access::Widget => vec![&t.admin, &t.agent],
        }
    }
}

/// The route's path with each `{placeholder}` replaced by tenant `t`'s resource of that
/// kind. Routes naming a new kind of resource add it here.
fn fill(template: &str, t: &Tenant) -> String {
    template
        .replace("{agentId}", &t.agent_id)
        .replace("{companyId}", &t.company_id)
        .replace("{documentId}", &t.document_id)
        .replace("{faqId}", &t.faq_id)
        .replace("{exampleId}", &t.example_id)
        .replace("{toolId}", &t.tool_id)
        .replace("{workflowId}", &t.workflow_id)
        .replace("{conversationId}", &t.conversation_id)
        .replace("{sessionId}", &t.session_id)
        .replace("{requestId}", &t.request_id)
}

struct Route {
    method: Method,
    /// The path exactly as the OpenAPI document spells it.
    template: &'static str,
    access: Access,
}

fn route(method: Method, template: &'static str, access: Access) -> Route {
    Route { method, template, access }
}

fn routes() -> Vec<Route> {
    use Access::*;
    vec![
        route(Method::GET, "/health", Public),
        route(Method::GET, "/ready", Public),
        route(Method::GET, "/metrics", Public),
        route(Method::POST, "/api/auth/register", Public),
        route(Method::POST, "/api/auth/login", Public),
        route(Method::POST, "/api/auth/customer/register", Public),
        route(Method::POST, "/api/auth/customer/authenticate", Public),
        route(Method::POST, "/api/auth/logout", Anyone),
        route(Method::GET, "/api/auth/me", Anyone),
        route(Method::POST, "/api/auth/change-password", Anyone),
        route(Method::GET, "/api/admin/audit-log", Admin),
        route(Method::GET, "/api/admin/config", Admin),
        route(Method::PUT, "/api/admin/config", Admin),
        route(Method::POST, "/api/admin/config/identity-secret", Admin),
        route(Method::GET, "/api/widget/config/{companyId}", Public),
        route(Method::POST, "/api/admin/agents", Admin),
        route(Method::GET, "/api/admin/agents", Admin),
        route(Method::GET, "/api/admin/agents/{agentId}", Admin),
        route(Method::PUT, "/api/admin/agents/{agentId}", Admin),
        route(Method::DELETE, "/api/admin/agents/{agentId}", Admin),
        route(Method::POST, "/api/admin/agents/{agentId}/password-reset", Admin),
        route(Method::GET, "/api/admin/agents-status", Admin),
        route(Method::GET, "/api/admin/queue", Admin),
        route(Method::POST, "/api/admin/queue/{requestId}/reassign", Admin),
        route(Method::POST, "/api/agent/status", Agent),
        route(Method::GET, "/api/agent/status", Agent),
        route(Method::GET, "/api/admin/performance/company", Admin),
        route(Method::GET, "/api/admin/performance/agents/{agentId}", Admin),
        route(Method::POST, "/api/ai/knowledge-base", Admin),
        route(Method::GET, "/api/ai/knowledge-base", Admin),
        route(Method::GET, "/api/ai/knowledge-base/{documentId}", Admin),
        route(Method::PUT, "/api/ai/knowledge-base/{documentId}", Admin),
        route(Method::DELETE, "/api/ai/knowledge-base/{documentId}", Admin),
        route(Method::POST, "/api/ai/knowledge-base/search", Admin),
        route(Method::POST, "/api/ai/faqs", Admin),
        route(Method::GET, "/api/ai/faqs", Admin),
        route(Method::GET, "/api/ai/faqs/{faqId}", Admin),
        route(Method::PUT, "/api/ai/faqs/{faqId}", Admin),
        route(Method::DELETE, "/api/ai/faqs/{faqId}", Admin),
        route(Method::POST, "/api/ai/classification/examples", Admin),
        route(Method::GET, "/api/ai/classification/examples", Admin),
        route(Method::POST, "/api/ai/classification/examples/import", Admin),
        route(Method::GET, "/api/ai/classification/examples/{exampleId}", Admin),
        route(Method::PUT, "/api/ai/classification/examples/{exampleId}", Admin),
        route(Method::DELETE, "/api/ai/classification/examples/{exampleId}", Admin),
        route(Method::POST, "/api/ai/classification/test", Admin),
        route(Method::POST, "/api/ai/tools", Admin),
        route(Method::GET, "/api/ai/tools", Admin),
        route(Method::GET, "/api/ai/tools/{toolId}", Admin),
        route(Method::PUT, "/api/ai/tools/{toolId}", Admin),
        route(Method::DELETE, "/api/ai/tools/{toolId}", Admin),
        route(Method::POST, "/api/ai/tools/{toolId}/test", Admin),
        route(Method::POST, "/api/ai/workflows", Admin),
        route(Method::GET, "/api/ai/workflows", Admin),
        route(Method::GET, "/api/ai/workflows/{workflowId}", Admin),
        route(Method::PUT, "/api/ai/workflows/{workflowId}", Admin),
        route(Method::DELETE, "/api/ai/workflows/{workflowId}", Admin),
        route(Method::GET, "/api/agent/performance", Agent),
        route(Method::POST, "/api/feedback", CustomerProof),
        route(Method::POST, "/api/chat", Widget),
        route(Method::GET, "/api/chat/{sessionId}/messages", Widget),
        route(Method::GET, "/api/chat/ws", Widget),
        route(Method::GET, "/api/events", Staff),
        route(Method::GET, "/api/admin/conversations", Admin),
        route(Method::GET, "/api/admin/conversations/{conversationId}", Admin),
        route(Method::GET, "/api/agent/approvals", Agent),
        route(Method::POST, "/api/agent/approvals/{requestId}/approve", Staff),
        route(Method::POST, "/api/agent/approvals/{requestId}/reject", Staff),
        route(Method::POST, "/api/agent/approvals/{requestId}/escalate", Staff),
        route(Method::GET, "/api/agent/conversations", Agent),
        route(Method::GET, "/api/agent/conversations/{conversationId}", Agent),
        route(Method::POST, "/api/agent/conversations/{conversationId}/takeover", Agent),
        route(Method::POST, "/api/agent/conversations/{conversationId}/messages", Agent),
        route(Method::POST, "/api/agent/conversations/{conversationId}/release", Agent),
        route(Method::POST, "/api/agent/conversations/{conversationId}/close", Agent),
    ]
}

/// Calls a route with an empty JSON body for the methods that take one, so that the
/// expected 401 or 403 proves authentication and role are checked before validation.
async fn call(app: &TestApp, r: &Route, path: &str, token: Option<&str>) -> crate::helpers::Reply {
    let body = matches!(r.method, Method::POST | Method::PUT | Method::PATCH).then(|| json!({}));
    app.call(r.method.clone(), path, token, body).await
}

#[tokio::test]
async fn every_documented_route_is_in_the_harness() {
    let app = spawn_app().await;
    let doc: Value =
        app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let listed: BTreeSet<String> =
        routes().iter().map(|r| format!("{} {}", r.method, r.template)).collect();
    assert_eq!(
        documented.difference(&listed).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "routes missing from the isolation harness"
    );
    assert_eq!(
        listed.difference(&documented).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "stale harness rows"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn protected_routes_answer_401_without_a_valid_token() {
    let app = spawn_app().await;
    let world = app.world().await;
    for r in routes().iter().filter(|r| r.access != Access::Public) {
        let path = fill(r.template, &world.a);
        // The widget's routes serve anonymous callers; only a bad token is refused.
        if r.access != Access::Widget {
            call(&app, r, &path, None).await.assert_error(401, "unauthorized");
        }
        call(&app, r, &path, Some("garbage")).await.assert_error(401, "unauthorized");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn public_routes_need_no_token() {
    let app = spawn_app().await;
    let world = app.world().await;
    for r in routes().iter().filter(|r| matches!(r.access, Access::Public | Access::Widget)) {
        let reply = call(&app, r, &fill(r.template, &world.a), None).await;
        assert_ne!(reply.status, 401, "{} {} demanded a token", r.method, r.template);
        assert_ne!(reply.status, 403, "{} {} refused an anonymous caller", r.method, r.template);
        assert!(!reply.status.is_server_error(), "{} {}: {}", r.method, r.template, reply.text);
    }
    app.shutdown().await;
}

#[tokio::test]
async fn wrong_roles_answer_403_before_any_validation() {
    let app = spawn_app().await;
    let World { a, .. } = app.world().await;
    for r in routes() {
        for token in r.access.refused(&a) {
            let reply = call(&app, &r, &fill(r.template, &a), Some(token)).await;
            assert_eq!(reply.status, 403, "{} {}: {}", r.method, r.template, reply.text);
            reply.assert_error(403, "forbidden");
        }
    }
    app.shutdown().await;
}

#[tokio::test]
async fn another_companys_resources_answer_404_on_every_verb() {
    let app = spawn_app().await;
    let World { a, b } = app.world().await;
    let scoped =
        routes().into_iter().filter(|r| r.access != Access::Public && r.template.contains('{'));
    for r in scoped {
        let token = r.access.allowed(&a).expect("a protected route has a caller");
        let reply = call(&app, &r, &fill(r.template, &b), Some(token)).await;
        assert_eq!(
            reply.status, 404,
            "{} {} reached company B: {}",
            r.method, r.template, reply.text
        );
        reply.assert_error(404, "not_found");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn lists_never_show_another_companys_rows() {
    let app = spawn_app().await;
    let World { a, b } = app.world().await;
    let a_log = app.get("/api/admin/audit-log", Some(&a.admin)).await;
    let b_log = app.get("/api/admin/audit-log", Some(&b.admin)).await;
    let ids = |reply: &crate::helpers::Reply| -> BTreeSet<String> {
        reply
            .assert_ok(200)
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (a_ids, b_ids) = (ids(&a_log), ids(&b_log));
    assert!(!a_ids.is_empty() && !b_ids.is_empty());
    assert!(a_ids.is_disjoint(&b_ids), "audit logs overlap across companies");
    app.shutdown().await;
}

#[tokio::test]
async fn every_token_is_bound_to_its_own_company() {
    let app = spawn_app().await;
    let world = app.world().await;
    for tenant in [&world.a, &world.b] {
        for token in [&tenant.admin, &tenant.agent, &tenant.customer] {
            let me = app.get("/api/auth/me", Some(token)).await;
            assert_eq!(me.assert_ok(200)["companyId"], tenant.company_id.as_str());
        }
    }
    app.shutdown().await;
}
