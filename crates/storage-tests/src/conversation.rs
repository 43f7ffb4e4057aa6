//! Conversations (the minimal create/get the feedback route needs) and feedback, whose
//! row and `feedback.submitted` event are written together or not at all.

use crate::data::{self, assert_not_found, name};
use chrono::Duration;
use serde_json::json;
use switchboard_domain::{ConversationId, CustomerId, FeedbackComment, FeedbackId, Rating};
use switchboard_storage::{
    Backend, NewConversation, NewCustomer, NewEvent, NewFeedback, StorageError,
};

pub fn new_conversation(customer: Option<CustomerId>, hash: &str) -> NewConversation {
    NewConversation {
        id: ConversationId::new(),
        customer_id: customer,
        session_hash: hash.to_owned(),
        category: Some("billing".to_owned()),
        now: data::now(),
    }
}

fn is_conflict<T: std::fmt::Debug>(r: &Result<T, StorageError>) -> bool {
    matches!(r, Err(StorageError::Conflict { .. }))
}

/// A conversation reads back as written, with status `ai`; another company's read is
/// `NotFound`, and a session hash can be used only once, in any company.
pub async fn conversations_story(backend: &dyn Backend) {
    let be = name(backend);
    let a = data::register(backend, "support@acme.test", "ann@acme.test", data::now()).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", data::now()).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let cust =
        backend.create_customer(ca, NewCustomer::anonymous(), data::now()).await.expect("customer");
    let new = new_conversation(Some(cust.id), "hash-1");
    let stored = backend.create_conversation(ca, new.clone()).await.expect("create");
    assert_eq!(
        (stored.id, stored.company_id, stored.customer_id, stored.session_hash.as_str()),
        (new.id, ca, Some(cust.id), "hash-1"),
        "{be}: stored conversation"
    );
    assert_eq!((stored.status.as_str(), stored.category.as_deref()), ("ai", Some("billing")));
    assert_eq!(stored.created_at, new.now, "{be}: created_at");
    let read = backend.get_conversation(ca, new.id).await.expect("get");
    assert_eq!(read, stored, "{be}: read back");
    assert_not_found(
        backend,
        "other company's conversation",
        backend.get_conversation(cb, new.id).await,
    );
    assert_not_found(backend, "unknown", backend.get_conversation(ca, ConversationId::new()).await);
    let dup = backend.create_conversation(cb, new_conversation(None, "hash-1")).await;
    assert!(is_conflict(&dup), "{be}: a reused session hash: {dup:?}");
    let anon =
        backend.create_conversation(cb, new_conversation(None, "hash-2")).await.expect("anon");
    assert_eq!(anon.customer_id, None, "{be}: no customer");
}

fn feedback(conversation: ConversationId, rating: i64) -> NewFeedback {
    NewFeedback {
        id: FeedbackId::new(),
        conversation_id: conversation,
        customer_id: None,
        rating: Rating::parse(rating).expect("rating"),
        comment: Some(FeedbackComment::parse("Great help").expect("comment")),
        created_at: data::now(),
    }
}

fn event(conversation: ConversationId, rating: i64) -> NewEvent {
    NewEvent {
        kind: "feedback.submitted".to_owned(),
        conversation_id: Some(conversation.as_uuid()),
        agent_id: None,
        data: json!({ "rating": rating }),
        occurred_at: data::now(),
    }
}

/// Feedback is stored with its event; a second rating of the conversation is a `Conflict`
/// that writes no second event, and another company's conversation is `NotFound`.
pub async fn feedback_is_once_per_conversation_with_its_event(backend: &dyn Backend) {
    let be = name(backend);
    let a = data::register(backend, "support@acme.test", "ann@acme.test", data::now()).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", data::now()).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let conv = backend.create_conversation(ca, new_conversation(None, "h-a")).await.expect("conv");
    let first = feedback(conv.id, 4);
    let stored =
        backend.create_feedback(ca, first.clone(), event(conv.id, 4)).await.expect("feedback");
    assert_eq!(
        (stored.id, stored.company_id, stored.conversation_id, stored.rating.get()),
        (first.id, ca, conv.id, 4),
        "{be}: stored feedback"
    );
    assert_eq!(stored.comment.as_deref(), Some("Great help"));
    assert_eq!(stored.created_at, first.created_at);

    let again = backend.create_feedback(ca, feedback(conv.id, 1), event(conv.id, 1)).await;
    assert!(is_conflict(&again), "{be}: second feedback: {again:?}");
    let from_b = backend.create_feedback(cb, feedback(conv.id, 2), event(conv.id, 2)).await;
    assert_not_found(backend, "feedback on another company's conversation", from_b);
    let unknown = ConversationId::new();
    let none = backend.create_feedback(ca, feedback(unknown, 2), event(unknown, 2)).await;
    assert_not_found(backend, "feedback on an unknown conversation", none);

    let now = data::now();
    let window = (now - Duration::hours(1), now + Duration::hours(1));
    let a_events = backend.list_events(ca, window.0, window.1).await.expect("a events");
    assert_eq!(a_events.len(), 1, "{be}: exactly the accepted rating's event: {a_events:?}");
    assert_eq!(a_events[0].data["rating"], 4, "{be}: event data");
    let b_events = backend.list_events(cb, window.0, window.1).await.expect("b events");
    assert!(b_events.is_empty(), "{be}: the refused write left nothing: {b_events:?}");
}
