//! Workflows: create, read (trigger and steps as typed values), page, replace, delete, the
//! enabled set, name uniqueness per company, and company scoping.

use crate::data::{self, assert_conflict, assert_not_found, name};
use chrono::Duration;
use serde_json::json;
use switchboard_domain::{
    CategoryLabel, CompanyId, Cursor, PageLimit, Priority, WorkflowId, WorkflowSpec, WorkflowStep,
    WorkflowTrigger,
};
use switchboard_storage::{Backend, PageRequest, Workflow};

const NAME_TAKEN: &str = "workflows_company_name";

/// A refund workflow using every kind of step, valid for a company with `refund_order`.
pub fn refund_workflow(name: &str) -> WorkflowSpec {
    let arguments = json!({"order": "{{order}}", "reason": ["late", 3]});
    WorkflowSpec {
        name: name.to_owned(),
        description: "Refunds an order.".to_owned(),
        trigger: WorkflowTrigger::Keyword { keywords: vec!["refund".into(), "money back".into()] },
        steps: vec![
            WorkflowStep::Message { content: "Let's sort that out.".into() },
            WorkflowStep::Ask {
                field: "order".into(),
                prompt: "Your order number?".into(),
                pattern: r"\b[0-9]{6}\b".into(),
            },
            WorkflowStep::Tool {
                tool: "refund_order".into(),
                arguments: arguments.as_object().cloned().unwrap_or_default(),
                sensitive: true,
            },
            WorkflowStep::SetPriority { priority: Priority::High },
            WorkflowStep::Handoff { reason: "check the refund".into() },
            WorkflowStep::Close,
        ],
        enabled: true,
    }
}

fn greeting(name: &str, enabled: bool) -> WorkflowSpec {
    WorkflowSpec {
        name: name.to_owned(),
        description: String::new(),
        trigger: WorkflowTrigger::ConversationStart,
        steps: vec![WorkflowStep::Message { content: "Hi!".into() }],
        enabled,
    }
}

async fn create(backend: &dyn Backend, company: CompanyId, spec: WorkflowSpec) -> Workflow {
    let created = backend.create_workflow(company, WorkflowId::new(), spec, data::now()).await;
    created.unwrap_or_else(|e| panic!("{}: create_workflow: {e}", name(backend)))
}

/// A workflow reads back exactly as written, pages by id, is replaced whole by an update,
/// and is gone once deleted; only enabled workflows are offered, oldest first.
pub async fn workflows_story(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let company = data::register(backend, "hello@acme.test", "ann@acme.test", now).await.company.id;

    let id = WorkflowId::new();
    let spec = refund_workflow("Refunds");
    let created = backend.create_workflow(company, id, spec.clone(), now).await.unwrap();
    let want = Workflow { id, company_id: company, spec, created_at: now, updated_at: now };
    assert_eq!(created, want, "{be}: created workflow");
    assert_eq!(backend.get_workflow(company, id).await.unwrap(), want, "{be}: read back");

    let hello = create(backend, company, greeting("Hello", true)).await;
    let off = create(backend, company, greeting("Dormant", false)).await;
    let two = PageLimit::parse(2).unwrap();
    let first = backend.list_workflows(company, PageRequest { limit: two, after: None });
    let first = first.await.unwrap();
    assert_eq!(first.items, [want.clone(), hello.clone()], "{be}: first page");
    let cursor = Cursor::parse(first.next_cursor.as_deref().expect("more")).unwrap();
    let rest = backend.list_workflows(company, PageRequest { limit: two, after: Some(cursor) });
    let rest = rest.await.unwrap();
    assert_eq!((rest.items, rest.next_cursor), (vec![off.clone()], None), "{be}: last page");
    let enabled = backend.enabled_workflows(company).await.unwrap();
    assert_eq!(enabled, [want.clone(), hello.clone()], "{be}: enabled, oldest first");

    let t1 = now + Duration::seconds(1);
    let category = CategoryLabel::parse("billing").unwrap();
    let replacement = WorkflowSpec {
        name: "Billing".into(),
        trigger: WorkflowTrigger::Category { categories: vec![category] },
        steps: vec![WorkflowStep::Close],
        enabled: false,
        ..refund_workflow("x")
    };
    let replaced = backend.update_workflow(company, id, replacement.clone(), t1).await.unwrap();
    assert_eq!(
        (replaced.spec.clone(), replaced.created_at, replaced.updated_at),
        (replacement, now, t1),
        "{be}: replaced"
    );
    assert_eq!(backend.get_workflow(company, id).await.unwrap(), replaced, "{be}");
    assert_eq!(backend.enabled_workflows(company).await.unwrap(), [hello], "{be}");

    backend.delete_workflow(company, id).await.unwrap();
    assert_not_found(backend, "deleted workflow", backend.get_workflow(company, id).await);
    assert_not_found(backend, "deleted twice", backend.delete_workflow(company, id).await);
    let update = backend.update_workflow(company, id, greeting("x", true), t1);
    assert_not_found(backend, "update of a deleted workflow", update.await);
}

/// A second workflow by the same name conflicts, on create and on rename; another company
/// may use the name.
pub async fn duplicate_workflow_names_conflict(backend: &dyn Backend) {
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await.company.id;
    let other = data::register(backend, "hello@other.test", "oli@other.test", now).await.company.id;
    create(backend, acme, greeting("Hello", true)).await;
    let again = backend.create_workflow(acme, WorkflowId::new(), greeting("Hello", false), now);
    assert_conflict(backend, "same name", NAME_TAKEN, again.await);
    let second = create(backend, acme, greeting("Welcome", true)).await;
    let rename = backend.update_workflow(acme, second.id, greeting("Hello", true), now);
    assert_conflict(backend, "rename onto a name", NAME_TAKEN, rename.await);
    assert_eq!(backend.get_workflow(acme, second.id).await.unwrap(), second, "untouched");
    create(backend, other, greeting("Hello", true)).await;
}

/// Another company's id behaves exactly as a missing one, and changes nothing.
pub async fn workflows_are_invisible_to_other_companies(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await.company.id;
    let stranger =
        data::register(backend, "hello@other.test", "oli@other.test", now).await.company.id;
    let workflow = create(backend, acme, refund_workflow("Refunds")).await;

    assert_not_found(backend, "get", backend.get_workflow(stranger, workflow.id).await);
    let update = backend.update_workflow(stranger, workflow.id, greeting("Stolen", true), now);
    assert_not_found(backend, "update", update.await);
    assert_not_found(backend, "delete", backend.delete_workflow(stranger, workflow.id).await);
    let listed = backend.list_workflows(stranger, PageRequest::default()).await.unwrap();
    assert!(listed.items.is_empty(), "{be}");
    assert!(backend.enabled_workflows(stranger).await.unwrap().is_empty(), "{be}");
    assert_eq!(backend.get_workflow(acme, workflow.id).await.unwrap(), workflow, "{be}");
}
