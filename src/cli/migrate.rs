//! `dct migrate IMAGE[:TAG]… --to cosign|notation|both --out DIR`: carry verified DCT signatures
//! to cosign and Notation signatures, and print one line per tag and format.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::json;

use super::Ctx;
use crate::error::{Error, Result};
use crate::ops::Ui as _;
use crate::ops::migrate::{self, Done, Formats, MigrateRequest};
use crate::tabwriter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum To {
    Cosign,
    Notation,
    Both,
}

#[derive(Debug, Args)]
pub(crate) struct MigrateArgs {
    /// Images whose DCT signatures to carry over; without a tag, every tag the trust data signs
    #[arg(value_name = "IMAGE[:TAG]", required = true)]
    pub images: Vec<String>,
    /// The signature formats to write
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: To,
    /// Directory for what verifiers need: cosign.pub, notation.crt, trustpolicy.json, README.txt
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Sign with this private key (PEM) instead of the key that signed the tag in DCT
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Issue the Notation certificate under this CA: a PEM file with the CA certificate (then
    /// its issuers up to the root) and the CA's private key [default: a self-signed certificate]
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// Show what would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub(super) fn run(ctx: &mut Ctx, args: MigrateArgs) -> Result<()> {
    let req = MigrateRequest {
        images: args.images,
        formats: Formats {
            cosign: args.to != To::Notation,
            notation: args.to != To::Cosign,
        },
        out: args.out,
        key_file: args.key,
        cert_file: args.cert,
        dry_run: args.dry_run,
    };
    let done = migrate::migrate(&mut ctx.session, &*ctx.ui, &req)?;
    for row in &done.rows {
        if let Err(e) = &row.outcome {
            eprintln!("dct: {}:{}: {e}", row.name, row.tag);
        }
    }
    let place = |r: &migrate::Row| match r.digest {
        Some(d) => format!("{}:{}@{d}", r.name, r.tag),
        None => format!("{}:{}", r.name, r.tag),
    };
    if ctx.json {
        let items: Vec<_> = done
            .rows
            .iter()
            .map(|r| {
                let (result, verified, objects, error) = match &r.outcome {
                    Ok(Done::Signed) => ("signed", true, Vec::new(), None),
                    Ok(Done::Present) => ("present", true, Vec::new(), None),
                    Ok(Done::WouldSign(o)) => ("would sign", false, o.clone(), None),
                    Err(e) => ("failed", false, Vec::new(), Some(e)),
                };
                json!({
                    "name": r.name,
                    "tag": r.tag,
                    "digest": r.digest.map(|d| d.to_string()),
                    "format": r.format,
                    "result": result,
                    "verified": verified,
                    "objects": objects,
                    "error": error.map(|e| e.to_string()),
                    "exit_code": error.map(|e| e.exit_code() as i32),
                })
            })
            .collect();
        ctx.out_json(&items)?;
    } else {
        let mut table = Vec::new();
        let mut text = String::new();
        for r in &done.rows {
            let result = match &r.outcome {
                Ok(Done::Signed) => "signed, verified".to_string(),
                Ok(Done::Present) => "already there, verified".to_string(),
                Ok(Done::WouldSign(_)) => "would sign".to_string(),
                Err(e) => format!("failed (exit {})", e.exit_code() as i32),
            };
            table.push(vec![r.format.unwrap_or("-").to_string(), place(r), result]);
        }
        text.push_str(&tabwriter::layout(&table, 0, 2));
        if req.dry_run {
            for r in &done.rows {
                if let Ok(Done::WouldSign(objects)) = &r.outcome {
                    text.push_str(&format!("{} {}:\n", r.format.unwrap_or("-"), place(r)));
                    for o in objects {
                        text.push_str(&format!("  {o}\n"));
                    }
                }
            }
            for f in &done.files {
                text.push_str(&format!("would write {}\n", f.display()));
            }
        }
        ctx.out(&text)?;
    }
    if !req.dry_run && !done.files.is_empty() {
        ctx.ui.progress(&format!(
            "Wrote {} (see its README.txt for the verify commands)",
            req.out.display()
        ));
    }
    match done.worst() {
        Some(e) => Err(Error::Reported(Box::new(e))),
        None => Ok(()),
    }
}
