//! What each subcommand does.

use crate::backend;
use crate::settings::Settings;
use anyhow::{Context, bail};
use base64::Engine;
use secrecy::SecretString;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;
use switchboard_server::config::ForwardedHeader;
use switchboard_server::{Application, ServerConfig, SigningKey, shutdown_signal};

pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let signing_key = signing_key(&settings)?;
    let db = backend::open(&settings).await?;
    let mut config = ServerConfig::new(settings.bind, signing_key);
    config.max_body_bytes = settings.max_body_bytes;
    config.request_timeout = Duration::from_secs(settings.request_timeout_secs);
    config.session_ttl = Duration::from_secs(settings.session_ttl_secs);
    config.max_upload_bytes = settings.max_upload_bytes;
    config.max_pdf_pages = settings.max_pdf_pages;
    config.allow_private_outbound = settings.allow_private_outbound;
    config.trusted_proxies = settings.trusted_proxies.clone();
    config.forwarded_header = match settings.forwarded_header.as_str() {
        "forwarded" => ForwardedHeader::Forwarded,
        _ => ForwardedHeader::XForwardedFor,
    };
    config.auth_requests_per_minute = settings.auth_requests_per_minute;
    config.auth_requests_burst = settings.auth_requests_burst;
    config.job_workers = settings.job_workers;
    config.job_timeout = Duration::from_secs(settings.job_timeout_secs);
    config.idle_close_after = (settings.conversation_idle_close_mins > 0)
        .then(|| Duration::from_secs(settings.conversation_idle_close_mins * 60));
    // The sweep below and routing's notion of a present agent share this limit.
    let presence_timeout = Duration::from_secs(settings.agent_offline_after_secs);
    config.presence_timeout = presence_timeout;
    config.socket_ping = Duration::from_secs(settings.socket_ping_secs);
    config.previous_keys = settings
        .jwt_previous_keys
        .iter()
        .map(|k| SigningKey { kid: k.kid.clone(), secret: k.secret.clone() })
        .collect();
    let embedder = crate::embedder::load(&settings).await?;
    let app = Application::build_with_embedder(config, db.clone(), embedder)
        .await
        .with_context(|| format!("while binding {}", settings.bind))?;
    tracing::info!(address = %app.local_addr(), "switchboard is listening");
    tokio::spawn(purge_sessions_periodically(db.clone()));
    let conversations = std::sync::Arc::clone(&app.state().conversations);
    tokio::spawn(mark_absent_agents_offline(db, conversations, presence_timeout));
    app.run_until_stopped(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Expired and revoked sessions are kept a day for the audit trail, then deleted.
async fn purge_sessions_periodically(db: std::sync::Arc<dyn switchboard_storage::Backend>) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let before = chrono::Utc::now() - chrono::Duration::days(1);
        match db.purge_sessions(before).await {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "purged old sessions"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error.message = %e, "could not purge old sessions"),
        }
    }
}

/// Agents whose client has not been heard from for `after` are set offline, so routing
/// stops sending them work after a closed laptop or a lost connection, and their open
/// items go back to the queue, routed to whoever is present.
async fn mark_absent_agents_offline(
    db: std::sync::Arc<dyn switchboard_storage::Backend>,
    conversations: std::sync::Arc<switchboard_engine::Conversations>,
    after: Duration,
) {
    let mut tick = tokio::time::interval(Duration::from_secs(30).min(after));
    loop {
        tick.tick().await;
        let cutoff = chrono::Utc::now()
            - chrono::Duration::from_std(after).unwrap_or(chrono::Duration::minutes(5));
        match db.mark_absent_agents_offline(cutoff).await {
            Ok(swept) => {
                if !swept.is_empty() {
                    tracing::info!(agents = swept.len(), "set silent agents offline");
                }
                for (company, agent) in swept {
                    conversations.agent_unavailable(company, agent).await;
                }
            }
            Err(e) => tracing::warn!(error.message = %e, "could not sweep agent presence"),
        }
    }
}

/// The configured signing key or, outside production, a development key generated once
/// and kept in the data directory so that restarts keep sessions valid.
fn signing_key(settings: &Settings) -> anyhow::Result<SigningKey> {
    if let Some(secret) = settings.explicit_jwt_secret()? {
        if secrecy::ExposeSecret::expose_secret(&secret).len() < 32 {
            bail!("the JWT secret must be at least 32 characters long");
        }
        return Ok(SigningKey { kid: settings.jwt_kid.clone(), secret });
    }
    if settings.production {
        bail!(
            "production mode needs an explicit signing secret: set SWITCHBOARD_JWT_SECRET (or SWITCHBOARD_JWT_SECRET_FILE) to at least 32 random characters"
        );
    }
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("while creating {}", settings.data_dir.display()))?;
    let path = settings.data_dir.join("dev-jwt-secret");
    let secret = match std::fs::read_to_string(&path) {
        Ok(s) if s.trim().len() >= 32 => s.trim().to_owned(),
        _ => {
            let bytes: [u8; 32] = rand::random();
            let s = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
            write_private(&path, &s)?;
            tracing::warn!(path = %path.display(), "generated a development signing key; set SWITCHBOARD_JWT_SECRET in production");
            s
        }
    };
    tracing::info!(data_dir = %settings.data_dir.display(), "development mode: signing key kept in the data directory");
    Ok(SigningKey { kid: "dev".to_owned(), secret: SecretString::from(secret) })
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file =
        options.open(path).with_context(|| format!("while writing {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

pub async fn migrate(settings: Settings) -> anyhow::Result<()> {
    // Opening a backend applies every pending migration before it returns.
    let db = backend::open(&settings).await?;
    db.ping().await?;
    tracing::info!(backend = db.kind().as_str(), "the database schema is up to date");
    db.close().await;
    Ok(())
}

/// Rollups are a cache of the event log, so this may run at any time, even beside a
/// serving process.
pub async fn rebuild_rollups(
    settings: Settings,
    company: Option<switchboard_domain::CompanyId>,
) -> anyhow::Result<()> {
    let db = backend::open(&settings).await?;
    let now = chrono::Utc::now();
    let result = match company {
        Some(c) => switchboard_server::analytics::rebuild_rollups(db.as_ref(), c, now).await,
        None => switchboard_server::analytics::rebuild_all_rollups(db.as_ref(), now).await,
    };
    db.close().await;
    let rows = result?;
    println!("rebuilt {rows} daily rollup rows");
    Ok(())
}

pub async fn healthcheck(bind: &str) -> ExitCode {
    let url = format!("http://{bind}/health");
    let client = match reqwest::Client::builder().timeout(Duration::from_secs(5)).build() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("unhealthy: {e}");
            return ExitCode::FAILURE;
        }
    };
    match client.get(&url).send().await {
        Ok(r) if r.status().is_success() => {
            println!("healthy: {url}");
            ExitCode::SUCCESS
        }
        Ok(r) => {
            eprintln!("unhealthy: {url} answered {}", r.status());
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("unhealthy: {url}: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn export_openapi(out: Option<&Path>) -> anyhow::Result<()> {
    let json = switchboard_server::openapi::document_json();
    match out {
        Some(path) => std::fs::write(path, json + "\n")
            .with_context(|| format!("while writing {}", path.display()))?,
        None => println!("{json}"),
    }
    Ok(())
}
