//! Throwaway PostgreSQL databases: one per test, created on the server named by
//! `SWITCHBOARD_TEST_POSTGRES_URL` and dropped afterwards, so tests never share state and
//! can run in parallel.

use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};

/// The server to create test databases on; the URL's own database is only used to connect.
pub const POSTGRES_URL_VAR: &str = "SWITCHBOARD_TEST_POSTGRES_URL";
/// Set to `1` to run only the SQLite half of the suite, on machines without a server.
pub const SKIP_POSTGRES_VAR: &str = "SWITCHBOARD_TEST_SKIP_POSTGRES";
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Whether `SWITCHBOARD_TEST_SKIP_POSTGRES=1` asks to leave PostgreSQL out. Anything else
/// means the server is expected, and an unreachable one fails the test.
pub fn postgres_skipped() -> bool {
    std::env::var(SKIP_POSTGRES_VAR).is_ok_and(|v| v == "1")
}

/// Creates an empty database with a unique name and returns its URL.
///
/// Panics when the server cannot be reached: a missing server must fail the suite, not
/// quietly skip half of it.
pub async fn fresh_postgres_database() -> (String, PgDbGuard) {
    let server =
        std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
    let name = format!("sb_test_{}", uuid::Uuid::now_v7().simple());
    // The URL is not printed: it may carry a password.
    let mut conn = PgConnection::connect(&server).await.unwrap_or_else(|e| {
        panic!(
            "cannot reach the test PostgreSQL server ({POSTGRES_URL_VAR}, default \
             {DEFAULT_POSTGRES_URL}): {e}; set {SKIP_POSTGRES_VAR}=1 to run SQLite only"
        )
    });
    conn.execute(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .await
        .unwrap_or_else(|e| panic!("creating test database {name}: {e}"));
    let _ = conn.close().await;
    (with_database(&server, &name), PgDbGuard { server, name, dropped: false })
}

/// Owns one test database. Call [`PgDbGuard::drop_database`] at the end of the test (after
/// closing every pool on it); if a test panics first, `Drop` removes the database instead.
pub struct PgDbGuard {
    server: String,
    name: String,
    dropped: bool,
}

impl PgDbGuard {
    pub fn database_name(&self) -> &str {
        &self.name
    }

    pub async fn drop_database(mut self) {
        self.dropped = true;
        if let Err(e) = drop_database(&self.server, &self.name).await {
            panic!("dropping test database {}: {e}", self.name);
        }
    }
}

// Hand-written so that the server URL, which may carry a password, is never printed.
impl std::fmt::Debug for PgDbGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgDbGuard").field("name", &self.name).finish_non_exhaustive()
    }
}

impl Drop for PgDbGuard {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // Reached when a test panicked before cleaning up. Drop cannot await, and the test's
        // runtime may be single-threaded and unwinding, so a thread with its own runtime does
        // the work. Nothing here may panic: a panic during unwinding aborts the process.
        let (server, name) = (self.server.clone(), self.name.clone());
        let outcome = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            runtime.map_err(sqlx::Error::Io)?.block_on(drop_database(&server, &name))
        })
        .join();
        if !matches!(outcome, Ok(Ok(()))) {
            eprintln!("could not drop test database {}; remove it by hand", self.name);
        }
    }
}

async fn drop_database(server: &str, name: &str) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect(server).await?;
    // FORCE ends connections a pool left open, e.g. in a test that panicked.
    conn.execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))).await?;
    conn.close().await
}

/// `server` with its database (the URL path) replaced by `name`, query string kept.
fn with_database(server: &str, name: &str) -> String {
    let (head, query) = match server.split_once('?') {
        Some((head, query)) => (head, Some(query)),
        None => (server, None),
    };
    let authority = head.find("://").map_or(0, |i| i + 3);
    let path = head[authority..].find('/').map_or(head.len(), |i| authority + i);
    let mut url = format!("{}/{name}", &head[..path]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_is_swapped_and_everything_else_kept() {
        let cases = [
            ("postgres://postgres@127.0.0.1:5432/postgres", "postgres://postgres@127.0.0.1:5432/x"),
            (
                "postgres://u:p@db:5432/app?sslmode=disable",
                "postgres://u:p@db:5432/x?sslmode=disable",
            ),
            ("postgres://u@db", "postgres://u@db/x"),
            ("postgresql://u@db/?application_name=a", "postgresql://u@db/x?application_name=a"),
        ];
        for (server, want) in cases {
            assert_eq!(with_database(server, "x"), want, "{server}");
        }
    }
}
