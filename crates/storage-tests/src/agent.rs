//! Agents: onboarding with skills, updates, presence, deactivation and company scoping.

use crate::data::{self, assert_not_found, name};
use chrono::Duration;
use switchboard_domain::{AgentStatus, PageLimit, PersonName, Role, Skill, UserStatus};
use switchboard_storage::{AgentUpdate, Backend, PageRequest};

fn skills(names: &[&str]) -> Vec<Skill> {
    names.iter().map(|s| Skill::parse(s).expect("skill")).collect()
}

/// An agent is created offline with its skills, updated field by field, appears in pages of
/// its own company only, and admins are never agents.
pub async fn agents_story(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let other = data::register(backend, "hello@other.test", "oli@other.test", now).await;
    let company = acme.company.id;

    let mut ids = Vec::new();
    for i in 0..3 {
        let user = data::new_user(&format!("agent{i}@acme.test"), Role::CompanyAgent, true);
        let agent = backend.create_agent(company, user, skills(&["billing", "vip"]), now).await;
        let agent = agent.unwrap_or_else(|e| panic!("{be}: create_agent: {e}"));
        assert_eq!(agent.status, AgentStatus::Offline, "{be}");
        assert_eq!(agent.skills, ["billing", "vip"], "{be}");
        assert_eq!(agent.open_items, 0, "{be}");
        ids.push(agent.user.id);
    }

    let page = PageRequest { limit: PageLimit::parse(2).unwrap(), after: None };
    let first = backend.list_agents(company, page).await.unwrap();
    assert_eq!(first.items.iter().map(|a| a.user.id).collect::<Vec<_>>(), ids[..2], "{be}");
    let cursor =
        switchboard_domain::Cursor::parse(first.next_cursor.as_deref().expect("more")).unwrap();
    let rest = backend.list_agents(
        company,
        PageRequest { limit: PageLimit::parse(2).unwrap(), after: Some(cursor) },
    );
    let rest = rest.await.unwrap();
    assert_eq!(rest.items.len(), 1, "{be}");
    assert!(rest.next_cursor.is_none(), "{be}");
    assert!(
        backend
            .list_agents(other.company.id, PageRequest::default())
            .await
            .unwrap()
            .items
            .is_empty(),
        "{be}"
    );

    let update = AgentUpdate {
        name: Some(PersonName::parse("Renamed").unwrap()),
        email: None,
        skills: Some(skills(&["spanish"])),
        capacity: None,
    };
    let updated = backend.update_agent(company, ids[0], update, now).await.unwrap();
    assert_eq!(updated.user.name, "Renamed", "{be}");
    assert_eq!(updated.user.email, "agent0@acme.test", "{be}: untouched fields stay");
    assert_eq!(updated.skills, ["spanish"], "{be}");

    assert_not_found(backend, "admin as agent", backend.get_agent(company, acme.admin.id).await);
    assert_not_found(
        backend,
        "other company's agent",
        backend.get_agent(other.company.id, ids[0]).await,
    );
    let foreign = backend.update_agent(other.company.id, ids[0], AgentUpdate::default(), now).await;
    assert_not_found(backend, "update across companies", foreign);
}

/// Presence is set by the agent and swept to offline when the agent goes silent;
/// deactivation blocks the account and sets it offline.
pub async fn agent_presence_and_deactivation(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let other = data::register(backend, "hello@other.test", "oli@other.test", now).await;
    let company = acme.company.id;
    let user = data::new_user("pat@acme.test", Role::CompanyAgent, false);
    let id = backend.create_agent(company, user, vec![], now).await.unwrap().user.id;

    let online = backend.set_agent_status(company, id, AgentStatus::Online, now).await.unwrap();
    assert_eq!(online.status, AgentStatus::Online, "{be}");
    assert_eq!(online.last_seen_at, Some(now), "{be}");
    let foreign = backend.set_agent_status(other.company.id, id, AgentStatus::Busy, now).await;
    assert_not_found(backend, "status across companies", foreign);

    let later = now + Duration::minutes(3);
    backend.touch_agent(company, id, later).await.unwrap();
    assert_eq!(
        backend.mark_absent_agents_offline(later - Duration::seconds(1)).await.unwrap(),
        vec![],
        "{be}"
    );
    assert_eq!(
        backend.mark_absent_agents_offline(later + Duration::seconds(1)).await.unwrap(),
        vec![(company, id)],
        "{be}: the sweep names whom it set offline"
    );
    assert_eq!(backend.get_agent(company, id).await.unwrap().status, AgentStatus::Offline, "{be}");

    backend.set_agent_status(company, id, AgentStatus::Online, later).await.unwrap();
    assert_eq!(
        backend.deactivate_agent(company, id, later).await.unwrap(),
        0,
        "{be}: nothing was open"
    );
    let gone = backend.get_agent(company, id).await.unwrap();
    assert_eq!(gone.user.status, UserStatus::Deactivated, "{be}");
    assert_eq!(gone.status, AgentStatus::Offline, "{be}");
    assert_not_found(
        backend,
        "deactivate across companies",
        backend.deactivate_agent(other.company.id, id, later).await,
    );
}
