//! FAQs: create, read, page, replace (phrasings included), delete, the phrasings the matcher
//! loads, and company scoping.

use crate::data::{self, assert_not_found, bits, name};
use chrono::Duration;
use switchboard_domain::{Cursor, FaqId, PageLimit};
use switchboard_storage::{Backend, Faq, FaqContent, IndexedPhrasing, PageRequest};

/// (faq, text, vector bits, model) of a phrasing, comparable exactly.
type Shown = (FaqId, String, Option<Vec<u32>>, Option<String>);

fn view(p: &[IndexedPhrasing]) -> Vec<Shown> {
    p.iter()
        .map(|p| {
            (p.faq_id, p.text.clone(), p.embedding.as_deref().map(bits), p.embedding_model.clone())
        })
        .collect()
}

/// What `faq_phrasings` should return for one FAQ written with `content` and `model`.
fn expected(faq: FaqId, content: &FaqContent, dims: usize, model: Option<&str>) -> Vec<Shown> {
    data::phrasings(content, dims)
        .into_iter()
        .map(|p| {
            let model = p.embedding.as_ref().and(model).map(str::to_owned);
            (faq, p.text, p.embedding.as_deref().map(bits), model)
        })
        .collect()
}

/// An FAQ reads back as written, pages by id, is replaced whole by an update (its old
/// phrasings gone), hides its phrasings while disabled, and is gone once deleted.
pub async fn faqs_story(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let company = acme.company.id;

    let mut faqs: Vec<Faq> = Vec::new();
    for (i, question) in ["Refunds?", "Shipping?", "Hours?"].iter().enumerate() {
        let content = data::faq_content(question, &["Money back?", "Can I return it?"]);
        let phrasings = data::phrasings(&content, 4 * i);
        let id = FaqId::new();
        let faq = backend.create_faq(company, id, content.clone(), phrasings, Some("m1"), now);
        let faq = faq.await.unwrap_or_else(|e| panic!("{be}: create_faq: {e}"));
        let want = Faq {
            id,
            company_id: company,
            question: content.question,
            answer: content.answer,
            variants: content.variants,
            category: content.category,
            tags: content.tags,
            enabled: true,
            created_at: now,
            updated_at: now,
        };
        assert_eq!(faq, want, "{be}: created FAQ");
        assert_eq!(backend.get_faq(company, id).await.unwrap(), want, "{be}: read back");
        faqs.push(faq);
    }

    let two = PageLimit::parse(2).unwrap();
    let first = backend.list_faqs(company, PageRequest { limit: two, after: None }).await.unwrap();
    assert_eq!(first.items, faqs[..2], "{be}: first page");
    let cursor = Cursor::parse(first.next_cursor.as_deref().expect("more")).unwrap();
    let rest = backend.list_faqs(company, PageRequest { limit: two, after: Some(cursor) });
    let rest = rest.await.unwrap();
    assert_eq!((rest.items.as_slice(), rest.next_cursor), (&faqs[2..], None), "{be}: last page");

    // Question then variants, per FAQ, FAQs by id; vectors bit for bit; no vector, no model.
    let all: Vec<_> = faqs
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            expected(
                f.id,
                &data::faq_content(&f.question, &["Money back?", "Can I return it?"]),
                4 * i,
                Some("m1"),
            )
        })
        .collect();
    assert_eq!(view(&backend.faq_phrasings(company).await.unwrap()), all, "{be}");

    // Replace the second: new question, one variant, disabled; a new model.
    let t1 = now + Duration::seconds(1);
    let target = faqs[1].id;
    let content = FaqContent { enabled: false, ..data::faq_content("Delivery times?", &["When?"]) };
    let replaced = backend.update_faq(
        company,
        target,
        content.clone(),
        data::phrasings(&content, 3),
        Some("m2"),
        t1,
    );
    let replaced = replaced.await.unwrap();
    assert_eq!(
        (replaced.question.as_str(), replaced.variants.as_slice()),
        ("Delivery times?", &["When?".to_owned()][..])
    );
    assert_eq!(
        (replaced.enabled, replaced.created_at, replaced.updated_at),
        (false, now, t1),
        "{be}"
    );
    let shown = view(&backend.faq_phrasings(company).await.unwrap());
    let without: Vec<_> = all.iter().filter(|p| p.0 != target).cloned().collect();
    assert_eq!(shown, without, "{be}: a disabled FAQ's phrasings are hidden");

    let enabled = FaqContent { enabled: true, ..content };
    let t2 = now + Duration::seconds(2);
    backend
        .update_faq(company, target, enabled.clone(), data::phrasings(&enabled, 3), Some("m2"), t2)
        .await
        .unwrap();
    let shown = view(&backend.faq_phrasings(company).await.unwrap());
    let mut want = expected(
        faqs[0].id,
        &data::faq_content("Refunds?", &["Money back?", "Can I return it?"]),
        0,
        None,
    );
    want.extend(expected(target, &enabled, 3, Some("m2")));
    want.extend(all.iter().filter(|p| p.0 == faqs[2].id).cloned());
    assert_eq!(shown, want, "{be}: the old phrasings were replaced, not added to");

    backend.delete_faq(company, target).await.unwrap();
    assert_not_found(backend, "deleted FAQ", backend.get_faq(company, target).await);
    assert_not_found(backend, "deleted twice", backend.delete_faq(company, target).await);
    let shown = view(&backend.faq_phrasings(company).await.unwrap());
    assert!(shown.iter().all(|p| p.0 != target) && shown.len() == 6, "{be}: {shown:?}");
}

/// Another company's id behaves exactly as a missing one, and changes nothing.
pub async fn faqs_are_invisible_to_other_companies(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let other = data::register(backend, "hello@other.test", "oli@other.test", now).await;
    let (company, stranger) = (acme.company.id, other.company.id);
    let content = data::faq_content("Refunds?", &["Money back?"]);
    let id = FaqId::new();
    let phrasings = data::phrasings(&content, 2);
    let faq = backend.create_faq(company, id, content.clone(), phrasings.clone(), None, now);
    let faq = faq.await.unwrap();

    let t1 = now + Duration::seconds(1);
    assert_not_found(backend, "get", backend.get_faq(stranger, id).await);
    let update = backend.update_faq(stranger, id, content, phrasings, None, t1);
    assert_not_found(backend, "update", update.await);
    assert_not_found(backend, "delete", backend.delete_faq(stranger, id).await);
    assert!(backend.list_faqs(stranger, PageRequest::default()).await.unwrap().items.is_empty());
    assert!(backend.faq_phrasings(stranger).await.unwrap().is_empty(), "{be}");

    assert_eq!(backend.get_faq(company, id).await.unwrap(), faq, "{be}: untouched");
    assert_eq!(backend.faq_phrasings(company).await.unwrap().len(), 2, "{be}");
}
