use crate::auth::TokenKeys;
use crate::auth::limits::AuthRateLimit;
use crate::config::ServerConfig;
use crate::jobs::{self, JobRunner};
use crate::state::AppState;
use crate::{middleware, routes};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use switchboard_ai::embedding::Embedder;
use switchboard_ai::knowledge::Knowledge;
use switchboard_storage::Backend;
use tokio::net::TcpListener;

/// A built server: the listener is already bound (so port 0 works and tests know the real
/// port before anything is spawned), the router is assembled, nothing is serving yet.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
    job_worker: bool,
}

impl Application {
    /// A server without an embedding model: retrieval is lexical (BM25) only.
    pub async fn build(config: ServerConfig, db: Arc<dyn Backend>) -> anyhow::Result<Self> {
        Self::build_with_embedder(config, db, None).await
    }

    /// A server whose retrieval embeds with `embedder` (loaded once by the caller, so that
    /// tests can share one model across many servers).
    pub async fn build_with_embedder(
        config: ServerConfig,
        db: Arc<dyn Backend>,
        embedder: Option<Arc<dyn Embedder>>,
    ) -> anyhow::Result<Self> {
        let classifications = Arc::new(switchboard_ai::classify::Classifications::new(
            Arc::clone(&db),
            embedder.clone(),
        ));
        let knowledge = Arc::new(Knowledge::new(Arc::clone(&db), embedder));
        let listener = TcpListener::bind(config.bind).await?;
        let tokens = Arc::new(TokenKeys::new(&config.signing_key, &config.previous_keys)?);
        let auth_rate_limit =
            AuthRateLimit::new(config.auth_requests_per_minute, config.auth_requests_burst);
        let bus: Arc<dyn switchboard_engine::bus::EventBus> =
            Arc::new(switchboard_engine::bus::LocalBus::default());
        let conversations = crate::conversations::build(
            &config,
            Arc::clone(&db),
            Arc::clone(&knowledge),
            bus,
            Arc::clone(&classifications) as Arc<dyn switchboard_engine::ports::RequestClassifier>,
        );
        let state = AppState {
            db,
            config: Arc::new(config),
            tokens,
            metrics: middleware::metrics::handle(),
            login_throttle: Arc::default(),
            auth_rate_limit: Arc::new(auth_rate_limit),
            knowledge,
            classifications,
            conversations,
            jobs_queued: Arc::default(),
            socket_slots: Arc::default(),
        };
        let router = routes::router(state.clone());
        Ok(Self { listener, router, state, job_worker: true })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves without the background job worker: queued jobs wait until
    /// [`JobRunner::run_pending`] runs them, so a test decides when indexing happens.
    pub fn without_job_worker(mut self) -> Self {
        self.job_worker = false;
        self
    }

    /// Runs this server's due jobs on demand.
    pub fn job_runner(&self) -> JobRunner {
        JobRunner::new(self.state.clone())
    }

    /// Serves until `shutdown` resolves, then stops accepting, lets in-flight requests
    /// finish and closes the database.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Self { listener, router, state, job_worker } = self;
        let worker = job_worker.then(|| tokio::spawn(jobs::run_worker(state.clone())));
        let sweep = state.config.idle_close_after.map(|after| {
            tokio::spawn(crate::conversations::close_idle_periodically(state.clone(), after))
        });
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, service).with_graceful_shutdown(shutdown).await?;
        // A job cut short here is taken again after its lease ends (by this node on
        // restart, or by another).
        if let Some(worker) = worker {
            worker.abort();
        }
        if let Some(sweep) = sweep {
            sweep.abort();
        }
        state.db.close().await;
        Ok(())
    }
}

/// Resolves on SIGINT or SIGTERM: the signals a terminal or a service manager sends.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("SIGINT received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}
