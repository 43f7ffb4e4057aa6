use crate::{NewSession, NewUser, StorageResult, User};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, CompanyName, EmailAddress};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompanyStatus {
    Active,
    Suspended,
}

impl CompanyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CompanyStatus::Active => "active",
            CompanyStatus::Suspended => "suspended",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "active" => Ok(CompanyStatus::Active),
            "suspended" => Ok(CompanyStatus::Suspended),
            other => Err(format!("unknown company status {other:?}")),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    pub email: String,
    pub status: CompanyStatus,
    pub created_at: DateTime<Utc>,
}

/// The agent configuration a new company starts with.
#[derive(Debug, Clone)]
pub struct AgentConfigDefaults {
    pub agent_name: String,
    pub branding_name: String,
    pub greeting_message: String,
}

/// Everything registration writes, committed together or not at all.
#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub company_id: CompanyId,
    pub company_name: CompanyName,
    pub company_email: EmailAddress,
    pub admin: NewUser,
    pub config: AgentConfigDefaults,
    pub session: NewSession,
    pub now: DateTime<Utc>,
}

#[async_trait]
pub trait CompanyStore {
    /// Creates the company, its first admin, its default agent configuration and the admin's
    /// first session in one transaction. A company email already registered is a
    /// `Conflict { constraint: "companies_email" }`.
    async fn register_company(&self, reg: NewRegistration) -> StorageResult<(Company, User)>;

    async fn get_company(&self, id: CompanyId) -> StorageResult<Company>;

    /// Suspends or reactivates a company. A suspended company's sessions stop working and
    /// nobody can sign in to it; its data is kept. `NotFound` for an unknown company.
    async fn set_company_status(
        &self,
        id: CompanyId,
        status: CompanyStatus,
        now: DateTime<Utc>,
    ) -> StorageResult<()>;
}
