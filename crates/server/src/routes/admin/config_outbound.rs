//! What a change of `ai.baseUrl` may do. The URL is where the server will send the
//! company's conversations and its stored API key, so:
//! - it must pass the outbound address policy (no loopback, private or metadata addresses
//!   unless the operator allows them), or one tenant could aim the server at the network
//!   behind it;
//! - a key entered for one provider is never sent to another: moving the URL to another
//!   origin clears the stored key, unless the same request brings a new one.
//!
//! The address check here is the early, friendly refusal; the provider client repeats it
//! at each call, since a name can resolve differently later.

use super::config_update::ValidUpdate;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use serde_json::Value;
use switchboard_ai::outbound::{OutboundError, OutboundPolicy};
use switchboard_domain::CompanyId;
use switchboard_storage::ai_keys;
use url::Url;

pub async fn guard_base_url(
    state: &AppState,
    company: CompanyId,
    valid: &mut ValidUpdate,
) -> ApiResult<()> {
    let Some(patch) = valid.update.ai_settings.as_mut() else { return Ok(()) };
    let Some(new) = patch.get(ai_keys::BASE_URL).cloned() else { return Ok(()) };
    let new_url = new.as_str().and_then(|s| Url::parse(s).ok());
    if let Some(url) = &new_url {
        let policy = OutboundPolicy { allow_private: state.config.allow_private_outbound };
        match policy.resolve(url).await {
            Ok(_) => {}
            // A name that does not resolve now may later; the call-time check decides then.
            Err(OutboundError::Unresolved { .. }) => {}
            Err(refused) => return Err(ApiError::validation("ai.baseUrl", refused.to_string())),
        }
    }
    if valid.api_key.is_some() {
        return Ok(());
    }
    let stored = state.db.get_agent_config(company).await?;
    let old_url = stored.ai_text(ai_keys::BASE_URL);
    let old_origin = old_url.and_then(|s| Url::parse(s).ok()).map(|u| u.origin());
    if old_origin != new_url.map(|u| u.origin()) {
        patch.insert(ai_keys::API_KEY_ENCRYPTED.to_owned(), Value::Null);
    }
    Ok(())
}
