//! `dct login REGISTRY` / `dct logout REGISTRY`. The password comes from a terminal prompt (no
//! echo) or `--password-stdin`, never argv.

use std::io::{IsTerminal, Read};

use clap::Args;
use zeroize::Zeroizing;

use super::Ctx;
use crate::error::{Error, Result};
use crate::ops::Ui as _;
use crate::ops::login::{self, registry_domain, shown};

#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
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
pub(crate) struct LogoutArgs {
    /// Registry host[:port] [default: Docker Hub]
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,
}

fn read_username(args: &LoginArgs, terminal: bool) -> Result<String> {
    match args.username.clone() {
        Some(u) => Ok(u),
        None if args.password_stdin => Err(Error::invalid(
            "Must provide --username with --password-stdin",
        )),
        None if terminal => {
            eprint!("Username: ");
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| Error::Io {
                    context: "cannot read the username".into(),
                    source: e,
                })?;
            Ok(line.trim().to_string())
        }
        None => Err(Error::invalid(
            "no terminal to ask for the username on: pass -u USER (and --password-stdin)",
        )),
    }
}

fn read_password(args: &LoginArgs, terminal: bool) -> Result<Zeroizing<String>> {
    if args.password_stdin {
        let mut s = Zeroizing::new(String::new());
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::Io {
                context: "cannot read the password from stdin".into(),
                source: e,
            })?;
        Ok(Zeroizing::new(s.trim_end_matches(['\n', '\r']).to_string()))
    } else if terminal {
        let _restore = crate::fsutil::interrupt::TerminalGuard::save();
        Ok(Zeroizing::new(
            rpassword::prompt_password("Password: ").map_err(|e| Error::Io {
                context: "cannot read the password".into(),
                source: e,
            })?,
        ))
    } else {
        Err(Error::invalid(
            "no terminal to ask for the password on: pass --password-stdin (a password is never \
             accepted as an argument)",
        ))
    }
}

pub(super) fn login(ctx: &mut Ctx, args: LoginArgs) -> Result<()> {
    let domain = registry_domain(args.registry.as_deref())?;
    let terminal = std::io::stdin().is_terminal();
    let username = read_username(&args, terminal)?;
    if username.is_empty() {
        return Err(Error::invalid("Error: Non-null Username Required"));
    }
    let password = read_password(&args, terminal)?;
    if password.is_empty() {
        return Err(Error::invalid("Error: Password Required"));
    }
    let file = login::login(&mut ctx.session, &domain, &username, &password)?;
    if let Some(file) = &file {
        ctx.ui.warn(&format!(
            "your password is stored unencrypted in {}; configure a credential helper \
             (credsStore) to avoid this",
            file.display()
        ));
    }
    if ctx.json {
        return ctx.out_json(&serde_json::json!({
            "registry": shown(&domain),
            "username": username,
            "stored_in": file.map_or("credential helper".to_string(), |f| f.display().to_string()),
        }));
    }
    ctx.out("Login Succeeded\n")
}

pub(super) fn logout(ctx: &mut Ctx, args: LogoutArgs) -> Result<()> {
    let domain = registry_domain(args.registry.as_deref())?;
    let name = shown(&domain);
    let removed = login::logout(&ctx.session, &domain)?;
    if ctx.json {
        return ctx.out_json(&serde_json::json!({"registry": name, "removed": removed}));
    }
    if removed {
        ctx.out(&format!("Removing login credentials for {name}\n"))
    } else {
        ctx.out(&format!("Not logged in to {name}\n"))
    }
}
