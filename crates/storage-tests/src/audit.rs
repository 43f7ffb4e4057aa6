//! The audit log: tenant-scoped, newest first, keyset-paginated.

use crate::data::{self, name};
use chrono::Duration;
use serde_json::json;
use switchboard_domain::{Cursor, PageLimit};
use switchboard_storage::{AuditEntry, Backend, NewAuditEntry, Page, PageRequest};

fn request(limit: u32, after: Option<&str>) -> PageRequest {
    PageRequest {
        limit: PageLimit::parse(limit).expect("limit"),
        after: after.map(|c| Cursor::parse(c).expect("cursor")),
    }
}

fn ids(page: &Page<AuditEntry>) -> Vec<String> {
    page.items.iter().map(|e| e.id.to_string()).collect()
}

/// Five entries page as 2, 2, 1 newest first with chained cursors; another company sees
/// only its own entry.
pub async fn audit_log_pages_newest_first(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let target = a.session.as_uuid();

    let mut written = Vec::new();
    for step in 0..5_i64 {
        let entry = NewAuditEntry {
            actor_id: Some(a.admin.id.as_uuid()),
            action: format!("test.step_{step}"),
            target_id: (step % 2 == 0).then_some(target),
            client_addr: (step % 2 == 1).then(|| "203.0.113.7".to_owned()),
            details: json!({ "step": step, "tags": ["a", "b"], "nested": { "ok": true } }),
        };
        let at = now + Duration::seconds(step);
        let stored = backend.append_audit(ca, entry.clone(), at).await.expect("append");
        assert_eq!(stored.company_id, ca, "{be}: company of entry {step}");
        assert_eq!(
            (stored.actor_id, &stored.action, stored.target_id, &stored.client_addr),
            (entry.actor_id, &entry.action, entry.target_id, &entry.client_addr),
            "{be}: fields of entry {step}"
        );
        assert_eq!((&stored.details, stored.created_at), (&entry.details, at), "{be}: {step}");
        written.push(stored);
    }
    let in_b = NewAuditEntry {
        actor_id: None,
        action: "auth.login_failed".to_owned(),
        target_id: None,
        client_addr: None,
        details: json!({}),
    };
    let b_entry = backend.append_audit(cb, in_b, now).await.expect("append in b");

    let newest: Vec<AuditEntry> = written.iter().rev().cloned().collect();
    let page1 = backend.list_audit(ca, request(2, None)).await.expect("page 1");
    assert_eq!(page1.items, newest[0..2], "{be}: page 1");
    assert_eq!(page1.next_cursor, Some(written[3].id.to_string()), "{be}: cursor 1");
    let page2 = backend.list_audit(ca, request(2, page1.next_cursor.as_deref())).await;
    let page2 = page2.expect("page 2");
    assert_eq!(page2.items, newest[2..4], "{be}: page 2");
    assert_eq!(page2.next_cursor, Some(written[1].id.to_string()), "{be}: cursor 2");
    let page3 = backend.list_audit(ca, request(2, page2.next_cursor.as_deref())).await;
    let page3 = page3.expect("page 3");
    assert_eq!(ids(&page3), vec![written[0].id.to_string()], "{be}: page 3");
    assert_eq!(page3.next_cursor, None, "{be}: last page has no cursor");

    // A page exactly as long as the list is the last one.
    let all = backend.list_audit(ca, request(5, None)).await.expect("all");
    assert_eq!((all.items.len(), all.next_cursor), (5, None), "{be}: exact fit");

    let theirs = backend.list_audit(cb, PageRequest::default()).await.expect("list b");
    assert_eq!(theirs.items, vec![b_entry], "{be}: b sees only its own entry");
    assert_eq!(theirs.next_cursor, None, "{be}: b's only page");
}
