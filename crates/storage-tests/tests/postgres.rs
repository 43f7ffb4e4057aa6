//! Behaviour only the PostgreSQL backend has: its migrator, its Debug output, how it treats
//! a cursor that is not a UUID, and row-level security between tenants.

use chrono::Duration;
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::collections::{BTreeSet, HashMap};
use switchboard_domain::{CompanyId, Cursor, FaqId, JobId, PageLimit, Role, UserId};
use switchboard_storage::{
    AuditStore, CustomerStore, EventStore, FaqStore, JobStore, KnowledgeStore, NewAuditEntry,
    NewCustomer, NewEvent, PageRequest, SessionStore, SessionSubject, StorageError, UserStore,
};
use switchboard_storage_postgres::{PostgresBackend, TENANT_TABLES};
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
    // Counted from the directory, so that a new migration needs no edit here.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../storage-postgres/migrations");
    let files = std::fs::read_dir(dir).expect("migrations directory");
    let embedded = files
        .filter(|f| f.as_ref().is_ok_and(|f| f.path().extension().is_some_and(|e| e == "sql")))
        .count();
    assert!(embedded >= 5, "{embedded} migrations found in {dir}");
    with_postgres(async |backend, _| {
        assert_eq!(backend.migrate().await.expect("migrate"), embedded);
        assert_eq!(backend.migrate().await.expect("migrate again"), embedded);
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

fn audit_entry(action: &str) -> NewAuditEntry {
    NewAuditEntry {
        actor_id: None,
        action: action.to_owned(),
        target_id: None,
        client_addr: None,
        details: serde_json::json!({}),
    }
}

/// Counts of `table` as the connecting owner role, which row-level security does not
/// restrict: the total across tenants.
async fn owner_count(url: &str, table: &str) -> i64 {
    let mut conn = PgConnection::connect(url).await.expect("owner connection");
    let sql = format!("SELECT count(*) FROM {table}");
    let n = sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(&mut conn).await.expect("count");
    conn.close().await.expect("close owner connection");
    n
}

/// A query with no company filter, run in one company's tenant transaction, sees only that
/// company's rows in every tenant table, while the owner sees all of them.
#[tokio::test]
async fn an_unfiltered_query_in_a_tenant_transaction_sees_only_its_own_company() {
    with_postgres(async |backend, url| {
        let now = data::now();
        let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
        let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
        let (ca, cb) = (a.company.id, b.company.id);

        // Uneven amounts, so that a count cannot come out right by accident.
        let later = now + Duration::hours(1);
        let ann = SessionSubject::User(a.admin.id);
        for _ in 0..2 {
            let s = data::session(ann, Role::CompanyAdmin, later);
            backend.create_session(ca, s, now).await.expect("session in a");
        }
        backend.append_audit(ca, audit_entry("test.a"), now).await.expect("audit in a");
        for _ in 0..3 {
            backend.append_audit(cb, audit_entry("test.b"), now).await.expect("audit in b");
        }
        for _ in 0..2 {
            backend.create_customer(ca, NewCustomer::anonymous(), now).await.expect("cust a");
        }
        backend.create_customer(cb, NewCustomer::anonymous(), now).await.expect("cust b");
        let event = NewEvent {
            kind: "conversation.started".to_owned(),
            conversation_id: None,
            agent_id: None,
            data: serde_json::json!({}),
            occurred_at: now,
        };
        backend.append_event(cb, event).await.expect("event in b");
        // Knowledge: a document indexed into one passage of two chunks, with its job, in a;
        // an FAQ with two phrasings in b.
        let doc = data::new_document("Guide", "text", now);
        let doc_id = doc.id;
        backend.create_document(ca, doc).await.expect("document in a");
        let passages = data::passages(1, 2, 4);
        let landed = backend.complete_indexing(ca, doc_id, now, Some("m"), passages, now);
        assert!(landed.await.expect("indexing in a"));
        let faq = data::faq_content("Refunds?", &["Money back?"]);
        let phrasings = data::phrasings(&faq, 4);
        let created = backend.create_faq(cb, FaqId::new(), faq, phrasings, Some("m"), now);
        created.await.expect("FAQ in b");

        // (a, b); every other tenant table is empty for both.
        let expected: HashMap<&str, (i64, i64)> = HashMap::from([
            ("companies", (1, 1)),
            ("users", (1, 1)),
            ("agent_configurations", (1, 1)),
            ("sessions", (3, 1)),
            ("audit_log", (1, 3)),
            ("customers", (2, 1)),
            ("events", (0, 1)),
            ("knowledge_documents", (1, 0)),
            ("knowledge_chunks", (3, 0)),
            ("jobs", (1, 0)),
            ("faqs", (0, 1)),
            ("faq_phrasings", (0, 2)),
        ]);
        let stranger = CompanyId::new();
        for table in TENANT_TABLES {
            let (want_a, want_b) = expected.get(table).copied().unwrap_or((0, 0));
            let in_a = backend.count_rows_as_tenant(ca, table).await.expect("count as a");
            let in_b = backend.count_rows_as_tenant(cb, table).await.expect("count as b");
            assert_eq!((in_a, in_b), (want_a, want_b), "{table}: rows seen by a and b");
            let in_none = backend.count_rows_as_tenant(stranger, table).await.expect("count");
            assert_eq!(in_none, 0, "{table}: rows seen by an unknown company");
            // The owner sees both: the tenant counts above are filtered, not just small.
            assert_eq!(owner_count(url, table).await, want_a + want_b, "{table}: owner's count");
        }

        // Only the allow-listed names are accepted, and nothing else is run.
        for table in ["pg_authid", "_sqlx_migrations", "users; DROP TABLE users", "Users"] {
            let refused = backend.count_rows_as_tenant(ca, table).await;
            assert!(matches!(refused, Err(StorageError::Other(_))), "{table}: {refused:?}");
        }
        assert_eq!(owner_count(url, "users").await, 2, "users survived the injection attempt");
    })
    .await;
}

/// WITH CHECK: inside company a's tenant transaction a row for company b is refused, while
/// the same write for a itself goes through.
#[tokio::test]
async fn a_tenant_transaction_cannot_write_another_companys_row() {
    with_postgres(async |backend, url| {
        let now = data::now();
        let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
        let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
        let (ca, cb) = (a.company.id, b.company.id);

        let refused = backend.insert_audit_row_as_tenant(ca, cb, now).await;
        match refused {
            Err(StorageError::Other(e)) => {
                let message = e.to_string();
                assert!(message.contains("row-level security"), "unexpected error: {message}");
            }
            other => panic!("writing b's row as a: expected an RLS refusal, got {other:?}"),
        }
        assert_eq!(owner_count(url, "audit_log").await, 0, "the refused row was not written");

        // Control: the same hook writing a's own row works, so the refusal above is the
        // policy and not a broken statement.
        backend.insert_audit_row_as_tenant(ca, ca, now).await.expect("own row");
        assert_eq!(backend.count_rows_as_tenant(ca, "audit_log").await.expect("count a"), 1);
        assert_eq!(backend.count_rows_as_tenant(cb, "audit_log").await.expect("count b"), 0);
        // Nor can a company's id be written into an unknown company's transaction.
        let stranger = CompanyId::new();
        let refused = backend.insert_audit_row_as_tenant(stranger, ca, now).await;
        assert!(matches!(refused, Err(StorageError::Other(_))), "{refused:?}");
        assert_eq!(owner_count(url, "audit_log").await, 1, "only a's own row exists");
    })
    .await;
}

/// The tenant role and company are transaction-local: after tenant work on the only pooled
/// connection, including transactions abandoned by an error, the owner's cross-tenant
/// purge still sees every company.
#[tokio::test]
async fn the_tenant_identity_ends_with_its_transaction() {
    if fixtures::postgres_skipped() {
        eprintln!("skipped: {} is set", fixtures::SKIP_POSTGRES_VAR);
        return;
    }
    let (url, db) = fixtures::fresh_postgres_database().await;
    // One connection, so every call below reuses the same session.
    let backend = PostgresBackend::connect(&url, 1).await.expect("connect");
    let now = data::now();
    let a = data::register(&backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(&backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let gone = now - Duration::minutes(1);
    let sa = data::session(SessionSubject::User(a.admin.id), Role::CompanyAdmin, gone);
    let sb = data::session(SessionSubject::User(b.admin.id), Role::CompanyAdmin, gone);
    backend.create_session(ca, sa, now).await.expect("expired session in a");
    backend.create_session(cb, sb, now).await.expect("expired session in b");

    // Abandoned tenant transactions: an early NotFound and a failed statement.
    let missing = backend.set_password(ca, UserId::new(), "$argon2id$x", false, now).await;
    assert!(matches!(missing, Err(StorageError::NotFound)), "{missing:?}");
    let dup = data::new_user("ann@acme.test", Role::CompanyAgent, false);
    let clash = backend.create_user(ca, dup, now).await;
    assert!(matches!(clash, Err(StorageError::Conflict { .. })), "{clash:?}");
    backend.get_user(ca, a.admin.id).await.expect("a committed read");

    let purged = backend.purge_sessions(now).await.expect("purge");
    assert_eq!(purged, 2, "the owner purged both companies' expired sessions");
    switchboard_storage::Backend::close(&backend).await;
    db.drop_database().await;
}

/// The catalog matches the design: every table with a company_id column (plus companies)
/// has RLS enabled but not forced and a `tenant_isolation` policy for the tenant role, the
/// tenant role can reach exactly those tables, and the role cannot bypass RLS.
#[tokio::test]
async fn every_tenant_table_is_under_row_level_security() {
    with_postgres(async |_, url| {
        let mut conn = PgConnection::connect(url).await.expect("owner connection");
        let tables: Vec<(String, bool, bool)> = sqlx::query_as(
            "SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c \
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' \
             AND (c.relname = 'companies' OR EXISTS (SELECT 1 FROM pg_attribute a \
                  WHERE a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped))",
        )
        .fetch_all(&mut conn)
        .await
        .expect("tables");
        let found: BTreeSet<&str> = tables.iter().map(|(t, _, _)| t.as_str()).collect();
        let listed: BTreeSet<&str> = TENANT_TABLES.iter().copied().collect();
        assert_eq!(found, listed, "tenant tables in the catalog vs TENANT_TABLES");
        for (table, enabled, forced) in &tables {
            assert!(*enabled && !*forced, "{table}: RLS enabled={enabled} forced={forced}");
        }

        let policies: Vec<(String, String, Vec<String>)> = sqlx::query_as(
            "SELECT tablename::text, cmd, roles::text[] FROM pg_policies \
             WHERE schemaname = current_schema() AND policyname = 'tenant_isolation'",
        )
        .fetch_all(&mut conn)
        .await
        .expect("policies");
        let with_policy: BTreeSet<&str> = policies.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(with_policy, listed, "tables with a tenant_isolation policy");
        for (table, cmd, roles) in &policies {
            assert_eq!((cmd.as_str(), roles.as_slice()), ("ALL", &["switchboard_tenant".to_owned()][..]), "{table}");
        }

        // The tenant role reaches the tenant tables and nothing else in the schema.
        let reachable: Vec<String> = sqlx::query_scalar(
            "SELECT c.relname::text FROM pg_class c \
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' \
             AND has_table_privilege('switchboard_tenant', c.oid, 'SELECT, INSERT, UPDATE, DELETE')",
        )
        .fetch_all(&mut conn)
        .await
        .expect("privileges");
        let reachable: BTreeSet<&str> = reachable.iter().map(String::as_str).collect();
        assert_eq!(reachable, listed, "tables the tenant role can use");
        let full: bool = sqlx::query_scalar(
            "SELECT bool_and(has_table_privilege('switchboard_tenant', c.oid, 'SELECT') \
             AND has_table_privilege('switchboard_tenant', c.oid, 'INSERT') \
             AND has_table_privilege('switchboard_tenant', c.oid, 'UPDATE') \
             AND has_table_privilege('switchboard_tenant', c.oid, 'DELETE')) \
             FROM pg_class c WHERE c.oid = ANY($1::text[]::regclass[])",
        )
        .bind(TENANT_TABLES.to_vec())
        .fetch_one(&mut conn)
        .await
        .expect("full privileges");
        assert!(full, "the tenant role needs SELECT, INSERT, UPDATE and DELETE on each");

        let role: (bool, bool, bool) = sqlx::query_as(
            "SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles \
             WHERE rolname = 'switchboard_tenant'",
        )
        .fetch_one(&mut conn)
        .await
        .expect("tenant role");
        assert_eq!(role, (false, false, false), "switchboard_tenant: super, bypassrls, login");
        conn.close().await.expect("close");
    })
    .await;
}

/// Several server nodes (each its own pool on one database) claiming from one queue at the
/// same moment: every job goes to exactly one claimer.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nodes_claiming_at_once_never_share_a_job() {
    with_postgres(async |backend, url| {
        let now = data::now();
        let tenant = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
        let mut queued = BTreeSet::new();
        for _ in 0..60 {
            let doc = data::new_document("Doc", "text", now);
            queued.insert(doc.job_id);
            backend.create_document(tenant.company.id, doc).await.expect("queue a job");
        }
        let mut nodes = Vec::new();
        for _ in 0..3 {
            nodes.push(PostgresBackend::connect(url, 4).await.expect("another node"));
        }
        let lease = now + Duration::minutes(5);
        let mut claimers = tokio::task::JoinSet::new();
        for node in &nodes {
            for _ in 0..4 {
                let node = node.clone();
                claimers.spawn(async move {
                    let mut got = Vec::new();
                    while let Some(job) =
                        node.claim_job(&["index_document"], 5, now, lease).await.expect("claim")
                    {
                        got.push(job.id);
                    }
                    got
                });
            }
        }
        let mut all: Vec<JobId> = Vec::new();
        while let Some(got) = claimers.join_next().await {
            all.extend(got.expect("claimer task"));
        }
        let distinct: BTreeSet<JobId> = all.iter().copied().collect();
        assert_eq!(all.len(), distinct.len(), "a job was handed to two claimers");
        assert_eq!(distinct, queued, "every job was handed out");
        for node in nodes {
            switchboard_storage::Backend::close(&node).await;
        }
    })
    .await;
}
