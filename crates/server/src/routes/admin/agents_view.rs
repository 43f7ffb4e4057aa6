//! How agents are shown to admins, shared by the agent and status routes.

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::Serialize;
use switchboard_domain::{AgentCapacity, AgentStatus, UserId, UserStatus};
use switchboard_storage::AgentSummary;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentView {
    pub id: UserId,
    pub name: String,
    pub email: String,
    /// Availability: online, offline, busy or away.
    pub status: AgentStatus,
    /// Whether the account may sign in: active or deactivated.
    pub account_status: UserStatus,
    pub skills: Vec<String>,
    /// How many open items routing may give it at once (1–100).
    pub capacity: AgentCapacity,
    /// Its open conversations and approval requests (what counts against its capacity).
    pub open_items: u32,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
}

impl From<AgentSummary> for AgentView {
    fn from(a: AgentSummary) -> Self {
        Self {
            id: a.user.id,
            name: a.user.name,
            email: a.user.email,
            status: a.status,
            account_status: a.user.status,
            skills: a.skills,
            capacity: a.capacity,
            open_items: a.open_items,
            last_seen_at: a.last_seen_at,
            must_change_password: a.user.must_change_password,
            created_at: a.user.created_at,
        }
    }
}

/// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I): about 115 bits,
/// easy to read out to a new agent, far beyond guessing.
pub fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}
