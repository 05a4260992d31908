//! `dct pull`: resolve through trust, then write an OCI layout or a docker-archive, or hand the
//! verified digest to the Docker engine.

use clap::Args;

use super::{BundleArgs, Ctx, PinArgs};
use crate::error::{Error, Result};
use crate::oci::Platform;
use crate::ops::Ui as _;
use crate::ops::pull::{self, DEFAULT_JOBS, Output, Platforms};
use crate::reference::Reference;

#[derive(Debug, Args)]
pub(crate) struct PullArgs {
    /// Image and tag, e.g. registry.example.com/app:v1 (tag defaults to latest)
    #[arg(value_name = "IMAGE[:TAG]")]
    pub image: String,
    /// Write the image to an OCI layout (oci:DIR[:REF], REF defaults to the tag) or a `docker
    /// load` archive (docker-archive:FILE) instead of the Docker engine
    #[arg(long, value_name = "DEST")]
    pub output: Option<String>,
    /// Platform to pull from a multi-platform image [default: this machine's]
    #[arg(
        long,
        value_name = "OS/ARCH[/VARIANT]",
        conflicts_with = "all_platforms"
    )]
    pub platform: Option<String>,
    /// Pull every platform of a multi-platform image (OCI layout only)
    #[arg(long)]
    pub all_platforms: bool,
    /// Blobs downloaded at once
    #[arg(long, value_name = "N", default_value_t = DEFAULT_JOBS as u16,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Pull the tag without verifying its signature (warns)
    #[arg(long, conflicts_with = "bundle")]
    pub disable_content_trust: bool,
    #[command(flatten)]
    pub pin: PinArgs,
    #[command(flatten)]
    pub bundle: BundleArgs,
}

pub(super) fn run(ctx: &mut Ctx, args: PullArgs) -> Result<()> {
    let reference = Reference::parse(&args.image)?;
    let output = args.output.as_deref().map(Output::parse).transpose()?;
    let platforms = match (&args.platform, args.all_platforms) {
        (Some(p), _) => Platforms::One(Platform::parse(p)?),
        (None, true) => Platforms::All,
        (None, false) => Platforms::One(Platform::host()),
    };
    if args.all_platforms && output.is_none() {
        return Err(Error::invalid(
            "--all-platforms needs --output oci:DIR (the Docker engine keeps one platform)",
        ));
    }
    args.bundle.apply(ctx)?;
    let target = pull::resolve(
        &mut ctx.session,
        &*ctx.ui,
        &reference,
        &args.image,
        args.disable_content_trust,
        &args.pin.pin_root,
    )?;
    if target.size.is_some() && !ctx.json {
        ctx.out(&format!(
            "Pull (1 of 1): {}:{}@{}\n",
            reference.familiar_name(),
            target.tag.as_deref().unwrap_or_default(),
            target.what
        ))?;
    }
    let Some(output) = output else {
        pull::to_engine(&ctx.session, &*ctx.ui, &target)?;
        if ctx.json {
            return ctx.out_json(&serde_json::json!({
                "name": reference.familiar_name(),
                "tag": target.tag,
                "digest": target.what,
                "verified": target.size.is_some(),
                "output": "docker",
            }));
        }
        return Ok(());
    };
    let saved = pull::fetch(
        &mut ctx.session,
        &*ctx.ui,
        &target,
        &output,
        &platforms,
        usize::from(args.jobs),
    )?;
    if ctx.json {
        return ctx.out_json(&serde_json::json!({
            "name": reference.familiar_name(),
            "tag": target.tag,
            "digest": saved.signed.to_string(),
            "verified": target.size.is_some(),
            "output": saved.dest,
            "platform": saved.platform.as_ref().map(|(p, _)| p.to_string()),
            "manifest": saved.platform.as_ref().map(|(_, d)| d.to_string()),
        }));
    }
    let platform = saved
        .platform
        .map(|(p, d)| format!(" ({p}, manifest {d})"))
        .unwrap_or_default();
    ctx.ui
        .progress(&format!("Digest: {}{platform}", saved.signed));
    ctx.ui.progress(&format!("Saved to {}", saved.dest));
    Ok(())
}
