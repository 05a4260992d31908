//! `dct login REGISTRY` / `dct logout REGISTRY`: Docker's config.json or its credential helper.
//! The password comes from a terminal prompt (no echo) or `--password-stdin`, never argv, and
//! is checked against the registry (`GET /v2/` with the challenge/token flow) before anything
//! is written.

use std::io::{IsTerminal, Read};

use clap::Args;
use zeroize::Zeroizing;

use super::Ctx;
use crate::error::{Error, Result};
use crate::remote::AuthScope;
use crate::remote::auth::{Credentials, HUB_KEY, credentials_key};
use crate::remote::credstore::{self, Store};
use crate::remote::registry::api_host;
use crate::remote::upload::ping;

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Registry host[:port] [default: Docker Hub]
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,
    /// Username [default: asked on the terminal]
    #[arg(short = 'u', long, value_name = "USER")]
    pub username: Option<String>,
    /// Read the password from stdin (it is never accepted as an argument)
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Registry host[:port] [default: Docker Hub]
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,
}

/// The registry domain credentials are filed under (`docker.io` for Hub) from what was typed
/// (`host:port`, `https://host/v2/`, `docker.io`, the Hub URL).
fn registry_domain(arg: Option<&str>) -> Result<String> {
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
fn shown(domain: &str) -> String {
    credentials_key(domain)
}

pub fn login(ctx: &mut Ctx, args: LoginArgs) -> Result<()> {
    let domain = registry_domain(args.registry.as_deref())?;
    let terminal = std::io::stdin().is_terminal();
    let username = match args.username.clone() {
        Some(u) => u,
        None if args.password_stdin => {
            return Err(Error::invalid(
                "Must provide --username with --password-stdin",
            ));
        }
        None if terminal => {
            eprint!("Username: ");
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| Error::Io {
                    context: "cannot read the username".into(),
                    source: e,
                })?;
            line.trim().to_string()
        }
        None => {
            return Err(Error::invalid(
                "no terminal to ask for the username on: pass -u USER (and --password-stdin)",
            ));
        }
    };
    if username.is_empty() {
        return Err(Error::invalid("Error: Non-null Username Required"));
    }
    let password = if args.password_stdin {
        let mut s = Zeroizing::new(String::new());
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::Io {
                context: "cannot read the password from stdin".into(),
                source: e,
            })?;
        Zeroizing::new(s.trim_end_matches(['\n', '\r']).to_string())
    } else if terminal {
        Zeroizing::new(
            rpassword::prompt_password("Password: ").map_err(|e| Error::Io {
                context: "cannot read the password".into(),
                source: e,
            })?,
        )
    } else {
        return Err(Error::invalid(
            "no terminal to ask for the password on: pass --password-stdin (a password is never \
             accepted as an argument)",
        ));
    };
    if password.is_empty() {
        return Err(Error::invalid("Error: Password Required"));
    }
    let http = ctx.http()?;
    http.set_credentials(
        &domain,
        Some(Credentials {
            username: username.clone(),
            password: Some(password.clone()),
            identity_token: None,
            source: "the password given to dct login".into(),
        }),
    );
    let scope = AuthScope {
        registry: domain.clone(),
        scope: String::new(),
    };
    ping(http, &api_host(&domain), &scope).map_err(|e| match e {
        Error::Auth(why) => Error::Auth(format!(
            "login to {} as {username} refused: {why}; nothing was stored",
            shown(&domain)
        )),
        other => other,
    })?;
    let helper_path = http.options().helper_path.clone();
    let stored = credstore::store(
        &ctx.config_dir,
        &domain,
        &username,
        &password,
        helper_path.as_ref(),
    )?;
    if let Store::File(file) = stored {
        ctx.warn(&format!(
            "your password is stored unencrypted in {}; configure a credential helper \
             (credsStore) to avoid this",
            file.display()
        ));
    }
    ctx.out("Login Succeeded\n")
}

pub fn logout(ctx: &mut Ctx, args: LogoutArgs) -> Result<()> {
    let domain = registry_domain(args.registry.as_deref())?;
    let name = shown(&domain);
    let removed = credstore::erase(&ctx.config_dir, &domain, None)?;
    if removed {
        ctx.out(&format!("Removing login credentials for {name}\n"))
    } else {
        ctx.out(&format!("Not logged in to {name}\n"))
    }
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
