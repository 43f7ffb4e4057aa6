//! Labelled classification examples, with the vectors training reuses.

use crate::page::{bind_after, overfetch};
use crate::{Binds, Dialect, SqlRow, embedding_bytes, parse_embedding};
use chrono::{DateTime, SubsecRound, Utc};
use std::future::Future;
use switchboard_domain::{CompanyId, ExampleId};
use switchboard_storage::{
    ClassificationExample, ExamplesStamp, MAX_EXAMPLES_PER_WRITE, NewExample, Page, PageRequest,
    StorageError, StorageResult, TrainingExample,
};
use uuid::Uuid;

/// What examples need from an engine: a bulk insert for imports.
pub trait ClassificationDialect: Dialect {
    /// Writes `rows` with `created_at = updated_at = now`. The model is stored only beside
    /// a vector.
    fn insert_examples(
        conn: &mut Self::Conn,
        company: CompanyId,
        model: Option<&str>,
        now: DateTime<Utc>,
        rows: &[ExampleRow<'_>],
    ) -> impl Future<Output = StorageResult<()>> + Send;
}

/// One example as written.
pub struct ExampleRow<'a> {
    pub id: Uuid,
    pub text: &'a str,
    pub label: &'a str,
    pub embedding: Option<Vec<u8>>,
}

macro_rules! columns {
    () => {
        "id, company_id, text, label, created_at, updated_at"
    };
}

const SELECT: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM classification_examples WHERE company_id = $1 AND id = $2"
);

const LIST: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM classification_examples WHERE company_id = $1 AND ($2 IS NULL OR id > $2) \
     ORDER BY id LIMIT $3"
);

const UPDATE: &str = concat!(
    "UPDATE classification_examples SET text = $1, label = $2, embedding = $3, \
     embedding_model = $4, updated_at = $5 WHERE company_id = $6 AND id = $7 RETURNING ",
    columns!()
);

const DELETE: &str = "DELETE FROM classification_examples WHERE company_id = $1 AND id = $2";

const ALL: &str = "SELECT id, text, label, embedding, embedding_model \
     FROM classification_examples WHERE company_id = $1 ORDER BY id";

const STAMP: &str = "SELECT count(*) AS examples, max(updated_at) AS changed_at \
     FROM classification_examples WHERE company_id = $1";

const STORE_VECTOR: &str = "UPDATE classification_examples SET embedding = $1, \
     embedding_model = $2 WHERE company_id = $3 AND id = $4";

fn example_from_row(row: &impl SqlRow) -> StorageResult<ClassificationExample> {
    Ok(ClassificationExample {
        id: ExampleId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        text: row.text("text")?,
        label: row.text("label")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn ids(company: CompanyId, id: ExampleId) -> Binds {
    Binds::new().id(company.as_uuid()).id(id.as_uuid())
}

/// Writes every example or none; run it in one transaction.
pub async fn create<D: ClassificationDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    examples: Vec<NewExample>,
    embedding_model: Option<&str>,
    now: DateTime<Utc>,
) -> StorageResult<Vec<ClassificationExample>> {
    if examples.len() > MAX_EXAMPLES_PER_WRITE {
        return Err(StorageError::Other(
            format!("at most {MAX_EXAMPLES_PER_WRITE} examples per write").into(),
        ));
    }
    if examples.is_empty() {
        return Ok(Vec::new());
    }
    // Both engines keep microseconds; the rows returned must equal what reads back.
    let now = now.trunc_subsecs(6);
    let rows: Vec<ExampleRow<'_>> = examples
        .iter()
        .map(|e| ExampleRow {
            id: e.id.as_uuid(),
            text: &e.text,
            label: &e.label,
            embedding: e.embedding.as_deref().map(embedding_bytes),
        })
        .collect();
    D::insert_examples(conn, company, embedding_model, now, &rows).await?;
    Ok(examples
        .into_iter()
        .map(|e| ClassificationExample {
            id: e.id,
            company_id: company,
            text: e.text,
            label: e.label,
            created_at: now,
            updated_at: now,
        })
        .collect())
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ExampleId,
) -> StorageResult<ClassificationExample> {
    example_from_row(&D::fetch_one(conn, SELECT, ids(company, id)).await?)
}

pub async fn list<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    page: PageRequest,
) -> StorageResult<Page<ClassificationExample>> {
    let Some(binds) = bind_after::<D>(Binds::new().id(company.as_uuid()), &page) else {
        return Ok(Page { items: Vec::new(), next_cursor: None });
    };
    let rows = D::fetch_all(conn, LIST, binds.push(overfetch(&page))).await?;
    let items = rows.iter().map(example_from_row).collect::<StorageResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit, |e| e.id.to_string()))
}

pub async fn update<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    example: NewExample,
    embedding_model: Option<&str>,
    now: DateTime<Utc>,
) -> StorageResult<ClassificationExample> {
    let model = example.embedding.as_ref().and(embedding_model);
    let binds = Binds::new()
        .text(example.text)
        .text(example.label)
        .opt_bytes(example.embedding.as_deref().map(embedding_bytes))
        .opt_text(model)
        .time(now)
        .id(company.as_uuid())
        .id(example.id.as_uuid());
    example_from_row(&D::fetch_one(conn, UPDATE, binds).await?)
}

pub async fn delete<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: ExampleId,
) -> StorageResult<()> {
    match D::execute(conn, DELETE, ids(company, id)).await? {
        0 => Err(StorageError::NotFound),
        _ => Ok(()),
    }
}

pub async fn all<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
) -> StorageResult<Vec<TrainingExample>> {
    let rows = D::fetch_all(conn, ALL, Binds::new().id(company.as_uuid())).await?;
    rows.iter()
        .map(|row| {
            Ok(TrainingExample {
                id: ExampleId::from_uuid(row.id("id")?),
                text: row.text("text")?,
                label: row.text("label")?,
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

pub async fn stamp<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
) -> StorageResult<ExamplesStamp> {
    let row = D::fetch_one(conn, STAMP, Binds::new().id(company.as_uuid())).await?;
    Ok(ExamplesStamp { examples: row.big("examples")?, changed_at: row.opt_time("changed_at")? })
}

/// One statement per vector; run it in one transaction.
pub async fn store_vectors<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    vectors: Vec<(ExampleId, Vec<f32>)>,
    embedding_model: &str,
) -> StorageResult<()> {
    for (id, vector) in vectors {
        let binds = Binds::new()
            .bytes(embedding_bytes(&vector))
            .text(embedding_model)
            .id(company.as_uuid())
            .id(id.as_uuid());
        D::execute(conn, STORE_VECTOR, binds).await?;
    }
    Ok(())
}
