//! Staff accounts created after registration, and password changes.

use crate::data::{self, assert_conflict, assert_not_found, email, name};
use chrono::Duration;
use switchboard_domain::{Role, UserId, UserStatus};
use switchboard_storage::{Backend, CompanyStatus, User};

/// A created account reads back exactly as written (email normalised); a second account
/// with the same email in the same company, in any letter case, is refused by name and
/// leaves nothing behind, while the same email in another company is a separate account.
pub async fn create_user_and_duplicate_email_conflicts(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);

    let later = now + Duration::minutes(5);
    let new = data::new_user("Bob@Acme.test", Role::CompanyAgent, true);
    let created = backend.create_user(ca, new.clone(), later).await.expect("create_user");
    let expected = User {
        id: new.id,
        company_id: ca,
        email: "bob@acme.test".to_owned(),
        name: "Bob Agent".to_owned(),
        role: Role::CompanyAgent,
        status: UserStatus::Active,
        password_hash: data::PASSWORD_HASH.to_owned(),
        must_change_password: true,
        created_at: later,
        updated_at: later,
    };
    assert_eq!(created, expected, "{be}: created user");
    assert_eq!(backend.get_user(ca, new.id).await.expect("get_user"), expected, "{be}");
    let found = backend.find_user_by_email(ca, &email("bob@acme.test")).await;
    assert_eq!(found.expect("find_user_by_email"), Some(expected.clone()), "{be}: by email");

    // Same company, same email in another letter case: refused, nothing written.
    let dup = data::new_user("BOB@acme.TEST", Role::CompanyAdmin, false);
    let result = backend.create_user(ca, dup.clone(), later).await;
    assert_conflict(backend, "duplicate email", "users_company_email", result);
    assert_not_found(backend, "refused user", backend.get_user(ca, dup.id).await);
    // The registered admin's email is taken as well.
    let dup_admin = data::new_user("ann@acme.test", Role::CompanyAgent, false);
    let result = backend.create_user(ca, dup_admin.clone(), later).await;
    assert_conflict(backend, "admin's email", "users_company_email", result);
    assert_not_found(backend, "refused user", backend.get_user(ca, dup_admin.id).await);
    let kept = backend.get_user(ca, new.id).await.expect("first bob");
    assert_eq!(kept, expected, "{be}: first account unchanged by the refusals");

    // Another company may use the same email: a different account, found only there.
    let other = data::new_user("bob@acme.test", Role::CompanyAgent, false);
    let theirs = backend.create_user(cb, other.clone(), later).await.expect("create in b");
    assert_eq!((theirs.id, theirs.company_id), (other.id, cb), "{be}: b's bob");
    assert!(!theirs.must_change_password, "{be}: b's bob keeps its own flag");
    let in_a = backend.find_user_by_email(ca, &email("bob@acme.test")).await.expect("find a");
    let in_b = backend.find_user_by_email(cb, &email("bob@acme.test")).await.expect("find b");
    assert_eq!(in_a.map(|u| u.id), Some(new.id), "{be}: a finds its own bob");
    assert_eq!(in_b.map(|u| u.id), Some(other.id), "{be}: b finds its own bob");
    assert_not_found(backend, "a's bob via b", backend.get_user(cb, new.id).await);
    assert_not_found(backend, "b's bob via a", backend.get_user(ca, other.id).await);
}

/// A password change replaces the hash and the must-change flag and stamps `updated_at`;
/// through another company, or for an unknown id, it is `NotFound` and changes nothing.
pub async fn set_password_changes_hash_and_flag(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb, ann) = (a.company.id, b.company.id, a.admin.id);
    assert!(!a.admin.must_change_password, "{be}: fixture admin starts without the flag");

    let t1 = now + Duration::minutes(1);
    let first_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$first";
    backend.set_password(ca, ann, first_hash, true, t1).await.expect("set_password");
    let changed = backend.get_user(ca, ann).await.expect("get_user");
    let expected = User {
        password_hash: first_hash.to_owned(),
        must_change_password: true,
        updated_at: t1,
        ..a.admin.clone()
    };
    assert_eq!(changed, expected, "{be}: hash, flag and updated_at changed, nothing else");

    let t2 = now + Duration::minutes(2);
    let second_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$second";
    backend.set_password(ca, ann, second_hash, false, t2).await.expect("set_password again");
    let changed = backend.get_user(ca, ann).await.expect("get_user");
    assert_eq!(
        (changed.password_hash.as_str(), changed.must_change_password, changed.updated_at),
        (second_hash, false, t2),
        "{be}: second change"
    );
    assert_eq!(changed.created_at, now, "{be}: created_at kept");

    // Another company's user, and an id nobody has: NotFound, and no effect.
    let t3 = now + Duration::minutes(3);
    let via_b = backend.set_password(cb, ann, "$argon2id$stolen", true, t3).await;
    assert_not_found(backend, "a's admin via b", via_b);
    let unknown = backend.set_password(ca, UserId::new(), "$argon2id$x", true, t3).await;
    assert_not_found(backend, "unknown user", unknown);
    let after = backend.get_user(ca, ann).await.expect("get_user");
    assert_eq!(after, changed, "{be}: refused changes left a's admin alone");
    let gus = backend.get_user(cb, b.admin.id).await.expect("b's admin");
    assert_eq!(gus, b.admin, "{be}: b's admin untouched");
}

/// Looking an email up across companies finds active accounts of active companies only,
/// in a stable order and at most the limit: one match, two, none after a deactivation or
/// a suspension.
pub async fn active_users_are_found_by_email_across_companies(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let tag = UserId::new().as_uuid().simple().to_string();
    let only = email(&format!("only-{tag}@example.test"));
    let both = email(&format!("both-{tag}@example.test"));
    let mine =
        backend.create_user(ca, data::new_user(only.as_str(), Role::CompanyAgent, false), now);
    let mine = mine.await.expect("create only");
    for company in [ca, cb] {
        let user = data::new_user(both.as_str(), Role::CompanyAgent, false);
        backend.create_user(company, user, now).await.expect("create both");
    }

    let found = backend.find_active_users_by_email_anywhere(&only, 2).await.expect("only");
    assert_eq!(found, vec![mine.clone()], "{be}: the one account");
    let found = backend.find_active_users_by_email_anywhere(&both, 2).await.expect("both");
    assert_eq!(found.len(), 2, "{be}: one per company");
    assert!(found[0].id.as_uuid() < found[1].id.as_uuid(), "{be}: ordered by id");
    let found = backend.find_active_users_by_email_anywhere(&both, 1).await.expect("limit");
    assert_eq!(found.len(), 1, "{be}: at most the limit");
    let nobody = email(&format!("nobody-{tag}@example.test"));
    let found = backend.find_active_users_by_email_anywhere(&nobody, 2).await.expect("none");
    assert!(found.is_empty(), "{be}: no such account");

    backend.deactivate_agent(ca, mine.id, now).await.expect("deactivate");
    let found = backend.find_active_users_by_email_anywhere(&only, 2).await.expect("after");
    assert!(found.is_empty(), "{be}: a deactivated account is not found");
    backend.set_company_status(cb, CompanyStatus::Suspended, now).await.expect("suspend");
    let found = backend.find_active_users_by_email_anywhere(&both, 2).await.expect("suspended");
    assert_eq!(found.iter().map(|u| u.company_id).collect::<Vec<_>>(), [ca], "{be}: b suspended");
}
