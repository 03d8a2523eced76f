//! Settings: defaults, then an optional TOML file (`--config FILE`, or `BEKAL_CONFIG`, or
//! `bekal.toml` in the working directory if present), then `BEKAL_*` environment variables,
//! then command-line flags. Secrets are never printed: `Debug` redacts them.

use anyhow::Context;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The SQLite file used when no database is configured.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://bekal-data/bekal.sqlite";

#[derive(Clone, Deserialize)]
pub struct Settings {
    /// `sqlite://PATH` or `postgres://USER:PASSWORD@HOST/DB`.
    pub database_url: String,
    /// Where `bekal serve` listens.
    pub listen: String,
    /// Where keys and other files that must stay out of database dumps live.
    pub data_dir: PathBuf,
    /// `text` or `json` log lines on stderr.
    pub log_format: String,
    /// Mark the session cookie `Secure` (serve behind HTTPS). Off by default so that the demo
    /// works on http://127.0.0.1.
    #[serde(default)]
    pub cookie_secure: bool,
    /// Requests per minute per client address on the public verification routes (default
    /// 60); `BEKAL_PUBLIC_REQUESTS_PER_MINUTE`. Raise it only for load tests on loopback.
    #[serde(default)]
    pub public_requests_per_minute: Option<u32>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &bekal_store::redact_url(&self.database_url))
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("log_format", &self.log_format)
            .field("cookie_secure", &self.cookie_secure)
            .field(
                "public_requests_per_minute",
                &self.public_requests_per_minute,
            )
            .finish()
    }
}

impl Settings {
    /// Loads settings from defaults, the file and the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut builder = config::Config::builder()
            .set_default("database_url", DEFAULT_DATABASE_URL)?
            .set_default("listen", "127.0.0.1:8080")?
            .set_default("data_dir", "bekal-data")?
            .set_default("log_format", "text")?;
        let env_file = std::env::var_os("BEKAL_CONFIG").map(PathBuf::from);
        match file.map(Path::to_path_buf).or(env_file) {
            Some(path) => {
                builder = builder.add_source(config::File::from(path.clone()).required(true));
            }
            None => {
                builder = builder.add_source(config::File::with_name("bekal.toml").required(false));
            }
        }
        builder = builder.add_source(config::Environment::with_prefix("BEKAL").try_parsing(false));
        builder
            .build()
            .context("reading settings")?
            .try_deserialize()
            .context("settings are not valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_database_password() {
        let settings = Settings {
            database_url: "postgres://bekal:hunter2-secret@localhost/bekal".into(),
            listen: "127.0.0.1:8080".into(),
            data_dir: "bekal-data".into(),
            log_format: "text".into(),
            cookie_secure: false,
            public_requests_per_minute: None,
        };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("hunter2-secret"), "{shown}");
        assert!(
            shown.contains("postgres://bekal:***@localhost/bekal"),
            "{shown}"
        );
    }

    #[test]
    fn file_values_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bekal.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:9999\"\n").unwrap();
        let settings = Settings::load(Some(&path)).unwrap();
        assert_eq!(settings.listen, "127.0.0.1:9999");
    }
}
