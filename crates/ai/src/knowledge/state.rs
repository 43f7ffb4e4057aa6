//! One company's in-memory search state and how it catches up with the database.

use super::faq_index::FaqIndex;
use super::{Knowledge, KnowledgeError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use switchboard_domain::{CompanyId, DocumentId};
use switchboard_retrieval::{Entry, HybridIndex};
use switchboard_storage::{IndexedChunk, KnowledgeStamp};
use tokio::sync::{RwLock, RwLockReadGuard};

pub(super) struct CompanyKnowledge {
    company: CompanyId,
    state: RwLock<CompanyState>,
}

pub(super) struct CompanyState {
    /// The fingerprint this state was built from; `None` before the first load.
    stamp: Option<KnowledgeStamp>,
    /// Revision of every document whose chunks are in `passages`.
    documents: HashMap<DocumentId, DateTime<Utc>>,
    pub passages: HybridIndex,
    pub faqs: FaqIndex,
}

impl CompanyKnowledge {
    pub fn new(company: CompanyId) -> Self {
        Self {
            company,
            state: RwLock::new(CompanyState {
                stamp: None,
                documents: HashMap::new(),
                passages: HybridIndex::new(0),
                faqs: FaqIndex::default(),
            }),
        }
    }

    /// The company's state, brought up to date with the database first. One query (the
    /// stamp) when nothing changed; otherwise only the changed documents are reloaded.
    pub async fn fresh(
        &self,
        knowledge: &Knowledge,
    ) -> Result<RwLockReadGuard<'_, CompanyState>, KnowledgeError> {
        let stamp = knowledge.db().knowledge_stamp(self.company).await?;
        {
            let state = self.state.read().await;
            if state.stamp.as_ref() == Some(&stamp) {
                return Ok(state);
            }
        }
        let mut state = self.state.write().await;
        // Re-read under the write lock: another task may have synced meanwhile, and an edit
        // may have landed since the first read.
        let stamp = knowledge.db().knowledge_stamp(self.company).await?;
        if state.stamp.as_ref() != Some(&stamp) {
            let old = state.stamp.clone().unwrap_or_else(|| KnowledgeStamp {
                ready_documents: -1,
                faqs: -1,
                ..KnowledgeStamp::default()
            });
            if (old.ready_documents, old.documents_changed_at)
                != (stamp.ready_documents, stamp.documents_changed_at)
            {
                self.sync_documents(knowledge, &mut state).await?;
            }
            if (old.faqs, old.faqs_changed_at) != (stamp.faqs, stamp.faqs_changed_at) {
                state.faqs = FaqIndex::load(knowledge, self.company).await?;
            }
            state.stamp = Some(stamp);
        }
        Ok(state.downgrade())
    }

    async fn sync_documents(
        &self,
        knowledge: &Knowledge,
        state: &mut CompanyState,
    ) -> Result<(), KnowledgeError> {
        let revisions = knowledge.db().document_revisions(self.company).await?;
        let current: HashMap<DocumentId, DateTime<Utc>> =
            revisions.iter().map(|r| (r.id, r.updated_at)).collect();
        let gone: Vec<DocumentId> =
            state.documents.keys().filter(|id| !current.contains_key(id)).copied().collect();
        for id in gone {
            state.passages.remove_group(id.as_uuid())?;
            state.documents.remove(&id);
        }
        let changed: Vec<DocumentId> = current
            .iter()
            .filter(|(id, at)| state.documents.get(id) != Some(at))
            .map(|(id, _)| *id)
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        let chunks = knowledge.db().indexed_chunks(self.company, &changed).await?;
        let model = knowledge.model_name();
        let first_load = state.documents.is_empty();
        let mut by_document: HashMap<DocumentId, Vec<Entry>> = HashMap::new();
        for chunk in chunks {
            by_document.entry(chunk.document_id).or_default().push(entry(chunk, model));
        }
        if first_load {
            let dims = knowledge.embedder().map_or(0, |e| e.dimensions());
            state.passages = HybridIndex::new(dims);
            state.passages.extend(by_document.into_values().flatten().collect())?;
        } else {
            for id in &changed {
                let entries = by_document.remove(id).unwrap_or_default();
                state.passages.replace_group(id.as_uuid(), entries)?;
            }
        }
        for id in changed {
            state.documents.insert(id, current[&id]);
        }
        Ok(())
    }
}

/// A stored chunk as an index entry. A vector made by another model than the one loaded
/// now cannot be compared with today's query vectors, so it is left out (the chunk is still
/// found by BM25 until the document is re-indexed).
fn entry(chunk: IndexedChunk, model: Option<&str>) -> Entry {
    let vector = match (chunk.embedding, chunk.embedding_model.as_deref(), model) {
        (Some(v), Some(stored), Some(current)) if stored == current => Some(v),
        _ => None,
    };
    Entry { key: chunk.id.as_uuid(), group: chunk.document_id.as_uuid(), text: chunk.text, vector }
}
