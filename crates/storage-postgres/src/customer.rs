use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, CustomerId, EmailAddress};
use switchboard_storage::{Customer, CustomerStore, NewCustomer, StorageResult};
use switchboard_storage_sql::customer;

#[async_trait]
impl CustomerStore for PostgresBackend {
    async fn create_customer(
        &self,
        company: CompanyId,
        new: NewCustomer,
        now: DateTime<Utc>,
    ) -> StorageResult<Customer> {
        self.as_tenant(company, async |tx| customer::create::<Pg>(tx, company, new, now).await)
            .await
    }

    async fn get_customer(&self, company: CompanyId, id: CustomerId) -> StorageResult<Customer> {
        self.as_tenant(company, async |tx| customer::get::<Pg>(tx, company, id).await).await
    }

    async fn find_customer_by_email(
        &self,
        company: CompanyId,
        email: &EmailAddress,
    ) -> StorageResult<Option<Customer>> {
        self.as_tenant(company, async |tx| customer::find_by_email::<Pg>(tx, company, email).await)
            .await
    }

    async fn find_customer_by_external_id(
        &self,
        company: CompanyId,
        external_id: &str,
    ) -> StorageResult<Option<Customer>> {
        self.as_tenant(company, async |tx| {
            customer::find_by_external_id::<Pg>(tx, company, external_id).await
        })
        .await
    }
}
