//! The `switchboard` binary: one process that serves the API, the dashboard and the widget,
//! plus the operational subcommands around it.

mod backend;
mod commands;
mod demo;
mod embedder;
mod eval;
mod eval_classification;
mod eval_passages;
mod settings;
mod telemetry;

use clap::{Parser, Subcommand};
use settings::{CliOverrides, Settings};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Self-hosted, multi-tenant customer-service AI platform"
)]
struct Cli {
    /// A TOML configuration file; `SWITCHBOARD_*` variables and flags override it.
    #[arg(long, global = true, env = "SWITCHBOARD_CONFIG")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Debug, Default)]
struct StorageArgs {
    /// Where SQLite data, the development signing key and caches live.
    #[arg(long, env = "SWITCHBOARD_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// `postgres://…` selects PostgreSQL; otherwise SQLite in the data directory.
    #[arg(long, env = "SWITCHBOARD_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

/// What every `eval` subcommand takes: quality floors and where vectors come from.
#[derive(clap::Args)]
struct EvalArgs {
    /// Fail (exit 1) if a figure is below this, e.g. `--min recallAt1=0.85`; repeatable.
    #[arg(long)]
    min: Vec<String>,
    /// Fail (exit 1) if a figure is above this, e.g. `--max answeredWrong=0.05`; repeatable.
    #[arg(long)]
    max: Vec<String>,
    /// The local embedding model's directory.
    #[arg(long, env = "SWITCHBOARD_MODEL_DIR")]
    model_dir: Option<PathBuf>,
    /// `local` (short inputs on 8-bit weights), `local-f32`, `openai` or `none` (no vectors: BM25 or
    /// lexical features only).
    #[arg(long, env = "SWITCHBOARD_EMBEDDINGS")]
    embeddings: Option<String>,
}

impl EvalArgs {
    /// Loads the configuration with these overrides, starts logging, and loads the embedder.
    async fn embedder(
        &self,
        config: Option<&std::path::Path>,
    ) -> anyhow::Result<Option<std::sync::Arc<dyn switchboard_ai::embedding::Embedder>>> {
        let overrides = CliOverrides { model_dir: self.model_dir.clone(), ..Default::default() };
        let mut settings = Settings::load(config, &overrides)?;
        if let Some(e) = &self.embeddings {
            settings.embeddings = e.clone();
        }
        telemetry::init(&settings.log_format);
        embedder::load(&settings).await
    }
}

#[derive(Subcommand)]
enum EvalCommand {
    /// FAQ retrieval: recall@1/@5, MRR, and what the responder would do at its FAQ threshold.
    Retrieval {
        /// FAQs, one JSON object per line: {"id","question","variants"?,"answer"}.
        #[arg(long)]
        faqs: PathBuf,
        /// Queries, one per line: {"text","expected"} (expected: an FAQ id, or null when out of scope).
        #[arg(long)]
        queries: PathBuf,
        /// The FAQ threshold to report at (default: the server's default).
        #[arg(long)]
        threshold: Option<f32>,
        #[command(flatten)]
        common: EvalArgs,
        /// Scoring experiments: phrasings averaged per FAQ.
        #[arg(long, hide = true)]
        top_k: Option<usize>,
        /// Scoring experiments: weight of the closest phrasing.
        #[arg(long, hide = true)]
        max_weight: Option<f32>,
        /// Scoring experiments: weight of BM25 agreement.
        #[arg(long, hide = true)]
        lexical_weight: Option<f32>,
        /// Scoring experiments: weight of the phrasing classifier's probability.
        #[arg(long, hide = true)]
        classifier_weight: Option<f32>,
    },
    /// Passage search over documents: hit@1/@5, MRR, and what the responder would do at the
    /// company's passage threshold.
    Passages {
        /// Documents, one per line: {"id","title","content"} (content is markdown).
        #[arg(long)]
        documents: PathBuf,
        /// Queries, one per line: {"query","documentId","answer"} (documentId null when out of
        /// scope; answer: words of the answering sentence, verbatim).
        #[arg(long)]
        queries: PathBuf,
        /// Passages asked for per query.
        #[arg(long, default_value_t = 5)]
        top_k: usize,
        /// The passage threshold to report at (default: the company's default).
        #[arg(long)]
        threshold: Option<f32>,
        #[command(flatten)]
        common: EvalArgs,
    },
    /// Intent classification: accuracy, macro-F1, per-label figures (and out-of-scope recall).
    Classification {
        /// Training examples, one per line: {"text","label"}.
        #[arg(long)]
        train: PathBuf,
        /// Test examples, one per line: {"text","label"}.
        #[arg(long)]
        test: PathBuf,
        /// The label of out-of-scope examples (trained as a class of its own).
        #[arg(long)]
        oos_label: Option<String>,
        /// Top probability under which a request is out of scope (default: the server's).
        #[arg(long)]
        threshold: Option<f32>,
        /// Also report the nearest-example and embedding-only baselines, trained in the same run.
        #[arg(long)]
        baselines: bool,
        #[command(flatten)]
        common: EvalArgs,
        /// Experiments: inverse regularisation strength.
        #[arg(long, hide = true)]
        c: Option<f32>,
        /// Development: keep the texts' vectors in this file between runs.
        #[arg(long, hide = true)]
        vector_cache: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API, the dashboard and the widget.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "SWITCHBOARD_BIND")]
        bind: Option<String>,
        #[command(flatten)]
        storage: StorageArgs,
        /// Refuse to start without explicitly configured secrets.
        #[arg(long, env = "SWITCHBOARD_PRODUCTION", value_parser = clap::builder::BoolishValueParser::new())]
        production: bool,
        /// The local embedding model's directory (scripts/fetch-model.sh fills it).
        #[arg(long, env = "SWITCHBOARD_MODEL_DIR")]
        model_dir: Option<PathBuf>,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Exit 0 if a running server answers /health, 1 otherwise (for container health checks).
    Healthcheck {
        /// The server's address.
        #[arg(long, env = "SWITCHBOARD_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// Recompute the daily analytics rollups from the event log.
    RebuildRollups {
        /// Only this company (its id); default: every company with events.
        #[arg(long)]
        company: Option<switchboard_domain::CompanyId>,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Measure quality offline (see docs/benchmarks.md).
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Seed a demo company (knowledge, FAQs, a refund tool and workflow, two agents) and
    /// print its sign-ins; a second run changes nothing.
    Demo {
        #[command(flatten)]
        storage: StorageArgs,
        /// The local embedding model's directory (scripts/fetch-model.sh fills it).
        #[arg(long, env = "SWITCHBOARD_MODEL_DIR")]
        model_dir: Option<PathBuf>,
        /// Give the demo's existing accounts new one-time passwords (signing them out).
        #[arg(long)]
        reset_passwords: bool,
    },
    /// Print the OpenAPI document (or write it to a file).
    ExportOpenapi {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // reqwest's TLS has no built-in crypto provider; ring is the one linked in.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { bind, storage, production, model_dir } => {
            let overrides = CliOverrides {
                bind,
                data_dir: storage.data_dir,
                database_url: storage.database_url,
                production,
                model_dir,
            };
            let settings = Settings::load(cli.config.as_deref(), &overrides)?;
            telemetry::init(&settings.log_format);
            commands::serve(settings).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { storage } => {
            let overrides = CliOverrides {
                data_dir: storage.data_dir,
                database_url: storage.database_url,
                ..Default::default()
            };
            let settings = Settings::load(cli.config.as_deref(), &overrides)?;
            telemetry::init(&settings.log_format);
            commands::migrate(settings).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Healthcheck { bind } => Ok(commands::healthcheck(&bind).await),
        Command::RebuildRollups { company, storage } => {
            let overrides = CliOverrides {
                data_dir: storage.data_dir,
                database_url: storage.database_url,
                ..Default::default()
            };
            let settings = Settings::load(cli.config.as_deref(), &overrides)?;
            telemetry::init(&settings.log_format);
            commands::rebuild_rollups(settings, company).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Retrieval {
            faqs,
            queries,
            threshold,
            common,
            top_k,
            max_weight,
            lexical_weight,
            classifier_weight,
        }) => {
            let embedder = common.embedder(cli.config.as_deref()).await?;
            let defaults = switchboard_ai::knowledge::FaqScoring::default();
            let scoring = switchboard_ai::knowledge::FaqScoring {
                top_k: top_k.unwrap_or(defaults.top_k),
                max_weight: max_weight.unwrap_or(defaults.max_weight),
                lexical_weight: lexical_weight.unwrap_or(defaults.lexical_weight),
                classifier_weight: classifier_weight.unwrap_or(defaults.classifier_weight),
            };
            let options = eval::EvalOptions {
                faqs: &faqs,
                queries: &queries,
                threshold,
                scoring,
                min: &common.min,
                max: &common.max,
            };
            let passed = eval::retrieval(embedder, options).await?;
            Ok(if passed { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Eval(EvalCommand::Passages { documents, queries, top_k, threshold, common }) => {
            let embedder = common.embedder(cli.config.as_deref()).await?;
            let options = eval_passages::PassageOptions {
                documents: &documents,
                queries: &queries,
                top_k,
                threshold,
                min: &common.min,
                max: &common.max,
            };
            let passed = eval_passages::passages(embedder, options).await?;
            Ok(if passed { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Eval(EvalCommand::Classification {
            train,
            test,
            oos_label,
            threshold,
            baselines,
            common,
            c,
            vector_cache,
        }) => {
            let embedder = common.embedder(cli.config.as_deref()).await?;
            let options = eval_classification::ClassificationOptions {
                train: &train,
                test: &test,
                oos_label: oos_label.as_deref(),
                threshold,
                c,
                baselines,
                vector_cache,
                min: &common.min,
                max: &common.max,
            };
            let passed = eval_classification::classification(embedder, options).await?;
            Ok(if passed { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Demo { storage, model_dir, reset_passwords } => {
            let overrides = CliOverrides {
                data_dir: storage.data_dir,
                database_url: storage.database_url,
                model_dir,
                ..Default::default()
            };
            let settings = Settings::load(cli.config.as_deref(), &overrides)?;
            telemetry::init(&settings.log_format);
            demo::run(settings, reset_passwords).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::ExportOpenapi { out } => {
            commands::export_openapi(out.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
