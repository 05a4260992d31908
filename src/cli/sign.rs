//! `dct init`, `dct sign`, `dct publish`, `dct status`, `dct revoke` and `dct delete`.

use clap::Args;

use super::Ctx;
use crate::error::{Error, Result};
use crate::oci::Digest;
use crate::ops::publish::{self as publishing, PublishOutcome};
use crate::ops::rotate;
use crate::ops::sign::{self as signing, InitOutcome, RevokeOutcome, SignRequest};
use crate::reference::{RepoRef, TagRef};
use crate::tabwriter;

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Repository to initialise, e.g. registry.example.com/app
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Keep the root key on a PKCS#11 token: the key this RFC 7512 URI names (object "root"
    /// when it names no object or id), generated on the token if it holds none
    #[arg(long, value_name = "URI", value_parser = super::Pkcs11UriParser)]
    pub root_key: Option<Box<crate::ops::Pkcs11Uri>>,
}

#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    /// Tags to sign, NAME:TAG or NAME:TAG@sha256:HEX (that digest, not the tag's current one);
    /// several are published together, per repository
    #[arg(value_name = "IMAGE:TAG", required = true)]
    pub images: Vec<String>,
    /// Sign this manifest digest instead of asking the registry (needs --size)
    #[arg(long, value_name = "sha256:HEX", requires = "size")]
    pub digest: Option<String>,
    /// Size in bytes of the manifest given with --digest
    #[arg(long, value_name = "N", requires = "digest")]
    pub size: Option<u64>,
    /// Only stage the signature; publish later with `dct publish`
    #[arg(long)]
    pub local: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RepoArgs {
    /// Repository, e.g. registry.example.com/app
    #[arg(value_name = "IMAGE")]
    pub image: String,
}

#[derive(Debug, Args)]
pub(crate) struct RevokeArgs {
    /// A tag to revoke, or a repository to revoke every signed tag of
    #[arg(value_name = "IMAGE[:TAG]")]
    pub image: String,
    /// Do not ask for confirmation when revoking every tag
    #[arg(short = 'y', long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DeleteArgs {
    /// Repository, e.g. registry.example.com/app
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Also delete the trust data on the server (needs the `*` permission there)
    #[arg(long)]
    pub remote: bool,
}

pub(super) fn init(ctx: &mut Ctx, args: InitArgs) -> Result<()> {
    let repo = RepoRef::parse(&args.image)?;
    let name = repo.gun();
    let outcome = signing::init(&mut ctx.session, &*ctx.ui, &repo, args.root_key.as_deref())?;
    let created = outcome == InitOutcome::Initialized;
    if ctx.json {
        return ctx.out_json(&serde_json::json!({"name": name, "initialized": created}));
    }
    if created {
        ctx.out(&format!("Successfully initialized \"{name}\"\n"))
    } else {
        ctx.out(&format!("{name} already has trust data; nothing to do\n"))
    }
}

pub(super) fn sign(ctx: &mut Ctx, args: SignArgs) -> Result<()> {
    let digest = match (&args.digest, args.size) {
        (Some(d), Some(size)) => {
            let digest = Digest::parse(d).ok_or_else(|| {
                Error::invalid(format!("--digest {d}: expected sha256: and 64 hex digits"))
            })?;
            Some((digest, size))
        }
        _ => None,
    };
    let tags = args
        .images
        .iter()
        .map(|a| {
            let (tag, pinned) = TagRef::parse_pinned(a)?;
            let pinned = pinned.map(|d| d.parse::<Digest>()).transpose()?;
            Ok((tag, pinned))
        })
        .collect::<Result<Vec<_>>>()?;
    let req = SignRequest {
        tags,
        digest,
        local: args.local,
    };
    let done = signing::sign(&mut ctx.session, &*ctx.ui, &req)?;
    if ctx.json {
        return ctx.out_json(&serde_json::json!({"signed": super::signed_json(&done)}));
    }
    let mut lines = String::new();
    for t in &done {
        if t.staged {
            lines.push_str(&format!(
                "Staged signature for {}:{}; publish it with `dct publish {}`\n",
                t.gun, t.tag, t.gun
            ));
        } else {
            lines.push_str(&format!("Successfully signed {}:{}\n", t.gun, t.tag));
        }
    }
    ctx.out(&lines)
}

pub(super) fn publish(ctx: &mut Ctx, args: RepoArgs) -> Result<()> {
    let repo = RepoRef::parse(&args.image)?;
    let name = repo.gun();
    let outcome = publishing::publish(&mut ctx.session, &*ctx.ui, &repo)?;
    if ctx.json {
        let n = match &outcome {
            PublishOutcome::NothingStaged => 0,
            PublishOutcome::Published(p) => p.changes,
        };
        return ctx.out_json(&serde_json::json!({"name": name, "published": n}));
    }
    match outcome {
        PublishOutcome::NothingStaged => ctx.out(&format!("No unpublished changes for {name}\n")),
        PublishOutcome::Published(p) => ctx.out(&format!(
            "Successfully published {} change{} for repository {name}\n",
            p.changes,
            if p.changes == 1 { "" } else { "s" }
        )),
    }
}

pub(super) fn status(ctx: &mut Ctx, args: RepoArgs) -> Result<()> {
    let repo = RepoRef::parse(&args.image)?;
    let name = repo.gun();
    let staged = signing::status(&ctx.session, &repo)?;
    if ctx.json {
        let rows: Vec<serde_json::Value> = staged
            .iter()
            .map(|s| {
                serde_json::json!({
                    "action": s.change.action.as_str(),
                    "scope": s.change.scope,
                    "type": s.change.kind.as_str(),
                    "path": s.change.path,
                    "file": s.path,
                })
            })
            .collect();
        return ctx.out(&format!("{}\n", serde_json::Value::Array(rows)));
    }
    if staged.is_empty() {
        return ctx.out(&format!("No unpublished changes for {name}\n"));
    }
    let mut rows = vec![
        ["#", "ACTION", "SCOPE", "TYPE", "PATH"]
            .map(String::from)
            .to_vec(),
        ["-", "------", "-----", "----", "----"]
            .map(String::from)
            .to_vec(),
    ];
    for (i, s) in staged.iter().enumerate() {
        rows.push(vec![
            i.to_string(),
            s.change.action.as_str().to_string(),
            s.change.scope.clone(),
            s.change.kind.as_str().to_string(),
            s.change.path.clone(),
        ]);
    }
    ctx.out(&format!(
        "Unpublished changes for {name}:\n\n{}",
        tabwriter::layout(&rows, 0, 4)
    ))
}

pub(super) fn revoke(ctx: &mut Ctx, args: RevokeArgs) -> Result<()> {
    let repo = RepoRef::parse(&args.image)?;
    let outcome = signing::revoke(&mut ctx.session, &*ctx.ui, &repo, args.yes)?;
    if ctx.json {
        return ctx.out_json(&serde_json::json!({
            "name": repo.gun(),
            "tag": repo.tag(),
            "revoked": outcome == RevokeOutcome::Revoked,
        }));
    }
    match outcome {
        RevokeOutcome::Aborted => Ok(()),
        RevokeOutcome::Revoked => ctx.out(&format!(
            "Successfully deleted signature for {}\n",
            args.image
        )),
    }
}

pub(super) fn delete(ctx: &mut Ctx, args: DeleteArgs) -> Result<()> {
    let repo = RepoRef::parse(&args.image)?;
    rotate::delete(&mut ctx.session, &*ctx.ui, &repo, args.remote)?;
    if ctx.json {
        return ctx.out_json(&serde_json::json!({"name": repo.gun(), "remote": args.remote}));
    }
    ctx.out(&format!(
        "Successfully deleted local{} trust data for repository {}\n",
        if args.remote { " and remote" } else { "" },
        repo.gun()
    ))
}
