use crate::{SqliteBackend, db_err, parse_ts, parse_uuid, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use switchboard_domain::{CompanyId, CustomerId, EmailAddress};
use switchboard_storage::{Customer, CustomerStore, NewCustomer, StorageError, StorageResult};

macro_rules! select_customers {
    ($rest:literal) => {
        concat!(
            "SELECT id, company_id, email, name, external_id, password_hash, anonymous, created_at FROM customers ",
            $rest
        )
    };
}

fn customer_from_row(row: &SqliteRow) -> StorageResult<Customer> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    let opt = |c: &str| row.try_get::<Option<String>, _>(c).map_err(db_err);
    Ok(Customer {
        id: CustomerId::from_uuid(parse_uuid(&text("id")?)?),
        company_id: CompanyId::from_uuid(parse_uuid(&text("company_id")?)?),
        email: opt("email")?,
        name: opt("name")?,
        external_id: opt("external_id")?,
        password_hash: opt("password_hash")?,
        anonymous: row.try_get("anonymous").map_err(db_err)?,
        created_at: parse_ts(&text("created_at")?)?,
    })
}

#[async_trait]
impl CustomerStore for SqliteBackend {
    async fn create_customer(
        &self,
        company: CompanyId,
        customer: NewCustomer,
        now: DateTime<Utc>,
    ) -> StorageResult<Customer> {
        let now = ts(now);
        sqlx::query(
            "INSERT INTO customers (id, company_id, email, password_hash, name, external_id, anonymous, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(customer.id.to_string())
        .bind(company.to_string())
        .bind(customer.email.as_ref().map(|e| e.as_str()))
        .bind(&customer.password_hash)
        .bind(&customer.name)
        .bind(&customer.external_id)
        .bind(customer.is_anonymous())
        .bind(&now)
        .bind(&now)
        .execute(&self.writer)
        .await
        .map_err(|e| match db_err(e) {
            StorageError::Conflict { constraint } if constraint.contains("email") => {
                StorageError::Conflict { constraint: "customers_company_email".into() }
            }
            StorageError::Conflict { constraint } if constraint.contains("external_id") => {
                StorageError::Conflict { constraint: "customers_company_external".into() }
            }
            other => other,
        })?;
        self.get_customer(company, customer.id).await
    }

    async fn get_customer(&self, company: CompanyId, id: CustomerId) -> StorageResult<Customer> {
        let row = sqlx::query(select_customers!("WHERE company_id = ? AND id = ?"))
            .bind(company.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(db_err)?
            .ok_or(StorageError::NotFound)?;
        customer_from_row(&row)
    }

    async fn find_customer_by_email(
        &self,
        company: CompanyId,
        email: &EmailAddress,
    ) -> StorageResult<Option<Customer>> {
        let row = sqlx::query(select_customers!("WHERE company_id = ? AND email = ?"))
            .bind(company.to_string())
            .bind(email.as_str())
            .fetch_optional(&self.reader)
            .await
            .map_err(db_err)?;
        row.as_ref().map(customer_from_row).transpose()
    }

    async fn find_customer_by_external_id(
        &self,
        company: CompanyId,
        external_id: &str,
    ) -> StorageResult<Option<Customer>> {
        let row = sqlx::query(select_customers!("WHERE company_id = ? AND external_id = ?"))
            .bind(company.to_string())
            .bind(external_id)
            .fetch_optional(&self.reader)
            .await
            .map_err(db_err)?;
        row.as_ref().map(customer_from_row).transpose()
    }
}
