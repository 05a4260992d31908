//! `dct pull`: resolve the tag through verified trust data, then fetch exactly the manifest it
//! points to and the blobs that manifest lists, verifying every digest and length, into an OCI
//! image layout or a `docker load` archive — or hand the verified digest to the Docker engine.
//!
//! Nothing partial is ever left at the output (see `oci::layout` and `oci::archive`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::read;
use super::{Session, Ui};
use crate::error::{Error, Result};
use crate::oci::archive::ArchiveWriter;
use crate::oci::layout::{IndexEntry, LayoutWriter};
use crate::oci::{
    DOCKER_MANIFEST, Descriptor, Digest, Manifest, ManifestDoc, OCI_MANIFEST, Platform,
    is_index_type,
};
use crate::reference::Reference;
pub use crate::remote::registry::DEFAULT_JOBS;
use crate::remote::registry::{BlobJob, Registry};

/// Where a pull writes the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// `oci:DIR[:REF]`
    Oci {
        /// The layout directory.
        dir: PathBuf,
        /// The image's name in the layout (default: the tag).
        name: Option<String>,
    },
    /// `docker-archive:FILE`
    DockerArchive(PathBuf),
}

impl Output {
    /// `oci:DIR[:REF]` or `docker-archive:FILE`.
    pub fn parse(s: &str) -> Result<Output> {
        if let Some(rest) = s.strip_prefix("oci:") {
            let (dir, name) = match rest.rsplit_once(':') {
                Some((d, r)) if !r.contains('/') && !d.is_empty() => (d, Some(r)),
                _ => (rest, None),
            };
            if dir.is_empty() {
                return Err(Error::invalid("--output oci:DIR[:REF]: DIR is empty"));
            }
            if let Some(r) = name
                && !valid_ref_name(r)
            {
                return Err(Error::invalid(format!(
                    "--output {s}: invalid reference name {r:?} (letters, digits and -._:@+ \
                     between them)"
                )));
            }
            return Ok(Output::Oci {
                dir: PathBuf::from(dir),
                name: name.map(str::to_string),
            });
        }
        if let Some(file) = s.strip_prefix("docker-archive:") {
            if file.is_empty() {
                return Err(Error::invalid(
                    "--output docker-archive:FILE: FILE is empty",
                ));
            }
            return Ok(Output::DockerArchive(PathBuf::from(file)));
        }
        Err(Error::invalid(format!(
            "--output {s}: expected oci:DIR[:REF] or docker-archive:FILE"
        )))
    }
}

/// The OCI image-spec grammar of `org.opencontainers.image.ref.name`, roughly: components of
/// alphanumerics joined by `-._:@+` (or `--`), separated by `/`.
fn valid_ref_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('/').all(|c| {
            !c.is_empty()
                && c.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
                && c.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric())
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._:@+".contains(&b))
        })
}

/// Which manifests of an index to pull.
#[derive(Debug, Clone)]
pub enum Platforms {
    /// The one matching this platform.
    One(Platform),
    /// Every image of the index, and the index itself.
    All,
}

/// What a pull fetches, once the tag is resolved.
#[derive(Debug, Clone)]
pub struct Target {
    /// The image (tag and digest as given).
    pub reference: Reference,
    /// The tag to name the result with, when there is one.
    pub tag: Option<String>,
    /// The manifest to fetch: the signed digest, a pinned digest, or (unverified) the tag.
    pub what: String,
    /// Its signed length, when it was resolved through trust data.
    pub size: Option<u64>,
    /// Whether `what` is a digest (verified or pinned), so the engine pulls by digest.
    pub by_digest: bool,
}

/// `dct pull`'s first step: what to fetch. A digest reference is pulled as pinned (verified
/// against itself, as Docker skips trust for digest references too); with
/// `disable_content_trust` the tag is pulled unverified (with a warning); otherwise the tag is
/// resolved through verified trust data (unsigned → exit 3, before any registry request).
pub fn resolve(
    session: &mut Session,
    ui: &dyn Ui,
    reference: &Reference,
    as_typed: &str,
    disable_content_trust: bool,
    pins: &[String],
) -> Result<Target> {
    let pinned = reference.digest().map(str::to_string);
    let tag = match (reference.tag(), &pinned) {
        (Some(t), _) => Some(t.to_string()),
        (None, Some(_)) => None,
        (None, None) => {
            ui.progress("Using default tag: latest");
            Some("latest".to_string())
        }
    };
    let target = |what: String, size: Option<u64>, by_digest: bool| Target {
        reference: reference.clone(),
        tag: tag.clone(),
        what,
        size,
        by_digest,
    };
    if let Some(d) = &pinned {
        return Ok(target(d.clone(), None, true));
    }
    let tag_str = tag.clone().unwrap_or_default();
    if disable_content_trust {
        ui.warn(&format!(
            "--disable-content-trust: {}:{tag_str} is pulled WITHOUT signature verification",
            reference.familiar_name()
        ));
        return Ok(target(tag_str, None, false));
    }
    let pinning = session.pinning(pins)?;
    let repo = read::load_for_lookup(session, ui, &pinning, reference, as_typed)?;
    let resolved = read::resolve(&repo, &tag_str)?;
    let size = u64::try_from(resolved.size)
        .map_err(|_| Error::Verification(format!("{tag_str} is signed with a negative size")))?;
    Ok(target(resolved.digest.to_string(), Some(size), true))
}

/// One image manifest to pull, verified against its digest.
#[derive(Debug, Clone)]
struct Image {
    manifest: Manifest,
    config: Descriptor,
    layers: Vec<Descriptor>,
    platform: Option<Platform>,
}

/// What a pull fetched: the manifest the output's name points to and its images.
#[derive(Debug, Clone)]
struct Fetched {
    /// The manifest the signed digest names (an index, or an image manifest).
    signed: Manifest,
    /// What the output names: `signed`, or the platform's manifest picked from an index.
    target: Manifest,
    /// The platform of `target` when picked from an index.
    target_platform: Option<Platform>,
    /// Index manifests to store besides the images (`--all-platforms`).
    indexes: Vec<Manifest>,
    images: Vec<Image>,
}

fn parse_manifest(m: &Manifest, what: &str) -> Result<ManifestDoc> {
    ManifestDoc::parse(&m.bytes).map_err(|e| Error::Other(format!("{what}: {e}")))
}

fn image_of(
    m: Manifest,
    doc: ManifestDoc,
    platform: Option<Platform>,
    what: &str,
) -> Result<Image> {
    let config = doc
        .config
        .ok_or_else(|| Error::Other(format!("{what}: an image manifest without a config")))?;
    for d in std::iter::once(&config).chain(&doc.layers) {
        sha256(d, what)?;
    }
    Ok(Image {
        manifest: m,
        config,
        layers: doc.layers,
        platform,
    })
}

fn sha256(d: &Descriptor, what: &str) -> Result<Digest> {
    d.sha256().ok_or_else(|| {
        Error::Other(format!(
            "{what} lists {:?}: only sha256 digests are supported",
            d.digest
        ))
    })
}

/// Fetches the manifest `target` names, and for an index the manifests `platforms` selects,
/// each verified against the digest and size the index gives.
fn fetch_manifests(
    registry: &Registry<'_>,
    target: &Target,
    platforms: &Platforms,
) -> Result<Fetched> {
    let signed = registry.manifest_bytes(&target.what, target.size)?;
    let what = format!("manifest {}", signed.digest);
    let doc = parse_manifest(&signed, &what)?;
    if !doc.is_index(&signed.media_type) {
        let image = image_of(signed.clone(), doc, None, &what)?;
        return Ok(Fetched {
            target: signed.clone(),
            signed,
            target_platform: None,
            indexes: Vec::new(),
            images: vec![image],
        });
    }
    let children = doc.manifests.unwrap_or_default();
    let chosen: Vec<&Descriptor> = match platforms {
        Platforms::All => children
            .iter()
            .filter(|d| !is_index_type(&d.media_type))
            .collect(),
        Platforms::One(p) => match children
            .iter()
            .find(|d| d.platform.as_ref().is_some_and(|dp| p.matches(dp)))
        {
            Some(d) => vec![d],
            None => {
                let have: Vec<String> = children
                    .iter()
                    .filter_map(|d| d.platform.as_ref().map(|p| p.to_string()))
                    .collect();
                return Err(Error::invalid(format!(
                    "{what} has no image for {p} (it has: {}): pass --platform OS/ARCH or \
                     --all-platforms",
                    have.join(", ")
                )));
            }
        },
    };
    let mut images = Vec::new();
    for d in chosen {
        sha256(d, &what)?;
        let child = registry.manifest_bytes(&d.digest, Some(d.size))?;
        let child_what = format!("manifest {}", d.digest);
        let child_doc = parse_manifest(&child, &child_what)?;
        if child_doc.is_index(&child.media_type) {
            return Err(Error::Other(format!(
                "{what}: nested indexes are not supported ({})",
                d.digest
            )));
        }
        images.push(image_of(child, child_doc, d.platform.clone(), &child_what)?);
    }
    Ok(match platforms {
        Platforms::All => Fetched {
            target: signed.clone(),
            indexes: vec![signed.clone()],
            signed,
            target_platform: None,
            images,
        },
        Platforms::One(_) => Fetched {
            target: images[0].manifest.clone(),
            target_platform: images[0].platform.clone(),
            signed,
            indexes: Vec::new(),
            images,
        },
    })
}

/// Every blob (config and layers) of `images`, once each, in order.
fn blobs_of(images: &[Image]) -> Vec<Descriptor> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for img in images {
        for d in std::iter::once(&img.config).chain(&img.layers) {
            if seen.insert(d.digest.clone()) {
                out.push(d.clone());
            }
        }
    }
    out
}

/// A blob of the image: its digest, its size, and the temp file to download it into — `None`
/// when the output already holds it.
type Planned = (Digest, u64, Option<PathBuf>);

/// Plans `blobs` with `plan` (which says where each goes, or that it is present).
fn plan(
    blobs: &[Descriptor],
    mut place: impl FnMut(&Digest, u64) -> Option<PathBuf>,
) -> Result<Vec<Planned>> {
    blobs
        .iter()
        .map(|d| {
            let digest = sha256(d, "manifest")?;
            Ok((digest, d.size, place(&digest, d.size)))
        })
        .collect()
}

/// Downloads the planned blobs that are not present, `jobs` at once, with progress on `ui`;
/// returns (digest, temp path) of each download.
fn download(
    registry: &Registry<'_>,
    ui: &dyn Ui,
    planned: &[Planned],
    jobs: usize,
) -> Result<Vec<(Digest, PathBuf)>> {
    let transfers = ui.transfers(super::Direction::Download);
    let mut work = Vec::new();
    let mut shown = Vec::new();
    for (digest, size, path) in planned {
        let Some(path) = path else {
            transfers.message(&format!("{}: Already exists", digest.short()));
            continue;
        };
        shown.push((digest.short(), *size));
        work.push(BlobJob {
            digest: *digest,
            size: *size,
            path: path.clone(),
        });
    }
    transfers.start(&shown);
    let result = registry.blobs(&work, jobs, &|i, n| transfers.progress(i, n));
    transfers.finish();
    result?;
    Ok(work.into_iter().map(|j| (j.digest, j.path)).collect())
}

/// What a pull to a file wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// `oci:DIR:NAME` or `docker-archive:FILE`.
    pub dest: String,
    /// The signed manifest digest (an index's for a multi-platform image).
    pub signed: Digest,
    /// The manifest the output names, when picked from an index (its platform and digest).
    pub platform: Option<(Platform, Digest)>,
}

/// `dct pull --output`: fetches `target` into `output`, `jobs` blobs at once.
pub fn fetch(
    session: &mut Session,
    ui: &dyn Ui,
    target: &Target,
    output: &Output,
    platforms: &Platforms,
    jobs: usize,
) -> Result<Saved> {
    let http = session.http()?;
    let registry = Registry::new(http, &target.reference)?;
    let fetched = fetch_manifests(&registry, target, platforms)?;
    let (dest, named) = match output {
        Output::Oci { dir, name } => {
            let name = name
                .clone()
                .or_else(|| target.tag.clone())
                .unwrap_or_else(|| fetched.signed.digest.to_string());
            write_oci(&registry, ui, &fetched, dir, &name, jobs)?;
            (
                format!("oci:{}:{name}", dir.display()),
                fetched.target.digest,
            )
        }
        Output::DockerArchive(file) => {
            let repo_tag = target
                .tag
                .as_ref()
                .map(|t| format!("{}:{t}", target.reference.familiar_name()));
            write_archive(&registry, ui, &fetched, file, repo_tag.as_deref(), jobs)?;
            (
                format!("docker-archive:{}", file.display()),
                fetched.images[0].manifest.digest,
            )
        }
    };
    Ok(Saved {
        dest,
        signed: fetched.signed.digest,
        platform: fetched.target_platform.map(|p| (p, named)),
    })
}

/// Pulls into the OCI image layout `dir`, naming the image `name`.
fn write_oci(
    registry: &Registry<'_>,
    ui: &dyn Ui,
    fetched: &Fetched,
    dir: &Path,
    name: &str,
    jobs: usize,
) -> Result<()> {
    let writer = LayoutWriter::open(dir)?;
    let blobs = blobs_of(&fetched.images);
    let mut manifests: Vec<&Manifest> = fetched.indexes.iter().collect();
    manifests.extend(fetched.images.iter().map(|i| &i.manifest));
    let planned = plan(&blobs, |d, size| {
        (!writer.has_blob(d, size)).then(|| writer.blob_temp(d))
    })?;
    let downloaded = download(registry, ui, &planned, jobs)?;
    let entry = IndexEntry {
        manifest: &fetched.target,
        platform: fetched.target_platform.as_ref(),
        name,
    };
    writer.commit(&downloaded, &manifests, &entry)
}

/// Pulls into a `docker load` archive at `file` (one image).
fn write_archive(
    registry: &Registry<'_>,
    ui: &dyn Ui,
    fetched: &Fetched,
    file: &Path,
    repo_tag: Option<&str>,
    jobs: usize,
) -> Result<()> {
    let [image] = fetched.images.as_slice() else {
        return Err(Error::invalid(
            "a docker-archive holds one image: pass --platform OS/ARCH, not --all-platforms",
        ));
    };
    if image.manifest.media_type != DOCKER_MANIFEST && image.manifest.media_type != OCI_MANIFEST {
        return Err(Error::Other(format!(
            "cannot write a docker-archive of a {:?} manifest",
            image.manifest.media_type
        )));
    }
    let writer = ArchiveWriter::open(file)?;
    let blobs = blobs_of(std::slice::from_ref(image));
    let planned = plan(&blobs, |d, _| Some(writer.blob_temp(d)))?;
    let downloaded = download(registry, ui, &planned, jobs)?;
    writer.commit(&image.config, &image.layers, &downloaded, repo_tag)
}

/// Hands the verified digest to the Docker engine: `docker pull NAME@DIGEST`, then `docker tag`
/// with Docker's `Tagging` message. `docker` reads the same config dir (credentials).
pub fn to_engine(session: &Session, ui: &dyn Ui, target: &Target) -> Result<()> {
    let name = target.reference.familiar_name();
    let config_dir = session.config_dir();
    let docker = |args: &[&str]| {
        let mut c = Command::new("docker");
        c.args(args)
            .env("DOCKER_CONFIG", config_dir)
            .env_remove("DOCKER_CONTENT_TRUST")
            .stdin(Stdio::null());
        c
    };
    check_engine(docker(&["version", "--format", "{{.Server.Version}}"]))?;
    let sep = if target.by_digest { '@' } else { ':' };
    let source = format!("{name}{sep}{}", target.what);
    let status = docker(&["pull", &source])
        .status()
        .map_err(|e| Error::Other(format!("cannot run docker pull: {e}")))?;
    if !status.success() {
        return Err(Error::Other(format!(
            "docker pull {source} failed ({status})"
        )));
    }
    if let (true, Some(tag)) = (target.by_digest, &target.tag) {
        let dest = format!("{name}:{tag}");
        ui.progress(&format!("Tagging {source} as {dest}"));
        let status = docker(&["tag", &source, &dest])
            .status()
            .map_err(|e| Error::Other(format!("cannot run docker tag: {e}")))?;
        if !status.success() {
            return Err(Error::Other(format!(
                "docker tag {source} {dest} failed ({status})"
            )));
        }
    }
    Ok(())
}

/// Fails (exit 6, or 1 without a docker CLI) unless `docker version` reaches an engine.
fn check_engine(mut probe: Command) -> Result<()> {
    let no_engine = |why: String| {
        Error::Network(format!(
            "no Docker engine is reachable ({why}): start the Docker daemon (or set DOCKER_HOST), \
             or write the image with --output oci:DIR or --output docker-archive:FILE"
        ))
    };
    match probe.stdout(Stdio::null()).output() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::Other(
            "the docker CLI is not installed: install it, or write the image with --output \
             oci:DIR or --output docker-archive:FILE"
                .into(),
        )),
        Err(e) => Err(no_engine(format!("cannot run docker: {e}"))),
        Ok(o) if !o.status.success() => {
            let err = String::from_utf8_lossy(&o.stderr);
            let line = err
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("docker version failed")
                .trim()
                .to_string();
            Err(no_engine(line))
        }
        Ok(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs() {
        assert_eq!(
            Output::parse("oci:/tmp/x").unwrap(),
            Output::Oci {
                dir: "/tmp/x".into(),
                name: None
            }
        );
        assert_eq!(
            Output::parse("oci:out:v1").unwrap(),
            Output::Oci {
                dir: "out".into(),
                name: Some("v1".into())
            }
        );
        assert_eq!(
            Output::parse("docker-archive:a.tar").unwrap(),
            Output::DockerArchive("a.tar".into())
        );
        assert!(Output::parse("dir:x").is_err());
        assert!(Output::parse("oci:x:-bad").is_err());
    }
}
