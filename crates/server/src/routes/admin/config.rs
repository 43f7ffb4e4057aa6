//! The company's agent configuration: branding, widget origins, identity verification and
//! AI settings. Secrets are write-only: the AI API key and the identity secret are stored
//! encrypted (`crate::crypto`) and reads only say whether they are set; the identity secret
//! is shown once, when it is generated.

use super::config_update::ConfigUpdateRequest;
use crate::audit::{Audit, AuditAction};
use crate::auth::AdminCtx;
use crate::crypto::{ConfigCipher, SecretField};
use crate::envelope::{Data, Envelope};
use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::routes::responses::{AdminOnly, JsonBody};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use rand::Rng;
use serde::Serialize;
use serde_json::{Value, json};
use switchboard_storage::{AgentConfig, IdentitySettings, ai_keys};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_config, update_config))
        .routes(routes!(rotate_identity_secret))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfigView {
    agent_name: String,
    agent_persona: String,
    branding_name: String,
    branding_logo: Option<String>,
    branding_primary_color: String,
    greeting_message: String,
    /// Empty: the widget may be used from any origin.
    allowed_origins: Vec<String>,
    identity_required: bool,
    /// Whether an identity secret exists; the secret itself is shown only when generated.
    identity_secret_set: bool,
    ai: AiSettingsView,
    updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AiSettingsView {
    /// `builtin` or `openai`.
    provider: String,
    model: Option<String>,
    base_url: Option<String>,
    /// Whether an API key is stored; the key is never returned.
    api_key_set: bool,
    faq_threshold: Option<f64>,
    answer_threshold: Option<f64>,
}

impl AiSettingsView {
    fn from_stored(c: &AgentConfig) -> Self {
        let text = |key: &str| c.ai_text(key).map(str::to_owned);
        Self {
            provider: text(ai_keys::PROVIDER).unwrap_or_else(|| "builtin".to_owned()),
            model: text(ai_keys::MODEL),
            base_url: text(ai_keys::BASE_URL),
            api_key_set: c.ai_text(ai_keys::API_KEY_ENCRYPTED).is_some(),
            faq_threshold: c.ai_number(ai_keys::FAQ_THRESHOLD),
            answer_threshold: c.ai_number(ai_keys::ANSWER_THRESHOLD),
        }
    }
}

fn view(c: AgentConfig, identity: &IdentitySettings) -> ConfigView {
    ConfigView {
        ai: AiSettingsView::from_stored(&c),
        agent_name: c.agent_name,
        agent_persona: c.agent_persona,
        branding_name: c.branding_name,
        branding_logo: c.branding_logo,
        branding_primary_color: c.branding_primary_color,
        greeting_message: c.greeting_message,
        allowed_origins: c.allowed_origins,
        identity_required: c.identity_required,
        identity_secret_set: identity.secret.is_some(),
        updated_at: c.updated_at,
    }
}

/// The caller's company configuration.
#[utoipa::path(get, path = "/api/admin/config", tag = "admin", security(("bearer" = [])),
    responses(
        (status = 200, description = "The configuration, secrets shown only as set or not", body = Envelope<ConfigView>),
        AdminOnly,
    ))]
async fn get_config(State(state): State<AppState>, admin: AdminCtx) -> ApiResult<Data<ConfigView>> {
    let config = state.db.get_agent_config(admin.company_id).await?;
    let identity = state.db.get_identity_settings(admin.company_id).await?;
    Ok(Data(view(config, &identity)))
}

/// Changes the fields given and leaves the rest. Every invalid or unknown field is named in
/// one 400, and nothing changes unless all are valid.
#[utoipa::path(put, path = "/api/admin/config", tag = "admin", security(("bearer" = [])),
    request_body = ConfigUpdateRequest,
    responses(
        (status = 200, description = "The configuration after the update", body = Envelope<ConfigView>),
        AdminOnly, JsonBody,
    ))]
async fn update_config(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiJson(req): ApiJson<ConfigUpdateRequest>,
) -> ApiResult<Data<ConfigView>> {
    let company = admin.company_id;
    let identity = state.db.get_identity_settings(company).await?;
    let mut valid = req.validate(identity.secret.is_some())?;
    super::config_outbound::guard_base_url(&state, company, &mut valid).await?;
    if let Some(key) = valid.api_key.take() {
        let stored = key.map_or(Value::Null, |k| {
            let cipher = ConfigCipher::from_config(&state.config);
            Value::String(cipher.encrypt(company, SecretField::AiApiKey, &k))
        });
        let patch = valid.update.ai_settings.get_or_insert_default();
        patch.insert(ai_keys::API_KEY_ENCRYPTED.to_owned(), stored);
    }
    let config = state.db.update_agent_config(company, valid.update, Utc::now()).await?;
    Audit::new(company, AuditAction::ConfigUpdated)
        .actor(admin.user_id)
        .details(json!({ "fields": valid.fields }))
        .record(&state)
        .await;
    Ok(Data(view(config, &identity)))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdentitySecretView {
    /// 64 hex characters. Shown only in this response: store it on the company's server,
    /// where it signs user ids as hex(HMAC-SHA256(secret, userId + ":" + timestamp)).
    identity_secret: String,
}

/// Generates a new identity secret, replacing the old one at once: user ids signed with the
/// old secret stop verifying.
#[utoipa::path(post, path = "/api/admin/config/identity-secret", tag = "admin", security(("bearer" = [])),
    responses(
        (status = 200, description = "The new secret, shown once", body = Envelope<IdentitySecretView>),
        AdminOnly,
    ))]
async fn rotate_identity_secret(
    State(state): State<AppState>,
    admin: AdminCtx,
) -> ApiResult<Data<IdentitySecretView>> {
    let company = admin.company_id;
    let mut bytes = [0u8; 32];
    rand::rng().fill(&mut bytes[..]);
    let secret = hex::encode(bytes);
    let stored = ConfigCipher::from_config(&state.config).encrypt(
        company,
        SecretField::IdentitySecret,
        &secret,
    );
    // `required` is carried over as read; a concurrent PUT of identityRequired between the
    // read and this write would be undone, which for two admins racing is acceptable.
    let current = state.db.get_identity_settings(company).await?;
    let settings = IdentitySettings { secret: Some(stored), required: current.required };
    state.db.set_identity_settings(company, settings, Utc::now()).await?;
    Audit::new(company, AuditAction::IdentitySecretRotated)
        .actor(admin.user_id)
        .record(&state)
        .await;
    Ok(Data(IdentitySecretView { identity_secret: secret }))
}
