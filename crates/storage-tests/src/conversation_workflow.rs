//! What a running workflow keeps with its conversation: its state (so that a restart resumes
//! it) and the priority a `set_priority` step gives, both written by `record` beside the
//! messages of the same step.

use crate::conversation::new_conversation;
use crate::data::{self, assert_not_found, name};
use chrono::Duration;
use serde_json::{Value, json};
use switchboard_storage::{Backend, ConversationWrite};

/// A new conversation has no workflow; a state written with a step reads back exactly, is
/// replaced whole by the next one, and is cleared with JSON null; priority changes alone,
/// and another company can change neither.
pub async fn workflow_state_and_priority_are_recorded(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let created = backend
        .create_conversation(ca, new_conversation(None, &format!("{:064x}", 7)))
        .await
        .expect("create");
    assert_eq!(created.workflow, Value::Null, "{be}: no workflow at first");

    let state = json!({ "workflowId": "w1", "step": 2, "fields": { "order": "A-1042" },
                        "waiting": { "ask": "email" } });
    let write = ConversationWrite {
        workflow: Some(state.clone()),
        priority: Some("high".to_owned()),
        ..ConversationWrite::at(now + Duration::seconds(1))
    };
    let written = backend.record(ca, created.id, write).await.expect("write state");
    assert_eq!((&written.workflow, written.priority.as_str()), (&state, "high"), "{be}: answered");
    let read = backend.get_conversation(ca, created.id).await.expect("read");
    assert_eq!(read, written, "{be}: stored as answered");
    assert_eq!(read.urgency, created.urgency, "{be}: urgency untouched by a priority change");

    let next = json!({ "workflowId": "w1", "step": 3, "fields": { "order": "A-1042" } });
    let write = ConversationWrite {
        workflow: Some(next.clone()),
        ..ConversationWrite::at(now + Duration::seconds(2))
    };
    let replaced = backend.record(ca, created.id, write).await.expect("replace");
    assert_eq!((&replaced.workflow, replaced.priority.as_str()), (&next, "high"), "{be}: replaced");

    let foreign = ConversationWrite {
        workflow: Some(json!({ "workflowId": "evil" })),
        priority: Some("critical".to_owned()),
        ..ConversationWrite::at(now + Duration::seconds(3))
    };
    assert_not_found(
        backend,
        "b writes a's workflow",
        backend.record(cb, created.id, foreign).await,
    );

    let write = ConversationWrite {
        workflow: Some(Value::Null),
        ..ConversationWrite::at(now + Duration::seconds(4))
    };
    let cleared = backend.record(ca, created.id, write).await.expect("clear");
    assert_eq!(cleared.workflow, Value::Null, "{be}: cleared");
    let read = backend.get_conversation(ca, created.id).await.expect("read cleared");
    assert_eq!((read.workflow, read.priority.as_str()), (Value::Null, "high"), "{be}: stored");
}
