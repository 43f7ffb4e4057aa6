use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{
    Company, CompanyStatus, CompanyStore, NewRegistration, StorageResult, User,
};
use switchboard_storage_sql::company;

#[async_trait]
impl CompanyStore for SqliteBackend {
    async fn register_company(&self, reg: NewRegistration) -> StorageResult<(Company, User)> {
        self.in_tx(async |tx| company::register::<Lite>(tx, reg).await).await
    }

    async fn get_company(&self, id: CompanyId) -> StorageResult<Company> {
        company::get::<Lite>(&mut *self.read().await?, id).await
    }

    async fn set_company_status(
        &self,
        id: CompanyId,
        status: CompanyStatus,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        company::set_status::<Lite>(&mut *self.write().await?, id, status, now).await
    }
}
