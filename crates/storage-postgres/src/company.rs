use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{
    Company, CompanyStatus, CompanyStore, NewRegistration, StorageResult, User,
};
use switchboard_storage_sql::company;

#[async_trait]
impl CompanyStore for PostgresBackend {
    async fn register_company(&self, reg: NewRegistration) -> StorageResult<(Company, User)> {
        // The whole registration runs as the new company's tenant, companies insert included:
        // its id is known up front, and the companies policy lets a tenant write only the row
        // whose id is its own, so this transaction cannot create or touch any other company.
        // The email uniqueness check still sees every company (unique indexes ignore RLS),
        // and foreign-key checks run as the owner, so nothing else needs the owner's rights.
        self.as_tenant(reg.company_id, async |tx| company::register::<Pg>(tx, reg).await).await
    }

    async fn get_company(&self, id: CompanyId) -> StorageResult<Company> {
        self.as_tenant(id, async |tx| company::get::<Pg>(tx, id).await).await
    }

    async fn set_company_status(
        &self,
        id: CompanyId,
        status: CompanyStatus,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        // As the company's own tenant: the policy admits only its row.
        self.as_tenant(id, async |tx| company::set_status::<Pg>(tx, id, status, now).await).await
    }
}
