//! The `docker save` / `docker load` archive: a tar with `manifest.json`
//! (`[{"Config","RepoTags","Layers"}]`), the image config and the layers — under
//! `blobs/sha256/<hex>` (Docker 25+), or `<hex>.json` and `<id>/layer.tar` (older Dockers,
//! with symlinks for shared layers).
//!
//! * Reading ([`read_image`], for `dct push --from docker-archive:FILE`): members are located
//!   in place (offset and size in the tar file, symlinks resolved), the config and every layer
//!   hashed; a Docker schema 2 manifest is built for them. Nothing is extracted.
//! * Writing ([`ArchiveWriter`], for `dct pull --output docker-archive:FILE`): blobs are
//!   downloaded into a staging directory beside `FILE`, then the tar is written into it and
//!   renamed to `FILE` (see `fsutil::Staging` for failures, signals and stale staging
//!   directories).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::json;
use sha2::{Digest as _, Sha256};

use super::layout::{STAGING_PREFIX, STAGING_WHAT};
use super::{
    BlobFile, DOCKER_CONFIG, DOCKER_LAYER_GZIP, DOCKER_LAYER_TAR, DOCKER_MANIFEST, Descriptor,
    Digest, ImageSource, MANIFEST_LIMIT, Manifest,
};
use crate::error::{Error, IoContext, Result};
use crate::fsutil::{self, Staging};

/// Most bytes of an image config read from an archive.
const CONFIG_LIMIT: u64 = 8 << 20;

/// `./a/../b//c` → `b/c`.
fn normalize(name: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in name.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Regular members of the tar file: normalised name → (data offset, size), symlinks resolved.
fn members(file: &Path) -> Result<HashMap<String, (u64, u64)>> {
    let bad =
        |e: std::io::Error| Error::invalid(format!("{}: not a tar archive ({e})", file.display()));
    let f = File::open(file).ctx("cannot open", file)?;
    let mut archive = tar::Archive::new(f);
    let mut found = HashMap::new();
    let mut links = Vec::new();
    for entry in archive.entries_with_seek().map_err(bad)? {
        let entry = entry.map_err(bad)?;
        let name = normalize(&String::from_utf8_lossy(&entry.path_bytes()));
        match entry.header().entry_type() {
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                found.insert(name, (entry.raw_file_position(), entry.size()));
            }
            tar::EntryType::Symlink => {
                if let Some(target) = entry.link_name_bytes() {
                    links.push((name, String::from_utf8_lossy(&target).into_owned()));
                }
            }
            _ => {}
        }
    }
    for (name, target) in links {
        let parent = Path::new(&name).parent().unwrap_or(Path::new(""));
        let resolved = normalize(&parent.join(&target).to_string_lossy());
        if let Some(m) = found.get(&resolved).copied() {
            found.insert(name, m);
        }
    }
    Ok(found)
}

#[derive(Deserialize)]
struct ArchiveEntry {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

/// sha256 of `size` bytes at `offset`, and whether they start like gzip.
fn hash_range(file: &Path, offset: u64, size: u64) -> Result<(Digest, bool)> {
    let mut f = File::open(file).ctx("cannot open", file)?;
    f.seek(SeekFrom::Start(offset)).ctx("cannot read", file)?;
    let mut r = f.take(size);
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 << 10];
    let mut first = Vec::new();
    loop {
        let n = r.read(&mut buf).ctx("cannot read", file)?;
        if n == 0 {
            break;
        }
        if first.len() < 2 {
            first.extend_from_slice(&buf[..n.min(2)]);
        }
        h.update(&buf[..n]);
    }
    Ok((
        Digest(h.finalize().into()),
        first.starts_with(&[0x1f, 0x8b]),
    ))
}

/// The digest a member's name promises (`blobs/sha256/<hex>`, `<hex>.json`,
/// `<hex>/layer.tar`), if any.
fn named_digest(name: &str) -> Option<Digest> {
    let hex_part = name
        .strip_prefix("blobs/sha256/")
        .or_else(|| name.strip_suffix(".json"))
        .or_else(|| name.strip_suffix("/layer.tar"))?;
    Digest::from_hex(hex_part)
}

/// The image tagged `image` (familiar `NAME:TAG`) in the archive's `manifest.json`, or its only
/// image. Layers go as they are stored (gzip or plain tar); `top` is a Docker schema 2 manifest
/// built here, to be put under `tag`.
pub fn read_image(file: &Path, image: &str) -> Result<ImageSource> {
    let members = members(file)?;
    let member = |name: &str| {
        members
            .get(&normalize(name))
            .copied()
            .ok_or_else(|| Error::invalid(format!("{}: no {name} in the archive", file.display())))
    };
    let read = |(off, size): (u64, u64), limit: u64, what: &str| -> Result<Vec<u8>> {
        if size > limit {
            return Err(Error::invalid(format!(
                "{}: {what} is {size} bytes, more than {limit}",
                file.display()
            )));
        }
        let mut f = File::open(file).ctx("cannot open", file)?;
        let mut buf = vec![0u8; size as usize];
        f.seek(SeekFrom::Start(off))
            .and_then(|_| f.read_exact(&mut buf))
            .ctx("cannot read", file)?;
        Ok(buf)
    };
    let entries: Vec<ArchiveEntry> = serde_json::from_slice(&read(
        member("manifest.json")?,
        MANIFEST_LIMIT,
        "manifest.json",
    )?)
    .map_err(|e| Error::invalid(format!("{}: invalid manifest.json: {e}", file.display())))?;
    let entry = entries
        .iter()
        .find(|e| {
            e.repo_tags
                .iter()
                .flatten()
                .any(|t| t == image || t.ends_with(&format!("/{image}")))
        })
        .or(if entries.len() == 1 {
            entries.first()
        } else {
            None
        })
        .ok_or_else(|| {
            Error::invalid(format!(
                "{}: {} images and none tagged {image}",
                file.display(),
                entries.len()
            ))
        })?;
    let corrupt = |name: &str, got: &Digest| {
        Error::Verification(format!(
            "{}: {name} is {got}, not the digest its name says: corrupted or tampered; nothing \
             was pushed",
            file.display()
        ))
    };
    let (c_off, c_size) = member(&entry.config)?;
    let config = read((c_off, c_size), CONFIG_LIMIT, "the image config")?;
    let config_digest = Digest::of(&config);
    if named_digest(&normalize(&entry.config)).is_some_and(|d| d != config_digest) {
        return Err(corrupt(&entry.config, &config_digest));
    }
    let mut blobs = vec![BlobFile {
        digest: config_digest,
        size: c_size,
        path: file.to_path_buf(),
        offset: c_off,
    }];
    let mut layers = Vec::new();
    let mut seen = HashSet::from([config_digest]);
    for l in &entry.layers {
        let (off, size) = member(l)?;
        let (digest, gzip) = hash_range(file, off, size)?;
        let name = normalize(l);
        if name.starts_with("blobs/sha256/") && named_digest(&name).is_some_and(|d| d != digest) {
            return Err(corrupt(l, &digest));
        }
        let media_type = if gzip {
            DOCKER_LAYER_GZIP
        } else {
            DOCKER_LAYER_TAR
        };
        layers.push(format!(
            r#"{{"mediaType":"{media_type}","size":{size},"digest":"{digest}"}}"#
        ));
        if seen.insert(digest) {
            blobs.push(BlobFile {
                digest,
                size,
                path: file.to_path_buf(),
                offset: off,
            });
        }
    }
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"{DOCKER_MANIFEST}","config":{{"mediaType":"{DOCKER_CONFIG}","size":{c_size},"digest":"{config_digest}"}},"layers":[{}]}}"#,
        layers.join(",")
    );
    Ok(ImageSource {
        blobs,
        children: Vec::new(),
        top: Manifest::new(DOCKER_MANIFEST, manifest.into_bytes()),
    })
}

/// Writes one image as a `docker load` archive (see the module docs).
#[derive(Debug)]
pub struct ArchiveWriter {
    file: PathBuf,
    stage: Staging,
}

impl ArchiveWriter {
    /// Prepares writing `file` (a staging directory beside it).
    pub fn open(file: &Path) -> Result<ArchiveWriter> {
        Ok(ArchiveWriter {
            file: file.to_path_buf(),
            stage: Staging::beside(file, STAGING_PREFIX, STAGING_WHAT)?,
        })
    }

    /// A temp file (in the staging directory) to download blob `d` into.
    pub fn blob_temp(&self, d: &Digest) -> PathBuf {
        self.stage.path().join(format!("{}.part", d.hex()))
    }

    /// Writes the archive of the image with `config` and `layers` (downloaded as (digest,
    /// path)), tagged `repo_tag` when given, to a temp file and renames it to the target.
    pub fn commit(
        self,
        config: &Descriptor,
        layers: &[Descriptor],
        downloaded: &[(Digest, PathBuf)],
        repo_tag: Option<&str>,
    ) -> Result<()> {
        let path_of = |d: &Digest| -> Result<&PathBuf> {
            downloaded
                .iter()
                .find(|(h, _)| h == d)
                .map(|(_, p)| p)
                .ok_or_else(|| Error::Other(format!("blob {d} was not downloaded")))
        };
        let digest = |d: &Descriptor| {
            d.sha256()
                .ok_or_else(|| Error::Other(format!("unsupported digest {:?}", d.digest)))
        };
        let entry = |d: &Digest| format!("blobs/sha256/{}", d.hex());
        let config_digest = digest(config)?;
        let layer_digests = layers.iter().map(digest).collect::<Result<Vec<_>>>()?;
        let manifest = serde_json::to_vec(&json!([{
            "Config": entry(&config_digest),
            "RepoTags": repo_tag.map(|t| vec![t.to_string()]).unwrap_or_default(),
            "Layers": layer_digests.iter().map(entry).collect::<Vec<_>>(),
        }]))
        .expect("JSON");

        let tmp_path = self.stage.path().join("archive.tar");
        let mut tmp = File::create_new(&tmp_path).ctx("cannot create", &tmp_path)?;
        {
            let mut out = tar::Builder::new(BufWriter::with_capacity(256 << 10, &mut tmp));
            let mut write = || -> std::io::Result<()> {
                dir_entry(&mut out, "blobs/")?;
                dir_entry(&mut out, "blobs/sha256/")?;
                let mut done = BTreeSet::new();
                for d in std::iter::once(&config_digest).chain(&layer_digests) {
                    if done.insert(*d) {
                        let path = path_of(d).map_err(std::io::Error::other)?;
                        let mut f = File::open(path)?;
                        let size = f.metadata()?.len();
                        file_entry(&mut out, &entry(d), size, &mut f)?;
                    }
                }
                file_entry(
                    &mut out,
                    "manifest.json",
                    manifest.len() as u64,
                    &mut manifest.as_slice(),
                )?;
                out.finish()?;
                out.get_mut().flush()
            };
            write().ctx("cannot write", &tmp_path)?;
        }
        tmp.sync_all().ctx("cannot sync", &tmp_path)?;
        fs::set_permissions(&tmp_path, fs::Permissions::from_mode(0o644))
            .ctx("cannot set the mode of", &tmp_path)?;
        let _whole = fsutil::interrupt::defer();
        fs::rename(&tmp_path, &self.file).ctx("cannot write", &self.file)?;
        fsutil::sync_dir(self.stage.parent());
        Ok(())
    }
}

fn dir_entry(out: &mut tar::Builder<impl Write>, name: &str) -> std::io::Result<()> {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Directory);
    h.set_mode(0o755);
    h.set_size(0);
    h.set_mtime(0);
    out.append_data(&mut h, name, std::io::empty())
}

fn file_entry(
    out: &mut tar::Builder<impl Write>,
    name: &str,
    size: u64,
    data: &mut impl Read,
) -> std::io::Result<()> {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(0o644);
    h.set_size(size);
    h.set_mtime(0);
    out.append_data(&mut h, name, data.take(size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise() {
        assert_eq!(normalize("./a/../b//c"), "b/c");
        let hex = "ab".repeat(32);
        assert!(named_digest(&format!("blobs/sha256/{hex}")).is_some());
        assert!(named_digest(&format!("{hex}.json")).is_some());
        assert!(named_digest(&format!("{hex}/layer.tar")).is_some());
        assert!(named_digest("manifest.json").is_none());
    }

    #[test]
    fn written_archives_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let config = br#"{"architecture":"amd64","os":"linux"}"#.to_vec();
        let layer = vec![7u8; 3000];
        let (cd, ld) = (Digest::of(&config), Digest::of(&layer));
        let w = ArchiveWriter::open(&dir.path().join("img.tar")).unwrap();
        let (cp, lp) = (w.blob_temp(&cd), w.blob_temp(&ld));
        fs::write(&cp, &config).unwrap();
        fs::write(&lp, &layer).unwrap();
        let desc = |d: &Digest, n: usize| Descriptor {
            media_type: String::new(),
            digest: d.to_string(),
            size: n as u64,
            platform: None,
            urls: Vec::new(),
            annotations: Default::default(),
        };
        w.commit(
            &desc(&cd, config.len()),
            &[desc(&ld, layer.len())],
            &[(cd, cp), (ld, lp)],
            Some("app:v1"),
        )
        .unwrap();
        let img = read_image(&dir.path().join("img.tar"), "app:v1").unwrap();
        assert_eq!(img.blobs.len(), 2);
        assert_eq!(img.blobs[0].digest, cd);
        assert_eq!(img.blobs[1].digest, ld);
        assert!(
            String::from_utf8_lossy(&img.top.bytes)
                .contains(&format!(r#""mediaType":"{DOCKER_LAYER_TAR}","size":3000"#))
        );
        // Nothing but the archive is left beside it.
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
    }
}
