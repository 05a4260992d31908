//! `dct lookup` and `dct inspect`: read verified trust data and print it.

use clap::Args;

use super::{BundleArgs, Ctx, JobsArg, PinArgs, bundle_json};
use crate::error::{Error, Result};
use crate::ops::Ui as _;
use crate::ops::{inspect, read};
use crate::reference::TagRef;

#[derive(Debug, Args)]
pub(crate) struct LookupArgs {
    /// Images and tags, e.g. registry.example.com/app:v1 (tag defaults to latest)
    #[arg(value_name = "IMAGE[:TAG]", required = true)]
    pub images: Vec<String>,
    #[command(flatten)]
    pub jobs: JobsArg,
    #[command(flatten)]
    pub pin: PinArgs,
    #[command(flatten)]
    pub bundle: BundleArgs,
}

#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    /// Images to inspect; without a tag (or with a digest) every signed tag is listed
    #[arg(value_name = "IMAGE[:TAG]", required = true)]
    pub images: Vec<String>,
    /// Print human-readable tables instead of JSON
    #[arg(long)]
    pub pretty: bool,
    #[command(flatten)]
    pub jobs: JobsArg,
    #[command(flatten)]
    pub pin: PinArgs,
    #[command(flatten)]
    pub bundle: BundleArgs,
}

pub(super) fn lookup(ctx: &mut Ctx, args: LookupArgs) -> Result<()> {
    if args.images.len() == 1 {
        return lookup_one(ctx, args);
    }
    // Several images: a bad reference fails its own line only.
    let mut parsed = Vec::new();
    for image in &args.images {
        match TagRef::parse_or_latest(image) {
            Ok((tag, defaulted)) => {
                if defaulted {
                    ctx.ui
                        .progress(&format!("Using default tag: latest ({image})"));
                }
                parsed.push(Ok(tag));
            }
            Err(e) => parsed.push(Err(e)),
        }
    }
    let tags: Vec<TagRef> = parsed
        .iter()
        .filter_map(|p| p.as_ref().ok())
        .cloned()
        .collect();
    args.bundle.apply(ctx)?;
    let mut resolved = read::lookup_many(
        &mut ctx.session,
        &*ctx.ui,
        &tags,
        &args.pin.pin_root,
        usize::from(args.jobs.jobs),
    )?
    .into_iter();
    let mut out = String::new();
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for (image, p) in args.images.iter().zip(parsed) {
        let r = p.and_then(|_| resolved.next().expect("one result per tag"));
        match r {
            Ok(r) if ctx.json => rows.push(resolved_json(ctx, &r)),
            Ok(r) => out.push_str(&format!("{}@{}\n", r.name, r.digest)),
            Err(e) => {
                eprintln!("dct: {image}: {e}");
                if ctx.json {
                    rows.push(serde_json::json!({
                        "image": image,
                        "error": e.to_string(),
                        "exit_code": e.exit_code() as u8,
                    }));
                }
                failed.push(e);
            }
        }
    }
    // Several images: one JSON array per run (one element per image, in argument order), as
    // every command's --json is one value.
    if ctx.json {
        ctx.out_json(&serde_json::Value::Array(rows))?;
    } else {
        ctx.out(&out)?;
    }
    match crate::error::worst(failed) {
        Some(e) => Err(Error::Reported(Box::new(e))),
        None => Ok(()),
    }
}

/// `--json` output of one resolved tag (with where the trust data came from, with --bundle).
fn resolved_json(ctx: &Ctx, r: &read::Resolved) -> serde_json::Value {
    let mut v = serde_json::json!({
        "name": r.name,
        "tag": r.tag,
        "digest": r.digest.to_string(),
        "size": r.size,
        "role": r.role,
        "signers": r.signers,
    });
    if let Some(open) = ctx.session.bundle() {
        v["bundle"] = bundle_json(open);
    }
    v
}

/// `dct lookup IMAGE`: one image, its error as the command's.
fn lookup_one(ctx: &mut Ctx, args: LookupArgs) -> Result<()> {
    let (tag, defaulted) = TagRef::parse_or_latest(&args.images[0])?;
    if defaulted {
        ctx.ui.progress("Using default tag: latest");
    }
    args.bundle.apply(ctx)?;
    let r = read::lookup(&mut ctx.session, &*ctx.ui, &tag, &args.pin.pin_root)?;
    if ctx.json {
        ctx.out(&format!("{}\n", resolved_json(ctx, &r)))
    } else {
        ctx.out(&format!("{}@{}\n", r.name, r.digest))
    }
}

pub(super) fn inspect(ctx: &mut Ctx, args: InspectArgs) -> Result<()> {
    args.bundle.apply(ctx)?;
    let results = inspect::inspect(
        &mut ctx.session,
        &*ctx.ui,
        &args.images,
        &args.pin.pin_root,
        args.pretty,
        usize::from(args.jobs.jobs),
    )?;
    for e in results.iter().filter_map(|r| r.as_ref().err()) {
        eprintln!("dct: {e}");
    }
    let (ok, first_error) = inspect::worst_error(results);
    let text = if args.pretty {
        let mut text = inspect::to_pretty(&ok);
        // docker separates each argument from the previous one before reading it, so the
        // separator is there even when the argument then fails.
        if first_error.is_some() && !ok.is_empty() {
            text.push_str("\n\n");
        }
        text
    } else {
        inspect::to_json(&ok)
    };
    ctx.out(&text)?;
    match first_error {
        // Already printed; the exit code is the most serious failure's.
        Some(e) => Err(Error::Reported(Box::new(e))),
        None => Ok(()),
    }
}
