//! FAQs and the phrasings (question and variants, with vectors) that FAQ matching searches.

use crate::page::{bind_after, overfetch};
use crate::{Binds, Dialect, SqlRow, embedding_bytes, parse_embedding};
use chrono::{DateTime, Utc};
use std::future::Future;
use switchboard_domain::{CompanyId, FaqId};
use switchboard_storage::{
    Faq, FaqContent, IndexedPhrasing, Page, PageRequest, PhrasingVector, StorageError,
    StorageResult,
};
use uuid::Uuid;

/// What FAQs need from an engine: a bulk insert of phrasings.
pub trait FaqDialect: Dialect {
    /// Writes `rows` in the order given. The model names where a vector came from, so only
    /// rows with an embedding carry it.
    fn insert_phrasings(
        conn: &mut Self::Conn,
        company: CompanyId,
        faq: FaqId,
        model: Option<&str>,
        rows: &[PhrasingRow<'_>],
    ) -> impl Future<Output = StorageResult<()>> + Send;
}

/// One phrasing as written.
pub struct PhrasingRow<'a> {
    pub id: Uuid,
    pub text: &'a str,
    pub embedding: Option<Vec<u8>>,
}

macro_rules! columns {
    () => {
        "id, company_id, question, answer, variants, category, tags, enabled, created_at, \
         updated_at"
    };
}

const INSERT: &str = concat!(
    "INSERT INTO faqs (id, company_id, question, answer, variants, category, tags, enabled, \
     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ",
    columns!()
);

const SELECT: &str = concat!("SELECT ", columns!(), " FROM faqs WHERE company_id = $1 AND id = $2");

const LIST: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM faqs WHERE company_id = $1 AND ($2 IS NULL OR id > $2) ORDER BY id LIMIT $3"
);

const UPDATE: &str = concat!(
    "UPDATE faqs SET question = $1, answer = $2, variants = $3, category = $4, tags = $5, \
     enabled = $6, updated_at = $7 WHERE company_id = $8 AND id = $9 RETURNING ",
    columns!()
);

const DELETE: &str = "DELETE FROM faqs WHERE company_id = $1 AND id = $2";

const DELETE_PHRASINGS: &str = "DELETE FROM faq_phrasings WHERE company_id = $1 AND faq_id = $2";

const PHRASINGS: &str = "SELECT p.faq_id, p.text, p.embedding, p.embedding_model \
     FROM faq_phrasings p JOIN faqs f ON f.company_id = p.company_id AND f.id = p.faq_id \
     WHERE p.company_id = $1 AND f.enabled ORDER BY p.faq_id, p.id";

fn string_list(row: &impl SqlRow, col: &str) -> StorageResult<Vec<String>> {
    serde_json::from_value(row.json(col)?)
        .map_err(|e| StorageError::corrupt(format!("bad {col}: {e}")))
}

fn faq_from_row(row: &impl SqlRow) -> StorageResult<Faq> {
    Ok(Faq {
        id: FaqId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        question: row.text("question")?,
        answer: row.text("answer")?,
        variants: string_list(row, "variants")?,
        category: row.opt_text("category")?,
        tags: string_list(row, "tags")?,
        enabled: row.bool("enabled")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn ids(company: CompanyId, id: FaqId) -> Binds {
    Binds::new().id(company.as_uuid()).id(id.as_uuid())
}

/// Writes the phrasings in the order given. Their ids are UUIDv7, which this process hands
/// out in increasing order, so ordering by id reads them back in that order.
async fn insert_phrasings<D: FaqDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    faq: FaqId,
    model: Option<&str>,
    phrasings: &[PhrasingVector],
) -> StorageResult<()> {
    if phrasings.is_empty() {
        return Ok(());
    }
    let rows: Vec<PhrasingRow<'_>> = phrasings
        .iter()
        .map(|p| PhrasingRow {
            id: Uuid::now_v7(),
            text: &p.text,
            embedding: p.embedding.as_deref().map(embedding_bytes),
        })
        .collect();
    D::insert_phrasings(conn, company, faq, model, &rows).await
}

/// The FAQ and its phrasings; run it in one transaction.
pub async fn create<D: FaqDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: FaqId,
    content: FaqContent,
    phrasings: Vec<PhrasingVector>,
    embedding_model: Option<&str>,
    now: DateTime<Utc>,
) -> StorageResult<Faq> {
    let binds = Binds::new()
        .id(id.as_uuid())
        .id(company.as_uuid())
        .text(content.question)
        .text(content.answer)
        .json(&content.variants.into())
        .opt_text(content.category)
        .json(&content.tags.into())
        .bool(content.enabled)
        .time(now);
    let faq = faq_from_row(&D::fetch_one(conn, INSERT, binds).await?)?;
    insert_phrasings::<D>(conn, company, id, embedding_model, &phrasings).await?;
    Ok(faq)
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: FaqId,
) -> StorageResult<Faq> {
    faq_from_row(&D::fetch_one(conn, SELECT, ids(company, id)).await?)
}

pub async fn list<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    page: PageRequest,
) -> StorageResult<Page<Faq>> {
    let Some(binds) = bind_after::<D>(Binds::new().id(company.as_uuid()), &page) else {
        return Ok(Page { items: Vec::new(), next_cursor: None });
    };
    let rows = D::fetch_all(conn, LIST, binds.push(overfetch(&page))).await?;
    let items = rows.iter().map(faq_from_row).collect::<StorageResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit, |f| f.id.to_string()))
}

/// Replaces the FAQ's content and phrasings; run it in one transaction.
pub async fn update<D: FaqDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: FaqId,
    content: FaqContent,
    phrasings: Vec<PhrasingVector>,
    embedding_model: Option<&str>,
    now: DateTime<Utc>,
) -> StorageResult<Faq> {
    let binds = Binds::new()
        .text(content.question)
        .text(content.answer)
        .json(&content.variants.into())
        .opt_text(content.category)
        .json(&content.tags.into())
        .bool(content.enabled)
        .time(now)
        .id(company.as_uuid())
        .id(id.as_uuid());
    let faq = faq_from_row(&D::fetch_one(conn, UPDATE, binds).await?)?;
    D::execute(conn, DELETE_PHRASINGS, ids(company, id)).await?;
    insert_phrasings::<D>(conn, company, id, embedding_model, &phrasings).await?;
    Ok(faq)
}

/// Run it in one transaction.
pub async fn delete<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: FaqId,
) -> StorageResult<()> {
    D::execute(conn, DELETE_PHRASINGS, ids(company, id)).await?;
    match D::execute(conn, DELETE, ids(company, id)).await? {
        0 => Err(StorageError::NotFound),
        _ => Ok(()),
    }
}

/// The phrasings of enabled FAQs, by FAQ, in the order written.
pub async fn phrasings<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
) -> StorageResult<Vec<IndexedPhrasing>> {
    let rows = D::fetch_all(conn, PHRASINGS, Binds::new().id(company.as_uuid())).await?;
    rows.iter()
        .map(|row| {
            Ok(IndexedPhrasing {
                faq_id: FaqId::from_uuid(row.id("faq_id")?),
                text: row.text("text")?,
                embedding: row
                    .opt_bytes("embedding")?
                    .as_deref()
                    .map(parse_embedding)
                    .transpose()?,
                embedding_model: row.opt_text("embedding_model")?,
            })
        })
        .collect()
}
