//! A company's agent configuration and identity settings.

use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{
    AgentConfig, AgentConfigUpdate, IdentitySettings, StorageError, StorageResult,
};

/// Every `AgentConfig` column, exported for the engines' own update statements.
#[macro_export]
macro_rules! agent_config_columns {
    () => {
        "company_id, agent_name, agent_persona, branding_name, branding_logo, \
         branding_primary_color, greeting_message, allowed_origins, identity_required, \
         ai_settings, created_at, updated_at"
    };
}

/// What configuration needs from an engine: its partial update, which merges the AI
/// settings with the engine's own JSON functions.
pub trait ConfigDialect: Dialect {
    /// Built with [`update_agent_config_sql`](crate::update_agent_config_sql).
    const UPDATE_AGENT_CONFIG: &'static str;
}

/// The partial update of [`update`]: `COALESCE` keeps every column not given, `$4` says
/// whether the logo changes, and the argument is the engine's expression that merges the AI
/// settings object `$10` (JSON, or `NULL` for no change) into `ai_settings`.
#[macro_export]
macro_rules! update_agent_config_sql {
    ($merge_ai_settings:literal) => {
        concat!(
            "UPDATE agent_configurations SET \
             agent_name = COALESCE($1, agent_name), \
             agent_persona = COALESCE($2, agent_persona), \
             branding_name = COALESCE($3, branding_name), \
             branding_logo = CASE WHEN $4 THEN $5 ELSE branding_logo END, \
             branding_primary_color = COALESCE($6, branding_primary_color), \
             greeting_message = COALESCE($7, greeting_message), \
             allowed_origins = COALESCE($8, allowed_origins), \
             identity_required = COALESCE($9, identity_required), \
             ai_settings = ",
            $merge_ai_settings,
            ", updated_at = $11 WHERE company_id = $12 RETURNING ",
            $crate::agent_config_columns!()
        )
    };
}

const SELECT_IDENTITY: &str =
    "SELECT identity_secret, identity_required FROM agent_configurations WHERE company_id = $1";

const SET_IDENTITY: &str = "UPDATE agent_configurations \
     SET identity_secret = $1, identity_required = $2, updated_at = $3 WHERE company_id = $4";

const SELECT: &str =
    concat!("SELECT ", agent_config_columns!(), " FROM agent_configurations WHERE company_id = $1");

fn agent_config_from_row(row: &impl SqlRow) -> StorageResult<AgentConfig> {
    let origins = row.json("allowed_origins")?;
    Ok(AgentConfig {
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        agent_name: row.text("agent_name")?,
        agent_persona: row.text("agent_persona")?,
        branding_name: row.text("branding_name")?,
        branding_logo: row.opt_text("branding_logo")?,
        branding_primary_color: row.text("branding_primary_color")?,
        greeting_message: row.text("greeting_message")?,
        allowed_origins: serde_json::from_value(origins)
            .map_err(|e| StorageError::corrupt(format!("bad allowed_origins: {e}")))?,
        identity_required: row.bool("identity_required")?,
        ai_settings: row.json("ai_settings")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

// Registration writes a company's row, so no row means no such company (for this tenant).

pub async fn get_identity<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
) -> StorageResult<IdentitySettings> {
    let row = D::fetch_one(conn, SELECT_IDENTITY, Binds::new().id(company.as_uuid())).await?;
    Ok(IdentitySettings {
        secret: row.opt_text("identity_secret")?,
        required: row.bool("identity_required")?,
    })
}

pub async fn set_identity<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    settings: IdentitySettings,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let binds = Binds::new()
        .opt_text(settings.secret)
        .bool(settings.required)
        .time(now)
        .id(company.as_uuid());
    match D::execute(conn, SET_IDENTITY, binds).await? {
        0 => Err(StorageError::NotFound),
        _ => Ok(()),
    }
}

pub async fn get<D: Dialect>(conn: &mut D::Conn, company: CompanyId) -> StorageResult<AgentConfig> {
    agent_config_from_row(&D::fetch_one(conn, SELECT, Binds::new().id(company.as_uuid())).await?)
}

/// One `UPDATE … RETURNING`, so concurrent partial updates of different fields (and of
/// different AI settings keys) never undo each other.
pub async fn update<D: ConfigDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    update: AgentConfigUpdate,
    now: DateTime<Utc>,
) -> StorageResult<AgentConfig> {
    let (set_logo, logo) = match update.branding_logo {
        Some(logo) => (true, logo),
        None => (false, None),
    };
    let binds = Binds::new()
        .opt_text(update.agent_name)
        .opt_text(update.agent_persona)
        .opt_text(update.branding_name)
        .bool(set_logo)
        .opt_text(logo)
        .opt_text(update.branding_primary_color)
        .opt_text(update.greeting_message)
        .opt_json(update.allowed_origins.map(serde_json::Value::from))
        .opt_bool(update.identity_required)
        .opt_json(update.ai_settings.map(serde_json::Value::Object))
        .time(now)
        .id(company.as_uuid());
    agent_config_from_row(&D::fetch_one(conn, D::UPDATE_AGENT_CONFIG, binds).await?)
}
