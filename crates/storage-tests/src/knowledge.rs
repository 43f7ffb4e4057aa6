//! Knowledge documents: upload with its indexing job, paging, revision-guarded indexing,
//! chunks and passages, deletion, the change stamp and company scoping.

use crate::data::{self, assert_not_found, bits, name};
use chrono::{Duration, Utc};
use std::time::Instant;
use switchboard_domain::{
    ChunkId, Cursor, DocumentFormat, DocumentId, DocumentStatus, FaqId, JobId, PageLimit,
};
use switchboard_storage::{
    Backend, DocumentUpdate, FaqContent, KnowledgeStamp, NewContent, NewPassage, PageRequest,
};

const INDEX_DOCUMENT: &str = "index_document";

fn retitle(title: &str, at: chrono::DateTime<Utc>) -> DocumentUpdate {
    DocumentUpdate {
        title: Some(title.to_owned()),
        content: None,
        job_id: JobId::new(),
        updated_at: at,
    }
}

fn new_content(text: &str, job_id: JobId, at: chrono::DateTime<Utc>) -> DocumentUpdate {
    let content = NewContent {
        format: DocumentFormat::Text,
        content: text.to_owned(),
        source_name: Some("v2.txt".to_owned()),
    };
    DocumentUpdate { title: None, content: Some(content), job_id, updated_at: at }
}

/// The children of `passages` in reading order, as `indexed_chunks` should return them.
fn children_of(passages: &[NewPassage]) -> Vec<ChunkId> {
    passages.iter().flat_map(|p| p.children.iter().map(|c| c.id)).collect()
}

/// Upload stores the document as processing with its job queued; it reads back whole, pages
/// by id, and an edit with new content queues another job while a title-only edit does not.
pub async fn documents_story(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let other = data::register(backend, "hello@other.test", "oli@other.test", now).await;
    let company = acme.company.id;

    let mut created = Vec::new();
    for i in 0..3 {
        let new = data::new_document(&format!("Guide {i}"), "Returns take **30** days.", now);
        let doc = backend.create_document(company, new.clone()).await;
        let doc = doc.unwrap_or_else(|e| panic!("{be}: create_document: {e}"));
        assert_eq!((doc.id, doc.company_id), (new.id, company), "{be}");
        assert_eq!((doc.title.as_str(), doc.format), (new.title.as_str(), new.format), "{be}");
        assert_eq!(doc.source_name, new.source_name, "{be}");
        assert_eq!(
            (doc.status, doc.error.as_deref(), doc.chunk_count),
            (DocumentStatus::Processing, None, 0),
            "{be}"
        );
        assert_eq!((doc.created_at, doc.updated_at), (now, now), "{be}");
        created.push(doc);
    }
    assert_eq!(backend.pending_jobs(company).await.unwrap(), 3, "{be}: one job per upload");
    assert_eq!(backend.pending_jobs(other.company.id).await.unwrap(), 0, "{be}");

    let full = backend.get_document(company, created[0].id).await.unwrap();
    assert_eq!(full.summary, created[0], "{be}");
    assert_eq!(full.content, "Returns take **30** days.", "{be}");

    let two = PageLimit::parse(2).unwrap();
    let first = backend.list_documents(company, PageRequest { limit: two, after: None }).await;
    let first = first.unwrap();
    assert_eq!(first.items, created[..2], "{be}: first page, oldest first");
    let cursor = Cursor::parse(first.next_cursor.as_deref().expect("more")).unwrap();
    let rest = backend.list_documents(company, PageRequest { limit: two, after: Some(cursor) });
    let rest = rest.await.unwrap();
    assert_eq!(rest.items, created[2..], "{be}: second page");
    assert!(rest.next_cursor.is_none(), "{be}: last page");

    // The job queued with the first upload names its document.
    let lease = now + Duration::minutes(5);
    let job = backend.claim_job(&[INDEX_DOCUMENT], 5, now, lease).await.unwrap().expect("a job");
    assert_eq!((job.kind.as_str(), job.company_id), (INDEX_DOCUMENT, company), "{be}");
    assert_eq!(job.payload, serde_json::json!({ "documentId": created[0].id.to_string() }));

    // New content: processing again, with a new job under the update's id.
    let t1 = now + Duration::seconds(1);
    let job_id = JobId::new();
    let edited = backend.update_document(company, created[1].id, new_content("v2", job_id, t1));
    let edited = edited.await.unwrap();
    assert_eq!((edited.status, edited.updated_at), (DocumentStatus::Processing, t1), "{be}");
    assert_eq!(edited.title, "Guide 1", "{be}: no title given, title kept");
    assert_eq!(
        (edited.format, edited.source_name.as_deref()),
        (DocumentFormat::Text, Some("v2.txt"))
    );
    assert_eq!(backend.get_document(company, created[1].id).await.unwrap().content, "v2", "{be}");
    assert_eq!(backend.pending_jobs(company).await.unwrap(), 4, "{be}: new content queues");

    // Title only, on an indexed document: the index stays, no job is queued.
    let doc = created[2].id;
    let passages = data::passages(1, 2, 0);
    assert!(backend.complete_indexing(company, doc, now, None, passages, t1).await.unwrap());
    let t2 = now + Duration::seconds(2);
    let renamed = backend.update_document(company, doc, retitle("Returns", t2)).await.unwrap();
    assert_eq!((renamed.title.as_str(), renamed.updated_at), ("Returns", t2), "{be}");
    assert_eq!((renamed.status, renamed.chunk_count), (DocumentStatus::Ready, 2), "{be}");
    assert_eq!(backend.pending_jobs(company).await.unwrap(), 4, "{be}: title only, no job");
}

/// Indexing lands only on the revision it read: chunks replace the old ones, the document
/// turns ready with its child count, vectors come back bit for bit, passages in the order
/// asked; a run for an older revision, or a failure reported for one, changes nothing.
pub async fn indexing_lands_only_on_its_revision(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let company = acme.company.id;
    let new = data::new_document("Shipping", "We ship worldwide.", now);
    let id = new.id;
    backend.create_document(company, new).await.unwrap();

    let stale = now - Duration::seconds(1);
    let t1 = now + Duration::seconds(1);
    let first = data::passages(2, 3, 8);
    let landed = backend.complete_indexing(company, id, stale, Some("m1"), first.clone(), t1);
    assert!(!landed.await.unwrap(), "{be}: a stale revision does not land");
    assert_eq!(
        backend.get_document(company, id).await.unwrap().summary.status,
        DocumentStatus::Processing
    );
    assert!(backend.indexed_chunks(company, &[id]).await.unwrap().is_empty(), "{be}");

    let landed = backend.complete_indexing(company, id, now, Some("m1"), first.clone(), t1);
    assert!(landed.await.unwrap(), "{be}: the current revision lands");
    let doc = backend.get_document(company, id).await.unwrap().summary;
    assert_eq!(
        (doc.status, doc.chunk_count, doc.updated_at),
        (DocumentStatus::Ready, 6, t1),
        "{be}"
    );
    let again = backend.complete_indexing(company, id, now, Some("m1"), first.clone(), t1);
    assert!(!again.await.unwrap(), "{be}: landing moved the revision");

    let chunks = backend.indexed_chunks(company, &[id]).await.unwrap();
    assert_eq!(
        chunks.iter().map(|c| c.id).collect::<Vec<_>>(),
        children_of(&first),
        "{be}: children only, in order"
    );
    for (chunk, (p, c)) in chunks.iter().zip([(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]) {
        let want = &first[p].children[c];
        assert_eq!((chunk.document_id, chunk.parent_id), (id, first[p].id), "{be}");
        assert_eq!(chunk.text, want.text, "{be}");
        let got = chunk.embedding.as_deref().map(bits);
        assert_eq!(got, want.embedding.as_deref().map(bits), "{be}: vector bit for bit");
        assert_eq!(chunk.embedding_model.as_deref(), Some("m1"), "{be}");
    }

    // In the order asked; a parent's id and an unknown id are not matchable chunks.
    let (a, b) = (first[1].children[2].id, first[0].children[0].id);
    let asked = [a, first[0].id, ChunkId::new(), b];
    let shown = backend.passages(company, &asked).await.unwrap();
    assert_eq!(shown.iter().map(|p| p.chunk_id).collect::<Vec<_>>(), [a, b], "{be}");
    assert_eq!((shown[0].title.as_str(), shown[0].document_id), ("Shipping", id), "{be}");
    assert_eq!(
        (shown[0].matched_text.as_str(), shown[0].passage_text.as_str()),
        ("passage 1 chunk 2", "passage 1")
    );
    assert_eq!(shown[1].passage_text, "passage 0", "{be}");

    // New content: the old chunks stay searchable until the next run lands, which replaces
    // them; a run without a model stores no vectors.
    let t2 = now + Duration::seconds(2);
    let edit = new_content("We ship to the EU only.", JobId::new(), t2);
    backend.update_document(company, id, edit).await.unwrap();
    assert_eq!(
        backend.indexed_chunks(company, &[id]).await.unwrap().len(),
        6,
        "{be}: old index kept"
    );
    let second = data::passages(1, 1, 0);
    let t3 = now + Duration::seconds(3);
    assert!(backend.complete_indexing(company, id, t2, None, second.clone(), t3).await.unwrap());
    let chunks = backend.indexed_chunks(company, &[id]).await.unwrap();
    assert_eq!(
        chunks.iter().map(|c| c.id).collect::<Vec<_>>(),
        children_of(&second),
        "{be}: replaced"
    );
    assert_eq!(
        (chunks[0].embedding.as_ref(), chunks[0].embedding_model.as_ref()),
        (None, None),
        "{be}"
    );
    assert!(backend.passages(company, &[a]).await.unwrap().is_empty(), "{be}: old chunks gone");

    // Failure, under the same rule.
    let t4 = now + Duration::seconds(4);
    backend.update_document(company, id, new_content("broken", JobId::new(), t4)).await.unwrap();
    let t5 = now + Duration::seconds(5);
    assert!(!backend.fail_indexing(company, id, t3, "stale", t5).await.unwrap(), "{be}");
    assert!(backend.fail_indexing(company, id, t4, "no text found", t5).await.unwrap(), "{be}");
    let doc = backend.get_document(company, id).await.unwrap().summary;
    assert_eq!(
        (doc.status, doc.error.as_deref(), doc.updated_at),
        (DocumentStatus::Failed, Some("no text found"), t5)
    );
    let revisions = backend.document_revisions(company).await.unwrap();
    assert_eq!(revisions.len(), 1, "{be}");
    assert_eq!(
        (revisions[0].id, revisions[0].status, revisions[0].updated_at),
        (id, DocumentStatus::Failed, t5)
    );
}

/// A title-only edit moves the revision, so while an indexing run is under way (its job
/// claimed) the document is re-queued; while its job still waits, nothing is added.
pub async fn a_title_change_during_indexing_requeues_it(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let company = acme.company.id;
    let new = data::new_document("Hours", "9 to 5.", now);
    let id = new.id;
    backend.create_document(company, new).await.unwrap();

    let t1 = now + Duration::seconds(1);
    backend.update_document(company, id, retitle("Opening hours", t1)).await.unwrap();
    assert_eq!(backend.pending_jobs(company).await.unwrap(), 1, "{be}: the waiting job will do");

    let lease = now + Duration::minutes(5);
    let job = backend.claim_job(&[INDEX_DOCUMENT], 5, t1, lease).await.unwrap().expect("job");
    let t2 = now + Duration::seconds(2);
    let update = retitle("Hours of business", t2);
    let requeued = update.job_id;
    backend.update_document(company, id, update).await.unwrap();
    assert_eq!(backend.pending_jobs(company).await.unwrap(), 2, "{be}: the run under way is stale");
    assert!(!backend.complete_indexing(company, id, t1, None, vec![], t2).await.unwrap(), "{be}");
    backend.finish_job(job.id).await.unwrap();
    let next = backend.claim_job(&[INDEX_DOCUMENT], 5, t2, lease).await.unwrap().expect("requeued");
    assert_eq!(next.id, requeued, "{be}");
    assert!(backend.complete_indexing(company, id, t2, None, vec![], t2).await.unwrap(), "{be}");
}

/// Deleting a document takes its chunks with it: nothing of it is listed, matched or shown.
pub async fn deleting_a_document_removes_its_chunks(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let company = acme.company.id;
    let mut ids = Vec::new();
    for title in ["Keep", "Gone"] {
        let new = data::new_document(title, "text", now);
        ids.push(new.id);
        backend.create_document(company, new).await.unwrap();
    }
    let (keep, gone) = (ids[0], ids[1]);
    let (kept, removed) = (data::passages(1, 2, 4), data::passages(2, 2, 4));
    assert!(
        backend.complete_indexing(company, keep, now, Some("m"), kept.clone(), now).await.unwrap()
    );
    assert!(
        backend
            .complete_indexing(company, gone, now, Some("m"), removed.clone(), now)
            .await
            .unwrap()
    );

    backend.delete_document(company, gone).await.unwrap();
    assert_not_found(backend, "deleted document", backend.get_document(company, gone).await);
    assert_not_found(backend, "deleted twice", backend.delete_document(company, gone).await);
    let chunks = backend.indexed_chunks(company, &[keep, gone]).await.unwrap();
    assert_eq!(chunks.iter().map(|c| c.id).collect::<Vec<_>>(), children_of(&kept), "{be}");
    let asked = [children_of(&removed)[0], children_of(&kept)[1]];
    let shown = backend.passages(company, &asked).await.unwrap();
    assert_eq!(shown.iter().map(|p| p.chunk_id).collect::<Vec<_>>(), asked[1..], "{be}");
    let ids: Vec<DocumentId> =
        backend.document_revisions(company).await.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(ids, [keep], "{be}");
}

/// Another company's id behaves exactly as a missing one for every knowledge method, and
/// none of them changes anything.
pub async fn knowledge_is_invisible_to_other_companies(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let other = data::register(backend, "hello@other.test", "oli@other.test", now).await;
    let (company, stranger) = (acme.company.id, other.company.id);
    let new = data::new_document("Private", "secret", now);
    let id = new.id;
    backend.create_document(company, new).await.unwrap();
    let passages = data::passages(1, 2, 4);
    let chunks = children_of(&passages);
    assert!(
        backend
            .complete_indexing(company, id, now, Some("m"), passages.clone(), now)
            .await
            .unwrap()
    );
    let before = backend.get_document(company, id).await.unwrap();

    let t1 = now + Duration::seconds(1);
    assert_not_found(backend, "get", backend.get_document(stranger, id).await);
    assert_not_found(
        backend,
        "retitle",
        backend.update_document(stranger, id, retitle("x", t1)).await,
    );
    let edit = new_content("x", JobId::new(), t1);
    assert_not_found(backend, "new content", backend.update_document(stranger, id, edit).await);
    assert_not_found(backend, "delete", backend.delete_document(stranger, id).await);
    let run = backend.complete_indexing(stranger, id, now, None, data::passages(1, 1, 0), t1);
    assert!(!run.await.unwrap(), "{be}: complete_indexing");
    assert!(!backend.fail_indexing(stranger, id, now, "x", t1).await.unwrap(), "{be}: fail");
    assert!(backend.indexed_chunks(stranger, &[id]).await.unwrap().is_empty(), "{be}");
    assert!(backend.passages(stranger, &chunks).await.unwrap().is_empty(), "{be}");
    assert!(backend.document_revisions(stranger).await.unwrap().is_empty(), "{be}");
    assert!(
        backend.list_documents(stranger, PageRequest::default()).await.unwrap().items.is_empty()
    );
    assert_eq!(backend.knowledge_stamp(stranger).await.unwrap(), KnowledgeStamp::default(), "{be}");
    assert_eq!(backend.pending_jobs(stranger).await.unwrap(), 0, "{be}");

    assert_eq!(backend.get_document(company, id).await.unwrap(), before, "{be}: untouched");
    assert_eq!(backend.indexed_chunks(company, &[id]).await.unwrap().len(), 2, "{be}");
    assert_eq!(backend.passages(company, &chunks).await.unwrap().len(), 2, "{be}");
    assert_eq!(backend.pending_jobs(company).await.unwrap(), 1, "{be}: no job was queued");
}

/// The stamp moves with every change a node's in-memory index must follow: documents
/// becoming ready, renamed or deleted, and FAQs created, disabled or deleted.
pub async fn knowledge_stamp_follows_every_change(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let company = acme.company.id;
    let at = |s: i64| now + Duration::seconds(s);
    let stamp = async || backend.knowledge_stamp(company).await.unwrap();
    assert_eq!(stamp().await, KnowledgeStamp::default(), "{be}: nothing yet");

    let new = data::new_document("Doc", "text", at(1));
    let id = new.id;
    backend.create_document(company, new).await.unwrap();
    assert_eq!(stamp().await, KnowledgeStamp::default(), "{be}: processing is not searchable");
    assert!(
        backend
            .complete_indexing(company, id, at(1), None, data::passages(1, 1, 0), at(2))
            .await
            .unwrap()
    );
    let ready = stamp().await;
    assert_eq!((ready.ready_documents, ready.documents_changed_at), (1, Some(at(2))), "{be}");
    backend.update_document(company, id, retitle("Renamed", at(3))).await.unwrap();
    let renamed = stamp().await;
    assert_eq!((renamed.ready_documents, renamed.documents_changed_at), (1, Some(at(3))), "{be}");

    let content = data::faq_content("Refunds?", &[]);
    let phrasings = data::phrasings(&content, 0);
    let faq = FaqId::new();
    backend
        .create_faq(company, faq, content.clone(), phrasings.clone(), None, at(4))
        .await
        .unwrap();
    let with_faq = stamp().await;
    assert_eq!((with_faq.faqs, with_faq.faqs_changed_at), (1, Some(at(4))), "{be}");
    let disabled = FaqContent { enabled: false, ..content };
    backend.update_faq(company, faq, disabled, phrasings, None, at(5)).await.unwrap();
    let after_disable = stamp().await;
    assert_eq!((after_disable.faqs, after_disable.faqs_changed_at), (1, Some(at(5))), "{be}");
    backend.delete_faq(company, faq).await.unwrap();
    let no_faq = stamp().await;
    assert_eq!((no_faq.faqs, no_faq.faqs_changed_at), (0, None), "{be}");

    backend.delete_document(company, id).await.unwrap();
    let empty = stamp().await;
    assert_eq!((empty.ready_documents, empty.documents_changed_at), (0, None), "{be}");
}

/// A 10,000-chunk document lands, and is replaced, in one call each, quickly: the writes are
/// batched and the cascade from old parents to their children is indexed.
pub async fn ten_thousand_chunks_land_quickly(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let company = acme.company.id;
    let new = data::new_document("Big", "big", now);
    let id = new.id;
    backend.create_document(company, new).await.unwrap();

    let mut revision = now;
    for run in 1..=2 {
        let passages = data::passages(100, 100, 64);
        let at = now + Duration::seconds(run);
        let started = Instant::now();
        let landed = backend.complete_indexing(company, id, revision, Some("m"), passages, at);
        assert!(landed.await.unwrap(), "{be}: run {run}");
        let took = started.elapsed();
        eprintln!("{be}: run {run}: 100 passages and 10,000 chunks written in {took:?}");
        assert!(took.as_secs_f64() < 10.0, "{be}: run {run} took {took:?}");
        revision = at;
    }
    let doc = backend.get_document(company, id).await.unwrap().summary;
    assert_eq!(doc.chunk_count, 10_000, "{be}");
    let started = Instant::now();
    let chunks = backend.indexed_chunks(company, &[id]).await.unwrap();
    eprintln!("{be}: 10,000 chunks read back in {:?}", started.elapsed());
    assert_eq!(chunks.len(), 10_000, "{be}");
    assert!(chunks.iter().all(|c| c.embedding.as_ref().is_some_and(|e| e.len() == 64)), "{be}");
}
