//! `dct login` / `dct logout`: Docker's credentials in `config.json` or its credential helper.
//! The password is checked against the registry (`GET /v2/` with the challenge/token flow)
//! before anything is written.

use std::path::PathBuf;

use zeroize::Zeroizing;

use super::Session;
use crate::error::{Error, Result};
use crate::remote::AuthScope;
use crate::remote::auth::{Credentials, HUB_KEY, credentials_key};
use crate::remote::credstore::{self, Store};
use crate::remote::registry::api_host;
use crate::remote::upload::ping;

/// The registry domain credentials are filed under (`docker.io` for Hub) from what was typed
/// (`host:port`, `https://host/v2/`, `docker.io`, the Hub URL); none means Docker Hub.
pub fn registry_domain(arg: Option<&str>) -> Result<String> {
    let Some(arg) = arg else {
        return Ok("docker.io".into());
    };
    if credentials_key(arg) == HUB_KEY {
        return Ok("docker.io".into());
    }
    let host = arg
        .strip_prefix("https://")
        .or_else(|| arg.strip_prefix("http://"))
        .unwrap_or(arg);
    let host = host.split('/').next().unwrap_or_default();
    if host.is_empty() || host.contains(char::is_whitespace) || host.contains('@') {
        return Err(Error::invalid(format!("invalid registry {arg:?}")));
    }
    if credentials_key(host) == HUB_KEY {
        return Ok("docker.io".into());
    }
    Ok(host.to_ascii_lowercase())
}

/// What Docker prints for a registry: the Hub key for Hub, else `host[:port]`.
pub fn shown(domain: &str) -> String {
    credentials_key(domain)
}

/// `dct login`: checks `username`/`password` against `domain`'s registry, then stores them.
/// Returns the config file when they were stored there unencrypted (no credential helper).
pub fn login(
    session: &mut Session,
    domain: &str,
    username: &str,
    password: &Zeroizing<String>,
) -> Result<Option<PathBuf>> {
    let config_dir = session.config_dir().to_path_buf();
    let http = session.http()?;
    http.set_credentials(
        domain,
        Some(Credentials {
            username: username.to_string(),
            password: Some(password.clone()),
            identity_token: None,
            source: "the password given to dct login".into(),
        }),
    );
    let scope = AuthScope {
        registry: domain.to_string(),
        scope: String::new(),
    };
    ping(http, &api_host(domain), &scope).map_err(|e| match e {
        Error::Auth(why) => Error::Auth(format!(
            "login to {} as {username} refused: {why}; nothing was stored",
            shown(domain)
        )),
        other => other,
    })?;
    let helper_path = http.options().helper_path.clone();
    let stored = credstore::store(
        &config_dir,
        domain,
        username,
        password,
        helper_path.as_ref(),
    )?;
    Ok(match stored {
        Store::File(file) => Some(file),
        _ => None,
    })
}

/// `dct logout`: removes `domain`'s stored credentials; whether there were any.
pub fn logout(session: &Session, domain: &str) -> Result<bool> {
    credstore::erase(session.config_dir(), domain, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_names() {
        assert_eq!(registry_domain(None).unwrap(), "docker.io");
        assert_eq!(
            registry_domain(Some("index.docker.io")).unwrap(),
            "docker.io"
        );
        assert_eq!(
            registry_domain(Some("https://index.docker.io/v1/")).unwrap(),
            "docker.io"
        );
        assert_eq!(
            registry_domain(Some("https://Reg.example:5000/v2/")).unwrap(),
            "reg.example:5000"
        );
        assert_eq!(shown("docker.io"), HUB_KEY);
        assert!(registry_domain(Some("a b")).is_err());
    }
}
