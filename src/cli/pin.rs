//! `dct pin`: pin the images of deploy files to their signed digests.

use std::path::PathBuf;

use clap::Args;

use super::{Ctx, JobsArg, PinArgs};
use crate::error::{Error, Result};
use crate::ops::Ui as _;
use crate::ops::pin::{self, PinRequest, Status};

#[derive(Debug, Args)]
pub(crate) struct PinFilesArgs {
    /// Compose files and Kubernetes manifests (YAML), Dockerfiles (by name: Dockerfile,
    /// *.Dockerfile, Dockerfile.*, Containerfile)
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Write the pinned references into the files (only the image values change)
    #[arg(long, conflicts_with = "check")]
    pub write: bool,
    /// Write nothing; fail unless every image is signed and already pinned to its signed digest
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub jobs: JobsArg,
    #[command(flatten)]
    pub pin: PinArgs,
}

pub(super) fn run(ctx: &mut Ctx, args: PinFilesArgs) -> Result<()> {
    let req = PinRequest {
        files: args.files,
        write: args.write,
        check: args.check,
        pins: args.pin.pin_root,
        jobs: usize::from(args.jobs.jobs),
    };
    let outcome = pin::pin(&mut ctx.session, &*ctx.ui, &req)?;
    for f in &outcome.empty {
        ctx.ui
            .warn(&format!("{}: no image references found", f.display()));
    }
    let mut text = String::new();
    let mut json = Vec::new();
    let mut failed = Vec::new();
    let mut unpinned = 0;
    for r in outcome.refs {
        let place = if r.line == 0 {
            r.file.display().to_string()
        } else {
            format!("{}:{}", r.file.display(), r.line)
        };
        match r.result {
            Ok(s) => {
                unpinned += usize::from(s.status == Status::Unpinned);
                text.push_str(&format!("{place}: {}\n", s.pinned));
                json.push(serde_json::json!({
                    "file": r.file,
                    "line": r.line,
                    "image": r.image,
                    "pinned": s.pinned,
                    "status": s.status.as_str(),
                }));
            }
            Err(e) => {
                if r.image.is_empty() {
                    eprintln!("dct: {place}: {e}");
                } else {
                    eprintln!("dct: {place}: {}: {e}", r.image);
                }
                json.push(serde_json::json!({
                    "file": r.file,
                    "line": r.line,
                    "image": r.image,
                    "status": "error",
                    "error": e.to_string(),
                    "exit_code": e.exit_code() as u8,
                }));
                failed.push(e);
            }
        }
    }
    if ctx.json {
        ctx.out_json(&json)?;
    } else {
        ctx.out(&text)?;
    }
    for (file, n) in &outcome.written {
        ctx.ui.progress(&format!(
            "Pinned {n} image reference{} in {}",
            if *n == 1 { "" } else { "s" },
            file.display()
        ));
    }
    if unpinned > 0 {
        ctx.ui.progress(&format!(
            "{unpinned} image reference{} not pinned yet: dct pin --write pins {}",
            if unpinned == 1 { " is" } else { "s are" },
            if unpinned == 1 { "it" } else { "them" }
        ));
    }
    match crate::error::worst(failed) {
        Some(e) => Err(Error::Reported(Box::new(e))),
        None => Ok(()),
    }
}
