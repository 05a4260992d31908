//! OCI and Docker image formats, independent of any server: the one [`Digest`] type, the
//! media-type table, descriptors and platforms, manifests as dct reads them, and the two
//! on-disk image formats — the OCI image layout ([`layout`]) and the `docker save` /
//! `docker load` archive ([`archive`]).

pub mod archive;
pub mod cosign;
pub mod layout;
pub mod notation;
pub mod sigcheck;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::error::{Error, Result};

/// Docker image manifest, schema 2.
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// Docker manifest list (multi-platform).
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// OCI image manifest.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// OCI image index (multi-platform).
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// Docker image config.
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
/// Docker layer, gzip-compressed.
pub const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
/// Docker layer, uncompressed.
pub const DOCKER_LAYER_TAR: &str = "application/vnd.docker.image.rootfs.diff.tar";

/// Every manifest media type dct reads and writes.
pub const MANIFEST_TYPES: [&str; 4] = [
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    OCI_MANIFEST,
    OCI_INDEX,
];

/// The `Accept` header of every manifest request: the order is not a preference (the registry
/// returns what the tag holds), it only tells the registry not to convert.
pub const MANIFEST_ACCEPT: &str = "application/vnd.docker.distribution.manifest.v2+json, \
     application/vnd.docker.distribution.manifest.list.v2+json, \
     application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";

/// Most manifest bytes dct reads (docker/distribution refuses to store more than 4 MiB).
pub const MANIFEST_LIMIT: u64 = 4 << 20;

/// The annotation naming an image in an OCI layout's `index.json`.
pub const REF_NAME: &str = "org.opencontainers.image.ref.name";

/// Whether `media_type` is a multi-platform index (OCI index or Docker manifest list).
pub fn is_index_type(media_type: &str) -> bool {
    media_type == OCI_INDEX || media_type == DOCKER_MANIFEST_LIST
}

/// A SHA-256 content digest, `sha256:<64 lower-case hex>` as text. dct supports no other
/// algorithm: notary's targets carry sha256, and every registry does.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest(Sha256::digest(bytes).into())
    }

    /// `sha256:<64 lower-case hex>` → the digest; anything else is `None`.
    pub fn parse(s: &str) -> Option<Digest> {
        Digest::from_hex(s.strip_prefix("sha256:")?)
    }

    /// 64 lower-case hex digits → the digest.
    pub fn from_hex(hex_part: &str) -> Option<Digest> {
        if hex_part.len() != 64
            || !hex_part
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return None;
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(hex_part, &mut out).ok()?;
        Some(Digest(out))
    }

    /// The 64 hex digits (file names in a layout's `blobs/sha256/`).
    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The first 12 hex digits, as Docker shows layers.
    pub fn short(&self) -> String {
        self.hex()[..12].to_string()
    }

    /// The raw 32 bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", self.hex())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", self.hex())
    }
}

impl From<[u8; 32]> for Digest {
    fn from(b: [u8; 32]) -> Digest {
        Digest(b)
    }
}

impl FromStr for Digest {
    type Err = Error;

    fn from_str(s: &str) -> Result<Digest> {
        Digest::parse(s).ok_or_else(|| {
            Error::invalid(format!(
                "invalid digest {s:?}: expected sha256: and 64 lower-case hex digits"
            ))
        })
    }
}

impl Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Digest::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("unsupported digest {s:?} (only sha256:<64 hex>)"))
        })
    }
}

/// An OS/architecture[/variant] as in an index's `platform`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Platform {
    /// `linux`, `windows`…
    #[serde(default)]
    pub os: String,
    /// Go's names: `amd64`, `arm64`…
    #[serde(default)]
    pub architecture: String,
    /// `v7`, `v8`…
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    pub fn matches(&self, other: &Platform) -> bool {
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

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// A descriptor as manifests, indexes and `index.json` list them. The digest is kept as text
/// so that a manifest naming another algorithm can still be read and refused with its name.
#[derive(Debug, Clone, Deserialize)]
pub struct Descriptor {
    /// The media type (may be empty in old manifests).
    #[serde(default, rename = "mediaType")]
    pub media_type: String,
    /// `sha256:<hex>` (or another algorithm, refused by [`Descriptor::sha256`]).
    pub digest: String,
    /// Size in bytes.
    pub size: u64,
    /// An index entry's platform.
    #[serde(default)]
    pub platform: Option<Platform>,
    /// Where a foreign (non-distributable) layer can be fetched.
    #[serde(default)]
    pub urls: Vec<String>,
    /// Annotations (`org.opencontainers.image.ref.name`…).
    #[serde(default)]
    pub annotations: std::collections::BTreeMap<String, String>,
}

impl Descriptor {
    /// The descriptor's digest, `None` when it is not `sha256:<64 hex>`.
    pub fn sha256(&self) -> Option<Digest> {
        Digest::parse(&self.digest)
    }

    /// The image name an `index.json` entry carries.
    pub fn ref_name(&self) -> Option<&str> {
        self.annotations.get(REF_NAME).map(String::as_str)
    }
}

/// The fields of a manifest or index dct needs.
#[derive(Debug, Deserialize)]
pub struct ManifestDoc {
    /// 2 for every manifest dct reads.
    #[serde(default, rename = "schemaVersion")]
    pub schema_version: u32,
    /// The `mediaType` field (optional in OCI manifests).
    #[serde(default, rename = "mediaType")]
    pub media_type: String,
    /// An image manifest's config.
    pub config: Option<Descriptor>,
    /// An image manifest's layers.
    #[serde(default)]
    pub layers: Vec<Descriptor>,
    /// An index's manifests.
    pub manifests: Option<Vec<Descriptor>>,
}

impl ManifestDoc {
    /// Parses manifest `bytes`: a schema 2 manifest or index, else why not (the caller
    /// names the manifest and picks the error class: local input or a server's answer).
    pub fn parse(bytes: &[u8]) -> std::result::Result<ManifestDoc, String> {
        let doc: ManifestDoc =
            serde_json::from_slice(bytes).map_err(|e| format!("not a manifest: {e}"))?;
        if doc.schema_version != 2 {
            return Err(format!(
                "schema version {} manifests are not supported (only Docker schema 2 and OCI)",
                doc.schema_version
            ));
        }
        Ok(doc)
    }

    /// Whether this is an index, by `media_type` (the one it was served or listed with) or by
    /// its shape.
    pub fn is_index(&self, media_type: &str) -> bool {
        is_index_type(media_type)
            || is_index_type(&self.media_type)
            || (self.config.is_none() && self.manifests.is_some())
    }

    /// Every blob (config, then layers) of an image manifest.
    pub fn blobs(&self) -> impl Iterator<Item = &Descriptor> {
        self.config.iter().chain(self.layers.iter())
    }
}

/// A manifest's exact bytes with its digest and media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// sha256 of `bytes`.
    pub digest: Digest,
    /// Its media type.
    pub media_type: String,
    /// The exact bytes (what the digest and a signature cover).
    pub bytes: Vec<u8>,
}

impl Manifest {
    /// A manifest whose digest is computed from `bytes`.
    pub fn new(media_type: impl Into<String>, bytes: Vec<u8>) -> Manifest {
        Manifest {
            digest: Digest::of(&bytes),
            media_type: media_type.into(),
            bytes,
        }
    }

    /// Its size in bytes.
    pub fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
}

/// A blob stored in a local file: `size` bytes at `offset` in `path` (a layout's blob file, or
/// a member of a tar archive), expected to hash to `digest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobFile {
    /// What the bytes must hash to.
    pub digest: Digest,
    /// Length in bytes.
    pub size: u64,
    /// The file holding it.
    pub path: PathBuf,
    /// Where in the file it starts.
    pub offset: u64,
}

/// An image read from disk for upload, in upload order: blobs, then `children` (by digest),
/// then `top` (by tag).
#[derive(Debug)]
pub struct ImageSource {
    /// Config and layer blobs, each once.
    pub blobs: Vec<BlobFile>,
    /// An index's platform manifests.
    pub children: Vec<Manifest>,
    /// The manifest the tag will point to.
    pub top: Manifest,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests() {
        let hex = "ab".repeat(32);
        let d = Digest::parse(&format!("sha256:{hex}")).unwrap();
        assert_eq!(d.to_string(), format!("sha256:{hex}"));
        assert_eq!(d.short(), "abababababab");
        assert_eq!(format!("sha256:{hex}").parse::<Digest>().unwrap(), d);
        for bad in [
            "",
            "sha256:",
            "sha512:00",
            "sha256:ABAB",
            &format!("sha256:{hex}0"),
        ] {
            assert!(Digest::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(
            Digest::of(b"").hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let j = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Digest>(&j).unwrap(), d);
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
}
