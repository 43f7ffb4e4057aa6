use crate::auth::TokenKeys;
use crate::auth::throttle::LoginThrottle;
use crate::config::ServerConfig;
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;
use switchboard_storage::Backend;

/// Shared by every handler. Cheap to clone: everything inside is behind an `Arc`.
#[derive(Clone)]
pub struct AppState {
    pub db: Arc<dyn Backend>,
    pub config: Arc<ServerConfig>,
    pub tokens: Arc<TokenKeys>,
    pub metrics: PrometheusHandle,
    pub login_throttle: Arc<LoginThrottle>,
}
