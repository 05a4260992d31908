//! `dct pull`: fetch exactly the manifest a verified tag points to, then the blobs it lists,
//! verifying every digest and length, into an OCI image layout or a `docker load` archive (the
//! Docker engine hand-off lives in the CLI: it only runs `docker`).
//!
//! Nothing partial is ever left at the output: blobs are downloaded to temp files, checked, and
//! only then renamed into place; a layout's `index.json` (or an archive's final name) is written
//! last and atomically. A new layout is built in a temp dir next to `DIR` and renamed at the end.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::error::{Error, IoContext, Result};
use crate::remote::registry::{
    BlobJob, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, ManifestBytes, OCI_INDEX, OCI_MANIFEST,
    Registry, parse_digest,
};

/// The annotation naming an image in an OCI layout's `index.json`.
pub const REF_NAME: &str = "org.opencontainers.image.ref.name";

/// An OS/architecture[/variant] as in an index's `platform`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Platform {
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub variant: Option<String>,
}

impl Platform {
    /// `OS/ARCH[/VARIANT]`.
    pub fn parse(s: &str) -> Result<Platform> {
        let parts: Vec<&str> = s.split('/').collect();
        let ok =
            |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !(2..=3).contains(&parts.len()) || !parts.iter().all(|p| ok(p)) {
            return Err(Error::invalid(format!(
                "invalid platform {s:?}: expected OS/ARCH[/VARIANT], e.g. linux/amd64 or linux/arm64/v8"
            )));
        }
        Ok(Platform {
            os: parts[0].to_ascii_lowercase(),
            architecture: parts[1].to_ascii_lowercase(),
            variant: parts.get(2).map(|v| v.to_ascii_lowercase()),
        })
    }

    /// This machine, in Go's (and the OCI spec's) names.
    pub fn host() -> Platform {
        let architecture = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "x86" => "386",
            "powerpc64" => "ppc64le",
            "loongarch64" => "loong64",
            other => other,
        };
        Platform {
            os: std::env::consts::OS.to_string(),
            architecture: architecture.to_string(),
            variant: None,
        }
    }

    /// Whether an index entry's platform is this one: a variant is compared only when asked
    /// for, and arm64's default variant `v8` matches no variant.
    fn matches(&self, other: &Platform) -> bool {
        if self.os != other.os || self.architecture != other.architecture {
            return false;
        }
        match (&self.variant, &other.variant) {
            (None, _) => true,
            (Some(v), Some(o)) => v == o,
            (Some(v), None) => self.architecture == "arm64" && v == "v8",
        }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// Which manifests of an index to pull.
#[derive(Debug, Clone)]
pub enum Platforms {
    One(Platform),
    All,
}

/// Where a pull writes the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// `oci:DIR[:REF]`
    Oci { dir: PathBuf, name: Option<String> },
    /// `docker-archive:FILE`
    DockerArchive(PathBuf),
}

impl Output {
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

/// What the user sees while blobs download (the CLI draws bars or lines).
pub trait Reporter: Sync {
    /// A line of progress (`<id>: Already exists`).
    fn message(&self, text: &str);
    /// Downloads are about to start: (short id, size) per blob.
    fn start(&self, blobs: &[(String, u64)]);
    /// Blob `i` has `bytes` so far.
    fn progress(&self, i: usize, bytes: u64);
    /// All downloads ended (successfully or not).
    fn finish(&self);
}

/// A descriptor as manifests and indexes list them.
#[derive(Debug, Clone, Deserialize)]
pub struct Descriptor {
    #[serde(default, rename = "mediaType")]
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    #[serde(default)]
    pub platform: Option<Platform>,
}

impl Descriptor {
    fn sha256(&self, what: &str) -> Result<[u8; 32]> {
        parse_digest(&self.digest).ok_or_else(|| {
            Error::Other(format!(
                "{what} lists {:?}: only sha256 digests are supported",
                self.digest
            ))
        })
    }
}

#[derive(Debug, Deserialize)]
struct ManifestJson {
    #[serde(default, rename = "schemaVersion")]
    schema_version: u32,
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Vec<Descriptor>,
    manifests: Option<Vec<Descriptor>>,
}

/// One image manifest to pull, verified against its digest.
#[derive(Debug, Clone)]
pub struct Image {
    pub manifest: ManifestBytes,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
    pub platform: Option<Platform>,
}

/// What a pull fetched: the manifest the output's name points to (`top`) and its images.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The manifest the signed digest names (an index, or an image manifest).
    pub signed: ManifestBytes,
    /// What the output names: `signed`, or the platform's manifest picked from an index.
    pub target: ManifestBytes,
    /// The platform of `target` when picked from an index.
    pub target_platform: Option<Platform>,
    /// Index manifests to store besides the images (`--all-platforms`).
    pub indexes: Vec<ManifestBytes>,
    pub images: Vec<Image>,
}

fn is_index(media_type: &str, parsed: &ManifestJson) -> bool {
    media_type == OCI_INDEX
        || media_type == DOCKER_MANIFEST_LIST
        || (parsed.config.is_none() && parsed.manifests.is_some())
}

fn parse_manifest(m: &ManifestBytes, what: &str) -> Result<ManifestJson> {
    let parsed: ManifestJson = serde_json::from_slice(&m.bytes)
        .map_err(|e| Error::Other(format!("{what}: not a manifest: {e}")))?;
    if parsed.schema_version != 2 {
        return Err(Error::Other(format!(
            "{what}: schema version {} manifests are not supported (only Docker schema 2 and OCI)",
            parsed.schema_version
        )));
    }
    Ok(parsed)
}

fn image_of(
    m: ManifestBytes,
    parsed: ManifestJson,
    platform: Option<Platform>,
    what: &str,
) -> Result<Image> {
    let config = parsed
        .config
        .ok_or_else(|| Error::Other(format!("{what}: an image manifest without a config")))?;
    config.sha256(what)?;
    for l in &parsed.layers {
        l.sha256(what)?;
    }
    Ok(Image {
        manifest: m,
        config,
        layers: parsed.layers,
        platform,
    })
}

/// Fetches the manifest `reference` names (a digest verified against `size` when signed, or a
/// tag with `--disable-content-trust`), and for an index the manifests `platforms` selects,
/// each verified against the digest and size the index gives.
pub fn fetch_manifests(
    registry: &Registry<'_>,
    reference: &str,
    size: Option<u64>,
    platforms: &Platforms,
) -> Result<Fetched> {
    let signed = registry.manifest_bytes(reference, size)?;
    let what = format!("manifest sha256:{}", hex::encode(signed.digest));
    let parsed = parse_manifest(&signed, &what)?;
    if !is_index(&signed.media_type, &parsed) {
        let image = image_of(signed.clone(), parsed, None, &what)?;
        return Ok(Fetched {
            target: signed.clone(),
            signed,
            target_platform: None,
            indexes: Vec::new(),
            images: vec![image],
        });
    }
    let children = parsed.manifests.unwrap_or_default();
    let chosen: Vec<&Descriptor> = match platforms {
        Platforms::All => children
            .iter()
            .filter(|d| d.media_type != OCI_INDEX && d.media_type != DOCKER_MANIFEST_LIST)
            .collect(),
        Platforms::One(p) => {
            let found = children
                .iter()
                .find(|d| d.platform.as_ref().is_some_and(|dp| p.matches(dp)));
            match found {
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
            }
        }
    };
    let mut images = Vec::new();
    for d in chosen {
        let digest = d.sha256(&what)?;
        let child = registry.manifest_bytes(&d.digest, Some(d.size))?;
        debug_assert_eq!(child.digest, digest);
        let child_what = format!("manifest {}", d.digest);
        let parsed = parse_manifest(&child, &child_what)?;
        if is_index(&child.media_type, &parsed) {
            return Err(Error::Other(format!(
                "{what}: nested indexes are not supported ({})",
                d.digest
            )));
        }
        images.push(image_of(child, parsed, d.platform.clone(), &child_what)?);
    }
    match platforms {
        Platforms::All => Ok(Fetched {
            target: signed.clone(),
            indexes: vec![signed.clone()],
            signed,
            target_platform: None,
            images,
        }),
        Platforms::One(_) => {
            let image = &images[0];
            Ok(Fetched {
                target: image.manifest.clone(),
                target_platform: image.platform.clone(),
                signed,
                indexes: Vec::new(),
                images,
            })
        }
    }
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

fn short(digest: &str) -> String {
    digest
        .strip_prefix("sha256:")
        .unwrap_or(digest)
        .chars()
        .take(12)
        .collect()
}

/// Whether `path` holds exactly `size` bytes hashing to `digest`.
fn has_blob(path: &Path, digest: &[u8; 32], size: u64) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() != size {
        return false;
    }
    let Ok(mut f) = fs::File::open(path) else {
        return false;
    };
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 << 10];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(_) => return false,
        }
    }
    <[u8; 32]>::from(h.finalize()) == *digest
}

/// Temp files removed on drop unless taken.
struct TempFiles(Vec<PathBuf>);

impl Drop for TempFiles {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = fs::remove_file(p);
        }
    }
}

fn temp_name(dir: &Path, hex: &str) -> PathBuf {
    let mut r = [0u8; 6];
    let _ = getrandom::fill(&mut r);
    dir.join(format!(".tmp-{hex}-{}", hex::encode(r)))
}

/// Downloads `blobs` (those not already in `have_dir`, when given) to temp files in `tmp_dir`;
/// returns (digest hex, temp path) of each download, to be renamed by the caller.
fn download(
    registry: &Registry<'_>,
    blobs: &[Descriptor],
    have_dir: Option<&Path>,
    tmp_dir: &Path,
    jobs: usize,
    reporter: &dyn Reporter,
    temps: &mut TempFiles,
) -> Result<Vec<(String, PathBuf)>> {
    let mut work = Vec::new();
    let mut shown = Vec::new();
    for d in blobs {
        let digest = d.sha256("manifest")?;
        let hex = hex::encode(digest);
        if let Some(dir) = have_dir
            && has_blob(&dir.join(&hex), &digest, d.size)
        {
            reporter.message(&format!("{}: Already exists", short(&d.digest)));
            continue;
        }
        let path = temp_name(tmp_dir, &hex);
        temps.0.push(path.clone());
        shown.push((short(&d.digest), d.size));
        work.push(BlobJob {
            digest,
            size: d.size,
            path,
        });
    }
    reporter.start(&shown);
    let result = registry.blobs(&work, jobs, &|i, n| reporter.progress(i, n));
    reporter.finish();
    result?;
    Ok(work
        .into_iter()
        .map(|j| (hex::encode(j.digest), j.path))
        .collect())
}

fn write_file(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let mut f = fs::File::create(path).ctx("cannot create", path)?;
    f.write_all(bytes).ctx("cannot write", path)?;
    f.sync_all().ctx("cannot sync", path)?;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).ctx("cannot set the mode of", path)
}

/// Writes `bytes` to `path` through a temp file in the same dir and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = temp_name(dir, "write");
    let result = write_file(&tmp, bytes, 0o644)
        .and_then(|_| fs::rename(&tmp, path).ctx("cannot write", path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The descriptor `index.json` gets for `m`.
fn index_entry(m: &ManifestBytes, platform: Option<&Platform>, name: &str) -> Value {
    let mut v = json!({
        "mediaType": m.media_type,
        "digest": format!("sha256:{}", hex::encode(m.digest)),
        "size": m.bytes.len(),
        "annotations": {REF_NAME: name},
    });
    if let Some(p) = platform {
        let mut pj = json!({"architecture": p.architecture, "os": p.os});
        if let Some(var) = &p.variant {
            pj["variant"] = json!(var);
        }
        v["platform"] = pj;
    }
    v
}

/// Pulls into the OCI image layout `dir`, naming the image `name`. A new `dir` is built in a
/// temp dir beside it and renamed at the end; an existing layout gets the blobs it lacks
/// (renamed in after all were verified) and then its `index.json` replaced atomically, with any
/// previous entry of the same name dropped.
pub fn write_oci(
    registry: &Registry<'_>,
    fetched: &Fetched,
    dir: &Path,
    name: &str,
    jobs: usize,
    reporter: &dyn Reporter,
) -> Result<()> {
    let existing = dir.join("oci-layout").is_file();
    if !existing && dir.exists() {
        let empty = fs::read_dir(dir).ctx("cannot read", dir)?.next().is_none();
        if !empty {
            return Err(Error::invalid(format!(
                "{} exists and is not an OCI image layout (no oci-layout file): choose a new or \
                 empty directory",
                dir.display()
            )));
        }
    }
    let blobs = blobs_of(&fetched.images);
    let mut manifests: Vec<&ManifestBytes> = fetched.indexes.iter().collect();
    manifests.extend(fetched.images.iter().map(|i| &i.manifest));
    let entry = index_entry(&fetched.target, fetched.target_platform.as_ref(), name);
    let mut temps = TempFiles(Vec::new());

    if existing {
        let blob_dir = dir.join("blobs").join("sha256");
        fs::create_dir_all(&blob_dir).ctx("cannot create", &blob_dir)?;
        let index_path = dir.join("index.json");
        let mut index: Value =
            serde_json::from_slice(&fs::read(&index_path).ctx("cannot read", &index_path)?)
                .map_err(|e| {
                    Error::invalid(format!("{}: invalid index.json: {e}", index_path.display()))
                })?;
        let downloaded = download(
            registry,
            &blobs,
            Some(&blob_dir),
            &blob_dir,
            jobs,
            reporter,
            &mut temps,
        )?;
        let mut renames = downloaded;
        for m in &manifests {
            let hex = hex::encode(m.digest);
            if has_blob(&blob_dir.join(&hex), &m.digest, m.bytes.len() as u64) {
                continue;
            }
            let tmp = temp_name(&blob_dir, &hex);
            temps.0.push(tmp.clone());
            write_file(&tmp, &m.bytes, 0o644)?;
            renames.push((hex, tmp));
        }
        for (hex, tmp) in &renames {
            let dest = blob_dir.join(hex);
            fs::rename(tmp, &dest).ctx("cannot rename into", &dest)?;
        }
        temps.0.clear();
        crate::fsutil::sync_dir(&blob_dir);
        let list = index
            .as_object_mut()
            .ok_or_else(|| Error::invalid(format!("{}: not a JSON object", index_path.display())))?
            .entry("manifests")
            .or_insert_with(|| json!([]));
        let arr = list.as_array_mut().ok_or_else(|| {
            Error::invalid(format!(
                "{}: manifests is not an array",
                index_path.display()
            ))
        })?;
        arr.retain(|d| d["annotations"][REF_NAME].as_str() != Some(name));
        arr.push(entry);
        let mut bytes = serde_json::to_vec(&index).expect("JSON");
        bytes.push(b'\n');
        write_atomic(&index_path, &bytes)?;
        crate::fsutil::sync_dir(dir);
        return Ok(());
    }

    let (parent, stage) = stage_beside(dir)?;
    fs::set_permissions(stage.path(), fs::Permissions::from_mode(0o755))
        .ctx("cannot set the mode of", stage.path())?;
    let blob_dir = stage.path().join("blobs").join("sha256");
    fs::create_dir_all(&blob_dir).ctx("cannot create", &blob_dir)?;
    let downloaded = download(
        registry, &blobs, None, &blob_dir, jobs, reporter, &mut temps,
    )?;
    for (hex, tmp) in &downloaded {
        fs::rename(tmp, blob_dir.join(hex)).ctx("cannot rename", tmp)?;
    }
    temps.0.clear();
    for m in &manifests {
        write_file(&blob_dir.join(hex::encode(m.digest)), &m.bytes, 0o644)?;
    }
    write_file(
        &stage.path().join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
        0o644,
    )?;
    let index = json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [entry],
    });
    let mut bytes = serde_json::to_vec(&index).expect("JSON");
    bytes.push(b'\n');
    write_file(&stage.path().join("index.json"), &bytes, 0o644)?;
    let staged = stage.keep();
    if let Err(e) = fs::rename(&staged, dir) {
        let _ = fs::remove_dir_all(&staged);
        return Err(Error::io("cannot rename the new layout to", dir, e));
    }
    crate::fsutil::sync_dir(&parent);
    Ok(())
}

/// A ustar header for a regular file (`b'0'`) or a directory (`b'5'`). Names are short here
/// (`blobs/sha256/<64 hex>` is 77 bytes); sizes past 8 GiB use the GNU base-256 form.
fn tar_header(name: &str, size: u64, kind: u8) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    let octal = |field: &mut [u8], v: u64| {
        let s = format!("{v:0w$o}", w = field.len() - 1);
        field[..s.len()].copy_from_slice(s.as_bytes());
    };
    octal(&mut h[100..108], if kind == b'5' { 0o755 } else { 0o644 });
    octal(&mut h[108..116], 0);
    octal(&mut h[116..124], 0);
    if size < 8u64.pow(11) {
        octal(&mut h[124..136], size);
    } else {
        h[124] = 0x80;
        h[128..136].copy_from_slice(&size.to_be_bytes());
    }
    octal(&mut h[136..148], 0);
    h[156] = kind;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    let s = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(s.as_bytes());
    h
}

fn tar_file(
    out: &mut impl Write,
    name: &str,
    src: &mut impl Read,
    size: u64,
) -> std::io::Result<()> {
    out.write_all(&tar_header(name, size, b'0'))?;
    let copied = std::io::copy(&mut src.take(size), out)?;
    if copied != size {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("{name}: {copied} of {size} bytes"),
        ));
    }
    let pad = (512 - size % 512) % 512;
    out.write_all(&vec![0u8; pad as usize])
}

/// Pulls into a `docker load` archive at `file`: `manifest.json`
/// (`[{"Config","RepoTags","Layers"}]`), the config and the layers under `blobs/sha256/`. One
/// image only. Written to a temp file beside `file` and renamed at the end.
pub fn write_docker_archive(
    registry: &Registry<'_>,
    fetched: &Fetched,
    file: &Path,
    repo_tag: Option<&str>,
    jobs: usize,
    reporter: &dyn Reporter,
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
    let (parent, stage) = stage_beside(file)?;
    let blobs = blobs_of(std::slice::from_ref(image));
    let mut temps = TempFiles(Vec::new());
    let downloaded = download(
        registry,
        &blobs,
        None,
        stage.path(),
        jobs,
        reporter,
        &mut temps,
    )?;
    let path_of = |hex: &str| -> PathBuf {
        downloaded
            .iter()
            .find(|(h, _)| h == hex)
            .map(|(_, p)| p.clone())
            .expect("downloaded")
    };
    let entry = |d: &Descriptor| format!("blobs/sha256/{}", d.digest.trim_start_matches("sha256:"));
    let manifest = json!([{
        "Config": entry(&image.config),
        "RepoTags": repo_tag.map(|t| vec![t.to_string()]).unwrap_or_default(),
        "Layers": image.layers.iter().map(entry).collect::<Vec<_>>(),
    }]);
    let manifest = serde_json::to_vec(&manifest).expect("JSON");

    let mut tmp = tempfile::Builder::new()
        .prefix(".dct-pull-")
        .tempfile_in(&parent)
        .ctx("cannot create a temporary file in", &parent)?;
    let tmp_path = tmp.path().to_path_buf();
    {
        let mut out = std::io::BufWriter::with_capacity(256 << 10, tmp.as_file_mut());
        let mut write = || -> std::io::Result<()> {
            out.write_all(&tar_header("blobs/", 0, b'5'))?;
            out.write_all(&tar_header("blobs/sha256/", 0, b'5'))?;
            let mut done = BTreeSet::new();
            for d in &blobs {
                let hex = d.digest.trim_start_matches("sha256:").to_string();
                if done.insert(hex.clone()) {
                    let mut f = fs::File::open(path_of(&hex))?;
                    tar_file(&mut out, &entry(d), &mut f, d.size)?;
                }
            }
            tar_file(
                &mut out,
                "manifest.json",
                &mut manifest.as_slice(),
                manifest.len() as u64,
            )?;
            out.write_all(&[0u8; 1024])?;
            out.flush()
        };
        write().ctx("cannot write", &tmp_path)?;
    }
    tmp.as_file().sync_all().ctx("cannot sync", tmp.path())?;
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o644))
        .ctx("cannot set the mode of", tmp.path())?;
    tmp.persist(file)
        .map_err(|e| e.error)
        .ctx("cannot write", file)?;
    crate::fsutil::sync_dir(&parent);
    Ok(())
}

/// `target`'s directory and a temporary directory in it (same file system, so the result can be
/// renamed into place at the end; nothing partial is ever visible at `target`).
fn stage_beside(target: &Path) -> Result<(PathBuf, tempfile::TempDir)> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let stage = tempfile::Builder::new()
        .prefix(".dct-pull-")
        .tempdir_in(&parent)
        .ctx("cannot create a temporary directory in", &parent)?;
    Ok((parent, stage))
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

    #[test]
    fn platforms() {
        let p = Platform::parse("linux/arm64/v8").unwrap();
        assert_eq!(p.to_string(), "linux/arm64/v8");
        assert!(p.matches(&Platform::parse("linux/arm64").unwrap()));
        assert!(
            Platform::parse("linux/amd64")
                .unwrap()
                .matches(&Platform::parse("linux/amd64/v3").unwrap())
        );
        assert!(
            !Platform::parse("linux/amd64")
                .unwrap()
                .matches(&Platform::parse("linux/arm64").unwrap())
        );
        assert!(Platform::parse("linux").is_err());
        assert!(Platform::parse("linux/amd64/v1/x").is_err());
    }

    #[test]
    fn tar_headers_have_valid_checksums() {
        let h = tar_header("manifest.json", 1234, b'0');
        let stored = u32::from_str_radix(std::str::from_utf8(&h[148..154]).unwrap(), 8).unwrap();
        let mut copy = h;
        copy[148..156].copy_from_slice(b"        ");
        assert_eq!(stored, copy.iter().map(|&b| u32::from(b)).sum::<u32>());
        assert_eq!(&h[124..135], b"00000002322");
    }
}
