//! Behaviour only the PostgreSQL backend has: its migrator, its Debug output and how it
//! treats a cursor that is not a UUID.

use switchboard_domain::{Cursor, PageLimit};
use switchboard_storage::{AuditStore, NewAuditEntry, PageRequest};
use switchboard_storage_postgres::PostgresBackend;
use switchboard_storage_tests::{data, fixtures};

async fn with_postgres(test: impl AsyncFn(&PostgresBackend, &str)) {
    if fixtures::postgres_skipped() {
        eprintln!("skipped: {} is set", fixtures::SKIP_POSTGRES_VAR);
        return;
    }
    let (url, db) = fixtures::fresh_postgres_database().await;
    let backend = PostgresBackend::connect(&url, 2).await.expect("connect");
    test(&backend, &url).await;
    switchboard_storage::Backend::close(&backend).await;
    db.drop_database().await;
}

#[tokio::test]
async fn migrate_is_idempotent_and_counts_the_embedded_migrations() {
    with_postgres(async |backend, _| {
        assert_eq!(backend.migrate().await.expect("migrate"), 1);
        assert_eq!(backend.migrate().await.expect("migrate again"), 1);
    })
    .await;
}

#[tokio::test]
async fn debug_output_carries_no_connection_details() {
    with_postgres(async |backend, url| {
        let shown = format!("{backend:?}");
        assert!(shown.starts_with("PostgresBackend"), "{shown}");
        let database = url.rsplit('/').next().expect("database name");
        assert!(!shown.contains(database) && !shown.contains("postgres://"), "{shown}");
    })
    .await;
}

// SQLite compares cursors as text and would return rows for such a cursor; both backends
// only ever hand out UUID cursors, so the difference is confined to forged ones.
#[tokio::test]
async fn a_cursor_that_is_not_a_uuid_yields_an_empty_last_page() {
    with_postgres(async |backend, _| {
        let now = data::now();
        let tenant = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
        let entry = NewAuditEntry {
            actor_id: None,
            action: "auth.login_failed".to_owned(),
            target_id: None,
            client_addr: None,
            details: serde_json::json!({}),
        };
        backend.append_audit(tenant.company.id, entry, now).await.expect("append");
        let list = async |after: Option<&str>| {
            let after = after.map(|c| Cursor::parse(c).expect("cursor"));
            let page = PageRequest { limit: PageLimit::default(), after };
            backend.list_audit(tenant.company.id, page).await.expect("list")
        };
        assert_eq!(list(None).await.items.len(), 1, "the entry is listed without a cursor");
        // "f" sorts after every UUID's text, so as a string it would select the entry.
        for forged in ["abc-123", "f"] {
            let page = list(Some(forged)).await;
            assert!(page.items.is_empty() && page.next_cursor.is_none(), "{forged}");
        }
    })
    .await;
}
