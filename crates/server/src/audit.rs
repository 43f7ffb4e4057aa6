//! Writing the audit log from handlers: one builder, one list of actions.

use crate::auth::ClientAddr;
use crate::state::AppState;
use chrono::Utc;
use serde_json::{Value, json};
use switchboard_domain::{CompanyId, UserId};
use switchboard_storage::NewAuditEntry;

/// Every security event the server records. The strings are stored and returned by
/// `GET /api/admin/audit-log`, so they are part of the API and must not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    CompanyRegistered,
    Login,
    LoginFailed,
    Logout,
    PasswordChanged,
    PasswordChangeFailed,
    AgentCreated,
    AgentUpdated,
    AgentDeactivated,
    AgentPasswordReset,
    ConfigUpdated,
    IdentitySecretRotated,
    ClassificationExampleCreated,
    ClassificationExamplesImported,
    ClassificationExampleUpdated,
    ClassificationExampleDeleted,
    ToolCreated,
    ToolUpdated,
    ToolDeleted,
    ToolTested,
    WorkflowCreated,
    WorkflowUpdated,
    WorkflowDeleted,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::CompanyRegistered => "company.registered",
            AuditAction::Login => "auth.login",
            AuditAction::LoginFailed => "auth.login_failed",
            AuditAction::Logout => "auth.logout",
            AuditAction::PasswordChanged => "auth.password_changed",
            AuditAction::PasswordChangeFailed => "auth.password_change_failed",
            AuditAction::AgentCreated => "agent.created",
            AuditAction::AgentUpdated => "agent.updated",
            AuditAction::AgentDeactivated => "agent.deactivated",
            AuditAction::AgentPasswordReset => "agent.password_reset",
            AuditAction::ConfigUpdated => "config.updated",
            AuditAction::IdentitySecretRotated => "config.identity_secret_rotated",
            AuditAction::ClassificationExampleCreated => "classification.example_created",
            AuditAction::ClassificationExamplesImported => "classification.examples_imported",
            AuditAction::ClassificationExampleUpdated => "classification.example_updated",
            AuditAction::ClassificationExampleDeleted => "classification.example_deleted",
            AuditAction::ToolCreated => "tool.created",
            AuditAction::ToolUpdated => "tool.updated",
            AuditAction::ToolDeleted => "tool.deleted",
            AuditAction::ToolTested => "tool.tested",
            AuditAction::WorkflowCreated => "workflow.created",
            AuditAction::WorkflowUpdated => "workflow.updated",
            AuditAction::WorkflowDeleted => "workflow.deleted",
        }
    }
}

/// An audit entry being built: `Audit::new(company, action).actor(..).target(..)
/// .client(..).record(&state)`. Fields not set are stored empty (`details` as `{}`).
#[must_use = "an audit entry is written only by `record`"]
pub struct Audit {
    company: CompanyId,
    entry: NewAuditEntry,
}

impl Audit {
    pub fn new(company: CompanyId, action: AuditAction) -> Self {
        let entry = NewAuditEntry {
            actor_id: None,
            action: action.as_str().to_owned(),
            target_id: None,
            client_addr: None,
            details: json!({}),
        };
        Self { company, entry }
    }

    /// The staff member who acted.
    pub fn actor(mut self, user: UserId) -> Self {
        self.entry.actor_id = Some(user.as_uuid());
        self
    }

    /// The account the action was about (the actor's own, for sign-in events).
    pub fn target(mut self, user: UserId) -> Self {
        self.entry.target_id = Some(user.as_uuid());
        self
    }

    pub fn client(mut self, client: ClientAddr) -> Self {
        self.entry.client_addr = Some(client.to_string());
        self
    }

    pub fn details(mut self, details: Value) -> Self {
        self.entry.details = details;
        self
    }

    /// Appends the entry. A failed write is logged, not returned: the action it describes
    /// has already happened and must not be reported to the caller as failed.
    pub async fn record(self, state: &AppState) {
        let Audit { company, entry } = self;
        let action = entry.action.clone();
        if let Err(e) = state.db.append_audit(company, entry, Utc::now()).await {
            tracing::error!(error.message = %e, action, "could not write the audit log");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AuditAction::*;

    #[test]
    fn action_names_are_the_stored_dotted_verbs() {
        let all = [
            CompanyRegistered,
            Login,
            LoginFailed,
            Logout,
            PasswordChanged,
            PasswordChangeFailed,
            AgentCreated,
            AgentUpdated,
            AgentDeactivated,
            AgentPasswordReset,
            ConfigUpdated,
            IdentitySecretRotated,
            ClassificationExampleCreated,
            ClassificationExamplesImported,
            ClassificationExampleUpdated,
            ClassificationExampleDeleted,
            ToolCreated,
            ToolUpdated,
            ToolDeleted,
            WorkflowCreated,
            WorkflowUpdated,
            WorkflowDeleted,
        ];
        let names: Vec<_> = all.iter().map(|a| a.as_str()).collect();
        assert_eq!(
            names,
            [
                "company.registered",
                "auth.login",
                "auth.login_failed",
                "auth.logout",
                "auth.password_changed",
                "auth.password_change_failed",
                "agent.created",
                "agent.updated",
                "agent.deactivated",
                "agent.password_reset",
                "config.updated",
                "config.identity_secret_rotated",
                "classification.example_created",
                "classification.examples_imported",
                "classification.example_updated",
                "classification.example_deleted",
                "tool.created",
                "tool.updated",
                "tool.deleted",
                "workflow.created",
                "workflow.updated",
                "workflow.deleted",
            ]
        );
    }
}
