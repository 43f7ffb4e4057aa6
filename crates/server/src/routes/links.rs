//! OpenAPI links from each create to the operations on what it created, so that a client
//! generator, a reader and stateful testing (Schemathesis) can follow a new resource from
//! `POST /x` to `GET`, `PUT` and `DELETE /x/{id}` (and `/x/{id}/…`).
//!
//! They follow from the route table rather than being written per route: every `POST` on a
//! collection that answers 201 with an `id` in `data` links to each operation on a path made
//! of that collection, one `{parameter}` and nothing else templated, with the parameter taken
//! from the new resource's id (`$response.body#/data/id`). A new resource gets its links by
//! being routed the usual way.

use utoipa::openapi::link::Link;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr, Response};

/// Where a created resource's id is in a 201 body: the envelope's `data.id`.
pub const CREATED_ID: &str = "$response.body#/data/id";

/// Adds the links of every create operation in `doc`.
pub fn add_create_links(doc: &mut OpenApi) {
    let targets: Vec<(String, String, String)> = doc
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            operations(item)
                .filter_map(|op| op.operation_id.clone())
                .map(move |id| (path.clone(), id))
        })
        .filter_map(|(path, id)| {
            let (collection, parameter) = split_member_path(&path)?;
            Some((collection, parameter, id))
        })
        .collect();
    let creates: Vec<String> = doc
        .paths
        .paths
        .iter()
        .filter(|(_, item)| created(item).is_some_and(|r| creates_with_id(r, doc)))
        .map(|(path, _)| path.clone())
        .collect();
    for (path, item) in doc.paths.paths.iter_mut() {
        if !creates.contains(path) {
            continue;
        }
        let Some(RefOr::T(created)) =
            item.post.as_mut().and_then(|op| op.responses.responses.get_mut("201"))
        else {
            continue;
        };
        for (collection, parameter, operation_id) in &targets {
            if collection == path {
                let link = Link::builder()
                    .operation_id(operation_id)
                    .parameter(parameter, CREATED_ID)
                    .description(format!("`{parameter}` is the new resource's `data.id`"))
                    .build();
                created.links.insert(operation_id.clone(), link.into());
            }
        }
    }
}

/// The 201 response of the path's `POST`, if it has one.
fn created(item: &PathItem) -> Option<&Response> {
    match item.post.as_ref()?.responses.responses.get("201")? {
        RefOr::T(response) => Some(response),
        RefOr::Ref(_) => None,
    }
}

/// Whether the JSON body of `response` has `data.id`.
fn creates_with_id(response: &Response, doc: &OpenApi) -> bool {
    let Some(RefOr::T(json)) = response.content.get("application/json") else { return false };
    let Some(envelope) = json.schema.as_ref() else { return false };
    property(envelope, "data", doc, 0).is_some_and(|data| property(data, "id", doc, 0).is_some())
}

/// The schema of `name` in an object schema, looking through references and `allOf` (which
/// `#[serde(flatten)]` produces).
fn property<'a>(
    schema: &'a RefOr<Schema>,
    name: &str,
    doc: &'a OpenApi,
    depth: u8,
) -> Option<&'a RefOr<Schema>> {
    if depth > 8 {
        return None;
    }
    match schema {
        RefOr::Ref(r) => {
            let component = r.ref_location.strip_prefix("#/components/schemas/")?;
            property(doc.components.as_ref()?.schemas.get(component)?, name, doc, depth + 1)
        }
        RefOr::T(Schema::Object(object)) => object.properties.get(name),
        RefOr::T(Schema::AllOf(all)) => {
            all.items.iter().find_map(|s| property(s, name, doc, depth + 1))
        }
        RefOr::T(_) => None,
    }
}

fn operations(item: &PathItem) -> impl Iterator<Item = &Operation> {
    [&item.get, &item.put, &item.post, &item.delete, &item.patch].into_iter().flatten()
}

/// `/x/{id}` and `/x/{id}/more` → (`/x`, `id`); anything else (no parameter, or more than
/// one) → `None`.
fn split_member_path(path: &str) -> Option<(String, String)> {
    let start = path.find("/{")?;
    let rest = &path[start + 2..];
    let end = rest.find('}')?;
    let (parameter, tail) = (&rest[..end], &rest[end + 1..]);
    if tail.contains('{') || !(tail.is_empty() || tail.starts_with('/')) {
        return None;
    }
    Some((path[..start].to_owned(), parameter.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::split_member_path;

    #[test]
    fn a_member_path_names_its_collection_and_parameter() {
        let split = |p| split_member_path(p);
        let pair = |c: &str, p: &str| Some((c.to_owned(), p.to_owned()));
        assert_eq!(split("/api/ai/faqs/{faqId}"), pair("/api/ai/faqs", "faqId"));
        assert_eq!(
            split("/api/admin/agents/{agentId}/password-reset"),
            pair("/api/admin/agents", "agentId")
        );
        assert_eq!(split("/api/ai/faqs"), None);
        assert_eq!(split("/api/x/{a}/y/{b}"), None);
        assert_eq!(split("/api/x/{a}.json"), None);
    }
}
