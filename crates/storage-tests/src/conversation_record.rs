//! Conversations after their creation: the session lookup, `record` (messages, events,
//! classification and the compare-and-set on status and owner, all in one transaction), the
//! message list and the filtered conversation list.

use crate::data::{self, assert_conflict, assert_not_found, name};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use switchboard_domain::{CompanyId, ConversationId, Cursor, MessageId, PageLimit, Role, UserId};
use switchboard_storage::{
    Backend, Conversation, ConversationClassification, ConversationFilter, ConversationWrite,
    Event, Message, NewConversation, NewEvent, NewMessage, Page, PageRequest, StatusChange,
    StorageError,
};

/// The conflict `record` answers when the conversation is no longer as the caller saw it.
const STATUS_CONFLICT: &str = "conversation_status";

/// A session hash shaped like the real ones (64 lowercase hex digits).
fn hash(seed: u64) -> String {
    format!("{seed:064x}")
}

fn conversation(hash: &str, category: Option<&str>, now: DateTime<Utc>) -> NewConversation {
    NewConversation {
        id: ConversationId::new(),
        customer_id: None,
        session_hash: hash.to_owned(),
        category: category.map(str::to_owned),
        now,
    }
}

fn message(sender: &str, content: &str, at: DateTime<Utc>) -> NewMessage {
    let citations = if sender == "ai" { json!([{ "chunk": content.len() }]) } else { json!([]) };
    NewMessage {
        id: MessageId::new(),
        sender: sender.to_owned(),
        sender_id: None,
        content: content.to_owned(),
        citations,
        created_at: at,
    }
}

/// How `message` must read back once stored in `conversation`.
fn stored(conversation: ConversationId, m: &NewMessage) -> Message {
    Message {
        id: m.id,
        conversation_id: conversation,
        sender: m.sender.clone(),
        sender_id: m.sender_id,
        content: m.content.clone(),
        citations: m.citations.clone(),
        created_at: m.created_at,
    }
}

fn event(kind: &str, conversation: ConversationId, at: DateTime<Utc>) -> NewEvent {
    NewEvent {
        kind: kind.to_owned(),
        conversation_id: Some(conversation.as_uuid()),
        agent_id: None,
        data: json!({ "kind": kind }),
        occurred_at: at,
    }
}

fn change(from: &str, from_agent: Option<UserId>, to: &str, agent: Option<UserId>) -> StatusChange {
    StatusChange { from: from.to_owned(), from_agent, to: to.to_owned(), agent, resolution: None }
}

/// A write that carries one message and one event, so a refused write shows if either lands.
fn write_with(
    conversation: ConversationId,
    change: Option<StatusChange>,
    content: &str,
    at: DateTime<Utc>,
) -> (ConversationWrite, NewMessage) {
    let m = message("system", content, at);
    let mut write = ConversationWrite::at(at);
    write.change = change;
    write.messages.push(m.clone());
    write.events.push(event(content, conversation, at));
    (write, m)
}

/// Every event of `conversation` in `company`, oldest first.
async fn events_of(
    backend: &dyn Backend,
    company: CompanyId,
    conversation: ConversationId,
) -> Vec<Event> {
    let now = data::now();
    let all = backend
        .list_events(company, now - Duration::days(1), now + Duration::days(1))
        .await
        .unwrap_or_else(|e| panic!("{}: list_events: {e}", name(backend)));
    all.into_iter().filter(|e| e.conversation_id == Some(conversation.as_uuid())).collect()
}

fn kinds(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.kind.as_str()).collect()
}

async fn messages_of(
    backend: &dyn Backend,
    company: CompanyId,
    conversation: ConversationId,
) -> Vec<Message> {
    backend
        .list_messages(company, conversation, None, 100)
        .await
        .unwrap_or_else(|e| panic!("{}: list_messages: {e}", name(backend)))
}

async fn agent(backend: &dyn Backend, company: CompanyId, email: &str) -> UserId {
    let user = data::new_user(email, Role::CompanyAgent, false);
    let created = backend.create_user(company, user, data::now()).await;
    created.unwrap_or_else(|e| panic!("{}: create_user {email}: {e}", name(backend))).id
}

/// The sessionId is the widget's credential, so its hash finds the conversation in whichever
/// company holds it, as it now is; any other string, even a near one, is `NotFound`.
pub async fn conversations_are_found_by_session_across_companies(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let (ha, hb) = (hash(0xa11ce), hash(0xb0b));
    let in_a = backend.create_conversation(ca, conversation(&ha, None, now)).await.expect("a");
    let in_b = backend.create_conversation(cb, conversation(&hb, None, now)).await.expect("b");

    let found = backend.find_conversation_by_session(&ha).await.expect("find a");
    assert_eq!(found, in_a, "{be}: a's conversation by its session");
    let found = backend.find_conversation_by_session(&hb).await.expect("find b");
    assert_eq!((found.company_id, &found), (cb, &in_b), "{be}: b's conversation by its session");

    assert_not_found(backend, "unknown hash", backend.find_conversation_by_session(&hash(7)).await);
    assert_not_found(backend, "prefix", backend.find_conversation_by_session(&ha[..63]).await);
    let upper = ha.to_uppercase();
    assert_not_found(backend, "other case", backend.find_conversation_by_session(&upper).await);
    assert_not_found(backend, "empty", backend.find_conversation_by_session("").await);

    // The lookup reads the row as it is now, not as it was created.
    let later = now + Duration::seconds(5);
    let handoff = change("ai", None, "awaiting_approval", None);
    let (write, _) = write_with(in_b.id, Some(handoff), "handoff.requested", later);
    backend.record(cb, in_b.id, write).await.expect("hand off");
    let found = backend.find_conversation_by_session(&hb).await.expect("find b again");
    assert_eq!(
        (found.status.as_str(), found.updated_at),
        ("awaiting_approval", later),
        "{be}: the session lookup sees the recorded change"
    );
}

/// `record` writes its messages and events; messages read back oldest first, after a given
/// message and up to a limit. Another company can neither read nor write the conversation,
/// and a write that fails half way leaves nothing behind.
pub async fn record_appends_messages_and_events_together(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", t0).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let conv = backend.create_conversation(ca, conversation(&hash(1), None, t0)).await;
    let conv = conv.expect("conversation");
    let id = conv.id;

    let (t1, t2) = (t0 + Duration::seconds(1), t0 + Duration::seconds(2));
    let first = [message("customer", "Where is my refund?", t1), message("ai", "On its way.", t1)];
    let mut write = ConversationWrite::at(t1);
    write.messages.extend(first.iter().cloned());
    write.events.push(event("message.received", id, t1));
    write.events.push(event("message.answered", id, t1));
    let after_first = backend.record(ca, id, write).await.expect("first write");
    assert_eq!(
        (after_first.status.as_str(), after_first.assigned_agent_id, after_first.updated_at),
        ("ai", None, t1),
        "{be}: a write without a change only touches updated_at"
    );
    assert_eq!(after_first.created_at, t0, "{be}: created_at stays");

    let second = [message("customer", "Thanks!", t2), message("ai", "You're welcome.", t2)];
    let mut write = ConversationWrite::at(t2);
    write.messages.extend(second.iter().cloned());
    write.events.push(event("message.received", id, t2));
    let after_second = backend.record(ca, id, write).await.expect("second write");
    assert_eq!(
        backend.get_conversation(ca, id).await.expect("get"),
        after_second,
        "{be}: record answers the conversation as stored"
    );

    let all: Vec<Message> = first.iter().chain(&second).map(|m| stored(id, m)).collect();
    let list = |after: Option<MessageId>, limit| backend.list_messages(ca, id, after, limit);
    assert_eq!(list(None, 100).await.expect("all"), all, "{be}: messages oldest first");
    assert_eq!(list(None, 3).await.expect("limit"), all[..3], "{be}: at most `limit`");
    assert_eq!(list(Some(all[1].id), 100).await.expect("after"), all[2..], "{be}: after m2");
    assert_eq!(list(Some(all[1].id), 1).await.expect("after+limit"), all[2..3], "{be}: one");
    let tail = list(Some(all[3].id), 100).await.expect("tail");
    assert!(tail.is_empty(), "{be}: nothing after the last: {tail:?}");
    let events = events_of(backend, ca, id).await;
    assert_eq!(
        kinds(&events),
        ["message.received", "message.answered", "message.received"],
        "{be}: every event of both writes, oldest first"
    );
    assert!(events.iter().all(|e| e.company_id == ca), "{be}: events belong to a: {events:?}");

    // Another company: every read and write is NotFound, even a status change (a Conflict
    // would tell it the conversation exists).
    assert_not_found(backend, "b reads a's conversation", backend.get_conversation(cb, id).await);
    let (write, _) = write_with(id, None, "b.writes", t2 + Duration::seconds(1));
    assert_not_found(backend, "b records on a's conversation", backend.record(cb, id, write).await);
    let takeover = change("ai", None, "human", Some(b.admin.id));
    let (write, _) = write_with(id, Some(takeover), "b.takes", t2 + Duration::seconds(1));
    assert_not_found(backend, "b changes a's conversation", backend.record(cb, id, write).await);
    // The trait promises no NotFound here: an unknown or foreign conversation has no messages.
    let theirs = backend.list_messages(cb, id, None, 100).await.expect("b lists a's messages");
    assert!(theirs.is_empty(), "{be}: b sees none of a's messages: {theirs:?}");
    let (write, _) = write_with(id, None, "a.unknown", t2);
    let unknown = ConversationId::new();
    assert_not_found(backend, "unknown conversation", backend.record(ca, unknown, write).await);

    // A write whose last message collides with a stored one fails as a whole: its change,
    // classification and first message are rolled back and its events never land.
    let t3 = t2 + Duration::seconds(3);
    let (mut write, _) =
        write_with(id, Some(change("ai", None, "awaiting_approval", None)), "x", t3);
    write.classification = Some(ConversationClassification {
        category: Some("refunds".to_owned()),
        priority: "high".to_owned(),
        urgency: "urgent".to_owned(),
        sentiment: Some("negative".to_owned()),
        detail: json!({ "category": "refunds" }),
    });
    write.messages.push(NewMessage { content: "a copy".to_owned(), ..first[0].clone() });
    let failed = backend.record(ca, id, write).await;
    assert!(matches!(failed, Err(StorageError::Conflict { .. })), "{be}: dup id: {failed:?}");

    assert_eq!(
        backend.get_conversation(ca, id).await.expect("get after"),
        after_second,
        "{be}: nothing of the refused writes changed the conversation"
    );
    assert_eq!(messages_of(backend, ca, id).await, all, "{be}: no message of a refused write");
    assert_eq!(events_of(backend, ca, id).await, events, "{be}: no event of a refused write");
    let in_b = events_of(backend, cb, id).await;
    assert!(in_b.is_empty(), "{be}: b's refused writes left no event: {in_b:?}");
}

/// A change applies only while the conversation is as its caller saw it, owner included
/// (an unowned conversation matches only an unowned `from`). A refused change writes none of
/// its messages, events or classification; accepted ones stamp `handed_off_at` on the first
/// move to `human`, `closed_at` and the resolution on closing.
pub async fn status_changes_are_compare_and_set(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let at = |s: i64| t0 + Duration::seconds(s);
    let a = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let ca = a.company.id;
    let (x, y) =
        (agent(backend, ca, "xena@acme.test").await, agent(backend, ca, "yuri@acme.test").await);
    let created =
        backend.create_conversation(ca, conversation(&hash(2), Some("billing"), t0)).await;
    let created = created.expect("conversation");
    let id = created.id;
    let mut accepted = Vec::new();
    let mut accepted_kinds = Vec::new();

    let refuse = async |what: &str, c: StatusChange, s: i64| {
        let (mut write, _) = write_with(id, Some(c), what, at(s));
        write.classification = Some(ConversationClassification {
            category: Some("stolen".to_owned()),
            priority: "critical".to_owned(),
            urgency: "urgent".to_owned(),
            sentiment: None,
            detail: json!({ "refused": what }),
        });
        assert_conflict(backend, what, STATUS_CONFLICT, backend.record(ca, id, write).await);
    };

    refuse("wrong status", change("human", None, "closed", None), 1).await;
    refuse("owner given, none stored", change("ai", Some(x), "human", Some(x)), 1).await;
    assert_eq!(
        backend.get_conversation(ca, id).await.expect("get"),
        created,
        "{be}: refused changes left the conversation untouched"
    );

    let (write, m) =
        write_with(id, Some(change("ai", None, "awaiting_approval", None)), "ask", at(2));
    let waiting = backend.record(ca, id, write).await.expect("ai -> awaiting_approval");
    assert_eq!(
        (waiting.status.as_str(), waiting.assigned_agent_id, waiting.handed_off_at),
        ("awaiting_approval", None, None),
        "{be}: waiting for a person, nobody's yet"
    );
    accepted.push(stored(id, &m));
    accepted_kinds.push("ask");

    let (write, m) =
        write_with(id, Some(change("awaiting_approval", None, "human", Some(x))), "claim", at(3));
    let claimed = backend.record(ca, id, write).await.expect("x claims");
    assert_eq!(
        (claimed.status.as_str(), claimed.assigned_agent_id, claimed.handed_off_at),
        ("human", Some(x), Some(at(3))),
        "{be}: claimed by x, handed off now"
    );
    assert_eq!((claimed.closed_at, claimed.updated_at), (None, at(3)), "{be}: claimed");
    accepted.push(stored(id, &m));
    accepted_kinds.push("claim");

    refuse("stale claim", change("awaiting_approval", None, "human", Some(y)), 4).await;
    refuse("wrong owner", change("human", Some(y), "human", Some(y)), 4).await;
    refuse("none given, owner stored", change("human", None, "human", Some(y)), 4).await;

    let (write, m) =
        write_with(id, Some(change("human", Some(x), "human", Some(y))), "move", at(5));
    let moved = backend.record(ca, id, write).await.expect("x transfers to y");
    assert_eq!(
        (moved.assigned_agent_id, moved.handed_off_at, moved.updated_at),
        (Some(y), Some(at(3)), at(5)),
        "{be}: a transfer keeps the first handoff time"
    );
    accepted.push(stored(id, &m));
    accepted_kinds.push("move");

    let mut close = change("human", Some(y), "closed", Some(y));
    close.resolution = Some("refund issued".to_owned());
    let (write, m) = write_with(id, Some(close), "close", at(6));
    let closed = backend.record(ca, id, write).await.expect("y closes");
    assert_eq!(
        (closed.status.as_str(), closed.assigned_agent_id, closed.resolution.as_deref()),
        ("closed", Some(y), Some("refund issued")),
        "{be}: closed by y with its resolution"
    );
    assert_eq!((closed.closed_at, closed.handed_off_at), (Some(at(6)), Some(at(3))), "{be}");
    accepted.push(stored(id, &m));
    accepted_kinds.push("close");
    refuse("closing twice", change("human", Some(y), "closed", Some(y)), 7).await;

    let now = backend.get_conversation(ca, id).await.expect("get closed");
    assert_eq!(now, closed, "{be}: the last accepted change is what is stored");
    assert_eq!(
        (now.category.as_deref(), now.priority.as_str(), &now.classification),
        (Some("billing"), "medium", &json!({})),
        "{be}: no refused classification landed"
    );
    assert_eq!(messages_of(backend, ca, id).await, accepted, "{be}: only accepted messages");
    let events = events_of(backend, ca, id).await;
    assert_eq!(kinds(&events), accepted_kinds, "{be}: only accepted events");
}

/// Two agents claim the same waiting conversation at once: exactly one wins, the other is a
/// `Conflict`, and only the winner's message and event are stored. Several rounds, so the
/// two writes really overlap on a backend with more than one connection.
pub async fn concurrent_claims_have_one_winner(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let ca = a.company.id;
    let (x, y) =
        (agent(backend, ca, "xena@acme.test").await, agent(backend, ca, "yuri@acme.test").await);
    for round in 0..5_u64 {
        let conv =
            backend.create_conversation(ca, conversation(&hash(100 + round), None, t0)).await;
        let id = conv.expect("conversation").id;
        let ask = change("ai", None, "awaiting_approval", None);
        backend
            .record(ca, id, ConversationWrite { change: Some(ask), ..ConversationWrite::at(t0) })
            .await
            .expect("waiting");

        let claim = async |who: UserId, kind: &str| {
            let c = change("awaiting_approval", None, "human", Some(who));
            let (write, m) = write_with(id, Some(c), kind, t0 + Duration::seconds(1));
            (backend.record(ca, id, write).await, m)
        };
        let ((by_x, mx), (by_y, my)) = tokio::join!(claim(x, "claim.x"), claim(y, "claim.y"));
        let (winner, owner, message, kind, loser) = match (by_x, by_y) {
            (Ok(c), loser @ Err(_)) => (c, x, mx, "claim.x", loser),
            (loser @ Err(_), Ok(c)) => (c, y, my, "claim.y", loser),
            both => panic!("{be}: round {round}: exactly one claim wins: {both:?}"),
        };
        assert_conflict(backend, "the losing claim", STATUS_CONFLICT, loser);
        assert_eq!(winner.assigned_agent_id, Some(owner), "{be}: round {round}: winner owns it");
        let stored_now = backend.get_conversation(ca, id).await.expect("get");
        assert_eq!(stored_now, winner, "{be}: round {round}: the winner's write is stored");
        assert_eq!(messages_of(backend, ca, id).await, [stored(id, &message)], "{be}: {round}");
        assert_eq!(kinds(&events_of(backend, ca, id).await), [kind], "{be}: round {round}");
    }
}

fn request(limit: u32, after: Option<&str>) -> PageRequest {
    PageRequest {
        limit: PageLimit::parse(limit).expect("limit"),
        after: after.map(|c| Cursor::parse(c).expect("cursor")),
    }
}

fn ids(page: &Page<Conversation>) -> Vec<ConversationId> {
    page.items.iter().map(|c| c.id).collect()
}

/// Lists are newest first and every filter narrows them: status, owner, category, and an
/// agent's view (its own conversations plus the unowned ones not closed, never another
/// agent's). Pages chain by cursor; another company's conversations never show.
pub async fn conversation_lists_filter_and_page(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", t0).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let (x, y) =
        (agent(backend, ca, "xena@acme.test").await, agent(backend, ca, "yuri@acme.test").await);

    // (category, path of changes from `ai`), created oldest first.
    let awaiting = || change("ai", None, "awaiting_approval", None);
    let claim = |who| change("awaiting_approval", None, "human", Some(who));
    let shapes: [(&str, Vec<StatusChange>); 6] = [
        ("billing", vec![]),
        ("tech", vec![awaiting()]),
        ("billing", vec![awaiting(), claim(x)]),
        ("billing", vec![awaiting(), claim(y)]),
        ("tech", vec![change("ai", None, "closed", None)]),
        ("tech", vec![awaiting(), claim(x), change("human", Some(x), "closed", Some(x))]),
    ];
    let mut c = Vec::new();
    for (i, (category, path)) in shapes.into_iter().enumerate() {
        let at = t0 + Duration::seconds(i as i64);
        let new = conversation(&hash(200 + i as u64), Some(category), at);
        let mut conv = backend.create_conversation(ca, new).await.expect("conversation");
        for step in path {
            let write = ConversationWrite { change: Some(step), ..ConversationWrite::at(at) };
            conv = backend.record(ca, conv.id, write).await.expect("shape");
        }
        c.push(conv);
    }
    let theirs = backend.create_conversation(cb, conversation(&hash(300), Some("tech"), t0)).await;
    let theirs = theirs.expect("b's conversation");

    let list = async |filter: ConversationFilter, page: PageRequest| {
        let listed = backend.list_conversations(ca, filter, page).await;
        listed.unwrap_or_else(|e| panic!("{be}: list_conversations: {e}"))
    };
    let all = list(ConversationFilter::default(), PageRequest::default()).await;
    let newest_first: Vec<Conversation> = c.iter().rev().cloned().collect();
    assert_eq!(all.items, newest_first, "{be}: everything of a, newest first, as stored");
    assert_eq!(all.next_cursor, None, "{be}: one page");

    let only = |filter: ConversationFilter, want: &[usize], what: &'static str| {
        let want: Vec<ConversationId> = want.iter().map(|&i| c[i].id).collect();
        async move {
            let page = list(filter, PageRequest::default()).await;
            assert_eq!(ids(&page), want, "{be}: {what}");
        }
    };
    let status = |s: &str| ConversationFilter { status: Some(s.to_owned()), ..Default::default() };
    only(status("human"), &[3, 2], "status human").await;
    only(status("closed"), &[5, 4], "status closed").await;
    only(status("awaiting_approval"), &[1], "status awaiting_approval").await;
    only(ConversationFilter { agent: Some(x), ..Default::default() }, &[5, 2], "x's").await;
    let tech = ConversationFilter { category: Some("tech".to_owned()), ..Default::default() };
    only(tech, &[5, 4, 1], "category tech").await;
    let view = |who| ConversationFilter { visible_to: Some(who), ..Default::default() };
    only(view(x), &[5, 2, 1, 0], "x's view: its own, open or closed, and the unowned live").await;
    only(view(y), &[3, 1, 0], "y's view").await;
    let outsider = agent(backend, ca, "olga@acme.test").await;
    only(view(outsider), &[1, 0], "a new agent sees only the unowned live ones").await;
    let x_human = ConversationFilter { status: Some("human".to_owned()), ..view(x) };
    only(x_human, &[2], "filters combine: x's view of human").await;
    let y_billing = ConversationFilter { category: Some("billing".to_owned()), ..view(y) };
    only(y_billing, &[3, 0], "filters combine: y's view of billing").await;
    only(status("nonexistent"), &[], "an unknown status matches nothing").await;

    let page1 = list(ConversationFilter::default(), request(2, None)).await;
    assert_eq!(ids(&page1), [c[5].id, c[4].id], "{be}: page 1");
    assert_eq!(page1.next_cursor, Some(c[4].id.to_string()), "{be}: cursor 1");
    let page2 = list(ConversationFilter::default(), request(2, page1.next_cursor.as_deref())).await;
    assert_eq!(ids(&page2), [c[3].id, c[2].id], "{be}: page 2");
    let page3 = list(ConversationFilter::default(), request(2, page2.next_cursor.as_deref())).await;
    assert_eq!((ids(&page3), page3.next_cursor), (vec![c[1].id, c[0].id], None), "{be}: last");
    let viewed = list(view(x), request(3, None)).await;
    assert_eq!(ids(&viewed), [c[5].id, c[2].id, c[1].id], "{be}: x's first page");
    let rest = list(view(x), request(3, viewed.next_cursor.as_deref())).await;
    assert_eq!((ids(&rest), rest.next_cursor), (vec![c[0].id], None), "{be}: x's last page");

    let b_all =
        backend.list_conversations(cb, ConversationFilter::default(), PageRequest::default());
    let b_all = b_all.await.expect("b's list");
    assert_eq!((b_all.items, b_all.next_cursor), (vec![theirs.clone()], None), "{be}: b's own");
    let b_tech = ConversationFilter { category: Some("tech".to_owned()), ..view(x) };
    let b_tech = backend.list_conversations(cb, b_tech, PageRequest::default()).await;
    assert_eq!(ids(&b_tech.expect("b's tech")), [theirs.id], "{be}: a's rows never in b's list");
    // A cursor taken from a's list does not open a's older rows to b either (b's only
    // conversation is newer than the cursor, so the page is empty).
    let cursor = Some(c[5].id.to_string());
    let b_after = backend.list_conversations(
        cb,
        ConversationFilter::default(),
        request(5, cursor.as_deref()),
    );
    let b_after = b_after.await.expect("b after");
    assert!(b_after.items.is_empty(), "{be}: b after a's cursor: {:?}", ids(&b_after));
}

/// A classification recorded on a conversation reads back on it (and filters lists by its
/// category); a later one replaces it whole; it lands together with a status change in the
/// same write; another company cannot classify the conversation.
pub async fn classification_is_recorded_on_the_conversation(backend: &dyn Backend) {
    let be = name(backend);
    let t0 = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", t0).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", t0).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let conv = backend.create_conversation(ca, conversation(&hash(3), None, t0)).await;
    let conv = conv.expect("conversation");
    let id = conv.id;
    assert_eq!(
        (conv.category, conv.priority.as_str(), conv.urgency.as_str(), conv.sentiment),
        (None, "medium", "medium", None),
        "{be}: unclassified defaults"
    );
    assert_eq!(conv.classification, json!({}), "{be}: no classification yet");

    let detail = json!({
        "category": { "value": "billing", "score": 0.875, "reason": "mentions an invoice" },
        "priority": { "value": "high", "score": 0.5 },
        "signals": ["refund", "angry"],
    });
    let first = ConversationClassification {
        category: Some("billing".to_owned()),
        priority: "high".to_owned(),
        urgency: "urgent".to_owned(),
        sentiment: Some("negative".to_owned()),
        detail: detail.clone(),
    };
    let t1 = t0 + Duration::seconds(1);
    let write = ConversationWrite { classification: Some(first), ..ConversationWrite::at(t1) };
    let classified = backend.record(ca, id, write).await.expect("classify");
    assert_eq!(
        (classified.category.as_deref(), classified.priority.as_str(), classified.urgency.as_str()),
        (Some("billing"), "high", "urgent"),
        "{be}: classified"
    );
    assert_eq!(
        (classified.sentiment.as_deref(), &classified.classification, classified.updated_at),
        (Some("negative"), &detail, t1),
        "{be}: sentiment, detail and time"
    );
    assert_eq!(backend.get_conversation(ca, id).await.expect("get"), classified, "{be}: stored");
    let billing = ConversationFilter { category: Some("billing".to_owned()), ..Default::default() };
    let listed = backend.list_conversations(ca, billing, PageRequest::default()).await;
    assert_eq!(ids(&listed.expect("billing list")), [id], "{be}: listed by its new category");

    let foreign = ConversationClassification {
        category: Some("spam".to_owned()),
        priority: "low".to_owned(),
        urgency: "low".to_owned(),
        sentiment: None,
        detail: json!({ "from": "b" }),
    };
    let write = ConversationWrite { classification: Some(foreign), ..ConversationWrite::at(t1) };
    assert_not_found(backend, "b classifies a's conversation", backend.record(cb, id, write).await);

    // A later verdict replaces the former whole, its missing category and sentiment included,
    // and lands with the status change written beside it.
    let second = ConversationClassification {
        category: None,
        priority: "low".to_owned(),
        urgency: "high".to_owned(),
        sentiment: None,
        detail: json!({ "category": null, "note": "unclear" }),
    };
    let t2 = t0 + Duration::seconds(2);
    let write = ConversationWrite {
        change: Some(change("ai", None, "awaiting_approval", None)),
        classification: Some(second.clone()),
        ..ConversationWrite::at(t2)
    };
    let both = backend.record(ca, id, write).await.expect("classify and hand off");
    assert_eq!(
        (
            both.status.as_str(),
            both.category.as_deref(),
            both.priority.as_str(),
            both.urgency.as_str()
        ),
        ("awaiting_approval", None, "low", "high"),
        "{be}: change and classification together"
    );
    assert_eq!((&both.sentiment, &both.classification), (&None, &second.detail), "{be}: replaced");
    assert_eq!(backend.get_conversation(ca, id).await.expect("get 2"), both, "{be}: stored 2");
}

/// The idle sweep's read: conversations the AI holds, quiet since before the cutoff, in
/// every company, stalest first and at most `limit`; not the ones a person holds or waits
/// for, and not closed ones.
pub async fn idle_ai_conversations_are_found_across_companies(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let start = now - Duration::hours(2);
    let at = |minutes: i64| start + Duration::minutes(minutes);
    let stalest =
        backend.create_conversation(cb, conversation(&hash(1), None, at(0))).await.expect("1");
    let stale =
        backend.create_conversation(ca, conversation(&hash(2), None, at(10))).await.expect("2");
    let handed =
        backend.create_conversation(ca, conversation(&hash(3), None, at(0))).await.expect("3");
    let fresh =
        backend.create_conversation(ca, conversation(&hash(4), None, at(0))).await.expect("4");
    let to_human = change("ai", None, "human", None);
    let (write, _) = write_with(handed.id, Some(to_human), "handed.off", at(1));
    backend.record(ca, handed.id, write).await.expect("hand off");
    // A message moves `updated_at`: this one is no longer idle at the cutoff.
    let (write, _) = write_with(fresh.id, None, "message.customer", at(100));
    backend.record(ca, fresh.id, write).await.expect("a late message");

    let cutoff = at(60);
    let idle = backend.idle_ai_conversations(cutoff, 10).await.expect("idle");
    let ids: Vec<ConversationId> = idle.iter().map(|c| c.id).collect();
    assert_eq!(ids, [stalest.id, stale.id], "{be}: idle AI conversations, stalest first");
    assert_eq!(idle[0].company_id, cb, "{be}: across companies");
    let one = backend.idle_ai_conversations(cutoff, 1).await.expect("limit");
    assert_eq!(one.len(), 1, "{be}: the limit holds");
    let none = backend.idle_ai_conversations(at(5), 10).await.expect("earlier cutoff");
    assert_eq!(
        none.iter().map(|c| c.id).collect::<Vec<_>>(),
        [stalest.id],
        "{be}: strictly before"
    );
}
