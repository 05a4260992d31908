//! `dct lookup` and `dct inspect`: read verified trust data and print it.

use clap::Args;

use super::{BundleArgs, Ctx, PinArgs, bundle_json};
use crate::error::{Error, Result};
use crate::ops::Ui as _;
use crate::ops::{inspect, read};
use crate::reference::TagRef;

#[derive(Debug, Args)]
pub(crate) struct LookupArgs {
    /// Image and tag, e.g. registry.example.com/app:v1 (tag defaults to latest)
    #[arg(value_name = "IMAGE[:TAG]")]
    pub image: String,
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
    pub pin: PinArgs,
    #[command(flatten)]
    pub bundle: BundleArgs,
}

pub(super) fn lookup(ctx: &mut Ctx, args: LookupArgs) -> Result<()> {
    let (tag, defaulted) = TagRef::parse_or_latest(&args.image)?;
    if defaulted {
        ctx.ui.progress("Using default tag: latest");
    }
    args.bundle.apply(ctx)?;
    let r = read::lookup(&mut ctx.session, &*ctx.ui, &tag, &args.pin.pin_root)?;
    if ctx.json {
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
        ctx.out(&format!("{v}\n"))
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
    )?;
    for e in results.iter().filter_map(|r| r.as_ref().err()) {
        eprintln!("dct: {e}");
    }
    let (ok, first_error) = inspect::first_error(results);
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
        // Already printed; the exit code is the first failure's.
        Some(e) => Err(Error::Reported(Box::new(e))),
        None => Ok(()),
    }
}
