//! End customers: anonymous or identified, looked up by email or site id within a company.

use crate::data::{self, assert_conflict, assert_not_found, email, name};
use chrono::Duration;
use switchboard_domain::CustomerId;
use switchboard_storage::{Backend, Customer, NewCustomer};

fn customer(email_raw: Option<&str>, external_id: Option<&str>) -> NewCustomer {
    NewCustomer {
        id: CustomerId::new(),
        email: email_raw.map(email),
        name: None,
        external_id: external_id.map(str::to_owned),
        password_hash: None,
    }
}

/// Customers read back as written; `anonymous` is true exactly when neither an email nor an
/// external id identifies them (a name alone does not); lookups by email or external id
/// find only the company's own customers, and another company's read is `NotFound`.
pub async fn customers_story(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let at = now + Duration::minutes(1);

    let anon = NewCustomer::anonymous();
    let stored = backend.create_customer(ca, anon.clone(), at).await.expect("anonymous");
    let expected = Customer {
        id: anon.id,
        company_id: ca,
        email: None,
        name: None,
        external_id: None,
        password_hash: None,
        anonymous: true,
        created_at: at,
    };
    assert_eq!(stored, expected, "{be}: anonymous customer");
    assert_eq!(backend.get_customer(ca, anon.id).await.expect("get"), expected, "{be}");

    let named = NewCustomer { name: Some("Just A. Name".to_owned()), ..NewCustomer::anonymous() };
    let stored = backend.create_customer(ca, named.clone(), at).await.expect("named");
    assert!(stored.anonymous, "{be}: a name alone leaves the customer anonymous");
    assert_eq!(stored.name.as_deref(), Some("Just A. Name"), "{be}: name kept");

    // Registered: email (normalised) and password.
    let carol = NewCustomer {
        name: Some("Carol".to_owned()),
        password_hash: Some(data::PASSWORD_HASH.to_owned()),
        ..customer(Some("Carol@Shop.test"), None)
    };
    let stored = backend.create_customer(ca, carol.clone(), at).await.expect("carol");
    let expected_carol = Customer {
        id: carol.id,
        company_id: ca,
        email: Some("carol@shop.test".to_owned()),
        name: Some("Carol".to_owned()),
        external_id: None,
        password_hash: Some(data::PASSWORD_HASH.to_owned()),
        anonymous: false,
        created_at: at,
    };
    assert_eq!(stored, expected_carol, "{be}: registered customer");

    // Identified by the company's site.
    let dave = customer(None, Some("site-user-42"));
    let stored = backend.create_customer(ca, dave.clone(), at).await.expect("dave");
    let expected_dave = Customer {
        id: dave.id,
        company_id: ca,
        email: None,
        name: None,
        external_id: Some("site-user-42".to_owned()),
        password_hash: None,
        anonymous: false,
        created_at: at,
    };
    assert_eq!(stored, expected_dave, "{be}: site-identified customer");
    assert_eq!(backend.get_customer(ca, dave.id).await.expect("get"), expected_dave, "{be}");

    // Lookups, scoped by company.
    let by_email = backend.find_customer_by_email(ca, &email("CAROL@shop.test")).await;
    assert_eq!(by_email.expect("by email"), Some(expected_carol), "{be}: carol by email");
    let by_ext = backend.find_customer_by_external_id(ca, "site-user-42").await;
    assert_eq!(by_ext.expect("by external id"), Some(expected_dave), "{be}: dave by site id");
    let in_b = backend.find_customer_by_email(cb, &email("carol@shop.test")).await;
    assert!(in_b.expect("by email in b").is_none(), "{be}: carol found via b");
    let in_b = backend.find_customer_by_external_id(cb, "site-user-42").await;
    assert!(in_b.expect("by external id in b").is_none(), "{be}: dave found via b");
    let nobody = backend.find_customer_by_email(ca, &email("nobody@shop.test")).await;
    assert!(nobody.expect("unknown email").is_none(), "{be}: unknown email");
    let nobody = backend.find_customer_by_external_id(ca, "site-user-43").await;
    assert!(nobody.expect("unknown external id").is_none(), "{be}: unknown external id");
    // External ids are the site's opaque strings: compared exactly, case included.
    let other_case = backend.find_customer_by_external_id(ca, "SITE-USER-42").await;
    assert!(other_case.expect("other case").is_none(), "{be}: external id case-sensitive");

    assert_not_found(backend, "a's customer via b", backend.get_customer(cb, carol.id).await);
    assert_not_found(backend, "a's anonymous via b", backend.get_customer(cb, anon.id).await);
    assert_not_found(
        backend,
        "unknown customer",
        backend.get_customer(ca, CustomerId::new()).await,
    );
}

/// A second customer with the same email, or the same external id, in one company is a
/// named `Conflict` and is not written; another company may reuse both; any number of
/// anonymous customers coexist.
pub async fn duplicate_customers_conflict(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);

    let carol = customer(Some("carol@shop.test"), None);
    backend.create_customer(ca, carol.clone(), now).await.expect("carol");
    let dave = customer(None, Some("site-user-42"));
    backend.create_customer(ca, dave.clone(), now).await.expect("dave");

    let dup = customer(Some("CAROL@shop.test"), None);
    let result = backend.create_customer(ca, dup.clone(), now).await;
    assert_conflict(backend, "duplicate email", "customers_company_email", result);
    assert_not_found(backend, "refused email dup", backend.get_customer(ca, dup.id).await);

    let dup = customer(None, Some("site-user-42"));
    let result = backend.create_customer(ca, dup.clone(), now).await;
    assert_conflict(backend, "duplicate external id", "customers_company_external", result);
    assert_not_found(backend, "refused external dup", backend.get_customer(ca, dup.id).await);

    // A new email with a taken external id is still refused for the external id.
    let dup = customer(Some("erin@shop.test"), Some("site-user-42"));
    let result = backend.create_customer(ca, dup.clone(), now).await;
    assert_conflict(backend, "taken external id", "customers_company_external", result);
    let erin = backend.find_customer_by_email(ca, &email("erin@shop.test")).await;
    assert!(erin.expect("find erin").is_none(), "{be}: refused customer left no row");

    // The originals are untouched and still the ones found.
    let found = backend.find_customer_by_email(ca, &email("carol@shop.test")).await;
    assert_eq!(found.expect("carol").map(|c| c.id), Some(carol.id), "{be}: carol kept");
    let found = backend.find_customer_by_external_id(ca, "site-user-42").await;
    assert_eq!(found.expect("dave").map(|c| c.id), Some(dave.id), "{be}: dave kept");

    // Company b may use the same email and external id.
    let b_carol = customer(Some("carol@shop.test"), Some("site-user-42"));
    let theirs = backend.create_customer(cb, b_carol.clone(), now).await.expect("b's carol");
    assert_eq!((theirs.id, theirs.company_id), (b_carol.id, cb), "{be}: b's customer");
    let found = backend.find_customer_by_email(cb, &email("carol@shop.test")).await;
    assert_eq!(found.expect("in b").map(|c| c.id), Some(b_carol.id), "{be}: b's carol");
    let found = backend.find_customer_by_external_id(cb, "site-user-42").await;
    assert_eq!(found.expect("in b").map(|c| c.id), Some(b_carol.id), "{be}: b's site user");

    // Anonymous customers have nothing unique to clash on.
    for n in 0..3 {
        let anon = backend.create_customer(ca, NewCustomer::anonymous(), now).await;
        assert!(anon.unwrap_or_else(|e| panic!("{be}: anonymous {n}: {e}")).anonymous, "{be}");
    }
}
