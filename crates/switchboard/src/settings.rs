//! Layered configuration: built-in defaults, then an optional TOML file, then
//! `SWITCHBOARD_*` environment variables, then command-line flags. Secrets may also come
//! from files (`SWITCHBOARD_JWT_SECRET_FILE`), which suits container secret mounts.

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use ipnet::IpNet;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// A database URL whose password never reaches a log line or a `Debug` dump.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct DatabaseUrl(SecretString);

impl DatabaseUrl {
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    pub fn is_postgres(&self) -> bool {
        let u = self.expose();
        u.starts_with("postgres://") || u.starts_with("postgresql://")
    }

    /// The URL with any password replaced by `***`: the one in `user:pass@` and those in
    /// the `password` and `sslpassword` query parameters (libpq and sqlx accept both).
    pub fn masked(&self) -> String {
        let raw = self.expose();
        let Ok(mut url) = url::Url::parse(raw) else {
            // Unreadable as a URL, so there is no telling where a password would be.
            return "(a database URL that does not parse; hidden)".to_owned();
        };
        if url.password().is_some() {
            let _ = url.set_password(Some("***"));
        }
        if url.query().is_some() {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(name, value)| {
                    let secret =
                        ["password", "sslpassword"].iter().any(|s| name.eq_ignore_ascii_case(s));
                    let value = if secret { "***".to_owned() } else { value.into_owned() };
                    (name.into_owned(), value)
                })
                .collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        url.to_string()
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

/// An older signing key that still verifies tokens during a rotation.
#[derive(Debug, Clone, Deserialize)]
pub struct PreviousKey {
    pub kid: String,
    pub secret: SecretString,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<DatabaseUrl>,
    /// Refuse to start without explicit secrets instead of generating development ones.
    pub production: bool,
    pub jwt_secret: Option<SecretString>,
    pub jwt_secret_file: Option<PathBuf>,
    pub jwt_kid: String,
    #[serde(default)]
    pub jwt_previous_keys: Vec<PreviousKey>,
    pub session_ttl_secs: u64,
    pub max_body_bytes: usize,
    pub request_timeout_secs: u64,
    pub pg_max_connections: u32,
    /// An agent not heard from for this long is set offline.
    pub agent_offline_after_secs: u64,
    /// `text` for people, `json` for log shippers.
    pub log_format: String,
    /// Largest knowledge-base upload, in bytes.
    pub max_upload_bytes: usize,
    /// Most pages a PDF upload may have.
    pub max_pdf_pages: usize,
    /// Let tenants point the server at loopback and private addresses (an AI provider's base
    /// URL, webhooks): for a model server on the same machine or network.
    #[serde(default)]
    pub allow_private_outbound: bool,
    /// Reverse proxies whose client-address header is believed: CIDR networks or single
    /// addresses, a list in TOML or comma-separated in `SWITCHBOARD_TRUSTED_PROXIES`.
    #[serde(default, deserialize_with = "networks")]
    pub trusted_proxies: Vec<IpNet>,
    /// The header those proxies append the client to: `x-forwarded-for` or `forwarded`.
    #[serde(default = "default_forwarded_header")]
    pub forwarded_header: String,
    /// Registrations and sign-ins admitted per client address: per minute, and at once.
    #[serde(default = "default_auth_rate")]
    pub auth_requests_per_minute: u32,
    #[serde(default = "default_auth_rate")]
    pub auth_requests_burst: u32,
    /// Background jobs (document indexing) run at once on this node.
    #[serde(default = "default_job_workers")]
    pub job_workers: usize,
    /// Seconds a job may take (indexing one document); a document still indexing then is
    /// failed with the reason.
    #[serde(default = "default_job_timeout_secs")]
    pub job_timeout_secs: u64,
    /// Minutes without a message after which a conversation the AI holds is closed (and
    /// the customer asked for feedback); 0 keeps them open.
    #[serde(default = "default_idle_close_mins")]
    pub conversation_idle_close_mins: u64,
    /// Seconds between the sockets' pings (and staff presence touches); a client silent for
    /// two and a half of them is closed. 1 to 60, and under half `agent_offline_after_secs`.
    #[serde(default = "default_socket_ping_secs")]
    pub socket_ping_secs: u64,
    /// Where vectors come from: `local` (the in-process model in `model_dir`, short inputs on an
    /// 8-bit copy of its weights: half the latency), `local-f32` (the same, all in f32), `openai` (an
    /// OpenAI-compatible `/v1/embeddings` endpoint) or `none` (BM25-only retrieval).
    pub embeddings: String,
    /// The local model's directory; default `~/.cache/switchboard/models/all-MiniLM-L6-v2`.
    pub model_dir: Option<PathBuf>,
    /// For `embeddings = "openai"`: base URL up to `/v1`, model, key and vector size.
    pub embeddings_url: Option<String>,
    pub embeddings_model: Option<String>,
    pub embeddings_api_key: Option<SecretString>,
    pub embeddings_dimensions: Option<usize>,
}

fn default_forwarded_header() -> String {
    "x-forwarded-for".to_owned()
}

fn default_idle_close_mins() -> u64 {
    30
}

fn default_socket_ping_secs() -> u64 {
    switchboard_server::config::DEFAULT_SOCKET_PING.as_secs()
}

fn default_job_workers() -> usize {
    2
}

fn default_job_timeout_secs() -> u64 {
    300
}

fn default_auth_rate() -> u32 {
    60
}

/// A list of networks from TOML (`["10.0.0.0/8"]`) or one string from the environment
/// (`"10.0.0.0/8, fd00::/8"`); a bare address is its own network.
fn networks<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<IpNet>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        One(String),
        Many(Vec<String>),
    }
    let items = match Raw::deserialize(d)? {
        Raw::One(s) => s.split([',', ' ']).map(str::to_owned).collect(),
        Raw::Many(v) => v,
    };
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>().or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from)).map_err(
                |_| {
                    serde::de::Error::custom(format!(
                        "trusted_proxies: {s:?} is not a network (10.0.0.0/8) or an address"
                    ))
                },
            )
        })
        .collect()
}

/// The defaults, as the lowest layer.
#[derive(Serialize)]
struct Defaults {
    bind: &'static str,
    data_dir: &'static str,
    production: bool,
    jwt_kid: &'static str,
    session_ttl_secs: u64,
    max_body_bytes: usize,
    request_timeout_secs: u64,
    pg_max_connections: u32,
    agent_offline_after_secs: u64,
    log_format: &'static str,
    max_upload_bytes: usize,
    max_pdf_pages: usize,
    embeddings: &'static str,
}

/// Values given on the command line; only those present override the other layers.
#[derive(Debug, Default, Serialize)]
pub struct CliOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub production: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_dir: Option<PathBuf>,
}

impl Settings {
    pub fn load(config_file: Option<&Path>, cli: &CliOverrides) -> anyhow::Result<Self> {
        let defaults = Defaults {
            bind: "127.0.0.1:8080",
            data_dir: "./data",
            production: false,
            jwt_kid: "k1",
            session_ttl_secs: 24 * 3600,
            max_body_bytes: 2 * 1024 * 1024,
            request_timeout_secs: 30,
            pg_max_connections: 20,
            agent_offline_after_secs: switchboard_engine::routing::DEFAULT_PRESENCE_TIMEOUT
                .as_secs(),
            log_format: "text",
            max_upload_bytes: 10 * 1024 * 1024,
            max_pdf_pages: 500,
            embeddings: "local",
        };
        let mut figment = Figment::from(Serialized::defaults(defaults));
        if let Some(path) = config_file {
            if !path.exists() {
                bail!("the configuration file {} does not exist", path.display());
            }
            figment = figment.merge(Toml::file(path));
        }
        let settings: Settings = figment
            // `config` names the file itself, and `production` is a flag clap already read
            // from the environment with the usual 1/0/yes/no spellings.
            .merge(Env::prefixed("SWITCHBOARD_").ignore(&["config", "production"]))
            .merge(Serialized::defaults(cli))
            .extract()
            .context("while reading the configuration (file, SWITCHBOARD_* variables, flags)")?;
        if !matches!(settings.log_format.as_str(), "text" | "json") {
            bail!("log_format must be \"text\" or \"json\", not {:?}", settings.log_format);
        }
        if !matches!(settings.forwarded_header.as_str(), "x-forwarded-for" | "forwarded") {
            bail!(
                "forwarded_header must be \"x-forwarded-for\" or \"forwarded\", not {:?}",
                settings.forwarded_header
            );
        }
        if settings.auth_requests_per_minute == 0 || settings.auth_requests_burst == 0 {
            bail!("auth_requests_per_minute and auth_requests_burst must be at least 1");
        }
        if settings.job_workers == 0 || settings.job_timeout_secs == 0 {
            bail!("job_workers and job_timeout_secs must be at least 1");
        }
        // An agent's console touches its presence once a ping: two pings must fit in the
        // offline limit, or a connected agent would be set offline.
        let ping = settings.socket_ping_secs;
        if !(1..=60).contains(&ping) || ping * 2 >= settings.agent_offline_after_secs {
            bail!(
                "socket_ping_secs must be 1 to 60 and under half agent_offline_after_secs ({}), \
                 not {ping}",
                settings.agent_offline_after_secs
            );
        }
        settings.check_key_ids()?;
        if !matches!(settings.embeddings.as_str(), "local" | "local-f32" | "openai" | "none") {
            bail!(
                "embeddings must be \"local\", \"local-f32\", \"openai\" or \"none\", not {:?}",
                settings.embeddings
            );
        }
        Ok(settings)
    }

    /// A token names its signing key by kid, so two keys with one kid cannot both verify:
    /// one would silently replace the other.
    fn check_key_ids(&self) -> anyhow::Result<()> {
        let mut seen = std::collections::HashSet::new();
        let kids =
            std::iter::once(&self.jwt_kid).chain(self.jwt_previous_keys.iter().map(|k| &k.kid));
        for kid in kids {
            if !seen.insert(kid) {
                bail!(
                    "the signing key id {kid:?} is used twice (jwt_kid and jwt_previous_keys); \
                     give every key its own kid"
                );
            }
        }
        Ok(())
    }

    /// The explicit signing secret, from the setting or the file it names.
    pub fn explicit_jwt_secret(&self) -> anyhow::Result<Option<SecretString>> {
        if let Some(s) = &self.jwt_secret {
            return Ok(Some(s.clone()));
        }
        match &self.jwt_secret_file {
            Some(path) => {
                let raw = std::fs::read_to_string(path)
                    .with_context(|| format!("while reading jwt_secret_file {}", path.display()))?;
                Ok(Some(SecretString::from(raw.trim().to_owned())))
            }
            None => Ok(None),
        }
    }
}

#[cfg(test)]
// figment::Jail's closure signature is fixed by figment, large error type and all.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_never_show_their_password() {
        let url = DatabaseUrl(SecretString::from("postgres://app:hunter2@db:5432/sb".to_owned()));
        assert_eq!(format!("{url:?}"), "postgres://app:***@db:5432/sb");
        assert!(!format!("{url:?}").contains("hunter2"));
        let plain = DatabaseUrl(SecretString::from("postgres://app@db/sb".to_owned()));
        assert_eq!(plain.masked(), "postgres://app@db/sb");
    }

    #[test]
    fn query_string_passwords_are_masked_too() {
        let url = |s: &str| DatabaseUrl(SecretString::from(s.to_owned()));
        let masked = url("postgres://db/sb?user=app&password=hunter2&sslmode=require").masked();
        assert_eq!(masked, "postgres://db/sb?user=app&password=***&sslmode=require");
        let masked = url("postgres://app:pw1@db/sb?sslpassword=keypass&PASSWORD=pw2").masked();
        assert_eq!(masked, "postgres://app:***@db/sb?sslpassword=***&PASSWORD=***");
        let masked = url("postgres://db/sb?pass%77ord=enc0ded").masked();
        assert!(!masked.contains("enc0ded"), "{masked}");
        assert!(!url("not a url :pw@").masked().contains("pw"));
        assert_eq!(
            url("sqlite://./data/sb.db?mode=rwc").masked(),
            "sqlite://./data/sb.db?mode=rwc"
        );
    }

    #[test]
    fn trusted_proxies_and_rate_limits_come_from_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("SWITCHBOARD_TRUSTED_PROXIES", "10.0.0.0/8, fd00::/8,192.0.2.7");
            jail.set_env("SWITCHBOARD_AUTH_REQUESTS_PER_MINUTE", "5");
            let s = Settings::load(None, &CliOverrides::default()).expect("loads");
            let nets: Vec<String> = s.trusted_proxies.iter().map(ToString::to_string).collect();
            assert_eq!(nets, ["10.0.0.0/8", "fd00::/8", "192.0.2.7/32"]);
            assert_eq!((s.auth_requests_per_minute, s.auth_requests_burst), (5, 60));
            assert_eq!(s.forwarded_header, "x-forwarded-for");
            jail.set_env("SWITCHBOARD_TRUSTED_PROXIES", "10.0.0.0/33");
            let err = Settings::load(None, &CliOverrides::default()).expect_err("refused");
            assert!(format!("{err:#}").contains("10.0.0.0/33"), "{err:#}");
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            let s = Settings::load(None, &CliOverrides::default()).expect("loads");
            assert!(s.trusted_proxies.is_empty(), "nobody is trusted by default");
            jail.create_file("sb.toml", "trusted_proxies = [\"172.16.0.0/12\"]")?;
            let s = Settings::load(Some(Path::new("sb.toml")), &CliOverrides::default());
            assert_eq!(s.expect("loads").trusted_proxies[0].to_string(), "172.16.0.0/12");
            Ok(())
        });
    }

    #[test]
    fn the_socket_ping_must_fit_twice_in_the_agent_offline_limit() {
        figment::Jail::expect_with(|jail| {
            let s = Settings::load(None, &CliOverrides::default()).expect("loads");
            assert_eq!(s.socket_ping_secs, 20);
            jail.set_env("SWITCHBOARD_SOCKET_PING_SECS", "5");
            let s = Settings::load(None, &CliOverrides::default()).expect("loads");
            assert_eq!(s.socket_ping_secs, 5);
            for refused in ["0", "61"] {
                jail.set_env("SWITCHBOARD_SOCKET_PING_SECS", refused);
                let err = Settings::load(None, &CliOverrides::default()).expect_err(refused);
                assert!(err.to_string().contains("socket_ping_secs"), "{err:#}");
            }
            // Two pings no longer fit in the offline limit: a connected agent would go offline.
            jail.set_env("SWITCHBOARD_SOCKET_PING_SECS", "30");
            jail.set_env("SWITCHBOARD_AGENT_OFFLINE_AFTER_SECS", "60");
            let err = Settings::load(None, &CliOverrides::default()).expect_err("too slow");
            assert!(err.to_string().contains("agent_offline_after_secs (60)"), "{err:#}");
            Ok(())
        });
    }

    #[test]
    fn duplicate_signing_key_ids_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("SWITCHBOARD_JWT_KID", "k2");
            jail.set_env("SWITCHBOARD_JWT_PREVIOUS_KEYS", "[{kid=\"k2\",secret=\"old\"}]");
            let err = Settings::load(None, &CliOverrides::default()).expect_err("same as current");
            assert!(err.to_string().contains("\"k2\" is used twice"), "{err:#}");
            jail.set_env(
                "SWITCHBOARD_JWT_PREVIOUS_KEYS",
                "[{kid=\"k1\",secret=\"a\"},{kid=\"k1\",secret=\"b\"}]",
            );
            let err = Settings::load(None, &CliOverrides::default()).expect_err("two previous");
            assert!(err.to_string().contains("\"k1\""), "{err:#}");
            jail.set_env("SWITCHBOARD_JWT_PREVIOUS_KEYS", "[{kid=\"k1\",secret=\"a\"}]");
            let s = Settings::load(None, &CliOverrides::default()).expect("distinct kids");
            assert_eq!(s.jwt_previous_keys.len(), 1);
            Ok(())
        });
    }

    #[test]
    fn settings_debug_hides_the_signing_secret() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("SWITCHBOARD_JWT_SECRET", "very-secret-value");
            let s = Settings::load(None, &CliOverrides::default()).expect("loads");
            assert!(!format!("{s:?}").contains("very-secret-value"));
            Ok(())
        });
    }

    #[test]
    fn the_environment_overrides_the_file_and_flags_override_both() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "sb.toml",
                "bind = \"127.0.0.1:1111\"\ndata_dir = \"/from/file\"\nsession_ttl_secs = 60",
            )?;
            jail.set_env("SWITCHBOARD_BIND", "127.0.0.1:2222");
            jail.set_env("SWITCHBOARD_DATA_DIR", "/from/env");
            let cli = CliOverrides { data_dir: Some("/from/cli".into()), ..Default::default() };
            let s = Settings::load(Some(Path::new("sb.toml")), &cli).expect("loads");
            assert_eq!(s.bind.port(), 2222);
            assert_eq!(s.data_dir, PathBuf::from("/from/cli"));
            assert_eq!(s.session_ttl_secs, 60);
            Ok(())
        });
    }
}
