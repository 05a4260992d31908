//! Writing Docker registry credentials the way `docker login` / `docker logout` do: through the
//! credential helper config.json names for the registry (`credHelpers[<key>]`, else
//! `credsStore`) with docker-credential-helpers' `store` / `erase` protocol, else inline as
//! `auths[<key>].auth` = base64(`user:password`) in config.json (written atomically, 0600,
//! every other field kept). `<key>` is `host[:port]`, or `https://index.docker.io/v1/` for
//! Docker Hub.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine as _;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::auth::{credentials_key, find_helper};
use crate::error::{Error, Result};

/// Where credentials for a registry go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Store {
    /// `docker-credential-<name>`.
    Helper(String),
    /// `auths` in config.json.
    File(PathBuf),
}

fn read_config(config_dir: &Path) -> Result<(PathBuf, Map<String, Value>)> {
    let file = config_dir.join("config.json");
    match std::fs::read(&file) {
        Ok(b) if b.iter().all(u8::is_ascii_whitespace) => Ok((file, Map::new())),
        Ok(b) => match serde_json::from_slice::<Value>(&b) {
            Ok(Value::Object(m)) => Ok((file, m)),
            _ => Err(Error::invalid(format!(
                "invalid Docker config {}: not a JSON object",
                file.display()
            ))),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((file, Map::new())),
        Err(e) => Err(Error::io("cannot read", &file, e)),
    }
}

fn write_config(config_dir: &Path, file: &Path, config: &Map<String, Value>) -> Result<()> {
    crate::fsutil::create_private_dir(config_dir)?;
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    serde::Serialize::serialize(config, &mut ser)
        .map_err(|e| Error::Other(format!("cannot encode {}: {e}", file.display())))?;
    crate::fsutil::write_atomic(file, &out)
}

/// The store config.json names for `registry`.
pub fn store_for(config_dir: &Path, registry: &str) -> Result<Store> {
    let (file, config) = read_config(config_dir)?;
    let key = credentials_key(registry);
    let helper = config
        .get("credHelpers")
        .and_then(|h| h.get(&key))
        .and_then(Value::as_str)
        .or_else(|| config.get("credsStore").and_then(Value::as_str))
        .filter(|s| !s.is_empty());
    Ok(match helper {
        Some(h) => Store::Helper(h.to_string()),
        None => Store::File(file),
    })
}

fn run_helper(
    name: &str,
    action: &str,
    input: &[u8],
    helper_path: Option<&OsString>,
) -> Result<()> {
    let program = format!("docker-credential-{name}");
    let exe = find_helper(name, helper_path).ok_or_else(|| {
        Error::Other(format!(
            "credential helper {program} (set in config.json) not found in PATH: install it or \
             remove the setting"
        ))
    })?;
    let mut child = Command::new(&exe)
        .arg(action)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Other(format!("cannot run {}: {e}", exe.display())))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input);
    }
    let out = child
        .wait_with_output()
        .map_err(|e| Error::Other(format!("credential helper {program} failed: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    let why = format!(
        "{} {}",
        String::from_utf8_lossy(&out.stdout).trim(),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Err(Error::Other(format!(
        "credential helper {program} {action} failed ({}): {}",
        out.status,
        why.trim()
    )))
}

/// Stores `username`/`password` for `registry`; returns where they went.
pub fn store(
    config_dir: &Path,
    registry: &str,
    username: &str,
    password: &str,
    helper_path: Option<&OsString>,
) -> Result<Store> {
    let key = credentials_key(registry);
    let where_to = store_for(config_dir, registry)?;
    match &where_to {
        Store::Helper(name) => {
            let body = Zeroizing::new(
                serde_json::json!({"ServerURL": key, "Username": username, "Secret": password})
                    .to_string(),
            );
            run_helper(name, "store", body.as_bytes(), helper_path)?;
        }
        Store::File(file) => {
            let (_, mut config) = read_config(config_dir)?;
            let auth = Zeroizing::new(
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}")),
            );
            let auths = config
                .entry("auths")
                .or_insert_with(|| Value::Object(Map::new()));
            if !auths.is_object() {
                *auths = Value::Object(Map::new());
            }
            let auths = auths.as_object_mut().expect("an object");
            let entry = auths
                .entry(key.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            let entry = entry.as_object_mut().expect("an object");
            entry.insert("auth".into(), Value::String(auth.to_string()));
            // The inline forms a previous login may have left would win over nothing, but
            // would be stale: drop them.
            for stale in ["username", "password", "identitytoken"] {
                entry.remove(stale);
            }
            write_config(config_dir, file, &config)?;
        }
    }
    Ok(where_to)
}

/// Removes the credentials for `registry` (helper `erase`, and any `auths` entry); false when
/// config.json had none and no helper is configured.
pub fn erase(config_dir: &Path, registry: &str, helper_path: Option<&OsString>) -> Result<bool> {
    let key = credentials_key(registry);
    let where_to = store_for(config_dir, registry)?;
    let mut removed = false;
    if let Store::Helper(name) = &where_to {
        run_helper(name, "erase", key.as_bytes(), helper_path)?;
        removed = true;
    }
    let (file, mut config) = read_config(config_dir)?;
    if let Some(auths) = config.get_mut("auths").and_then(Value::as_object_mut)
        && auths.remove(&key).is_some()
    {
        write_config(config_dir, &file, &config)?;
        removed = true;
    }
    Ok(removed)
}
