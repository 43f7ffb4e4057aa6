//! The customer authenticate body as the widget sends it (flat, every way of signing in in
//! one object) and the one way of signing in it is parsed into.

use crate::error::{ApiError, ApiResult};
use serde::Deserialize;
use switchboard_domain::{BoundedText, CompanyId, EmailAddress, PersonName};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerAuthenticateRequest {
    pub company_id: CompanyId,
    email: Option<EmailAddress>,
    password: Option<String>,
    /// The company site's id for its signed-in user; with `timestamp` and `userHash`.
    user_id: Option<String>,
    /// Unix seconds when the site signed the id.
    timestamp: Option<i64>,
    /// hex(HMAC-SHA256(identitySecret, userId + ":" + timestamp)).
    user_hash: Option<String>,
    pub name: Option<PersonName>,
}

/// How a customer signs in; exactly one of these.
pub enum Credentials {
    Signed(SignedIdentity),
    /// A customer registered with the company.
    Password {
        email: EmailAddress,
        password: String,
    },
    Anonymous,
}

/// A user of the company's own site, vouched for by its signature (not yet verified).
pub struct SignedIdentity {
    /// 1 to 200 characters, trimmed.
    pub user_id: String,
    pub timestamp: i64,
    pub user_hash: String,
}

impl CustomerAuthenticateRequest {
    /// Whether the caller tried to sign in with a signed identity (any of its fields sent).
    pub fn is_signed(&self) -> bool {
        self.user_id.is_some() || self.timestamp.is_some() || self.user_hash.is_some()
    }

    /// The one way of signing in the body names: a signed identity if any of its fields is
    /// present (then all three must be), else email and password if an email is present,
    /// else anonymous. A password without an email is ignored, as it always was.
    pub fn credentials(&self) -> ApiResult<Credentials> {
        if self.is_signed() {
            let (Some(user_id), Some(timestamp), Some(user_hash)) =
                (&self.user_id, self.timestamp, &self.user_hash)
            else {
                return Err(ApiError::validation(
                    "userHash",
                    "userId, timestamp and userHash go together",
                ));
            };
            let user_id = BoundedText::parse(user_id, 1, 200)
                .map_err(|m| ApiError::validation("userId", m))?
                .into_inner();
            let user_hash = user_hash.clone();
            return Ok(Credentials::Signed(SignedIdentity { user_id, timestamp, user_hash }));
        }
        match &self.email {
            Some(email) => {
                let password = self
                    .password
                    .clone()
                    .ok_or_else(|| ApiError::validation("password", "is required with email"))?;
                Ok(Credentials::Password { email: email.clone(), password })
            }
            None => Ok(Credentials::Anonymous),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::parse_json;
    use serde_json::{Value, json};

    fn parse(mut body: Value) -> ApiResult<Credentials> {
        body["companyId"] = json!("0192f0c1-0000-7000-8000-000000000000");
        parse_json::<CustomerAuthenticateRequest>(body)?.credentials()
    }

    fn refused(body: Value) -> (String, String) {
        match parse(body) {
            Err(ApiError::Validation(e)) => {
                (e.fields()[0].field.clone(), e.fields()[0].message.clone())
            }
            _ => panic!("expected a validation error"),
        }
    }

    #[test]
    fn each_way_in_is_told_apart_by_its_fields() {
        assert!(matches!(parse(json!({})), Ok(Credentials::Anonymous)));
        assert!(matches!(parse(json!({"password": "ignored"})), Ok(Credentials::Anonymous)));
        let pw = parse(json!({"email": "a@example.com", "password": "pw"}));
        assert!(matches!(pw, Ok(Credentials::Password { password, .. }) if password == "pw"));
        let signed = parse(
            json!({"userId": " u1 ", "timestamp": 5, "userHash": "ab", "email": "a@example.com"}),
        );
        assert!(
            matches!(signed, Ok(Credentials::Signed(s)) if s.user_id == "u1" && s.timestamp == 5)
        );
    }

    #[test]
    fn incomplete_combinations_name_the_same_fields_as_before() {
        let pair = ("userHash".to_owned(), "userId, timestamp and userHash go together".to_owned());
        assert_eq!(refused(json!({"userId": "u1"})), pair);
        assert_eq!(refused(json!({"timestamp": 1, "userHash": "ab"})), pair);
        assert_eq!(refused(json!({"userId": "  ", "timestamp": 1, "userHash": "ab"})).0, "userId");
        let email_only = refused(json!({"email": "a@example.com"}));
        assert_eq!(email_only, ("password".to_owned(), "is required with email".to_owned()));
    }
}
