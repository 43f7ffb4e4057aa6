use crate::StorageResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, CustomerId, EmailAddress};

/// An end customer of a company. Anonymous customers have no email or password; customers
/// identified by the company's own site carry that site's user id in `external_id`.
#[derive(Clone, PartialEq)]
pub struct Customer {
    pub id: CustomerId,
    pub company_id: CompanyId,
    pub email: Option<String>,
    pub name: Option<String>,
    pub external_id: Option<String>,
    pub password_hash: Option<String>,
    pub anonymous: bool,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for Customer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Customer")
            .field("id", &self.id)
            .field("company_id", &self.company_id)
            .field("anonymous", &self.anonymous)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct NewCustomer {
    pub id: CustomerId,
    pub email: Option<EmailAddress>,
    pub name: Option<String>,
    pub external_id: Option<String>,
    pub password_hash: Option<String>,
}

impl NewCustomer {
    pub fn anonymous() -> Self {
        Self {
            id: CustomerId::new(),
            email: None,
            name: None,
            external_id: None,
            password_hash: None,
        }
    }

    /// Anonymous means nothing identifies the customer: no email and no site user id.
    pub fn is_anonymous(&self) -> bool {
        self.email.is_none() && self.external_id.is_none()
    }
}

#[async_trait]
pub trait CustomerStore {
    /// A second customer with the same email, or the same external id, in one company is a
    /// `Conflict` (`customers_company_email` / `customers_company_external`).
    async fn create_customer(
        &self,
        company: CompanyId,
        customer: NewCustomer,
        now: DateTime<Utc>,
    ) -> StorageResult<Customer>;

    async fn get_customer(&self, company: CompanyId, id: CustomerId) -> StorageResult<Customer>;

    async fn find_customer_by_email(
        &self,
        company: CompanyId,
        email: &EmailAddress,
    ) -> StorageResult<Option<Customer>>;

    async fn find_customer_by_external_id(
        &self,
        company: CompanyId,
        external_id: &str,
    ) -> StorageResult<Option<Customer>>;
}
