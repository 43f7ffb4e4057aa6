//! What a tool's body may be, and how it becomes a stored tool: every field checked (the
//! schema and the script compiled, the webhook's target judged by the outbound policy), and
//! a webhook's header values sealed with the server's cipher.
//!
//! Header values are secrets, write-only: the stored `config` keeps each header's name with
//! [`SECRET_MASK`] as its value, and the values themselves are sealed together in the tool's
//! `secrets`. An update that sends the mask back for a header keeps that header's stored
//! value; a header left out of a new `config` is dropped.

use crate::crypto::{ConfigCipher, SecretField};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use switchboard_ai::outbound::OutboundPolicy;
use switchboard_domain::tool::{
    SECRET_MASK, check_parameters, parse_function_config, parse_tool_description,
    parse_webhook_config,
};
use switchboard_domain::{CompanyId, ToolKind, ToolName, ToolSpec, ValidationErrors};
use switchboard_storage::Tool;
use switchboard_tools::{FunctionTool, ParameterSchema, WebhookPolicy, WebhookTool};
use utoipa::ToSchema;

/// A tool as created; on update every field is optional and absent ones are kept.
#[derive(Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ToolRequest {
    /// 1–64 of `a-z`, `0-9`, `_`, unique in the company: the function name the AI calls.
    #[schema(pattern = "^[a-z0-9_]{1,64}$")]
    name: Option<String>,
    /// 1–1024 characters: tells the AI when to use the tool.
    #[schema(min_length = 1, max_length = 1024)]
    description: Option<String>,
    /// `webhook` or `function`; required on create.
    #[serde(rename = "type")]
    kind: Option<ToolKind>,
    /// A JSON Schema of the arguments, `{"type": "object", ...}`; default: no arguments.
    #[schema(value_type = Object)]
    parameters: Option<Value>,
    /// `function`: `{"script"}` (Rhai). `webhook`: `{"url", "method", "headers",
    /// "timeoutMs"}`; header values are write-only secrets, returned as `"********"`, and
    /// `"********"` sent back keeps a header's stored value. Required on create.
    #[schema(value_type = Object)]
    config: Option<Value>,
    /// The tool runs only once a person approves it. Default false.
    requires_approval: Option<bool>,
    /// Disabled tools are kept but never offered or run. Default true.
    enabled: Option<bool>,
}

/// A valid tool, ready to store: its spec (config with masked header values) and its sealed
/// header values.
pub struct ValidTool {
    pub spec: ToolSpec,
    pub secrets: Option<String>,
}

/// Applies `req` over `base` (the stored tool, or nothing for a create), checking every rule.
pub fn merge(
    state: &AppState,
    company: CompanyId,
    req: ToolRequest,
    base: Option<&Tool>,
) -> ApiResult<ValidTool> {
    let mut errors = ValidationErrors::new();
    let spec = base.map(|t| &t.spec);
    let name = match (req.name, spec) {
        (Some(n), _) => errors.check("name", ToolName::parse(&n)),
        (None, Some(s)) => Some(s.name.clone()),
        (None, None) => required(&mut errors, "name"),
    };
    let description = match (req.description, spec) {
        (Some(d), _) => errors.check("description", parse_tool_description(&d)),
        (None, Some(s)) => Some(s.description.clone()),
        (None, None) => required(&mut errors, "description"),
    };
    let kind = req.kind.or(spec.map(|s| s.kind)).or_else(|| required(&mut errors, "type"));
    let parameters = req
        .parameters
        .or(spec.map(|s| s.parameters.clone()))
        .unwrap_or_else(|| json!({"type": "object", "properties": {}}));
    if let Err(e) = check_parameters(&parameters) {
        errors.push("parameters", e);
    } else if let Err(e) = ParameterSchema::compile(&parameters) {
        errors.push("parameters", e.to_string());
    }
    let config = req.config.or(spec.map(|s| s.config.clone()));
    let stored = match (kind, config) {
        (Some(kind), Some(config)) => config_for(state, company, kind, config, base, &mut errors),
        (_, None) => required(&mut errors, "config"),
        (None, Some(_)) => None,
    };
    errors.into_result()?;
    let (Some(name), Some(description), Some(kind), Some((config, secrets))) =
        (name, description, kind, stored)
    else {
        // Each `None` above recorded an error, so `into_result` returned already.
        return Err(ApiError::validation("body", "is invalid"));
    };
    let spec = ToolSpec {
        name,
        description,
        kind,
        parameters,
        config,
        requires_approval: req
            .requires_approval
            .or(spec.map(|s| s.requires_approval))
            .unwrap_or(false),
        enabled: req.enabled.or(spec.map(|s| s.enabled)).unwrap_or(true),
    };
    Ok(ValidTool { spec, secrets })
}

fn required<T>(errors: &mut ValidationErrors, field: &str) -> Option<T> {
    errors.push(field, "is required");
    None
}

/// The config to store and the sealed header values, or `None` with the problems recorded.
fn config_for(
    state: &AppState,
    company: CompanyId,
    kind: ToolKind,
    config: Value,
    base: Option<&Tool>,
    errors: &mut ValidationErrors,
) -> Option<(Value, Option<String>)> {
    match kind {
        ToolKind::Function => {
            let parsed = parse_function_config(&config, errors)?;
            if let Err(e) = FunctionTool::compile(&parsed.script) {
                errors.push("config.script", e.to_string());
                return None;
            }
            Some((serde_json::to_value(parsed).ok()?, None))
        }
        ToolKind::Webhook => {
            let mut parsed = parse_webhook_config(&config, errors)?;
            let cipher = ConfigCipher::from_config(&state.config);
            let headers = unmask(&cipher, company, &parsed.headers, base, errors)?;
            let mut real = serde_json::to_value(&parsed).ok()?;
            real["headers"] = json!(headers);
            let runnable: WebhookTool = match serde_json::from_value(real) {
                Ok(t) => t,
                Err(e) => {
                    errors.push("config", e.to_string());
                    return None;
                }
            };
            let outbound = OutboundPolicy { allow_private: state.config.allow_private_outbound };
            if let Err(refused) = runnable.validate_config(&WebhookPolicy::from_outbound(outbound))
            {
                for issue in refused.issues {
                    errors.push(format!("config.{}", issue.field), issue.message);
                }
                return None;
            }
            let secrets = (!headers.is_empty()).then(|| {
                let plain = Value::Object(Map::from_iter(
                    headers.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))),
                ));
                cipher.encrypt(company, SecretField::ToolHeaders, &plain.to_string())
            });
            for value in parsed.headers.values_mut() {
                *value = SECRET_MASK.to_owned();
            }
            Some((serde_json::to_value(parsed).ok()?, secrets))
        }
    }
}

/// The header values to send: those given, and for each [`SECRET_MASK`] the stored value.
fn unmask(
    cipher: &ConfigCipher,
    company: CompanyId,
    given: &BTreeMap<String, String>,
    base: Option<&Tool>,
    errors: &mut ValidationErrors,
) -> Option<BTreeMap<String, String>> {
    let mut stored: Option<Result<BTreeMap<String, String>, ()>> = None;
    let mut out = BTreeMap::new();
    let before = errors.fields().len();
    for (name, value) in given {
        if value != SECRET_MASK {
            out.insert(name.clone(), value.clone());
            continue;
        }
        let kept = stored
            .get_or_insert_with(|| open_headers(cipher, company, base))
            .as_ref()
            .map(|all| all.get(name).cloned());
        let field = format!("config.headers.{name}");
        match kept {
            Ok(Some(v)) => {
                out.insert(name.clone(), v);
            }
            Ok(None) => errors.push(field, "no stored value to keep; send the value itself"),
            Err(()) => errors.push(field, "the stored value can no longer be read; send it again"),
        }
    }
    (errors.fields().len() == before).then_some(out)
}

/// The stored header values of `tool` in clear (none for a new tool or one without any).
/// `Err` when they cannot be decrypted: sealed under a signing key since removed.
pub fn open_headers(
    cipher: &ConfigCipher,
    company: CompanyId,
    tool: Option<&Tool>,
) -> Result<BTreeMap<String, String>, ()> {
    let Some(sealed) = tool.and_then(|t| t.secrets.as_deref()) else {
        return Ok(BTreeMap::new());
    };
    let plain = cipher.decrypt(company, SecretField::ToolHeaders, sealed).map_err(|e| {
        tracing::warn!(error.message = %e, %company, "webhook headers unreadable");
    })?;
    serde_json::from_str(&plain).map_err(|e| {
        tracing::error!(error.message = %e, %company, "sealed webhook headers are not a map");
    })
}
