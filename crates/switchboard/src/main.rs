//! The `switchboard` binary: one process that serves the API, the dashboard and the widget,
//! plus the operational subcommands around it.

mod backend;
mod commands;
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
    /// Print the OpenAPI document (or write it to a file).
    ExportOpenapi {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
        Command::Serve { bind, storage, production } => {
            let overrides = CliOverrides {
                bind,
                data_dir: storage.data_dir,
                database_url: storage.database_url,
                production,
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
        Command::ExportOpenapi { out } => {
            commands::export_openapi(out.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
