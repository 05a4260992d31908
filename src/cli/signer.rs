//! `dct signer add|remove`: one repository at a time, each failure reported as Docker does, the
//! exit code the first failure's.

use std::path::PathBuf;

use clap::Subcommand;

use super::Ctx;
use crate::error::{Error, Result};
use crate::ops::signer::{self, RemoveOutcome};
use crate::reference::RepoRef;

#[derive(Debug, Subcommand)]
pub(crate) enum SignerCommand {
    /// Add a signer (a delegation, as `docker trust signer add`) to repositories
    Add {
        /// Signer name: lower-case letters, digits, `-` and `_`
        name: String,
        /// Repositories
        #[arg(value_name = "IMAGE", required = true)]
        images: Vec<String>,
        /// The signer's public key or certificate (PEM), or its key on a PKCS#11 token (RFC 7512
        /// URI: recorded in this trust dir for signing) [repeatable]
        #[arg(
            long = "key",
            value_name = "PUB.pem|URI",
            required = true,
            value_parser = super::KeyArgParser
        )]
        keys: Vec<super::KeyArg>,
    },
    /// Remove a signer from repositories
    Remove {
        name: String,
        #[arg(value_name = "IMAGE", required = true)]
        images: Vec<String>,
        /// Do not ask when this signer signed the current releases
        #[arg(short, long)]
        force: bool,
    },
}

pub(super) fn run(ctx: &mut Ctx, cmd: SignerCommand) -> Result<()> {
    match cmd {
        SignerCommand::Add { name, images, keys } => {
            signer::check_signer_name(&name)?;
            let (files, tokens): (Vec<_>, Vec<_>) = keys
                .into_iter()
                .partition(|k| matches!(k, super::KeyArg::File(_)));
            let files: Vec<PathBuf> = files
                .into_iter()
                .filter_map(|k| match k {
                    super::KeyArg::File(f) => Some(f),
                    super::KeyArg::Token(_) => None,
                })
                .collect();
            let mut keys = signer::read_signer_keys(&files)?;
            for k in tokens {
                if let super::KeyArg::Token(uri) = k {
                    keys.push(signer::token_signer_key(
                        &mut ctx.session,
                        &*ctx.ui,
                        &name,
                        &uri,
                    )?);
                }
            }
            per_repo(
                ctx,
                &name,
                &images,
                "failed to add signer to",
                |ctx, repo| {
                    signer::add(&mut ctx.session, &*ctx.ui, &name, &keys, repo)?;
                    Ok((
                        format!(
                            "Successfully added signer: {name} to {}\n\n",
                            repo.as_typed()
                        ),
                        "added",
                    ))
                },
            )
        }
        SignerCommand::Remove {
            name,
            images,
            force,
        } => {
            if name == "releases" {
                return Err(Error::invalid(
                    "releases is a reserved keyword and cannot be removed",
                ));
            }
            per_repo(
                ctx,
                &name,
                &images,
                "error removing signer from",
                |ctx, repo| {
                    Ok(
                        match signer::remove(&mut ctx.session, &*ctx.ui, &name, repo, force)? {
                            RemoveOutcome::Aborted => (String::new(), "aborted"),
                            RemoveOutcome::Removed => (
                                format!("Successfully removed {name} from {}\n\n", repo.as_typed()),
                                "removed",
                            ),
                        },
                    )
                },
            )
        }
    }
}

/// Runs `each` for every repository, printing per-repository failures as Docker does, and
/// failing at the end with the list of repositories that failed. With `--json`, one value at
/// the end: `{"signer", "repositories": [{"name", "result", "error"?}]}`.
fn per_repo(
    ctx: &mut Ctx,
    signer: &str,
    images: &[String],
    failed_msg: &str,
    mut each: impl FnMut(&mut Ctx, &RepoRef) -> Result<(String, &'static str)>,
) -> Result<()> {
    let mut failed = Vec::new();
    let mut first: Option<Error> = None;
    let mut results = Vec::new();
    for image in images {
        match RepoRef::parse(image).and_then(|repo| each(ctx, &repo)) {
            Ok((out, result)) => {
                results.push(serde_json::json!({"name": image, "result": result}));
                if !ctx.json {
                    ctx.out(&out)?;
                }
            }
            Err(e) => {
                eprintln!("dct: {e}\n");
                results.push(serde_json::json!({
                    "name": image,
                    "result": "failed",
                    "error": e.to_string(),
                }));
                failed.push(image.clone());
                first.get_or_insert(e);
            }
        }
    }
    if ctx.json {
        ctx.out_json(&serde_json::json!({"signer": signer, "repositories": results}))?;
    }
    match first {
        None => Ok(()),
        Some(e) if images.len() == 1 => Err(Error::Reported(Box::new(e))),
        Some(e) => {
            eprintln!("dct: {failed_msg}: {}", failed.join(", "));
            Err(Error::Reported(Box::new(e)))
        }
    }
}
