//! Classification examples: bulk create (all or nothing), read, page, replace, delete, what
//! training loads (vectors bit for bit), the change stamp, and company scoping.

use crate::data::{self, assert_not_found, bits, name};
use chrono::Duration;
use switchboard_domain::{Cursor, ExampleId, PageLimit};
use switchboard_storage::{
    Backend, ClassificationExample, ExamplesStamp, MAX_EXAMPLES_PER_WRITE, NewExample, PageRequest,
    StorageError, TrainingExample,
};

fn example(text: &str, label: &str, dims: usize, seed: usize) -> NewExample {
    NewExample {
        id: ExampleId::new(),
        text: text.to_owned(),
        label: label.to_owned(),
        embedding: (dims > 0).then(|| data::vector(seed, dims)),
    }
}

/// (text, label, vector bits, model) of what training loads, comparable exactly.
type Loaded = (String, String, Option<Vec<u32>>, Option<String>);

fn loaded(all: &[TrainingExample]) -> Vec<Loaded> {
    all.iter()
        .map(|e| {
            let v = e.embedding.as_deref().map(bits);
            (e.text.clone(), e.label.clone(), v, e.embedding_model.clone())
        })
        .collect()
}

fn want(e: &NewExample, model: Option<&str>) -> Loaded {
    let model = e.embedding.as_ref().and(model).map(str::to_owned);
    (e.text.clone(), e.label.clone(), e.embedding.as_deref().map(bits), model)
}

/// Examples read back as written, page by id, are replaced whole by an update, load for
/// training with their vectors, and the stamp moves with every change but a re-embedding.
pub async fn classification_examples_story(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let company = acme.company.id;
    let empty = backend.examples_stamp(company).await.unwrap();
    assert_eq!(empty, ExamplesStamp { examples: 0, changed_at: None }, "{be}: no examples");

    let batch = vec![
        example("Is my kettle under warranty?", "warranty", 4, 0),
        example("Where is my parcel?", "shipping", 4, 1),
        example("The invoice is wrong", "billing", 0, 2),
    ];
    let created = backend.create_examples(company, batch.clone(), Some("m1"), now).await;
    let created = created.unwrap_or_else(|e| panic!("{be}: create_examples: {e}"));
    let expected: Vec<ClassificationExample> = batch
        .iter()
        .map(|e| ClassificationExample {
            id: e.id,
            company_id: company,
            text: e.text.clone(),
            label: e.label.clone(),
            created_at: now,
            updated_at: now,
        })
        .collect();
    assert_eq!(created, expected, "{be}: created");
    for e in &expected {
        assert_eq!(&backend.get_example(company, e.id).await.unwrap(), e, "{be}: read back");
    }
    let stamp = backend.examples_stamp(company).await.unwrap();
    assert_eq!(stamp, ExamplesStamp { examples: 3, changed_at: Some(now) }, "{be}");

    let two = PageLimit::parse(2).unwrap();
    let first = backend.list_examples(company, PageRequest { limit: two, after: None });
    let first = first.await.unwrap();
    assert_eq!(first.items, expected[..2], "{be}: first page");
    let cursor = Cursor::parse(first.next_cursor.as_deref().expect("more")).unwrap();
    let rest = backend.list_examples(company, PageRequest { limit: two, after: Some(cursor) });
    let rest = rest.await.unwrap();
    assert_eq!((rest.items.as_slice(), rest.next_cursor), (&expected[2..], None), "{be}");

    // Oldest first, vectors bit for bit, no vector no model.
    let all = backend.list_all_examples(company).await.unwrap();
    let mut training: Vec<Loaded> = batch.iter().map(|e| want(e, Some("m1"))).collect();
    assert_eq!(loaded(&all), training, "{be}: training rows");
    assert_eq!(
        all.iter().map(|e| e.id).collect::<Vec<_>>(),
        batch.iter().map(|e| e.id).collect::<Vec<_>>()
    );

    // Replace the second: new text, label and vector from another model.
    let t1 = now + Duration::seconds(1);
    let change = NewExample { id: batch[1].id, ..example("Parcel never came", "delivery", 3, 7) };
    let updated = backend.update_example(company, change.clone(), Some("m2"), t1).await.unwrap();
    assert_eq!(
        (updated.text.as_str(), updated.label.as_str(), updated.created_at, updated.updated_at),
        ("Parcel never came", "delivery", now, t1),
        "{be}: updated"
    );
    training[1] = want(&change, Some("m2"));
    assert_eq!(loaded(&backend.list_all_examples(company).await.unwrap()), training, "{be}");
    let stamp = backend.examples_stamp(company).await.unwrap();
    assert_eq!(stamp, ExamplesStamp { examples: 3, changed_at: Some(t1) }, "{be}: update");

    // A re-embedding changes the vectors but not the stamp; a vanished id is skipped.
    let vectors = vec![(batch[2].id, data::vector(9, 5)), (ExampleId::new(), data::vector(1, 5))];
    backend.store_example_vectors(company, vectors, "m3").await.unwrap();
    training[2] = (
        batch[2].text.clone(),
        "billing".into(),
        Some(bits(&data::vector(9, 5))),
        Some("m3".into()),
    );
    assert_eq!(loaded(&backend.list_all_examples(company).await.unwrap()), training, "{be}");
    assert_eq!(backend.examples_stamp(company).await.unwrap(), stamp, "{be}: stamp unmoved");

    backend.delete_example(company, batch[0].id).await.unwrap();
    assert_not_found(backend, "deleted", backend.get_example(company, batch[0].id).await);
    assert_not_found(backend, "deleted twice", backend.delete_example(company, batch[0].id).await);
    let after = backend.examples_stamp(company).await.unwrap();
    assert_eq!(after, ExamplesStamp { examples: 2, changed_at: Some(t1) }, "{be}: delete");
    assert_eq!(backend.list_all_examples(company).await.unwrap().len(), 2, "{be}");
}

/// An import that fails part-way (an id already taken) or is too large stores nothing.
pub async fn example_imports_are_all_or_nothing(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let company = acme.company.id;
    let first = example("Where is my parcel?", "shipping", 4, 1);
    backend.create_examples(company, vec![first.clone()], Some("m1"), now).await.unwrap();

    let clash = NewExample { id: first.id, ..example("Again", "shipping", 4, 2) };
    let batch = vec![example("A", "billing", 4, 3), clash];
    match backend.create_examples(company, batch, Some("m1"), now).await {
        Err(StorageError::Conflict { .. }) => {}
        other => panic!("{be}: a taken id must conflict, got {other:?}"),
    }
    let too_many: Vec<NewExample> =
        (0..=MAX_EXAMPLES_PER_WRITE).map(|i| example(&format!("t{i}"), "billing", 0, i)).collect();
    let refused = backend.create_examples(company, too_many, None, now).await;
    assert!(refused.is_err(), "{be}: more than {MAX_EXAMPLES_PER_WRITE} at once is refused");
    assert_eq!(backend.examples_stamp(company).await.unwrap().examples, 1, "{be}: nothing added");

    let most: Vec<NewExample> = (0..MAX_EXAMPLES_PER_WRITE)
        .map(|i| example(&format!("text {i}"), "billing", 8, i))
        .collect();
    let created = backend.create_examples(company, most.clone(), Some("m1"), now).await.unwrap();
    assert_eq!(created.len(), MAX_EXAMPLES_PER_WRITE, "{be}");
    let all = backend.list_all_examples(company).await.unwrap();
    assert_eq!(all.len(), MAX_EXAMPLES_PER_WRITE + 1, "{be}");
    assert_eq!(loaded(&all[1..]), most.iter().map(|e| want(e, Some("m1"))).collect::<Vec<_>>());
}

/// Another company's id behaves exactly as a missing one, and changes nothing.
pub async fn examples_are_invisible_to_other_companies(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let other = data::register(backend, "hello@other.test", "oli@other.test", now).await;
    let (company, stranger) = (acme.company.id, other.company.id);
    let mine = example("Where is my parcel?", "shipping", 4, 1);
    let created = backend.create_examples(company, vec![mine.clone()], Some("m1"), now).await;
    let created = created.unwrap().remove(0);

    let t1 = now + Duration::seconds(1);
    assert_not_found(backend, "get", backend.get_example(stranger, mine.id).await);
    let change = NewExample { id: mine.id, ..example("Hijacked", "billing", 0, 0) };
    assert_not_found(backend, "update", backend.update_example(stranger, change, None, t1).await);
    assert_not_found(backend, "delete", backend.delete_example(stranger, mine.id).await);
    let vectors = vec![(mine.id, data::vector(5, 4))];
    backend.store_example_vectors(stranger, vectors, "evil").await.unwrap();
    let page = backend.list_examples(stranger, PageRequest::default()).await.unwrap();
    assert!(page.items.is_empty(), "{be}: listed to a stranger");
    assert!(backend.list_all_examples(stranger).await.unwrap().is_empty(), "{be}");
    assert_eq!(backend.examples_stamp(stranger).await.unwrap().examples, 0, "{be}");

    assert_eq!(backend.get_example(company, mine.id).await.unwrap(), created, "{be}: untouched");
    let all = backend.list_all_examples(company).await.unwrap();
    assert_eq!(loaded(&all), vec![want(&mine, Some("m1"))], "{be}: vector untouched");
}
