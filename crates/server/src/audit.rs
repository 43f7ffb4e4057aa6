//! Writing the audit log from handlers.

use crate::state::AppState;
use chrono::Utc;
use switchboard_domain::CompanyId;
use switchboard_storage::NewAuditEntry;

/// Appends a security event. A failed write is logged, not returned: the action it
/// describes has already happened and must not be reported to the caller as failed.
pub async fn record(state: &AppState, company: CompanyId, entry: NewAuditEntry) {
    let action = entry.action.clone();
    if let Err(e) = state.db.append_audit(company, entry, Utc::now()).await {
        tracing::error!(error.message = %e, action, "could not write the audit log");
    }
}
