//! `dct lookup` and `dct inspect`: read verified trust data and print it.

use clap::Args;

use super::Ctx;
use crate::error::{Error, Result};
use crate::inspect;
use crate::reference::Reference;
use crate::trust::{self, ReadOptions};
use crate::tuf::client::Repo;
use crate::tuf::root::Pinning;

#[derive(Debug, Args)]
pub struct PinArgs {
    /// Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key
    /// file's ID); checked on every run, unlike trust on first use [repeatable]
    #[arg(long = "pin-root", value_name = "KEYID")]
    pub pin_root: Vec<String>,
}

#[derive(Debug, Args)]
pub struct LookupArgs {
    /// Image and tag, e.g. registry.example.com/app:v1 (tag defaults to latest)
    #[arg(value_name = "IMAGE[:TAG]")]
    pub image: String,
    #[command(flatten)]
    pub pin: PinArgs,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Images to inspect; without a tag (or with a digest) every signed tag is listed
    #[arg(value_name = "IMAGE[:TAG]", required = true)]
    pub images: Vec<String>,
    /// Print human-readable tables instead of JSON
    #[arg(long)]
    pub pretty: bool,
    #[command(flatten)]
    pub pin: PinArgs,
}

pub(super) fn pinning(ctx: &Ctx, pin: &PinArgs) -> Result<Pinning> {
    let mut p = Pinning::load(&ctx.trust_dir)?;
    for id in &pin.pin_root {
        if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::invalid(format!(
                "--pin-root {id}: expected a 64-character hex key ID (see `dct inspect --pretty`)"
            )));
        }
        p.pin_root.push(id.to_ascii_lowercase());
    }
    Ok(p)
}

fn load(ctx: &mut Ctx, pin: &Pinning, reference: &Reference, as_typed: &str) -> Result<Repo> {
    let server = ctx.server.clone();
    let trust_dir = ctx.trust_dir.clone();
    let http = ctx.http()?;
    let opts = ReadOptions {
        http,
        trust_dir: &trust_dir,
        server: server.as_deref(),
        pinning: pin,
    };
    let repo = trust::load(&opts, reference, as_typed)?;
    for w in &repo.warnings {
        ctx.warn(w);
    }
    Ok(repo)
}

pub fn lookup(ctx: &mut Ctx, args: LookupArgs) -> Result<()> {
    let reference = Reference::parse(&args.image)?;
    if reference.digest().is_some() {
        return Err(Error::invalid(format!(
            "cannot use a digest reference for IMAGE:TAG: {}",
            args.image
        )));
    }
    let tag = match reference.tag() {
        Some(t) => t.to_string(),
        None => {
            ctx.progress("Using default tag: latest");
            "latest".to_string()
        }
    };
    let pin = pinning(ctx, &args.pin)?;
    let repo = load(ctx, &pin, &reference, &args.image)?;
    let printed = print_lookup(ctx, &repo, &tag);
    // The process exits right after this: freeing a large repository's metadata (tens of
    // thousands of map nodes for 10,000 targets) would only cost time (~10 % of a warm
    // 10,000-target lookup), so it is left to the OS.
    std::mem::forget(repo);
    printed
}

fn print_lookup(ctx: &mut Ctx, repo: &Repo, tag: &str) -> Result<()> {
    let r = trust::resolve(repo, tag)?;
    if ctx.json {
        let v = serde_json::json!({
            "name": r.name,
            "tag": r.tag,
            "digest": r.digest_string(),
            "size": r.size,
            "role": r.role,
            "signers": r.signers,
        });
        ctx.out(&format!("{v}\n"))
    } else {
        ctx.out(&format!("{}@{}\n", r.name, r.digest_string()))
    }
}

pub fn inspect(ctx: &mut Ctx, args: InspectArgs) -> Result<()> {
    let pin = pinning(ctx, &args.pin)?;
    let mut results = Vec::new();
    let mut first_error: Option<Error> = None;
    for arg in &args.images {
        let outcome = Reference::parse(arg).and_then(|reference| {
            let repo = load(ctx, &pin, &reference, arg)?;
            let tag = inspect::lookup_tag(&reference).map(str::to_string);
            let result = inspect::build(arg, tag.as_deref(), &trust::trust_data(&repo));
            // Not freed: the process exits soon, and freeing a large repository only costs
            // time (one repository per argument at most stays allocated until then).
            std::mem::forget(repo);
            Ok(result)
        });
        match outcome {
            Ok(r) => results.push(r),
            Err(e) => {
                eprintln!("dct: {e}");
                first_error.get_or_insert(e);
                // docker's pretty mode stops at the first image it cannot read.
                if args.pretty {
                    break;
                }
            }
        }
    }
    let text = if args.pretty {
        inspect::to_pretty(&results)
    } else {
        inspect::to_json(&results)
    };
    ctx.out(&text)?;
    match first_error {
        // Already printed; the exit code is the first failure's.
        Some(e) => Err(Error::Reported(Box::new(e))),
        None => Ok(()),
    }
}
