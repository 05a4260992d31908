//! `dct pin FILE… [--write] [--check]`: the image references of Docker Compose files,
//! Kubernetes manifests and Dockerfiles ([`scan`]), each resolved through verified trust data
//! (Docker's rule, as `dct lookup`), and pinned as `NAME:TAG@sha256:HEX` in place — only the
//! value's bytes change, in its own quoting; comments, order and formatting stay as they are.
//!
//! A reference already pinned (`NAME:TAG@sha256:HEX`) is verified: its digest must be the one
//! its tag is signed as (else "not signed", exit 3, and it is left alone: re-pinning a moved
//! tag is a decision for a person). A digest alone (`NAME@sha256:HEX`) must be what some tag is
//! signed as. `--check` writes nothing and fails unless every reference is signed and already
//! pinned to its signed digest.

pub mod scan;

use std::path::{Path, PathBuf};

use super::read::{self, Need};
use super::{Session, Ui};
use crate::error::{Error, IoContext, Result};
use crate::oci::Digest;
use crate::reference::Reference;
use crate::tuf::client::Repo;

/// What `dct pin` is asked to do.
#[derive(Debug, Clone)]
pub struct PinRequest {
    /// The Compose files, Kubernetes manifests and Dockerfiles to read.
    pub files: Vec<PathBuf>,
    /// Rewrite the files (`--write`).
    pub write: bool,
    /// Fail unless every reference is already pinned to its signed digest (`--check`).
    pub check: bool,
    /// `--pin-root`.
    pub pins: Vec<String>,
    /// Repositories read at once (`--jobs`).
    pub jobs: usize,
}

/// Where a reference stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Already pinned to the digest it is signed as: verified, left as it is.
    Verified,
    /// Signed, and now pinned in the file (`--write`).
    Pinned,
    /// Signed, not pinned yet: `pinned` is what `--write` would write.
    Unpinned,
}

impl Status {
    /// The status as `--json` and the table name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::Pinned => "pinned",
            Status::Unpinned => "unpinned",
        }
    }
}

/// A signed reference: its pinned form and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// `NAME:TAG@sha256:HEX` (the name as written), or `NAME@sha256:HEX` as written.
    pub pinned: String,
    /// Where it stands.
    pub status: Status,
}

/// One image reference of a file (or a file that could not be read: line 0, no image).
#[derive(Debug)]
pub struct PinnedRef {
    /// The file the reference is in.
    pub file: PathBuf,
    /// 1-based line of the value (0 for a file that could not be read).
    pub line: usize,
    /// The reference as written.
    pub image: String,
    /// The signed reference, or why it is not (not signed, unreadable, a failed `--write`).
    pub result: Result<Signed>,
}

/// What `dct pin` found and did.
#[derive(Debug, Default)]
pub struct PinOutcome {
    /// Every reference, files in the order given, references in file order.
    pub refs: Vec<PinnedRef>,
    /// Files rewritten (`--write`), with how many references were pinned in each.
    pub written: Vec<(PathBuf, usize)>,
    /// Files with no image reference.
    pub empty: Vec<PathBuf>,
}

/// Whether `path` is read as a Dockerfile (by its name), else as YAML.
pub fn is_dockerfile(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name == "dockerfile"
        || name == "containerfile"
        || name.starts_with("dockerfile.")
        || name.starts_with("containerfile.")
        || name.ends_with(".dockerfile")
        || name.ends_with(".containerfile")
}

/// A file read and scanned.
struct Scanned {
    path: PathBuf,
    text: String,
    found: Vec<scan::Found>,
}

fn read_file(path: &Path) -> Result<Scanned> {
    let bytes = std::fs::read(path).ctx("cannot read", path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::invalid(format!("{} is not UTF-8 text", path.display())))?;
    let found = if is_dockerfile(path) {
        scan::dockerfile(&text)
    } else {
        scan::yaml(&text)
    };
    Ok(Scanned {
        path: path.to_path_buf(),
        text,
        found,
    })
}

/// A reference as written, parsed: what to ask the trust data.
struct Wanted {
    reference: Reference,
    /// The tag to resolve (`latest` when none is written and no digest either).
    tag: Option<String>,
    /// The digest written, if any.
    digest: Option<Digest>,
}

fn parse_ref(image: &str) -> Result<Wanted> {
    let reference = Reference::parse(image)?;
    let digest = reference
        .digest()
        .map(|d| d.parse::<Digest>())
        .transpose()
        .map_err(|e| Error::invalid(format!("{image}: {e}")))?;
    let tag = match (reference.tag(), &digest) {
        (Some(t), _) => Some(t.to_string()),
        (None, None) => Some("latest".to_string()),
        (None, Some(_)) => None,
    };
    Ok(Wanted {
        reference,
        tag,
        digest,
    })
}

/// A repository to load for `pin`: its name, the first reference to it (and as typed, for
/// messages), and how much of it is needed.
struct ToLoad {
    gun: String,
    reference: Reference,
    as_typed: String,
    need: Need,
}

/// `dct pin`: see the module docs. Files that cannot be read, and references that cannot be
/// parsed, resolved or verified, are results of their own; the others are still pinned.
pub fn pin(session: &mut Session, ui: &dyn Ui, req: &PinRequest) -> Result<PinOutcome> {
    let pinning = session.pinning(&req.pins)?;
    let mut out = PinOutcome::default();
    let files = read_files(&req.files, &mut out);
    // Every reference parsed; one load per repository (in full when a digest alone must be
    // found among its tags).
    let wanted: Vec<Vec<Result<Wanted>>> = files.iter().map(parse_found).collect();
    let to_load = repositories(&files, &wanted);
    let refs: Vec<(&Reference, &str, Need)> = to_load
        .iter()
        .map(|g| (&g.reference, g.as_typed.as_str(), g.need))
        .collect();
    let repos = if refs.is_empty() {
        Vec::new()
    } else {
        read::load_all(session, ui, &pinning, &refs, req.jobs)?
    };
    for repo in repos.iter().flatten() {
        for w in &repo.warnings {
            ui.warn(&format!("{}: {w}", repo.gun));
        }
    }
    for (f, ws) in files.iter().zip(wanted) {
        let mut results = check_file(f, ws, &to_load, &repos, req.check);
        if req.write {
            write_pins(f, &mut results, &mut out);
        }
        for (x, result) in f.found.iter().zip(results) {
            out.refs.push(PinnedRef {
                file: f.path.clone(),
                line: x.line,
                image: match &x.image {
                    Ok(i) => i.clone(),
                    Err(_) => f.text[x.span.clone()].to_string(),
                },
                result,
            });
        }
    }
    // As in `lookup`: the process exits soon, freeing would only cost time.
    std::mem::forget(repos);
    Ok(out)
}

/// The files read and scanned; a file that cannot be read is a result in `out` of its own, and
/// one without image references is listed in `out.empty`.
fn read_files(paths: &[PathBuf], out: &mut PinOutcome) -> Vec<Scanned> {
    let mut files = Vec::new();
    for path in paths {
        match read_file(path) {
            Ok(s) => {
                if s.found.is_empty() {
                    out.empty.push(path.clone());
                }
                files.push(s);
            }
            Err(e) => out.refs.push(PinnedRef {
                file: path.clone(),
                line: 0,
                image: String::new(),
                result: Err(e),
            }),
        }
    }
    files
}

/// Each reference of a file parsed (a value the scanner could not read is an error here).
fn parse_found(f: &Scanned) -> Vec<Result<Wanted>> {
    f.found
        .iter()
        .map(|x| match &x.image {
            Ok(image) => parse_ref(image),
            Err(why) => Err(Error::invalid(why.clone())),
        })
        .collect()
}

/// The repositories of the parsed references, each once, in order of first use; in full
/// (`Need::All`) when some reference to it is a digest alone, to be found among its tags.
fn repositories(files: &[Scanned], wanted: &[Vec<Result<Wanted>>]) -> Vec<ToLoad> {
    let mut to_load: Vec<ToLoad> = Vec::new();
    for (f, ws) in files.iter().zip(wanted) {
        for (x, w) in f.found.iter().zip(ws) {
            let Ok(w) = w else { continue };
            let gun = w.reference.name();
            let need = if w.tag.is_none() {
                Need::All
            } else {
                Need::Tags
            };
            let as_typed = x.image.as_deref().unwrap_or_default().to_string();
            match to_load.iter_mut().find(|g| g.gun == gun) {
                Some(g) if need == Need::All => g.need = Need::All,
                Some(_) => {}
                None => to_load.push(ToLoad {
                    gun,
                    reference: w.reference.clone(),
                    as_typed,
                    need,
                }),
            }
        }
    }
    to_load
}

/// The results of a file's references against their repositories (`repos[k]` is `to_load[k]`
/// loaded); with `--check`, a signed reference not pinned yet is an error.
fn check_file(
    f: &Scanned,
    wanted: Vec<Result<Wanted>>,
    to_load: &[ToLoad],
    repos: &[Result<Repo>],
    check_only: bool,
) -> Vec<Result<Signed>> {
    let mut results = Vec::new();
    for (x, w) in f.found.iter().zip(wanted) {
        let result = w.and_then(|w| {
            let k = to_load
                .iter()
                .position(|g| g.gun == w.reference.name())
                .expect("every parsed reference has its repository");
            let repo = repos[k].as_ref().map_err(Error::duplicate)?;
            check(repo, &w, x.image.as_deref().unwrap_or_default())
        });
        let result = match result {
            Ok(s) if check_only && s.status == Status::Unpinned => Err(Error::Other(format!(
                "{} is signed but not pinned: `dct pin --write {}` pins it to {}",
                x.image.as_deref().unwrap_or_default(),
                f.path.display(),
                s.pinned
            ))),
            r => r,
        };
        results.push(result);
    }
    results
}

/// `--write`: pins the file's unpinned references in place; they become `Pinned`, or, if the
/// file cannot be rewritten, that error.
fn write_pins(f: &Scanned, results: &mut [Result<Signed>], out: &mut PinOutcome) {
    let edits: Vec<(&scan::Found, &str)> = f
        .found
        .iter()
        .zip(results.iter())
        .filter_map(|(x, r)| match r {
            Ok(s) if s.status == Status::Unpinned => Some((x, s.pinned.as_str())),
            _ => None,
        })
        .collect();
    if edits.is_empty() {
        return;
    }
    match rewrite(&f.path, &f.text, &edits) {
        Ok(()) => {
            out.written.push((f.path.clone(), edits.len()));
            for s in results.iter_mut().flatten() {
                if s.status == Status::Unpinned {
                    s.status = Status::Pinned;
                }
            }
        }
        Err(e) => {
            for r in results.iter_mut() {
                if matches!(r, Ok(s) if s.status == Status::Unpinned) {
                    *r = Err(e.duplicate());
                }
            }
        }
    }
}

/// A reference checked against its repository's verified trust data.
fn check(repo: &Repo, w: &Wanted, image: &str) -> Result<Signed> {
    let Some(tag) = &w.tag else {
        // A digest alone: some tag must be signed as it.
        let d = w.digest.expect("a reference without a tag has a digest");
        let tags = read::tags_signed_as(repo, &d)?;
        if tags.is_empty() {
            return Err(Error::NotSigned(format!(
                "no signed tag of {} is {d}",
                repo.gun
            )));
        }
        return Ok(Signed {
            pinned: image.to_string(),
            status: Status::Verified,
        });
    };
    let resolved = read::resolve(repo, tag)?;
    match w.digest {
        Some(d) if d == resolved.digest => Ok(Signed {
            pinned: image.to_string(),
            status: Status::Verified,
        }),
        Some(d) => Err(Error::NotSigned(format!(
            "pinned to {d}, but {tag} is signed as {}: the pin is not what the signature says; \
             to pin the signed digest, remove `@{d}` and run `dct pin --write`",
            resolved.digest
        ))),
        None => {
            let with_tag = if w.reference.tag().is_some() {
                image.to_string()
            } else {
                format!("{image}:{tag}")
            };
            Ok(Signed {
                pinned: format!("{with_tag}@{}", resolved.digest),
                status: Status::Unpinned,
            })
        }
    }
}

/// Replaces each found value by its pinned form, and nothing else, then replaces the file
/// atomically (same directory, same permissions; a symbolic link's target is written). The
/// file must still be what was read.
fn rewrite(path: &Path, text: &str, edits: &[(&scan::Found, &str)]) -> Result<()> {
    let target = std::fs::canonicalize(path).ctx("cannot resolve", path)?;
    let now = std::fs::read(&target).ctx("cannot read", &target)?;
    if now != text.as_bytes() {
        return Err(Error::Other(format!(
            "{} changed while dct read it: nothing was written, run dct pin again",
            path.display()
        )));
    }
    let mut new = String::with_capacity(text.len() + edits.len() * 80);
    let mut at = 0;
    let mut sorted: Vec<&(&scan::Found, &str)> = edits.iter().collect();
    sorted.sort_by_key(|(f, _)| f.span.start);
    for (found, pinned) in sorted {
        new.push_str(&text[at..found.span.start]);
        new.push_str(&found.replacement(pinned));
        at = found.span.end;
    }
    new.push_str(&text[at..]);
    let mode = std::fs::metadata(&target)
        .ctx("cannot read", &target)?
        .permissions();
    crate::fsutil::write_atomic_mode(&target, new.as_bytes(), mode)?;
    Ok(())
}
