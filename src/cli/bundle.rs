//! `dct bundle create | verify | import`: trust data kept in one file and verified from it
//! without any trust server.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::json;

use super::{AtArgs, Ctx, PinArgs, bundle_json, help};
use crate::error::{Error, Result};
use crate::ops::Ui as _;
use crate::ops::bundle::{self, At};
use crate::reference::RepoRef;
use crate::tabwriter as table;

#[derive(Debug, Subcommand)]
pub(crate) enum BundleCommand {
    /// Save the verified trust data of repositories in one file, to verify offline later
    #[command(
        long_about = "Save the verified trust data of repositories in one file.\n\n\
        For each repository, dct runs the full verified update `dct lookup` runs (and updates \
        the cache as it does), then writes every metadata file needed to verify it offline — \
        every root version from 1 (so a reader holding an older root follows rotations), the \
        timestamp, snapshot, targets and every delegation — with an index, as one tar file. \
        The same trust data saved at the same time gives the same bytes (SOURCE_DATE_EPOCH \
        sets the save time). The file holds no secrets: it is written atomically with mode \
        0644. Exit codes as `dct lookup`.",
        after_long_help = help::BUNDLE_CREATE_EXAMPLES
    )]
    Create(CreateArgs),
    /// Verify every repository of a bundle offline and list its signed tags
    #[command(
        long_about = "Verify every repository of a bundle offline and list its signed \
        tags.\n\n\
        Nothing is requested from any server and nothing is written. Every check of `dct \
        lookup` is made; the root must be reached from the root this trust dir has cached for \
        the repository, or from a root key given with --pin-root (or pinned in trust_pinning): \
        a root from a file is never trusted on first use. Prints NAME, TAG, DIGEST, SIZE, ROLE \
        and SIGNERS of every tag `dct lookup` resolves. Exit codes as `dct lookup` (the first \
        failure's): 2 for a damaged or altered file, 4 when verification fails.",
        after_long_help = help::BUNDLE_VERIFY_EXAMPLES
    )]
    Verify(VerifyArgs),
    /// Verify a bundle offline and load it into the trust dir's cache
    #[command(
        long_about = "Verify a bundle offline and load it into the trust dir's cache.\n\n\
        Every repository is verified as by `dct bundle verify`; only when all of them verify \
        is their trust data written to the cache (versions never go back), so that later \
        plain `dct lookup` runs work from the cache, offline, and the root is trusted from \
        then on. Otherwise nothing is written.",
        after_long_help = help::BUNDLE_IMPORT_EXAMPLES
    )]
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// Repositories (every signed tag of each is saved)
    #[arg(value_name = "IMAGE", required = true)]
    pub images: Vec<String>,
    /// The bundle file to write (replaced if it exists)
    #[arg(short, long, value_name = "FILE", required = true)]
    pub output: PathBuf,
    #[command(flatten)]
    pub pin: PinArgs,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The bundle file
    pub file: PathBuf,
    #[command(flatten)]
    pub pin: PinArgs,
    #[command(flatten)]
    pub at: AtArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The bundle file
    pub file: PathBuf,
    #[command(flatten)]
    pub pin: PinArgs,
    #[command(flatten)]
    pub at: AtArgs,
}

pub(super) fn run(ctx: &mut Ctx, cmd: BundleCommand) -> Result<()> {
    match cmd {
        BundleCommand::Create(args) => create(ctx, args),
        BundleCommand::Verify(args) => verify(ctx, args),
        BundleCommand::Import(args) => import(ctx, args),
    }
}

fn create(ctx: &mut Ctx, args: CreateArgs) -> Result<()> {
    let repos = args
        .images
        .iter()
        .map(|i| RepoRef::parse(i))
        .collect::<Result<Vec<_>>>()?;
    let created = bundle::create(
        &mut ctx.session,
        &*ctx.ui,
        &repos,
        &args.pin.pin_root,
        &args.output,
    )?;
    if ctx.json {
        let collections: Vec<_> = created
            .collections
            .iter()
            .map(|c| {
                json!({
                    "name": c.name,
                    "server": c.server,
                    "root_version": c.root_version,
                    "files": c.files.iter().map(|(name, sha256, length)| json!({
                        "name": name, "sha256": sha256, "length": length,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        return ctx.out_json(&json!({
            "file": created.file.display().to_string(),
            "saved": created.saved,
            "length": created.length,
            "collections": collections,
        }));
    }
    let mut text = String::new();
    for c in &created.collections {
        text.push_str(&format!(
            "{}: {} files (root versions 1 to {})\n",
            c.name,
            c.files.len(),
            c.root_version
        ));
    }
    text.push_str(&format!(
        "Saved to {} ({} bytes, saved {})\n",
        created.file.display(),
        created.length,
        created.saved
    ));
    ctx.out(&text)
}

fn verify(ctx: &mut Ctx, args: VerifyArgs) -> Result<()> {
    let open = bundle::open(&*ctx.ui, &args.file, args.at.at.unwrap_or(At::Now))?;
    let results = bundle::verify(&ctx.session, &*ctx.ui, &open, &args.pin.pin_root)?;
    let mut first_error = None;
    let mut verified = Vec::new();
    for r in results {
        match r {
            Ok(v) => verified.push(v),
            Err(e) => {
                eprintln!("dct: {e}");
                first_error.get_or_insert(e);
            }
        }
    }
    for v in &verified {
        ctx.ui.progress(&format!(
            "Verified {}: root version {}, timestamp version {} (expires {}), {} signed tag(s)",
            v.name,
            v.root_version,
            v.timestamp_version,
            v.timestamp_expires,
            v.tags.len()
        ));
    }
    if ctx.json {
        let mut out = bundle_json(&open);
        out["collections"] = verified
            .iter()
            .map(|v| {
                json!({
                    "name": v.name,
                    "root_version": v.root_version,
                    "timestamp_version": v.timestamp_version,
                    "timestamp_expires": v.timestamp_expires,
                    "tags": v.tags.iter().map(|t| json!({
                        "tag": t.tag,
                        "digest": t.digest.to_string(),
                        "size": t.size,
                        "role": t.role,
                        "signers": t.signers,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        ctx.out_json(&out)?;
    } else if !verified.is_empty() {
        let mut rows = vec![
            ["NAME", "TAG", "DIGEST", "SIZE", "ROLE", "SIGNERS"]
                .map(String::from)
                .to_vec(),
        ];
        for v in &verified {
            for t in &v.tags {
                rows.push(vec![
                    v.name.clone(),
                    t.tag.clone(),
                    t.digest.to_string(),
                    t.size.to_string(),
                    t.role.clone(),
                    t.signers.join(","),
                ]);
            }
        }
        ctx.out(&table::layout(&rows, 0, 3))?;
    }
    match first_error {
        Some(e) => Err(Error::Reported(Box::new(e))),
        None => Ok(()),
    }
}

fn import(ctx: &mut Ctx, args: ImportArgs) -> Result<()> {
    let open = bundle::open(&*ctx.ui, &args.file, args.at.at.unwrap_or(At::Now))?;
    let imported = bundle::import(&ctx.session, &*ctx.ui, &open, &args.pin.pin_root)?;
    if ctx.json {
        let mut out = bundle_json(&open);
        out["collections"] = imported
            .iter()
            .map(|i| {
                json!({
                    "name": i.name,
                    "root_version": i.root_version,
                    "timestamp_version": i.timestamp_version,
                })
            })
            .collect();
        return ctx.out_json(&out);
    }
    let text: String = imported
        .iter()
        .map(|i| {
            format!(
                "Imported trust data for {} (root version {}, timestamp version {})\n",
                i.name, i.root_version, i.timestamp_version
            )
        })
        .collect();
    ctx.out(&text)
}
