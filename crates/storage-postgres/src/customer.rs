use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;
use switchboard_domain::{CompanyId, CustomerId, EmailAddress};
use switchboard_storage::{Customer, CustomerStore, NewCustomer, StorageError, StorageResult};

// A macro rather than a `const` so that `concat!` can splice it into `&'static str` queries.
macro_rules! customer_columns {
    () => {
        "id, company_id, email, name, external_id, password_hash, anonymous, created_at"
    };
}

/// A `SELECT` of every `Customer` column with the given `WHERE` clause.
macro_rules! select_customers {
    ($filter:literal) => {
        concat!("SELECT ", customer_columns!(), " FROM customers WHERE ", $filter)
    };
}

fn customer_from_row(row: &PgRow) -> StorageResult<Customer> {
    Ok(Customer {
        id: CustomerId::from_uuid(row.try_get("id").map_err(db_err)?),
        company_id: CompanyId::from_uuid(row.try_get("company_id").map_err(db_err)?),
        email: row.try_get("email").map_err(db_err)?,
        name: row.try_get("name").map_err(db_err)?,
        external_id: row.try_get("external_id").map_err(db_err)?,
        password_hash: row.try_get("password_hash").map_err(db_err)?,
        anonymous: row.try_get("anonymous").map_err(db_err)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
    })
}

impl PostgresBackend {
    /// The one customer lookup by a single column, all in a tenant transaction.
    async fn find_customer(
        &self,
        company: CompanyId,
        query: &'static str,
        value: &str,
    ) -> StorageResult<Option<Customer>> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(query)
            .bind(company.as_uuid())
            .bind(value)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        row.as_ref().map(customer_from_row).transpose()
    }
}

#[async_trait]
impl CustomerStore for PostgresBackend {
    async fn create_customer(
        &self,
        company: CompanyId,
        customer: NewCustomer,
        now: DateTime<Utc>,
    ) -> StorageResult<Customer> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(concat!(
            "INSERT INTO customers (id, company_id, email, password_hash, name, external_id, \
             anonymous, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING ",
            customer_columns!()
        ))
        .bind(customer.id.as_uuid())
        .bind(company.as_uuid())
        .bind(customer.email.as_ref().map(|e| e.as_str()))
        .bind(&customer.password_hash)
        .bind(&customer.name)
        .bind(&customer.external_id)
        .bind(customer.is_anonymous())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match db_err(e) {
            // The unique indexes carry the backend-neutral names already; the mapping only
            // pins them, as the SQLite backend (which reports column lists) has to.
            StorageError::Conflict { constraint } if constraint.contains("email") => {
                StorageError::Conflict { constraint: "customers_company_email".into() }
            }
            StorageError::Conflict { constraint } if constraint.contains("external") => {
                StorageError::Conflict { constraint: "customers_company_external".into() }
            }
            other => other,
        })?;
        let created = customer_from_row(&row)?;
        tx.commit().await.map_err(db_err)?;
        Ok(created)
    }

    async fn get_customer(&self, company: CompanyId, id: CustomerId) -> StorageResult<Customer> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(select_customers!("company_id = $1 AND id = $2"))
            .bind(company.as_uuid())
            .bind(id.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
            .ok_or(StorageError::NotFound)?;
        tx.commit().await.map_err(db_err)?;
        customer_from_row(&row)
    }

    async fn find_customer_by_email(
        &self,
        company: CompanyId,
        email: &EmailAddress,
    ) -> StorageResult<Option<Customer>> {
        let query = select_customers!("company_id = $1 AND email = $2");
        self.find_customer(company, query, email.as_str()).await
    }

    async fn find_customer_by_external_id(
        &self,
        company: CompanyId,
        external_id: &str,
    ) -> StorageResult<Option<Customer>> {
        let query = select_customers!("company_id = $1 AND external_id = $2");
        self.find_customer(company, query, external_id).await
    }
}
