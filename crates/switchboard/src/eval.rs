//! `switchboard eval retrieval`: loads FAQs into a scratch company through the same code the
//! server uses (embedding on write, the same index and scoring), asks every query, and
//! prints the quality figures as one JSON object. Floors (`--min`, `--max`) make it a CI gate.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use switchboard_ai::embedding::Embedder;
use switchboard_ai::eval::{QueryOutcome, RetrievalReport, report};
use switchboard_ai::knowledge::{DEFAULT_FAQ_THRESHOLD, FaqScoring, Knowledge};
use switchboard_domain::{CompanyId, CompanyName, EmailAddress, PersonName, Role, UserId};
use switchboard_storage::{
    AgentConfigDefaults, Backend, FaqContent, NewRegistration, NewSession, NewUser, SessionSubject,
};
use switchboard_storage_sqlite::SqliteBackend;

#[derive(Deserialize)]
struct FaqLine {
    id: String,
    question: String,
    #[serde(default)]
    variants: Vec<String>,
    answer: String,
}

#[derive(Deserialize)]
struct QueryLine {
    text: String,
    expected: Option<String>,
}

pub struct EvalOptions<'a> {
    pub faqs: &'a Path,
    pub queries: &'a Path,
    pub threshold: Option<f32>,
    pub scoring: FaqScoring,
    /// `name=value` pairs: the run fails if a figure is below (`min`) or above (`max`).
    pub min: &'a [String],
    pub max: &'a [String],
}

pub(crate) fn read_lines<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<Vec<T>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("while reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{} line {}", path.display(), i + 1))
        })
        .collect()
}

/// Runs the evaluation; `Ok(false)` when a floor failed.
pub async fn retrieval(
    embedder: Option<Arc<dyn Embedder>>,
    options: EvalOptions<'_>,
) -> anyhow::Result<bool> {
    let faqs: Vec<FaqLine> = read_lines(options.faqs)?;
    let queries: Vec<QueryLine> = read_lines(options.queries)?;
    if faqs.is_empty() || queries.is_empty() {
        bail!("both files need at least one line");
    }
    let scratch = tempfile::tempdir().context("while making a scratch directory")?;
    let db: Arc<dyn Backend> =
        Arc::new(SqliteBackend::open(&scratch.path().join("eval.db")).await?);
    let company = scratch_company(db.as_ref()).await?;
    let knowledge = Knowledge::new(Arc::clone(&db), embedder).with_faq_scoring(options.scoring);

    let started = std::time::Instant::now();
    let mut names = HashMap::new();
    for f in faqs {
        let content = FaqContent {
            question: f.question,
            answer: f.answer,
            variants: f.variants,
            category: None,
            tags: Vec::new(),
            enabled: true,
        };
        let faq = knowledge.create_faq(company, content).await?;
        names.insert(faq.id, f.id);
    }
    let load_secs = started.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    let mut outcomes = Vec::with_capacity(queries.len());
    for q in queries {
        let ranked = knowledge.rank_faqs(company, &q.text, 100).await?;
        let confidence = ranked.first().map_or(0.0, |c| c.confidence);
        let ranked =
            ranked.into_iter().map(|c| names.get(&c.faq_id).cloned().unwrap_or_default()).collect();
        outcomes.push(QueryOutcome { expected: q.expected, ranked, confidence });
    }
    let query_secs = started.elapsed().as_secs_f64();
    db.close().await;

    let threshold = f64::from(options.threshold.unwrap_or(DEFAULT_FAQ_THRESHOLD));
    let main = report(&outcomes, threshold);
    let sweep: Vec<RetrievalReport> =
        (10..=19).map(|i| report(&outcomes, f64::from(i) / 20.0)).collect();
    let mut out = serde_json::to_value(&main)?;
    out["retrieval"] = knowledge.status().mode.into();
    out["loadSeconds"] = load_secs.into();
    out["querySeconds"] = query_secs.into();
    out["thresholdSweep"] = serde_json::to_value(
        sweep
            .iter()
            .map(|r| {
                serde_json::json!({
                    "threshold": r.threshold, "answeredCorrect": r.answered_correct,
                    "answeredWrong": r.answered_wrong, "handedOff": r.handed_off,
                    "oosHandedOff": r.oos_handed_off,
                })
            })
            .collect::<Vec<_>>(),
    )?;
    println!("{}", serde_json::to_string_pretty(&out)?);
    check_floors(&out, options.min, options.max)
}

pub(crate) fn check_floors(
    out: &serde_json::Value,
    min: &[String],
    max: &[String],
) -> anyhow::Result<bool> {
    let mut ok = true;
    for (rule, is_min) in min.iter().map(|r| (r, true)).chain(max.iter().map(|r| (r, false))) {
        let Some((name, bound)) = rule.split_once('=') else {
            bail!("a floor is name=value, not {rule:?}");
        };
        let bound: f64 = bound.parse().with_context(|| format!("in floor {rule:?}"))?;
        let Some(value) = out.get(name).and_then(serde_json::Value::as_f64) else {
            bail!("no figure named {name:?} to check");
        };
        if (is_min && value < bound) || (!is_min && value > bound) {
            let word = if is_min { "below its floor" } else { "above its ceiling" };
            eprintln!("FAIL: {name} = {value:.4} is {word} {bound}");
            ok = false;
        }
    }
    Ok(ok)
}

pub(crate) async fn scratch_company(db: &dyn Backend) -> anyhow::Result<CompanyId> {
    let now = chrono::Utc::now();
    let admin = NewUser {
        id: UserId::new(),
        email: EmailAddress::parse("eval@example.com").map_err(anyhow::Error::msg)?,
        name: PersonName::parse("Evaluation").map_err(anyhow::Error::msg)?,
        role: Role::CompanyAdmin,
        // Nobody signs in to the scratch company.
        password_hash: "!".to_owned(),
        must_change_password: false,
    };
    let session = NewSession {
        id: switchboard_domain::SessionId::new(),
        subject: SessionSubject::User(admin.id),
        role: Role::CompanyAdmin,
        expires_at: now,
        client_addr: None,
        user_agent: None,
    };
    let reg = NewRegistration {
        company_id: CompanyId::new(),
        company_name: CompanyName::parse("Evaluation").map_err(anyhow::Error::msg)?,
        company_email: EmailAddress::parse("eval@example.com").map_err(anyhow::Error::msg)?,
        admin,
        config: AgentConfigDefaults {
            agent_name: "Eval".into(),
            branding_name: "Eval".into(),
            greeting_message: "Hi".into(),
        },
        session,
        now,
    };
    let (company, _) = db.register_company(reg).await?;
    Ok(company.id)
}
