//! The passes: turns through the engine and over HTTP, `/health`, and a turn's parts.

use std::time::{Duration, Instant};

use anyhow::Context;
use switchboard_ai::embedding::Embedder;
use switchboard_ai::knowledge::{CANDIDATES, readback_batch, relevance};
use switchboard_ai::knowledge::{DEFAULT_ANSWER_THRESHOLD, DEFAULT_FAQ_THRESHOLD};
use switchboard_domain::{ChunkId, CompanyId, ConversationId, DocumentId};
use switchboard_engine::builtin::MAX_QUOTED;
use switchboard_engine::grounding::{Thresholds, ground};
use switchboard_engine::{Conversations, HANDOFF_REPLY, Turn};
use switchboard_retrieval::{Entry, Hit, HybridIndex, Query};
use switchboard_server::AppState;

use crate::data::{Kind, Message};
use crate::http::Http;
use crate::{HEALTH_REQUESTS, PER_CONVERSATION};

#[derive(Default)]
pub(crate) struct Outcomes {
    pub(crate) faq: usize,
    pub(crate) passage: usize,
    pub(crate) handoff: usize,
    pub(crate) none: usize,
}

impl Outcomes {
    /// Counts a turn's outcome and says which it was: 0 an FAQ answer, 1 a passage answer,
    /// 2 a handoff, 3 no reply.
    fn count(&mut self, content: Option<&str>, cited: bool) -> usize {
        let (counter, kind) = match content {
            None => (&mut self.none, 3),
            Some(HANDOFF_REPLY) => (&mut self.handoff, 2),
            Some(_) if cited => (&mut self.passage, 1),
            Some(_) => (&mut self.faq, 0),
        };
        *counter += 1;
        kind
    }
}

/// Baseline A, taken message by message just before each turn, so that both see the same
/// machine (other work on it comes and goes).
#[derive(Default)]
pub(crate) struct Embeddings {
    pub(crate) times: Vec<Duration>,
    pub(crate) vectors: Vec<Vec<f32>>,
}

impl Embeddings {
    async fn embed(&mut self, embedder: Option<&dyn Embedder>, text: &str) -> anyhow::Result<()> {
        let Some(embedder) = embedder else { return Ok(()) };
        let started = Instant::now();
        let mut vectors = embedder.embed(vec![text.to_owned()]).await?;
        self.times.push(started.elapsed());
        self.vectors.push(vectors.pop().context("one vector")?);
        Ok(())
    }
}

#[derive(Default)]
pub(crate) struct EngineRun {
    pub(crate) turns: Vec<Duration>,
    /// The same turns by outcome, as [`Outcomes::count`] numbers them.
    pub(crate) by_outcome: [Vec<Duration>; 4],
    pub(crate) opens: Vec<Duration>,
    pub(crate) embeddings: Embeddings,
    pub(crate) outcomes: Outcomes,
}

/// Each message through `customer_says`, in conversations of up to [`PER_CONVERSATION`]
/// messages; a handoff ends a conversation (the AI no longer replies in it). With an
/// embedder, each message is also embedded alone right before its turn.
pub(crate) async fn engine_turns(
    engine: &Conversations,
    company: CompanyId,
    messages: &[Message],
    embedder: Option<&dyn Embedder>,
) -> anyhow::Result<EngineRun> {
    let mut run = EngineRun::default();
    let mut current: Option<(ConversationId, usize)> = None;
    for m in messages {
        let (id, n) = match current {
            Some((id, n)) if n < PER_CONVERSATION => (id, n),
            _ => {
                let started = Instant::now();
                let opened = engine.open(company, None, &m.text).await?;
                run.opens.push(started.elapsed());
                (opened.conversation.id, 0)
            }
        };
        run.embeddings.embed(embedder, &m.text).await?;
        let started = Instant::now();
        let turn: Turn = engine.customer_says(company, id, &m.text).await?;
        let took = started.elapsed();
        run.turns.push(took);
        let reply = turn.reply.as_ref();
        let outcome = run.outcomes.count(
            reply.map(|r| r.content.as_str()),
            reply.is_some_and(|r| !r.citations.is_empty()),
        );
        run.by_outcome[outcome].push(took);
        current = (turn.conversation.status == "ai").then_some((id, n + 1));
    }
    Ok(run)
}

#[derive(Default)]
pub(crate) struct HttpRun {
    pub(crate) turns: Vec<Duration>,
    pub(crate) firsts: Vec<Duration>,
    pub(crate) all: Vec<Duration>,
    pub(crate) embeddings: Embeddings,
    pub(crate) outcomes: Outcomes,
}

/// As [`engine_turns`], over `POST /api/chat`.
pub(crate) async fn http_turns(
    http: &Http,
    company: CompanyId,
    messages: &[Message],
    embedder: Option<&dyn Embedder>,
) -> anyhow::Result<HttpRun> {
    let mut run = HttpRun::default();
    let mut current: Option<(String, usize)> = None;
    for m in messages {
        let session = current.as_ref().filter(|(_, n)| *n < PER_CONVERSATION);
        run.embeddings.embed(embedder, &m.text).await?;
        let started = Instant::now();
        let data = http.chat(company, &m.text, session.map(|(s, _)| s.as_str())).await?;
        let took = started.elapsed();
        run.all.push(took);
        let n = match session {
            Some((_, n)) => {
                run.turns.push(took);
                *n
            }
            None => {
                run.firsts.push(took);
                0
            }
        };
        let reply = &data["reply"];
        let cited = reply["citations"].as_array().is_some_and(|c| !c.is_empty());
        run.outcomes.count(reply["content"].as_str(), cited);
        let session_id = data["sessionId"].as_str().context("a sessionId")?.to_owned();
        current = (data["status"] == "ai").then_some((session_id, n + 1));
    }
    Ok(run)
}

pub(crate) async fn health(http: &Http) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(HEALTH_REQUESTS);
    for _ in 0..HEALTH_REQUESTS {
        let started = Instant::now();
        http.health().await?;
        times.push(started.elapsed());
    }
    Ok(times)
}

pub(crate) struct Profile {
    pub(crate) cached_turn: Vec<Duration>,
    pub(crate) cached_by_outcome: [Vec<Duration>; 4],
    pub(crate) ground: Vec<Duration>,
    pub(crate) match_faq: Vec<Duration>,
    pub(crate) passages: Vec<Duration>,
    pub(crate) stamp: Vec<Duration>,
    pub(crate) index_search: Vec<Duration>,
    pub(crate) passages_read: Vec<Duration>,
    /// Passages read back per message, summed.
    pub(crate) passages_read_ids: usize,
    pub(crate) stored_only: Vec<Duration>,
    pub(crate) get_conversation: Vec<Duration>,
    pub(crate) agent_config: Vec<Duration>,
}

/// The parts of a turn, on messages whose vectors are in the query cache (`vectors` are the
/// same vectors, for the index this bench builds itself).
pub(crate) async fn profile(
    state: &AppState,
    company: CompanyId,
    messages: &[Message],
    vectors: &[Vec<f32>],
    documents: &[DocumentId],
) -> anyhow::Result<Profile> {
    let knowledge = &state.knowledge;
    let db = state.db.as_ref();
    let mut p = Profile {
        cached_turn: Vec::new(),
        cached_by_outcome: Default::default(),
        ground: Vec::new(),
        match_faq: Vec::new(),
        passages: Vec::new(),
        stamp: Vec::new(),
        index_search: Vec::new(),
        passages_read: Vec::new(),
        passages_read_ids: 0,
        stored_only: Vec::new(),
        get_conversation: Vec::new(),
        agent_config: Vec::new(),
    };
    let top_k = MAX_QUOTED * 2;
    for m in messages {
        let started = Instant::now();
        std::hint::black_box(ground(knowledge, db, company, &m.text, Thresholds::default()).await?);
        p.ground.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(knowledge.match_faq(company, &m.text, DEFAULT_FAQ_THRESHOLD).await?);
        p.match_faq.push(started.elapsed());
        let started = Instant::now();
        let hits =
            knowledge.search_passages(company, &m.text, top_k, DEFAULT_ANSWER_THRESHOLD).await?;
        p.passages.push(started.elapsed());
        std::hint::black_box(hits);
        let started = Instant::now();
        std::hint::black_box(db.knowledge_stamp(company).await?);
        p.stamp.push(started.elapsed());
    }

    // `search_passages` is a stamp query, the in-memory search, then reading the passages
    // back; the index is private to `Knowledge`, so the same one is built here from the same
    // stored chunks and searched with the same query.
    let model = knowledge.embedder().map(|e| e.model().to_owned());
    let entries: Vec<Entry> = db
        .indexed_chunks(company, documents)
        .await?
        .into_iter()
        .map(|c| Entry {
            key: c.id.as_uuid(),
            group: c.document_id.as_uuid(),
            text: c.text,
            vector: c.embedding.filter(|_| c.embedding_model == model),
        })
        .collect();
    let mut index = HybridIndex::new(knowledge.embedder().map_or(0, |e| e.dimensions()));
    index.extend(entries)?;
    for (m, vector) in messages.iter().zip(vectors) {
        let query = Query {
            text: &m.text,
            vector: Some(vector),
            candidates: CANDIDATES,
            limit: CANDIDATES,
        };
        let started = Instant::now();
        let hits = index.search(&query)?;
        p.index_search.push(started.elapsed());
        // The first batch `search_passages` reads back: the best-scoring recalled chunks.
        let mut scored: Vec<(f32, &Hit)> = hits.iter().map(|h| (relevance(h, false), h)).collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let ids: Vec<ChunkId> = scored
            .iter()
            .take(readback_batch(top_k))
            .map(|(_, h)| ChunkId::from_uuid(h.key))
            .collect();
        p.passages_read_ids += ids.len();
        let started = Instant::now();
        std::hint::black_box(db.passages(company, &ids).await?);
        p.passages_read.push(started.elapsed());
    }

    let run = engine_turns(&state.conversations, company, messages, None).await?;
    p.cached_turn = run.turns;
    p.cached_by_outcome = run.by_outcome;

    // A handed-off conversation: the customer's message is stored, the AI does not reply.
    let engine = &state.conversations;
    let mut handed_off = None;
    for m in messages.iter().filter(|m| m.kind == Kind::Nothing) {
        let opened = engine.open(company, None, &m.text).await?;
        let turn = engine.customer_says(company, opened.conversation.id, &m.text).await?;
        if turn.conversation.status == "human" {
            handed_off = Some(turn.conversation.id);
            break;
        }
    }
    if let Some(conversation) = handed_off {
        for m in messages {
            let started = Instant::now();
            std::hint::black_box(engine.customer_says(company, conversation, &m.text).await?);
            p.stored_only.push(started.elapsed());
        }
        for _ in messages {
            let started = Instant::now();
            std::hint::black_box(db.get_conversation(company, conversation).await?);
            p.get_conversation.push(started.elapsed());
            let started = Instant::now();
            std::hint::black_box(db.get_agent_config(company).await?);
            p.agent_config.push(started.elapsed());
        }
    }
    Ok(p)
}
