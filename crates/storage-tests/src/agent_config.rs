//! The agent configuration: branding, allowed origins and AI settings, updated field by field.

use crate::data::{self, assert_not_found, name};
use chrono::Duration;
use serde_json::{Map, Value, json};
use switchboard_domain::CompanyId;
use switchboard_storage::{AgentConfigUpdate, Backend, IdentitySettings};

fn ai(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(m) => m,
        other => panic!("test AI settings must be an object, got {other}"),
    }
}

/// Registration writes the defaults; an update changes exactly the fields it names (a cleared
/// logo included), merges AI settings key by key, bumps `updated_at`, and leaves the identity
/// secret and every other company alone.
pub async fn agent_config_partial_updates(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);

    let initial = backend.get_agent_config(ca).await.expect("defaults");
    assert_eq!(initial.company_id, ca, "{be}: company id");
    assert_eq!(initial.agent_name, "Sam", "{be}: agent name from registration");
    assert_eq!(initial.greeting_message, "Hello! How can we help?", "{be}: greeting");
    assert_eq!(initial.branding_primary_color, "#2563eb", "{be}: default colour");
    assert_eq!(initial.branding_logo, None, "{be}: no logo");
    assert!(initial.allowed_origins.is_empty(), "{be}: no origins");
    assert!(!initial.identity_required, "{be}: identity optional");
    assert_eq!(initial.ai_settings, json!({}), "{be}: no AI settings");
    let theirs = backend.get_agent_config(cb).await.expect("b's defaults");

    let secret = IdentitySettings { secret: Some("kept".to_owned()), required: false };
    backend.set_identity_settings(ca, secret.clone(), now).await.expect("set secret");

    let t1 = now + Duration::minutes(1);
    let update = AgentConfigUpdate {
        agent_name: Some("Ava".to_owned()),
        branding_logo: Some(Some("https://cdn.acme.test/logo.png".to_owned())),
        allowed_origins: Some(vec!["https://acme.test".to_owned(), "http://localhost:3000".into()]),
        identity_required: Some(true),
        ai_settings: Some(ai(json!({"provider": "openai", "model": "gpt-x", "faqThreshold": 0.8}))),
        ..AgentConfigUpdate::default()
    };
    let got = backend.update_agent_config(ca, update, t1).await.expect("update");
    assert_eq!(got.agent_name, "Ava", "{be}: name changed");
    assert_eq!(got.branding_logo.as_deref(), Some("https://cdn.acme.test/logo.png"), "{be}");
    assert_eq!(got.allowed_origins, ["https://acme.test", "http://localhost:3000"], "{be}");
    assert!(got.identity_required, "{be}: identity now required");
    assert_eq!(got.greeting_message, initial.greeting_message, "{be}: greeting untouched");
    assert_eq!(got.branding_primary_color, "#2563eb", "{be}: colour untouched");
    assert_eq!(got.agent_persona, initial.agent_persona, "{be}: persona untouched");
    assert_eq!(got.created_at, initial.created_at, "{be}: created_at untouched");
    assert_eq!(got.updated_at, t1, "{be}: updated_at bumped");
    assert_eq!(backend.get_agent_config(ca).await.expect("re-read"), got, "{be}: reads back");

    // The second update names other fields; the first update's values survive, the AI
    // settings merge (model removed by null, threshold replaced, provider kept).
    let t2 = now + Duration::minutes(2);
    let update = AgentConfigUpdate {
        greeting_message: Some("Hi there".to_owned()),
        branding_primary_color: Some("#112233".to_owned()),
        branding_logo: Some(None),
        ai_settings: Some(ai(json!({"model": null, "faqThreshold": 0.5, "apiKey": "v1:abc"}))),
        ..AgentConfigUpdate::default()
    };
    let got = backend.update_agent_config(ca, update, t2).await.expect("second update");
    assert_eq!(got.agent_name, "Ava", "{be}: earlier change kept");
    assert_eq!(got.greeting_message, "Hi there", "{be}");
    assert_eq!(got.branding_primary_color, "#112233", "{be}");
    assert_eq!(got.branding_logo, None, "{be}: logo cleared");
    assert_eq!(got.allowed_origins.len(), 2, "{be}: origins kept");
    assert_eq!(
        got.ai_settings,
        json!({"provider": "openai", "faqThreshold": 0.5, "apiKey": "v1:abc"}),
        "{be}: AI settings merged key by key"
    );

    // An empty update changes nothing but the timestamp.
    let t3 = now + Duration::minutes(3);
    let same = backend.update_agent_config(ca, AgentConfigUpdate::default(), t3).await;
    let same = same.expect("empty update");
    assert_eq!(same.updated_at, t3, "{be}: empty update bumps updated_at");
    assert_eq!(same.agent_name, got.agent_name, "{be}");
    assert_eq!(same.ai_settings, got.ai_settings, "{be}");

    let identity = backend.get_identity_settings(ca).await.expect("identity");
    assert_eq!(identity, IdentitySettings { required: true, ..secret }, "{be}: secret kept");
    assert_eq!(backend.get_agent_config(cb).await.expect("b"), theirs, "{be}: b untouched");
}

/// An unknown company, or another tenant's id, is `NotFound` for reading and for writing, and
/// the refused write changes nothing.
pub async fn agent_config_of_unknown_company_is_not_found(backend: &dyn Backend) {
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let before = backend.get_agent_config(a.company.id).await.expect("a");
    let unknown = CompanyId::new();
    assert_not_found(backend, "get of unknown company", backend.get_agent_config(unknown).await);
    let update = AgentConfigUpdate {
        agent_name: Some("Mallory".to_owned()),
        ..AgentConfigUpdate::default()
    };
    let result = backend.update_agent_config(unknown, update, now).await;
    assert_not_found(backend, "update of unknown company", result);
    let after = backend.get_agent_config(a.company.id).await.expect("a again");
    assert_eq!(after, before, "{}: a untouched by the refused write", name(backend));
}
