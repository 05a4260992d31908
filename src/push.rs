//! What `dct push --from` uploads: the blobs and manifests of an OCI image layout
//! (`oci:DIR[:REF]`) or of a `docker save` tarball (`docker-archive:FILE`), read and checked
//! before anything is sent. Manifests are small and read whole (checked against their
//! descriptor's digest and size); blobs are only described here ([`Blob`]: file, offset, size,
//! digest) and hashed again while they are uploaded.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::remote::registry::{
    DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, MANIFEST_LIMIT, OCI_INDEX, OCI_MANIFEST, parse_digest,
};
use crate::remote::upload::Blob;

pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
pub const DOCKER_LAYER_TAR: &str = "application/vnd.docker.image.rootfs.diff.tar";
const REF_NAME: &str = "org.opencontainers.image.ref.name";
/// Most bytes of an image config read from a docker archive.
const CONFIG_LIMIT: u64 = 8 << 20;

/// Where `--from` reads the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Oci {
        dir: PathBuf,
        reference: Option<String>,
    },
    DockerArchive(PathBuf),
}

impl Source {
    /// `oci:DIR[:REF]` or `docker-archive:FILE`.
    pub fn parse(s: &str) -> Result<Source> {
        if let Some(rest) = s.strip_prefix("oci:") {
            let (dir, reference) = match rest.rsplit_once(':') {
                Some((d, r)) if !d.is_empty() && !r.contains('/') => (d, Some(r.to_string())),
                _ => (rest, None),
            };
            if dir.is_empty() {
                return Err(Error::invalid(format!("--from {s}: no directory")));
            }
            return Ok(Source::Oci {
                dir: PathBuf::from(dir),
                reference: reference.filter(|r| !r.is_empty()),
            });
        }
        if let Some(file) = s.strip_prefix("docker-archive:").filter(|f| !f.is_empty()) {
            return Ok(Source::DockerArchive(PathBuf::from(file)));
        }
        Err(Error::invalid(format!(
            "--from {s}: expected oci:DIR[:REF] or docker-archive:FILE"
        )))
    }
}

/// A manifest to put: under `reference` (a digest for the children of an index).
#[derive(Debug, Clone)]
pub struct Manifest {
    pub reference: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// Everything one push sends, in order: blobs, then `children` by digest, then `top` by tag.
#[derive(Debug)]
pub struct Plan {
    pub blobs: Vec<Blob>,
    pub children: Vec<Manifest>,
    pub top: Manifest,
}

#[derive(Deserialize)]
struct Descriptor {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    digest: String,
    size: u64,
    #[serde(default)]
    urls: Vec<String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Doc {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Vec<Descriptor>,
    manifests: Option<Vec<Descriptor>>,
}

fn sha256_string(d: &[u8]) -> String {
    format!("sha256:{}", hex::encode(d))
}

/// The OCI layout at `dir`: the image `reference` names (`org.opencontainers.image.ref.name`),
/// else the one named `tag`, else the only one.
pub fn from_oci(dir: &Path, reference: Option<&str>, tag: &str) -> Result<Plan> {
    let layout = dir.join("oci-layout");
    if !layout.is_file() {
        return Err(Error::invalid(format!(
            "{} is not an OCI image layout (no oci-layout file)",
            dir.display()
        )));
    }
    let index_path = dir.join("index.json");
    let index_bytes =
        std::fs::read(&index_path).map_err(|e| Error::io("cannot read", &index_path, e))?;
    let index: Doc = serde_json::from_slice(&index_bytes)
        .map_err(|e| Error::invalid(format!("invalid {}: {e}", index_path.display())))?;
    let all = index.manifests.unwrap_or_default();
    let name = |d: &Descriptor| d.annotations.get(REF_NAME).cloned();
    let chosen = match reference {
        Some(r) => all.iter().find(|d| name(d).as_deref() == Some(r)),
        None => all
            .iter()
            .find(|d| name(d).as_deref() == Some(tag))
            .or(if all.len() == 1 { all.first() } else { None }),
    };
    let Some(top) = chosen else {
        let names: Vec<String> = all.iter().filter_map(name).collect();
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
    let mut plan = Plan {
        blobs: Vec::new(),
        children: Vec::new(),
        top: Manifest {
            reference: String::new(),
            media_type: String::new(),
            bytes: Vec::new(),
        },
    };
    let mut seen = HashSet::new();
    let (media_type, bytes, doc) = read_manifest(dir, top)?;
    if let Some(children) = &doc.manifests {
        for c in children {
            let (mt, b, child) = read_manifest(dir, c)?;
            if child.manifests.is_some() {
                return Err(Error::invalid(format!(
                    "{}: nested index {} is not supported",
                    dir.display(),
                    c.digest
                )));
            }
            add_blobs(dir, &child, &mut plan.blobs, &mut seen)?;
            plan.children.push(Manifest {
                reference: c.digest.clone(),
                media_type: mt,
                bytes: b,
            });
        }
    } else {
        add_blobs(dir, &doc, &mut plan.blobs, &mut seen)?;
    }
    plan.top = Manifest {
        reference: tag.to_string(),
        media_type,
        bytes,
    };
    Ok(plan)
}

fn blob_path(dir: &Path, digest: &str) -> Result<PathBuf> {
    let d = parse_digest(digest).ok_or_else(|| {
        Error::invalid(format!(
            "{}: unsupported digest {digest:?} (only sha256:<64 hex>)",
            dir.display()
        ))
    })?;
    Ok(dir.join("blobs/sha256").join(hex::encode(d)))
}

/// A manifest blob of the layout, checked against its descriptor: (media type, bytes, parsed).
fn read_manifest(dir: &Path, d: &Descriptor) -> Result<(String, Vec<u8>, Doc)> {
    let path = blob_path(dir, &d.digest)?;
    if d.size > MANIFEST_LIMIT {
        return Err(Error::invalid(format!(
            "manifest {} is {} bytes, more than the {MANIFEST_LIMIT} a registry accepts",
            d.digest, d.size
        )));
    }
    let mut bytes = Vec::new();
    File::open(&path)
        .map_err(|e| Error::io("cannot open manifest", &path, e))?
        .take(MANIFEST_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("cannot read manifest", &path, e))?;
    let got = sha256_string(&Sha256::digest(&bytes));
    if got != d.digest || bytes.len() as u64 != d.size {
        return Err(Error::Verification(format!(
            "manifest {} in {} is {got} ({} bytes, {} expected): corrupted or tampered; nothing \
             was pushed",
            d.digest,
            dir.display(),
            bytes.len(),
            d.size
        )));
    }
    let doc: Doc = serde_json::from_slice(&bytes)
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
    if ![
        DOCKER_MANIFEST,
        DOCKER_MANIFEST_LIST,
        OCI_MANIFEST,
        OCI_INDEX,
    ]
    .contains(&media_type.as_str())
    {
        return Err(Error::invalid(format!(
            "manifest {} has unsupported media type {media_type}",
            d.digest
        )));
    }
    Ok((media_type, bytes, doc))
}

fn add_blobs(dir: &Path, doc: &Doc, out: &mut Vec<Blob>, seen: &mut HashSet<String>) -> Result<()> {
    for d in doc.config.iter().chain(doc.layers.iter()) {
        if !seen.insert(d.digest.clone()) {
            continue;
        }
        let path = blob_path(dir, &d.digest)?;
        let len = match std::fs::metadata(&path) {
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
        out.push(Blob {
            digest: d.digest.clone(),
            size: d.size,
            path,
            offset: 0,
        });
    }
    Ok(())
}

/// Regular members of a tar file: name → (data offset, size), with symlinks resolved.
fn tar_members(file: &Path) -> Result<HashMap<String, (u64, u64)>> {
    let mut f = File::open(file).map_err(|e| Error::io("cannot open", file, e))?;
    let bad = |why: &str| Error::invalid(format!("{}: not a tar archive ({why})", file.display()));
    let mut members = HashMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut pos = 0u64;
    let mut long_name: Option<String> = None;
    let mut header = [0u8; 512];
    loop {
        f.seek(SeekFrom::Start(pos))
            .and_then(|_| f.read_exact(&mut header))
            .map_err(|_| bad("truncated"))?;
        if header.iter().all(|b| *b == 0) {
            break;
        }
        let field = |a: usize, b: usize| {
            let s = &header[a..b];
            let end = s.iter().position(|c| *c == 0).unwrap_or(s.len());
            String::from_utf8_lossy(&s[..end]).into_owned()
        };
        let size = if header[124] & 0x80 != 0 {
            header[125..136]
                .iter()
                .fold(0u64, |n, b| (n << 8) | u64::from(*b))
        } else {
            let s = field(124, 136);
            u64::from_str_radix(s.trim(), 8).map_err(|_| bad("bad size field"))?
        };
        let mut name = field(0, 100);
        if &header[257..262] == b"ustar" {
            let prefix = field(345, 500);
            if !prefix.is_empty() {
                name = format!("{prefix}/{name}");
            }
        }
        if let Some(n) = long_name.take() {
            name = n;
        }
        let data = pos + 512;
        let typeflag = header[156];
        match typeflag {
            b'L' | b'x' => {
                let mut buf = vec![0u8; size.min(1 << 20) as usize];
                f.read_exact(&mut buf).map_err(|_| bad("truncated"))?;
                if typeflag == b'L' {
                    let end = buf.iter().position(|c| *c == 0).unwrap_or(buf.len());
                    long_name = Some(String::from_utf8_lossy(&buf[..end]).into_owned());
                } else {
                    let text = String::from_utf8_lossy(&buf).into_owned();
                    for rec in text.split('\n') {
                        if let Some((_, kv)) = rec.split_once(' ')
                            && let Some(p) = kv.strip_prefix("path=")
                        {
                            long_name = Some(p.to_string());
                        }
                    }
                }
            }
            b'0' | 0 | b'7' => {
                members.insert(normalize(&name), (data, size));
            }
            b'2' => links.push((normalize(&name), field(157, 257))),
            _ => {}
        }
        pos = data + size.div_ceil(512) * 512;
    }
    for (name, target) in links {
        let parent = Path::new(&name).parent().unwrap_or(Path::new(""));
        let resolved = normalize(&parent.join(&target).to_string_lossy());
        if let Some(m) = members.get(&resolved).copied() {
            members.insert(name, m);
        }
    }
    Ok(members)
}

/// `./a/../b/c` → `b/c`.
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
fn hash_range(file: &Path, offset: u64, size: u64) -> Result<([u8; 32], bool)> {
    let mut f = File::open(file).map_err(|e| Error::io("cannot open", file, e))?;
    f.seek(SeekFrom::Start(offset))
        .map_err(|e| Error::io("cannot read", file, e))?;
    let mut r = f.take(size);
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 << 10];
    let mut first = Vec::new();
    loop {
        let n = r
            .read(&mut buf)
            .map_err(|e| Error::io("cannot read", file, e))?;
        if n == 0 {
            break;
        }
        if first.len() < 2 {
            first.extend_from_slice(&buf[..n.min(2)]);
        }
        h.update(&buf[..n]);
    }
    Ok((h.finalize().into(), first.starts_with(&[0x1f, 0x8b])))
}

/// The digest a member's name promises (`blobs/sha256/<hex>`, `<hex>.json`,
/// `<hex>/layer.tar`), if any.
fn named_digest(name: &str) -> Option<[u8; 32]> {
    let hex_part = name
        .strip_prefix("blobs/sha256/")
        .or_else(|| name.strip_suffix(".json"))
        .or_else(|| name.strip_suffix("/layer.tar"))?;
    parse_digest(&format!("sha256:{hex_part}"))
}

/// A `docker save` tarball: the image tagged `image` (familiar `NAME:TAG`) in its
/// `manifest.json`, or its only image. Layers go as they are stored (gzip or plain tar); the
/// Docker schema2 manifest is built here.
pub fn from_docker_archive(file: &Path, image: &str, tag: &str) -> Result<Plan> {
    let members = tar_members(file)?;
    let member = |name: &str| {
        members
            .get(&normalize(name))
            .copied()
            .ok_or_else(|| Error::invalid(format!("{}: no {name} in the archive", file.display())))
    };
    let (off, size) = member("manifest.json")?;
    let read = |off: u64, size: u64, limit: u64, what: &str| -> Result<Vec<u8>> {
        if size > limit {
            return Err(Error::invalid(format!(
                "{}: {what} is {size} bytes, more than {limit}",
                file.display()
            )));
        }
        let mut f = File::open(file).map_err(|e| Error::io("cannot open", file, e))?;
        let mut buf = vec![0u8; size as usize];
        f.seek(SeekFrom::Start(off))
            .and_then(|_| f.read_exact(&mut buf))
            .map_err(|e| Error::io("cannot read", file, e))?;
        Ok(buf)
    };
    let entries: Vec<ArchiveEntry> =
        serde_json::from_slice(&read(off, size, MANIFEST_LIMIT, "manifest.json")?).map_err(
            |e| Error::invalid(format!("{}: invalid manifest.json: {e}", file.display())),
        )?;
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
    let (c_off, c_size) = member(&entry.config)?;
    let config = read(c_off, c_size, CONFIG_LIMIT, "the image config")?;
    let config_digest: [u8; 32] = Sha256::digest(&config).into();
    let corrupt = |name: &str, got: &[u8; 32]| {
        Error::Verification(format!(
            "{}: {name} is {}, not the digest its name says: corrupted or tampered; nothing was \
             pushed",
            file.display(),
            sha256_string(got)
        ))
    };
    if named_digest(&normalize(&entry.config)).is_some_and(|d| d != config_digest) {
        return Err(corrupt(&entry.config, &config_digest));
    }
    let mut blobs = vec![Blob {
        digest: sha256_string(&config_digest),
        size: c_size,
        path: file.to_path_buf(),
        offset: c_off,
    }];
    let mut layers = Vec::new();
    let mut seen = HashSet::from([sha256_string(&config_digest)]);
    for l in &entry.layers {
        let (off, size) = member(l)?;
        let (digest, gzip) = hash_range(file, off, size)?;
        if normalize(l).starts_with("blobs/sha256/")
            && named_digest(&normalize(l)).is_some_and(|d| d != digest)
        {
            return Err(corrupt(l, &digest));
        }
        let d = sha256_string(&digest);
        layers.push(format!(
            r#"{{"mediaType":"{}","size":{size},"digest":"{d}"}}"#,
            if gzip {
                DOCKER_LAYER_GZIP
            } else {
                DOCKER_LAYER_TAR
            }
        ));
        if seen.insert(d.clone()) {
            blobs.push(Blob {
                digest: d,
                size,
                path: file.to_path_buf(),
                offset: off,
            });
        }
    }
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"{DOCKER_MANIFEST}","config":{{"mediaType":"{DOCKER_CONFIG}","size":{c_size},"digest":"{}"}},"layers":[{}]}}"#,
        sha256_string(&config_digest),
        layers.join(",")
    );
    Ok(Plan {
        blobs,
        children: Vec::new(),
        top: Manifest {
            reference: tag.to_string(),
            media_type: DOCKER_MANIFEST.to_string(),
            bytes: manifest.into_bytes(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources() {
        assert_eq!(
            Source::parse("oci:/tmp/x:v1").unwrap(),
            Source::Oci {
                dir: "/tmp/x".into(),
                reference: Some("v1".into())
            }
        );
        assert_eq!(
            Source::parse("oci:dir").unwrap(),
            Source::Oci {
                dir: "dir".into(),
                reference: None
            }
        );
        assert_eq!(
            Source::parse("docker-archive:a.tar").unwrap(),
            Source::DockerArchive("a.tar".into())
        );
        assert!(Source::parse("dir:x").is_err());
        assert!(Source::parse("oci:").is_err());
        assert_eq!(normalize("./a/../b//c"), "b/c");
    }
}
