//! Tools: create, read, page, replace, delete, lookup by name, the enabled set, name
//! uniqueness per company, and company scoping.

use crate::data::{self, assert_conflict, assert_not_found, name};
use chrono::Duration;
use serde_json::json;
use switchboard_domain::{CompanyId, Cursor, PageLimit, ToolId, ToolKind, ToolName, ToolSpec};
use switchboard_storage::{Backend, PageRequest, Tool};

const NAME_TAKEN: &str = "custom_tools_company_name";

/// A webhook tool named `name`, enabled, with one masked header.
pub fn webhook(name: &str) -> ToolSpec {
    ToolSpec {
        name: ToolName::parse(name).expect("tool name"),
        description: format!("Calls {name}."),
        kind: ToolKind::Webhook,
        parameters: json!({"type": "object", "properties": {"order": {"type": "string"}},
                           "required": ["order"]}),
        config: json!({"url": "https://api.example.com/hook", "method": "POST",
                       "headers": {"Authorization": "********"}, "timeoutMs": 5000}),
        requires_approval: true,
        enabled: true,
    }
}

fn function(name: &str, enabled: bool) -> ToolSpec {
    ToolSpec {
        kind: ToolKind::Function,
        config: json!({"script": "`order ${args.order}`"}),
        requires_approval: false,
        enabled,
        ..webhook(name)
    }
}

async fn create(backend: &dyn Backend, company: CompanyId, spec: ToolSpec) -> Tool {
    let secrets = (spec.kind == ToolKind::Webhook).then(|| "v1:sealed".to_owned());
    let created = backend.create_tool(company, ToolId::new(), spec, secrets, data::now()).await;
    created.unwrap_or_else(|e| panic!("{}: create_tool: {e}", name(backend)))
}

/// A tool reads back as written (JSON and sealed secrets included), pages by id, is found by
/// name, is replaced whole by an update, and is gone once deleted; only enabled tools are
/// offered, by name.
pub async fn tools_story(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let company = data::register(backend, "hello@acme.test", "ann@acme.test", now).await.company.id;

    let id = ToolId::new();
    let spec = webhook("refund_order");
    let created = backend.create_tool(company, id, spec.clone(), Some("v1:abc".into()), now);
    let created = created.await.unwrap();
    let want = Tool {
        id,
        company_id: company,
        spec: spec.clone(),
        secrets: Some("v1:abc".into()),
        created_at: now,
        updated_at: now,
    };
    assert_eq!(created, want, "{be}: created tool");
    assert_eq!(backend.get_tool(company, id).await.unwrap(), want, "{be}: read back");
    assert_eq!(backend.tool_by_name(company, "refund_order").await.unwrap(), want, "{be}");
    assert_not_found(backend, "unknown name", backend.tool_by_name(company, "nope").await);

    let lookup = create(backend, company, function("lookup_order", true)).await;
    let hidden = create(backend, company, function("archived_tool", false)).await;
    let two = PageLimit::parse(2).unwrap();
    let first = backend.list_tools(company, PageRequest { limit: two, after: None }).await.unwrap();
    assert_eq!(first.items, [want.clone(), lookup.clone()], "{be}: first page, oldest first");
    let cursor = Cursor::parse(first.next_cursor.as_deref().expect("more")).unwrap();
    let rest = backend.list_tools(company, PageRequest { limit: two, after: Some(cursor) });
    let rest = rest.await.unwrap();
    assert_eq!((rest.items, rest.next_cursor), (vec![hidden.clone()], None), "{be}: last page");

    let enabled: Vec<String> = backend
        .enabled_tools(company)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.spec.name.as_str().to_owned())
        .collect();
    assert_eq!(enabled, ["lookup_order", "refund_order"], "{be}: enabled tools, by name");
    let names = backend.tool_names(company).await.unwrap();
    assert_eq!(names, ["archived_tool", "lookup_order", "refund_order"], "{be}: every name");

    // Replace: rename, turn into a function (its secrets dropped), disable.
    let t1 = now + Duration::seconds(1);
    let replaced = backend.update_tool(company, id, function("issue_refund", false), None, t1);
    let replaced = replaced.await.unwrap();
    assert_eq!(
        (replaced.spec.clone(), replaced.secrets.clone(), replaced.created_at, replaced.updated_at),
        (function("issue_refund", false), None, now, t1),
        "{be}: replaced"
    );
    assert_eq!(backend.get_tool(company, id).await.unwrap(), replaced, "{be}");
    assert_not_found(backend, "old name", backend.tool_by_name(company, "refund_order").await);
    let enabled = backend.enabled_tools(company).await.unwrap();
    assert_eq!(enabled, [lookup], "{be}: a disabled tool is not offered");

    backend.delete_tool(company, id).await.unwrap();
    assert_not_found(backend, "deleted tool", backend.get_tool(company, id).await);
    assert_not_found(backend, "deleted twice", backend.delete_tool(company, id).await);
    let t2 = now + Duration::seconds(2);
    let update = backend.update_tool(company, id, webhook("x"), None, t2);
    assert_not_found(backend, "update of a deleted tool", update.await);
    assert_eq!(backend.tool_names(company).await.unwrap(), ["archived_tool", "lookup_order"]);
}

/// A second tool by the same name conflicts, on create and on rename, with one constraint
/// name on both engines; another company may use the name.
pub async fn duplicate_tool_names_conflict(backend: &dyn Backend) {
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await.company.id;
    let other = data::register(backend, "hello@other.test", "oli@other.test", now).await.company.id;
    create(backend, acme, webhook("refund_order")).await;
    let again = backend.create_tool(acme, ToolId::new(), function("refund_order", true), None, now);
    assert_conflict(backend, "same name", NAME_TAKEN, again.await);
    let second = create(backend, acme, webhook("lookup_order")).await;
    let rename = backend.update_tool(acme, second.id, webhook("refund_order"), None, now);
    assert_conflict(backend, "rename onto a name", NAME_TAKEN, rename.await);
    assert_eq!(backend.get_tool(acme, second.id).await.unwrap(), second, "untouched");
    create(backend, other, webhook("refund_order")).await;
    assert_eq!(backend.tool_names(acme).await.unwrap(), ["lookup_order", "refund_order"]);
}

/// Another company's id or name behaves exactly as a missing one, and changes nothing.
pub async fn tools_are_invisible_to_other_companies(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await.company.id;
    let stranger =
        data::register(backend, "hello@other.test", "oli@other.test", now).await.company.id;
    let tool = create(backend, acme, webhook("refund_order")).await;

    assert_not_found(backend, "get", backend.get_tool(stranger, tool.id).await);
    assert_not_found(backend, "by name", backend.tool_by_name(stranger, "refund_order").await);
    let update = backend.update_tool(stranger, tool.id, webhook("stolen"), None, now);
    assert_not_found(backend, "update", update.await);
    assert_not_found(backend, "delete", backend.delete_tool(stranger, tool.id).await);
    assert!(backend.list_tools(stranger, PageRequest::default()).await.unwrap().items.is_empty());
    assert!(backend.enabled_tools(stranger).await.unwrap().is_empty(), "{be}");
    assert!(backend.tool_names(stranger).await.unwrap().is_empty(), "{be}");
    assert_eq!(backend.get_tool(acme, tool.id).await.unwrap(), tool, "{be}: untouched");
}
