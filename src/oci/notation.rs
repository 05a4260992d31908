//! Notary Project (Notation) signatures as bytes (notaryproject/specifications
//! `signature-specification.md`, `signature-envelope-jws.md`; docs/migration.md §4): the payload,
//! the JWS protected header and flattened envelope (`notary.x509`, ES256, certificate chain in
//! `x5c`), the OCI 1.1 signature manifest whose `subject` is the image, and the referrers tag
//! index (`sha256-<hex>`) that registries without the referrers API need.
//!
//! Checking signatures is not here but in [`super::sigcheck`].

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Serialize;
use serde_json::Value;

use super::{Digest, OCI_INDEX, OCI_MANIFEST};

/// `artifactType` of a Notation signature manifest.
pub const ARTIFACT_TYPE: &str = "application/vnd.cncf.notary.signature";
/// The payload's content type (`cty`).
pub const PAYLOAD_TYPE: &str = "application/vnd.cncf.notary.payload.v1+json";
/// The envelope layer's media type.
pub const JWS_TYPE: &str = "application/jose+json";
/// The empty config's media type.
pub const EMPTY_TYPE: &str = "application/vnd.oci.empty.v1+json";
/// The empty config blob, `{}`.
pub const EMPTY_BLOB: &[u8] = b"{}";
/// The signing scheme dct uses: signing time asserted by the signer.
pub const SCHEME_X509: &str = "notary.x509";
/// The manifest annotation with the chain's SHA-256 thumbprints (required by the spec).
pub const THUMBPRINT_ANNOTATION: &str = "io.cncf.notary.x509chain.thumbprint#S256";
/// The manifest annotation with the signing time.
pub const CREATED_ANNOTATION: &str = "org.opencontainers.image.created";

/// The image a signature is for: the descriptor the registry serves it with, plus annotations
/// that the signer binds to it (the tag, as `org.opencontainers.image.ref.name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// Annotations the signature binds to the image (the tag).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// The image manifest's digest.
    pub digest: Digest,
    /// The image manifest's media type.
    #[serde(rename = "mediaType")]
    pub media_type: String,
    /// The image manifest's length in bytes.
    pub size: u64,
}

/// `{"targetArtifact":{…}}`, keys sorted as notation writes them.
pub fn payload(target: &Target) -> Vec<u8> {
    #[derive(Serialize)]
    struct P<'a> {
        #[serde(rename = "targetArtifact")]
        target: &'a Target,
    }
    serde_json::to_vec(&P { target }).expect("payloads serialise")
}

/// The protected header for ES256 under `notary.x509` at `signing_time` (RFC 3339, whole
/// seconds); only the signing scheme is critical (listing a known header there is an error).
pub fn protected_header(signing_time: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "alg": "ES256",
        "crit": ["io.cncf.notary.signingScheme"],
        "cty": PAYLOAD_TYPE,
        "io.cncf.notary.signingScheme": SCHEME_X509,
        "io.cncf.notary.signingTime": signing_time,
    }))
    .expect("headers serialise")
}

/// The JWS signing input: `b64url(protected) "." b64url(payload)`, unpadded.
pub fn signing_input(protected: &[u8], payload: &[u8]) -> String {
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(protected),
        URL_SAFE_NO_PAD.encode(payload)
    )
}

/// The flattened JWS JSON envelope: `signature` is raw r‖s, `chain` the certificates' DER,
/// leaf first.
pub fn envelope(
    protected: &[u8],
    payload: &[u8],
    signature: &[u8; 64],
    chain: &[Vec<u8>],
    agent: &str,
) -> Vec<u8> {
    #[derive(Serialize)]
    struct Envelope<'a> {
        payload: String,
        protected: String,
        header: Header<'a>,
        signature: String,
    }
    #[derive(Serialize)]
    struct Header<'a> {
        x5c: Vec<String>,
        #[serde(rename = "io.cncf.notary.signingAgent")]
        agent: &'a str,
    }
    serde_json::to_vec(&Envelope {
        payload: URL_SAFE_NO_PAD.encode(payload),
        protected: URL_SAFE_NO_PAD.encode(protected),
        header: Header {
            x5c: chain.iter().map(|c| STANDARD.encode(c)).collect(),
            agent,
        },
        signature: URL_SAFE_NO_PAD.encode(signature),
    })
    .expect("envelopes serialise")
}

/// The manifest annotations of a signature: chain thumbprints (lower-case hex, leaf first)
/// and the signing time.
pub fn manifest_annotations(chain: &[Vec<u8>], signing_time: &str) -> BTreeMap<String, String> {
    let prints: Vec<String> = chain.iter().map(|c| Digest::of(c).hex()).collect();
    BTreeMap::from([
        (
            THUMBPRINT_ANNOTATION.to_string(),
            serde_json::to_string(&prints).expect("strings serialise"),
        ),
        (CREATED_ANNOTATION.to_string(), signing_time.to_string()),
    ])
}

#[derive(Serialize)]
struct Desc<'a> {
    #[serde(rename = "mediaType")]
    media_type: &'a str,
    digest: String,
    size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a str>,
}

/// The OCI 1.1 signature manifest (oras `PackManifest` v1.1 shape): empty config, one envelope
/// layer, `subject` = the image.
pub fn signature_manifest(
    subject: &Target,
    envelope: &[u8],
    annotations: &BTreeMap<String, String>,
) -> Vec<u8> {
    #[derive(Serialize)]
    struct M<'a> {
        #[serde(rename = "schemaVersion")]
        schema_version: u32,
        #[serde(rename = "mediaType")]
        media_type: &'a str,
        #[serde(rename = "artifactType")]
        artifact_type: &'a str,
        config: Desc<'a>,
        layers: [Desc<'a>; 1],
        subject: Desc<'a>,
        annotations: &'a BTreeMap<String, String>,
    }
    serde_json::to_vec(&M {
        schema_version: 2,
        media_type: OCI_MANIFEST,
        artifact_type: ARTIFACT_TYPE,
        config: Desc {
            media_type: EMPTY_TYPE,
            digest: Digest::of(EMPTY_BLOB).to_string(),
            size: EMPTY_BLOB.len() as u64,
            data: Some("e30="),
        },
        layers: [Desc {
            media_type: JWS_TYPE,
            digest: Digest::of(envelope).to_string(),
            size: envelope.len() as u64,
            data: None,
        }],
        subject: Desc {
            media_type: &subject.media_type,
            digest: subject.digest.to_string(),
            size: subject.size,
            data: None,
        },
        annotations,
    })
    .expect("manifests serialise")
}

/// The referrers tag of `subject` (distribution-spec's tag schema): `sha256-<hex>`.
pub fn referrers_tag(subject: &Digest) -> String {
    format!("sha256-{}", subject.hex())
}

/// The tag dct also puts on a signature manifest so that registry 2.8's
/// `garbage-collect --delete-untagged` (which does not follow an index to its manifests)
/// keeps it: `sha256-<subject hex>.notation-<first 12 hex of the manifest digest>`.
pub fn keep_tag(subject: &Digest, manifest: &Digest) -> String {
    format!("sha256-{}.notation-{}", subject.hex(), manifest.short())
}

/// The referrers index with `manifest` (a signature manifest's bytes) added, as the
/// distribution spec's "pushing manifests with subject" procedure: `existing` (the index under
/// the referrers tag, if any) keeps every entry; `None` when `manifest` is listed already.
/// An `existing` that is not an OCI index is refused.
pub fn add_referrer(existing: Option<&[u8]>, manifest: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let mut index: Value = match existing {
        Some(bytes) => {
            serde_json::from_slice(bytes).map_err(|e| format!("not a JSON index: {e}"))?
        }
        None => serde_json::json!({
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [],
        }),
    };
    if index.get("mediaType").and_then(Value::as_str) != Some(OCI_INDEX) {
        return Err("it is not an OCI image index".into());
    }
    let digest = Digest::of(manifest).to_string();
    let parsed: Value =
        serde_json::from_slice(manifest).map_err(|e| format!("not a JSON manifest: {e}"))?;
    let entries = match index.get_mut("manifests") {
        Some(Value::Array(a)) => a,
        Some(Value::Null) | None => {
            index["manifests"] = Value::Array(Vec::new());
            index["manifests"].as_array_mut().expect("just set")
        }
        Some(_) => return Err("its manifests are not a list".into()),
    };
    if entries
        .iter()
        .any(|e| e.get("digest").and_then(Value::as_str) == Some(digest.as_str()))
    {
        return Ok(None);
    }
    let mut entry = serde_json::json!({
        "mediaType": OCI_MANIFEST,
        "digest": digest,
        "size": manifest.len(),
        "artifactType": parsed.get("artifactType").cloned().unwrap_or(Value::Null),
    });
    if let Some(a) = parsed.get("annotations").filter(|a| a.is_object()) {
        entry["annotations"] = a.clone();
    }
    entries.push(entry);
    Ok(Some(serde_json::to_vec(&index).expect("indexes serialise")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        Target {
            annotations: BTreeMap::from([(
                "org.opencontainers.image.ref.name".to_string(),
                "v1".to_string(),
            )]),
            digest: Digest::of(b"image"),
            media_type: super::super::DOCKER_MANIFEST.to_string(),
            size: 5,
        }
    }

    #[test]
    fn payload_and_header_are_notations_shapes() {
        let p = String::from_utf8(payload(&target())).unwrap();
        assert_eq!(
            p,
            format!(
                r#"{{"targetArtifact":{{"annotations":{{"org.opencontainers.image.ref.name":"v1"}},"digest":"{}","mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":5}}}}"#,
                Digest::of(b"image")
            )
        );
        let h = String::from_utf8(protected_header("2026-12-06T02:58:02Z")).unwrap();
        assert_eq!(
            h,
            r#"{"alg":"ES256","crit":["io.cncf.notary.signingScheme"],"cty":"application/vnd.cncf.notary.payload.v1+json","io.cncf.notary.signingScheme":"notary.x509","io.cncf.notary.signingTime":"2026-12-06T02:58:02Z"}"#
        );
        assert!(!signing_input(b"{}", b"??>").contains('='));
    }

    #[test]
    fn referrers_index_is_appended_not_replaced() {
        let m1 = signature_manifest(&target(), b"env1", &BTreeMap::new());
        let m2 = signature_manifest(&target(), b"env2", &BTreeMap::new());
        let first = add_referrer(None, &m1).unwrap().unwrap();
        let second = add_referrer(Some(&first), &m2).unwrap().unwrap();
        let v: Value = serde_json::from_slice(&second).unwrap();
        let entries = v["manifests"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0]["artifactType"], ARTIFACT_TYPE);
        assert_eq!(entries[1]["digest"], Digest::of(&m2).to_string());
        assert_eq!(add_referrer(Some(&second), &m1).unwrap(), None);
        assert!(add_referrer(Some(br#"{"mediaType":"x"}"#), &m1).is_err());
        let tag = keep_tag(&Digest::of(b"image"), &Digest::of(&m1));
        assert!(tag.len() <= 128 && tag.starts_with("sha256-"), "{tag}");
    }
}
