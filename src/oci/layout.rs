//! The OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/<hex>`), as skopeo and umoci
//! read and write it.
//!
//! * Reading ([`read_image`], for `dct push --from oci:DIR[:REF]`): the image an `index.json`
//!   entry names, every manifest checked against its descriptor's digest and size; blobs are
//!   only described ([`BlobFile`]) and hashed again while uploaded.
//! * Writing ([`LayoutWriter`], for `dct pull --output oci:DIR[:REF]`): a new layout is built in
//!   a staging directory beside `DIR` and renamed into place at the end; an existing layout
//!   gets the blobs it lacks (downloaded into a staging directory inside `DIR`, renamed in only
//!   after every one was verified), then its `index.json` replaced atomically. Nothing partial
//!   is ever visible at `DIR`, and a staging directory is removed on failure, on a signal, or
//!   (left by a killed dct) by the next pull there (`fsutil::Staging`).
//! * Several pulls into one layout at once (a CI matrix collecting its images): `index.json`
//!   is read, changed and replaced under an exclusive lock on the layout's `oci-layout` file
//!   (never replaced, so the lock is always on the live file); a pull that built a new layout
//!   and finds that another one created `DIR` first moves its blobs in and adds its entry.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::{
    BlobFile, Descriptor, Digest, ImageSource, MANIFEST_LIMIT, MANIFEST_TYPES, Manifest,
    ManifestDoc, OCI_INDEX, OCI_MANIFEST, Platform, REF_NAME,
};
use crate::error::{Error, IoContext, Result};
use crate::fsutil::{self, Staging};

/// The `oci-layout` file's content.
const LAYOUT_VERSION: &[u8] = br#"{"imageLayoutVersion":"1.0.0"}"#;
/// Prefix of the staging directories a pull builds layouts and archives in.
pub const STAGING_PREFIX: &str = ".dct-pull-";
/// What a staging directory is, in the message of an interrupted pull.
pub const STAGING_WHAT: &str = "the unfinished pull";

/// Where a layout keeps blob `d`.
fn blob_path(dir: &Path, d: &Digest) -> PathBuf {
    dir.join("blobs/sha256").join(d.hex())
}

/// The layout at `dir`: the image `reference` names (`org.opencontainers.image.ref.name`), else
/// the one named `tag`, else the only one. Its manifest (and an index's children) are read and
/// checked; `top` is to be put under `tag`.
pub fn read_image(dir: &Path, reference: Option<&str>, tag: &str) -> Result<ImageSource> {
    if !dir.join("oci-layout").is_file() {
        return Err(Error::invalid(format!(
            "{} is not an OCI image layout (no oci-layout file)",
            dir.display()
        )));
    }
    let index_path = dir.join("index.json");
    let index_bytes = fs::read(&index_path).ctx("cannot read", &index_path)?;
    let index: ManifestDoc = serde_json::from_slice(&index_bytes)
        .map_err(|e| Error::invalid(format!("invalid {}: {e}", index_path.display())))?;
    let all = index.manifests.unwrap_or_default();
    let chosen = match reference {
        Some(r) => all.iter().find(|d| d.ref_name() == Some(r)),
        None => all
            .iter()
            .find(|d| d.ref_name() == Some(tag))
            .or(if all.len() == 1 { all.first() } else { None }),
    };
    let Some(top) = chosen else {
        let names: Vec<&str> = all.iter().filter_map(Descriptor::ref_name).collect();
        return Err(Error::invalid(format!(
            "{}: no image {} in the layout (it has {}): name one with oci:DIR:REF",
            dir.display(),
            reference.unwrap_or(tag),
            if names.is_empty() {
                format!("{} unnamed", all.len())
            } else {
                names.join(", ")
            }
        )));
    };
    let mut blobs = Vec::new();
    let mut children = Vec::new();
    let mut seen = HashSet::new();
    let (top, doc) = read_manifest(dir, top)?;
    if let Some(list) = &doc.manifests {
        for c in list {
            let (child, child_doc) = read_manifest(dir, c)?;
            if child_doc.manifests.is_some() {
                return Err(Error::invalid(format!(
                    "{}: nested index {} is not supported",
                    dir.display(),
                    c.digest
                )));
            }
            add_blobs(dir, &child_doc, &mut blobs, &mut seen)?;
            children.push(child);
        }
    } else {
        add_blobs(dir, &doc, &mut blobs, &mut seen)?;
    }
    Ok(ImageSource {
        blobs,
        children,
        top,
    })
}

fn digest_of(dir: &Path, d: &Descriptor) -> Result<Digest> {
    d.sha256().ok_or_else(|| {
        Error::invalid(format!(
            "{}: unsupported digest {:?} (only sha256:<64 hex>)",
            dir.display(),
            d.digest
        ))
    })
}

/// A manifest blob of the layout, checked against its descriptor.
fn read_manifest(dir: &Path, d: &Descriptor) -> Result<(Manifest, ManifestDoc)> {
    let path = blob_path(dir, &digest_of(dir, d)?);
    if d.size > MANIFEST_LIMIT {
        return Err(Error::invalid(format!(
            "manifest {} is {} bytes, more than the {MANIFEST_LIMIT} a registry accepts",
            d.digest, d.size
        )));
    }
    let mut bytes = Vec::new();
    File::open(&path)
        .ctx("cannot open manifest", &path)?
        .take(MANIFEST_LIMIT + 1)
        .read_to_end(&mut bytes)
        .ctx("cannot read manifest", &path)?;
    let got = Digest::of(&bytes);
    if got.to_string() != d.digest || bytes.len() as u64 != d.size {
        return Err(Error::Verification(format!(
            "manifest {} in {} is {got} ({} bytes, {} expected): corrupted or tampered; nothing \
             was pushed",
            d.digest,
            dir.display(),
            bytes.len(),
            d.size
        )));
    }
    let doc: ManifestDoc = serde_json::from_slice(&bytes)
        .map_err(|e| Error::invalid(format!("invalid manifest {}: {e}", d.digest)))?;
    let media_type = [&d.media_type, &doc.media_type]
        .into_iter()
        .find(|m| !m.is_empty())
        .cloned()
        .unwrap_or_else(|| {
            if doc.manifests.is_some() {
                OCI_INDEX.to_string()
            } else {
                OCI_MANIFEST.to_string()
            }
        });
    if !MANIFEST_TYPES.contains(&media_type.as_str()) {
        return Err(Error::invalid(format!(
            "manifest {} has unsupported media type {media_type}",
            d.digest
        )));
    }
    Ok((
        Manifest {
            digest: got,
            media_type,
            bytes,
        },
        doc,
    ))
}

fn add_blobs(
    dir: &Path,
    doc: &ManifestDoc,
    out: &mut Vec<BlobFile>,
    seen: &mut HashSet<Digest>,
) -> Result<()> {
    for d in doc.blobs() {
        let digest = digest_of(dir, d)?;
        if !seen.insert(digest) {
            continue;
        }
        let path = blob_path(dir, &digest);
        let len = match fs::metadata(&path) {
            Ok(m) => m.len(),
            // A foreign (non-distributable) layer the registry fetches from its URLs.
            Err(_) if !d.urls.is_empty() => continue,
            Err(e) => return Err(Error::io("blob missing from the layout:", &path, e)),
        };
        if len != d.size {
            return Err(Error::Verification(format!(
                "blob {} in {} is {len} bytes, not the {} its manifest says: corrupted or \
                 tampered; nothing was pushed",
                d.digest,
                dir.display(),
                d.size
            )));
        }
        out.push(BlobFile {
            digest,
            size: d.size,
            path,
            offset: 0,
        });
    }
    Ok(())
}

/// Whether `path` holds exactly `size` bytes hashing to `digest`.
pub fn has_blob(path: &Path, digest: &Digest, size: u64) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() != size {
        return false;
    }
    let Ok(mut f) = File::open(path) else {
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
    Digest(h.finalize().into()) == *digest
}

/// The `index.json` entry naming the pulled image.
#[derive(Debug, Clone)]
pub struct IndexEntry<'a> {
    /// The manifest the name points to.
    pub manifest: &'a Manifest,
    /// Its platform, when picked from an index.
    pub platform: Option<&'a Platform>,
    /// `org.opencontainers.image.ref.name`.
    pub name: &'a str,
}

impl IndexEntry<'_> {
    fn to_json(&self) -> Value {
        let mut v = json!({
            "mediaType": self.manifest.media_type,
            "digest": self.manifest.digest.to_string(),
            "size": self.manifest.bytes.len(),
            "annotations": {REF_NAME: self.name},
        });
        if let Some(p) = self.platform {
            v["platform"] = serde_json::to_value(p).expect("a platform serialises");
        }
        v
    }
}

/// Writes one image into an OCI layout (see the module docs): blobs are downloaded by the
/// caller into [`LayoutWriter::blob_temp`] paths, then [`LayoutWriter::commit`] puts
/// everything in place.
#[derive(Debug)]
pub struct LayoutWriter {
    dir: PathBuf,
    /// Downloads go here; a new layout is built here too.
    stage: Staging,
    /// Whether `dir` is an existing layout (else the staging directory becomes `dir`).
    existing: bool,
    /// Where the blobs end up (in `dir` for an existing layout, else in the staging directory).
    blob_dir: PathBuf,
}

impl LayoutWriter {
    /// Opens `dir` for writing: an existing layout, or a new (missing or empty) directory.
    pub fn open(dir: &Path) -> Result<LayoutWriter> {
        let existing = dir.join("oci-layout").is_file();
        if !existing && dir.exists() {
            let empty = fs::read_dir(dir).ctx("cannot read", dir)?.next().is_none();
            if !empty {
                return Err(Error::invalid(format!(
                    "{} exists and is not an OCI image layout (no oci-layout file): choose a new \
                     or empty directory",
                    dir.display()
                )));
            }
        }
        let (stage, blob_dir) = if existing {
            // Stale staging directories of a killed pull beside the layout go too.
            if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                fsutil::sweep(parent, &[STAGING_PREFIX]);
            }
            let stage = Staging::new_in(dir, STAGING_PREFIX, STAGING_WHAT)?;
            (stage, dir.join("blobs").join("sha256"))
        } else {
            let stage = Staging::beside(dir, STAGING_PREFIX, STAGING_WHAT)?;
            fs::set_permissions(stage.path(), fs::Permissions::from_mode(0o755))
                .ctx("cannot set the mode of", stage.path())?;
            let blob_dir = stage.path().join("blobs").join("sha256");
            (stage, blob_dir)
        };
        fs::create_dir_all(&blob_dir).ctx("cannot create", &blob_dir)?;
        Ok(LayoutWriter {
            dir: dir.to_path_buf(),
            stage,
            existing,
            blob_dir,
        })
    }

    /// Whether the layout already holds blob `d` of `size` bytes (checked by hashing).
    pub fn has_blob(&self, d: &Digest, size: u64) -> bool {
        self.existing && has_blob(&self.blob_dir.join(d.hex()), d, size)
    }

    /// A temp file (in the staging directory) to download blob `d` into.
    pub fn blob_temp(&self, d: &Digest) -> PathBuf {
        self.stage.path().join(format!("{}.part", d.hex()))
    }

    /// Renames the downloaded blobs (digest, temp path) in, writes `manifests` that are not
    /// there yet, then names the image in `index.json` (an entry with the same name is
    /// replaced) — or, for a new layout, renames the staging directory to `dir`. Signals wait
    /// for the renames into an existing layout.
    pub fn commit(
        self,
        downloaded: &[(Digest, PathBuf)],
        manifests: &[&Manifest],
        entry: &IndexEntry<'_>,
    ) -> Result<()> {
        let mut renames: Vec<(Digest, PathBuf)> = downloaded.to_vec();
        for m in manifests {
            if self.has_blob(&m.digest, m.size()) {
                continue;
            }
            let tmp = self.blob_temp(&m.digest);
            fsutil::write_new(&tmp, &m.bytes, 0o644)?;
            renames.push((m.digest, tmp));
        }
        let _whole = fsutil::interrupt::defer();
        for (d, tmp) in &renames {
            let dest = self.blob_dir.join(d.hex());
            fs::rename(tmp, &dest).ctx("cannot rename into", &dest)?;
        }
        fsutil::sync_dir(&self.blob_dir);
        if self.existing {
            self.add_to_index(entry)
        } else {
            self.finish_new(entry)
        }
    }

    fn add_to_index(&self, entry: &IndexEntry<'_>) -> Result<()> {
        let _lock = lock_layout(&self.dir)?;
        let index_path = self.dir.join("index.json");
        let mut index: Value =
            serde_json::from_slice(&fs::read(&index_path).ctx("cannot read", &index_path)?)
                .map_err(|e| {
                    Error::invalid(format!("{}: invalid index.json: {e}", index_path.display()))
                })?;
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
        arr.retain(|d| d["annotations"][REF_NAME].as_str() != Some(entry.name));
        arr.push(entry.to_json());
        let mut bytes = serde_json::to_vec(&index).expect("JSON");
        bytes.push(b'\n');
        let tmp = self.stage.path().join("index.json");
        fsutil::write_new(&tmp, &bytes, 0o644)?;
        fs::rename(&tmp, &index_path).ctx("cannot write", &index_path)?;
        fsutil::sync_dir(&self.dir);
        Ok(())
    }

    fn finish_new(mut self, entry: &IndexEntry<'_>) -> Result<()> {
        let stage = self.stage.path().to_path_buf();
        fsutil::write_new(&stage.join("oci-layout"), LAYOUT_VERSION, 0o644)?;
        let index = json!({
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [entry.to_json()],
        });
        let mut bytes = serde_json::to_vec(&index).expect("JSON");
        bytes.push(b'\n');
        fsutil::write_new(&stage.join("index.json"), &bytes, 0o644)?;
        let Err(e) = self.stage.try_rename_to(&self.dir) else {
            return Ok(());
        };
        if !self.dir.join("oci-layout").is_file() {
            return Err(Error::io("cannot rename the new layout to", &self.dir, e));
        }
        // Another pull created the layout first: join it.
        let dest = self.dir.join("blobs").join("sha256");
        fs::create_dir_all(&dest).ctx("cannot create", &dest)?;
        {
            let _whole = fsutil::interrupt::defer();
            for blob in fs::read_dir(&self.blob_dir).ctx("cannot read", &self.blob_dir)? {
                let from = blob.ctx("cannot read", &self.blob_dir)?.path();
                let to = dest.join(from.file_name().expect("a directory entry has a name"));
                // Content-addressed and verified: replacing a blob that is there changes nothing.
                fs::rename(&from, &to).ctx("cannot rename into", &to)?;
            }
        }
        fsutil::sync_dir(&dest);
        self.add_to_index(entry)
    }
}

/// The exclusive lock of the layout at `dir` (see the module docs), held while it lives.
fn lock_layout(dir: &Path) -> Result<File> {
    let path = dir.join("oci-layout");
    let file = File::open(&path).ctx("cannot open", &path)?;
    file.lock().ctx("cannot lock", &path)?;
    Ok(file)
}
