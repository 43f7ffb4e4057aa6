use crate::auth::limits::AuthRateLimit;
use crate::auth::throttle::LoginThrottle;
use crate::auth::{AuthState, TokenKeys};
use crate::config::ServerConfig;
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;
use switchboard_ai::knowledge::Knowledge;
use switchboard_storage::Backend;
use tokio::sync::Notify;

/// Shared by every handler. Cheap to clone: everything inside is behind an `Arc`.
#[derive(Clone)]
pub struct AppState {
    pub db: Arc<dyn Backend>,
    pub config: Arc<ServerConfig>,
    pub tokens: Arc<TokenKeys>,
    pub metrics: PrometheusHandle,
    pub login_throttle: Arc<LoginThrottle>,
    /// Requests per client address to the unauthenticated routes that cost.
    pub auth_rate_limit: Arc<AuthRateLimit>,
    /// Documents, FAQs and their search indexes.
    pub knowledge: Arc<Knowledge>,
    /// Each company's request classifier, trained on its labelled examples.
    pub classifications: Arc<switchboard_ai::classify::Classifications>,
    /// The conversation engine, with the live-event bus the sockets listen to.
    pub conversations: Arc<switchboard_engine::Conversations>,
    /// Wakes the background job worker when a job is queued, so it need not wait for its
    /// next poll.
    pub jobs_queued: Arc<Notify>,
    /// Sockets open per conversation and per staff session, capped.
    pub socket_slots: Arc<crate::routes::socket_slots::SocketSlots>,
}

impl AuthState for AppState {
    fn db(&self) -> &dyn Backend {
        self.db.as_ref()
    }

    fn tokens(&self) -> &TokenKeys {
        &self.tokens
    }

    fn config(&self) -> &ServerConfig {
        &self.config
    }

    fn login_throttle(&self) -> &Arc<LoginThrottle> {
        &self.login_throttle
    }

    fn auth_rate_limit(&self) -> &AuthRateLimit {
        &self.auth_rate_limit
    }
}
