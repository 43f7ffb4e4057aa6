//! The body of `PUT /api/admin/config` and its validation into a storage update.
//!
//! Every field is optional (a partial update) and told apart from an explicit `null`, which
//! clears the nullable fields and is refused for the others. Fields arrive as plain JSON
//! types and are checked here rather than during deserialisation, so one response names
//! every bad field, unknown ones included (refused rather than ignored: a misspelt field in
//! a partial update would otherwise be a silent no-op).

use crate::extract::present;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use switchboard_domain::{
    BoundedText, HexColor, HttpUrl, HttpsUrl, Origin, Threshold, ValidationErrors,
};
use switchboard_storage::AgentConfigUpdate;
use switchboard_storage::ai_keys;
use utoipa::ToSchema;

/// At most this many allowed origins: enough for every site and staging host of a company,
/// small enough to check on every public request.
pub const MAX_ORIGINS: usize = 50;

/// A partial update of the company's configuration: only the fields given change.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfigUpdateRequest {
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, min_length = 1, max_length = 100)]
    agent_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, max_length = 4000)]
    agent_persona: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, max_length = 200)]
    branding_name: Option<Option<String>>,
    /// An https URL (at most 2048 characters), or null to remove the logo.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable, format = "uri", max_length = 2048)]
    branding_logo: Option<Option<String>>,
    /// `#rrggbb`.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, pattern = "^#[0-9a-fA-F]{6}$")]
    branding_primary_color: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, max_length = 1000)]
    greeting_message: Option<Option<String>>,
    /// Origins (`scheme://host[:port]`, no path) the widget may be used from; at most 50.
    /// An empty list allows every origin.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    allowed_origins: Option<Option<Vec<String>>>,
    /// Refuse customers without a signed user id. Needs an identity secret first.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    identity_required: Option<Option<bool>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    ai: Option<Option<AiSettingsUpdate>>,
    #[serde(flatten)]
    #[schema(ignore)]
    unknown: BTreeMap<String, Value>,
}

/// AI settings to change; nullable fields given as null are cleared.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AiSettingsUpdate {
    /// `builtin` (the local models) or `openai` (any OpenAI-compatible API).
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, example = "openai")]
    provider: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable, min_length = 1, max_length = 200)]
    model: Option<Option<String>>,
    /// http or https URL of an OpenAI-compatible API.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable, format = "uri", max_length = 2048)]
    base_url: Option<Option<String>>,
    /// Write-only: stored encrypted and never returned (GET shows `apiKeySet`).
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable, format = "password", min_length = 1, max_length = 1000)]
    api_key: Option<Option<String>>,
    /// Minimum FAQ match score, 0 to 1.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable, minimum = 0, maximum = 1)]
    faq_threshold: Option<Option<f64>>,
    /// Minimum retrieval score to answer from the knowledge base, 0 to 1.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable, minimum = 0, maximum = 1)]
    answer_threshold: Option<Option<f64>>,
    #[serde(flatten)]
    #[schema(ignore)]
    unknown: BTreeMap<String, Value>,
}

/// What a valid request turns into. The API key is still plaintext here; the handler
/// encrypts it before it reaches storage.
pub struct ValidUpdate {
    pub update: AgentConfigUpdate,
    pub api_key: Option<Option<String>>,
    /// Names of the fields given, for the audit log (never their values).
    pub fields: Vec<String>,
}

/// Reads a non-nullable text field, recording an error for null or a bad value.
fn text(
    errors: &mut ValidationErrors,
    field: &str,
    value: Option<Option<String>>,
    (min, max): (usize, usize),
) -> Option<String> {
    match value? {
        None => {
            errors.push(field, "must not be null");
            None
        }
        Some(raw) => {
            errors.check(field, BoundedText::parse(&raw, min, max)).map(|t| t.into_inner())
        }
    }
}

/// Reads a nullable field: `Some(None)` clears it, `Some(Some(_))` sets a valid value.
fn nullable<T, U>(
    errors: &mut ValidationErrors,
    field: &str,
    value: Option<Option<T>>,
    parse: impl FnOnce(T) -> Result<U, String>,
) -> Option<Option<U>> {
    match value? {
        None => Some(None),
        Some(raw) => errors.check(field, parse(raw)).map(Some),
    }
}

fn unknown_fields(errors: &mut ValidationErrors, prefix: &str, unknown: &BTreeMap<String, Value>) {
    for name in unknown.keys() {
        errors.push(format!("{prefix}{name}"), "is not a known field");
    }
}

impl ConfigUpdateRequest {
    /// Checks every field. `identity_secret_set` says whether `identityRequired: true` can
    /// be honoured: requiring signatures nobody can make would lock every customer out.
    pub fn validate(self, identity_secret_set: bool) -> Result<ValidUpdate, ValidationErrors> {
        let mut e = ValidationErrors::new();
        unknown_fields(&mut e, "", &self.unknown);
        let given = [
            ("agentName", self.agent_name.is_some()),
            ("agentPersona", self.agent_persona.is_some()),
            ("brandingName", self.branding_name.is_some()),
            ("brandingLogo", self.branding_logo.is_some()),
            ("brandingPrimaryColor", self.branding_primary_color.is_some()),
            ("greetingMessage", self.greeting_message.is_some()),
            ("allowedOrigins", self.allowed_origins.is_some()),
            ("identityRequired", self.identity_required.is_some()),
        ];
        let mut fields: Vec<String> =
            given.iter().filter(|(_, g)| *g).map(|(n, _)| (*n).to_owned()).collect();
        let mut update = AgentConfigUpdate {
            agent_name: text(&mut e, "agentName", self.agent_name, (1, 100)),
            agent_persona: text(&mut e, "agentPersona", self.agent_persona, (0, 4000)),
            branding_name: text(&mut e, "brandingName", self.branding_name, (0, 200)),
            greeting_message: text(&mut e, "greetingMessage", self.greeting_message, (0, 1000)),
            branding_logo: nullable(&mut e, "brandingLogo", self.branding_logo, |s: String| {
                HttpsUrl::parse(&s).map(String::from)
            }),
            ..AgentConfigUpdate::default()
        };
        update.branding_primary_color = match self.branding_primary_color {
            None => None,
            Some(None) => {
                e.push("brandingPrimaryColor", "must not be null");
                None
            }
            Some(Some(raw)) => {
                e.check("brandingPrimaryColor", HexColor::parse(&raw)).map(String::from)
            }
        };
        update.allowed_origins = origins(&mut e, self.allowed_origins);
        update.identity_required = match self.identity_required {
            None => None,
            Some(None) => {
                e.push("identityRequired", "must not be null");
                None
            }
            Some(Some(true)) if !identity_secret_set => {
                e.push(
                    "identityRequired",
                    "needs an identity secret first (POST /api/admin/config/identity-secret)",
                );
                None
            }
            Some(Some(required)) => Some(required),
        };
        let mut api_key = None;
        match self.ai {
            None => {}
            Some(None) => e.push("ai", "must not be null"),
            Some(Some(ai)) => {
                fields.push("ai".to_owned());
                let (map, key) = ai.validate(&mut e);
                update.ai_settings = Some(map);
                api_key = key;
            }
        }
        e.into_result()?;
        Ok(ValidUpdate { update, api_key, fields })
    }
}

fn origins(e: &mut ValidationErrors, value: Option<Option<Vec<String>>>) -> Option<Vec<String>> {
    let list = match value? {
        None => {
            e.push("allowedOrigins", "must be a list (empty to allow every origin)");
            return None;
        }
        Some(list) => list,
    };
    if list.len() > MAX_ORIGINS {
        e.push("allowedOrigins", format!("must list at most {MAX_ORIGINS} origins"));
        return None;
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(list.len());
    for (i, raw) in list.iter().enumerate() {
        if let Some(o) = e.check(&format!("allowedOrigins[{i}]"), Origin::parse(raw)) {
            // Duplicates (say `https://a.com` and `https://A.com/`) collapse to one entry.
            if seen.insert(o.as_str().to_owned()) {
                out.push(String::from(o));
            }
        }
    }
    Some(out)
}

impl AiSettingsUpdate {
    /// The merge patch for the stored AI settings (null removes a key) and the API key.
    fn validate(self, e: &mut ValidationErrors) -> (Map<String, Value>, Option<Option<String>>) {
        unknown_fields(e, "ai.", &self.unknown);
        let mut patch = Map::new();
        match self.provider {
            None => {}
            Some(Some(p)) if p == "builtin" || p == "openai" => {
                patch.insert(ai_keys::PROVIDER.to_owned(), Value::String(p));
            }
            Some(_) => e.push("ai.provider", "must be \"builtin\" or \"openai\""),
        }
        let model = nullable(e, "ai.model", self.model, |s: String| {
            BoundedText::parse(&s, 1, 200).map(BoundedText::into_inner)
        });
        let base_url = nullable(e, "ai.baseUrl", self.base_url, |s: String| {
            HttpUrl::parse(&s).map(String::from)
        });
        let strings = [(ai_keys::MODEL, model), (ai_keys::BASE_URL, base_url)];
        for (key, value) in strings {
            if let Some(v) = value {
                patch.insert(key.to_owned(), v.map_or(Value::Null, Value::String));
            }
        }
        let thresholds = [
            (ai_keys::FAQ_THRESHOLD, "ai.faqThreshold", self.faq_threshold),
            (ai_keys::ANSWER_THRESHOLD, "ai.answerThreshold", self.answer_threshold),
        ];
        for (key, field, value) in thresholds {
            if let Some(v) = nullable(e, field, value, |x| Threshold::parse(x).map(f64::from)) {
                patch.insert(key.to_owned(), v.map_or(Value::Null, Value::from));
            }
        }
        let api_key = nullable(e, "ai.apiKey", self.api_key, |s: String| {
            BoundedText::parse(&s, 1, 1000).map(BoundedText::into_inner)
        });
        (patch, api_key)
    }
}
