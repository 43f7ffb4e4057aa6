//! Customer sign-in for the chat widget: anonymous, registered (email and password per
//! company), or identified by the company's own site with a signed user id.

use super::customer_credentials::{Credentials, CustomerAuthenticateRequest, SignedIdentity};
use super::open_session;
use super::session::CustomerView;
use crate::auth::{Admitted, ClientAddr, PasswordCheck, identity, password, strength};
use crate::envelope::{Created, Data, Envelope};
use crate::error::{ApiError, ApiResult, ErrorBody, OnConflict};
use crate::extract::ApiJson;
use crate::routes::responses::{JsonBody, Throttled};
use crate::state::AppState;
use crate::tenancy;
use axum::extract::State;
use axum::http::HeaderMap;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use switchboard_domain::{CompanyId, CustomerId, EmailAddress, Password, PersonName, Role};
use switchboard_storage::{Customer, IdentitySettings, NewCustomer, SessionSubject, StorageError};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(register_customer)).routes(routes!(authenticate_customer))
}

#[derive(Serialize, ToSchema)]
pub struct CustomerAuthResponse {
    token: String,
    customer: CustomerView,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRegisterRequest {
    company_id: CompanyId,
    email: EmailAddress,
    password: Password,
    name: Option<PersonName>,
}

/// The company's identity settings if it exists and is active (otherwise 404, exactly as
/// for a company that never existed) and the request's origin is one it allows (403).
async fn active_company(
    state: &AppState,
    company: CompanyId,
    headers: &HeaderMap,
) -> ApiResult<IdentitySettings> {
    tenancy::admit(state, company, headers).await?;
    tenancy::identity_settings(state, company).await
}

fn identity_required() -> ApiError {
    ApiError::UnauthorizedBecause {
        reason: "identity_required",
        message: "this company requires a signed user id (userId, timestamp, userHash)".to_owned(),
    }
}

async fn respond(
    state: &AppState,
    customer: &Customer,
    client: ClientAddr,
) -> ApiResult<CustomerAuthResponse> {
    let subject = SessionSubject::Customer(customer.id);
    let token = open_session(state, customer.company_id, subject, Role::Customer, client).await?;
    Ok(CustomerAuthResponse { token, customer: CustomerView::from(customer) })
}

/// Registers a customer with an email and password, and signs them in.
#[utoipa::path(post, path = "/api/auth/customer/register", tag = "auth", request_body = CustomerRegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = Envelope<CustomerAuthResponse>),
        (status = 401, description = "The company requires verified identity", body = ErrorBody),
        (status = 403, description = "The request's Origin is not in the company's allowedOrigins", body = ErrorBody),
        (status = 404, description = "No such (active) company", body = ErrorBody),
        (status = 409, description = "The email is already registered with this company", body = ErrorBody),
        JsonBody, Throttled,
    ))]
async fn register_customer(
    State(state): State<AppState>,
    Admitted(client): Admitted,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CustomerRegisterRequest>,
) -> ApiResult<Created<CustomerAuthResponse>> {
    strength::check(req.password.expose(), &[req.email.as_str()])
        .map_err(|m| ApiError::validation("password", m))?;
    let identity = active_company(&state, req.company_id, &headers).await?;
    if identity.required {
        return Err(identity_required());
    }
    let new = NewCustomer {
        id: CustomerId::new(),
        email: Some(req.email),
        name: req.name.map(String::from),
        external_id: None,
        password_hash: Some(password::hash(&req.password).await?),
    };
    let customer = state
        .db
        .create_customer(req.company_id, new, Utc::now())
        .await
        .on_conflict("this email is already registered")?;
    Ok(Created(respond(&state, &customer, client).await?))
}

/// Signs a customer in: with email and password, with a signed user id from the company's
/// site, or (when the company allows it) anonymously.
#[utoipa::path(post, path = "/api/auth/customer/authenticate", tag = "auth", request_body = CustomerAuthenticateRequest,
    responses(
        (status = 200, description = "Signed in", body = Envelope<CustomerAuthResponse>),
        (status = 401, description = "Wrong credentials, or a missing, wrong or stale identity hash", body = ErrorBody),
        (status = 403, description = "The request's Origin is not in the company's allowedOrigins", body = ErrorBody),
        (status = 404, description = "No such (active) company", body = ErrorBody),
        JsonBody, Throttled,
    ))]
async fn authenticate_customer(
    State(state): State<AppState>,
    Admitted(client): Admitted,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CustomerAuthenticateRequest>,
) -> ApiResult<Data<CustomerAuthResponse>> {
    let company = req.company_id;
    // The company is checked before the body's combination of fields, and a company that
    // requires a signed identity refuses any other way in before it is looked at.
    let identity = active_company(&state, company, &headers).await?;
    if identity.required && !req.is_signed() {
        return Err(identity_required());
    }
    let customer = match req.credentials()? {
        Credentials::Signed(signed) => {
            verified_customer(&state, company, &identity, signed, req.name).await?
        }
        Credentials::Password { email, password } => {
            registered_customer(&state, company, &email, &password, client).await?
        }
        Credentials::Anonymous => {
            state.db.create_customer(company, NewCustomer::anonymous(), Utc::now()).await?
        }
    };
    Ok(Data(respond(&state, &customer, client).await?))
}

async fn registered_customer(
    state: &AppState,
    company: CompanyId,
    email: &EmailAddress,
    candidate: &str,
    client: ClientAddr,
) -> ApiResult<Customer> {
    let check = PasswordCheck::begin(state, company, &format!("customer:{email}"), client)?;
    let found = state.db.find_customer_by_email(company, email).await?;
    let stored = found.as_ref().and_then(|c| c.password_hash.clone());
    // Verified even for an unknown email, so both answer in the same time.
    let verified = check.verify(stored, candidate).await?;
    found.filter(|_| verified).ok_or(ApiError::InvalidCredentials)
}

async fn verified_customer(
    state: &AppState,
    company: CompanyId,
    identity: &IdentitySettings,
    SignedIdentity { user_id, timestamp, user_hash }: SignedIdentity,
    name: Option<PersonName>,
) -> ApiResult<Customer> {
    let Some(secret) = &identity.secret else {
        return Err(ApiError::UnauthorizedBecause {
            reason: "identity_not_configured",
            message: "this company has not set an identity secret".to_owned(),
        });
    };
    identity::verify(secret, &user_id, timestamp, &user_hash, Utc::now().timestamp()).map_err(
        |e| {
            let (reason, message) = match e {
                identity::IdentityError::Stale => {
                    ("identity_stale", "the signed user id has expired; sign it again")
                }
                identity::IdentityError::BadHash => {
                    ("identity_invalid", "the user hash does not match")
                }
            };
            ApiError::UnauthorizedBecause { reason, message: message.to_owned() }
        },
    )?;
    if let Some(c) = state.db.find_customer_by_external_id(company, &user_id).await? {
        return Ok(c);
    }
    // The signature covers the user id only. An email sent beside it is the page's claim,
    // not the company's: storing it would let anyone attach any address to a verified
    // customer, so it is ignored.
    let new = NewCustomer {
        id: CustomerId::new(),
        email: None,
        name: name.map(String::from),
        external_id: Some(user_id.clone()),
        password_hash: None,
    };
    match state.db.create_customer(company, new, Utc::now()).await {
        Ok(c) => Ok(c),
        // Two first visits at once: the other request created the customer; use it.
        Err(StorageError::Conflict { .. }) => {
            state.db.find_customer_by_external_id(company, &user_id).await?.ok_or_else(|| {
                ApiError::Conflict("this customer is being created; retry".to_owned())
            })
        }
        Err(e) => Err(e.into()),
    }
}
