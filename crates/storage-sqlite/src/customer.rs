use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, CustomerId, EmailAddress};
use switchboard_storage::{Customer, CustomerStore, NewCustomer, StorageResult};
use switchboard_storage_sql::customer;

#[async_trait]
impl CustomerStore for SqliteBackend {
    async fn create_customer(
        &self,
        company: CompanyId,
        new: NewCustomer,
        now: DateTime<Utc>,
    ) -> StorageResult<Customer> {
        customer::create::<Lite>(&mut *self.write().await?, company, new, now).await
    }

    async fn get_customer(&self, company: CompanyId, id: CustomerId) -> StorageResult<Customer> {
        customer::get::<Lite>(&mut *self.read().await?, company, id).await
    }

    async fn find_customer_by_email(
        &self,
        company: CompanyId,
        email: &EmailAddress,
    ) -> StorageResult<Option<Customer>> {
        customer::find_by_email::<Lite>(&mut *self.read().await?, company, email).await
    }

    async fn find_customer_by_external_id(
        &self,
        company: CompanyId,
        external_id: &str,
    ) -> StorageResult<Option<Customer>> {
        customer::find_by_external_id::<Lite>(&mut *self.read().await?, company, external_id).await
    }
}
