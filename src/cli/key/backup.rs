//! `dct key backup` and `dct key restore`: reports, in text and JSON.

use std::path::Path;

use super::Ctx;
use crate::error::Result;
use crate::ops::Ui as _;
use crate::ops::backup::{self, Action, Planned, describe};

#[derive(serde::Serialize)]
struct JsonKey<'a> {
    id: &'a str,
    role: &'a str,
    gun: &'a str,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'static str>,
}

pub(super) fn backup(ctx: &mut Ctx, file: &Path, plain: bool, force: bool) -> Result<()> {
    let done = backup::backup(&mut ctx.session, &*ctx.ui, file, plain, force)?;
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            file: String,
            format: &'a str,
            keys: Vec<JsonKey<'a>>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            skipped: Vec<Skipped<'a>>,
        }
        #[derive(serde::Serialize)]
        struct Skipped<'a> {
            id: &'a str,
            role: &'a str,
            gun: &'a str,
            location: String,
        }
        let out = Out {
            file: file.display().to_string(),
            format: done.format,
            keys: done
                .entries
                .iter()
                .map(|e| JsonKey {
                    id: &e.id,
                    role: &e.role,
                    gun: &e.gun,
                    path: Path::new("private").join(&e.rel).display().to_string(),
                    action: None,
                })
                .collect(),
            skipped: done
                .skipped
                .iter()
                .map(|r| Skipped {
                    id: &r.id,
                    role: &r.role,
                    gun: &r.gun,
                    location: r.location(),
                })
                .collect(),
        };
        ctx.out_json(&out)?;
    } else {
        let mut text = String::new();
        for e in &done.entries {
            text.push_str(&format!("Backed up {}\n", describe(&e.role, &e.id, &e.gun)));
        }
        ctx.out(&text)?;
    }
    for r in &done.skipped {
        ctx.ui.progress(&crate::ops::keys::cannot_leave(r));
    }
    ctx.ui.progress(&format!(
        "Wrote {} key(s) to {} ({})",
        done.entries.len(),
        file.display(),
        if plain {
            "a plain tar.gz: protected only by the keys' own passphrases"
        } else {
            "sealed with Argon2id + XChaCha20-Poly1305"
        }
    ));
    Ok(())
}

pub(super) fn restore(ctx: &mut Ctx, file: &Path, force: bool, dry_run: bool) -> Result<()> {
    let done = backup::restore(&mut ctx.session, &*ctx.ui, file, force, dry_run)?;
    report(ctx, &done.planned, dry_run)?;
    if dry_run {
        ctx.ui.progress("Dry run: nothing was written.");
        if let Some(e) = done.refusal {
            return Err(e);
        }
    }
    Ok(())
}

fn report(ctx: &mut Ctx, planned: &[Planned], dry_run: bool) -> Result<()> {
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            dry_run: bool,
            keys: Vec<JsonKey<'a>>,
        }
        let out = Out {
            dry_run,
            keys: planned
                .iter()
                .map(|p| JsonKey {
                    id: &p.key.id,
                    role: &p.key.role,
                    gun: &p.key.gun,
                    path: p.dest.display().to_string(),
                    action: Some(p.action.as_str()),
                })
                .collect(),
        };
        return ctx.out_json(&out);
    }
    let mut text = String::new();
    for p in planned {
        let what = describe(&p.key.role, &p.key.id, &p.key.gun);
        let line = match (p.action, dry_run) {
            (Action::Restore, false) => format!("Restored {what}"),
            (Action::Restore, true) => format!("Would restore {what}"),
            (Action::Skip, false) => format!("Skipped {what}: already in the trust dir"),
            (Action::Skip, true) => format!("Would skip {what}: already in the trust dir"),
            (Action::Replace, false) => {
                format!("Replaced {what}: the trust dir held a different key with this ID")
            }
            (Action::Replace, true) => {
                format!("Would replace {what}: the trust dir holds a different key with this ID")
            }
            (Action::Refuse, _) => format!(
                "Would refuse {what}: the trust dir holds a different key with this ID (--force replaces it)"
            ),
        };
        text.push_str(&line);
        text.push('\n');
    }
    ctx.out(&text)
}
