//! Per-company settings: the identity-verification secret and whether it is required.

use crate::data::{self, assert_not_found, name};
use chrono::Duration;
use switchboard_domain::CompanyId;
use switchboard_storage::{Backend, IdentitySettings};

/// Registration leaves identity verification off with no secret; setting it reads back
/// exactly, touches no other company, and can be switched off again. An unknown company is
/// `NotFound` for both reading and writing.
pub async fn identity_settings_story(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let off = IdentitySettings { secret: None, required: false };

    for company in [ca, cb] {
        let got = backend.get_identity_settings(company).await.expect("default settings");
        assert_eq!(got, off, "{be}: default after registration");
    }

    let on = IdentitySettings { secret: Some("whsec_0123456789abcdef".to_owned()), required: true };
    let t1 = now + Duration::minutes(1);
    backend.set_identity_settings(ca, on.clone(), t1).await.expect("set");
    assert_eq!(backend.get_identity_settings(ca).await.expect("get a"), on, "{be}: a's set");
    let theirs = backend.get_identity_settings(cb).await.expect("get b");
    assert_eq!(theirs, off, "{be}: b untouched by a's change");

    // A secret without enforcement, then everything off again.
    let optional = IdentitySettings { secret: Some("rotated".to_owned()), required: false };
    backend.set_identity_settings(ca, optional.clone(), t1).await.expect("set optional");
    let got = backend.get_identity_settings(ca).await.expect("get optional");
    assert_eq!(got, optional, "{be}: secret kept, not required");
    backend.set_identity_settings(ca, off.clone(), t1).await.expect("set off");
    assert_eq!(backend.get_identity_settings(ca).await.expect("get off"), off, "{be}: off");

    let unknown = CompanyId::new();
    let result = backend.set_identity_settings(unknown, on.clone(), t1).await;
    assert_not_found(backend, "set on unknown company", result);
    assert_not_found(
        backend,
        "get of unknown company",
        backend.get_identity_settings(unknown).await,
    );
    let theirs = backend.get_identity_settings(cb).await.expect("get b again");
    assert_eq!(theirs, off, "{be}: b untouched by the refused write");
}
