//! cosign's key-based signature in the legacy tag scheme (sigstore/cosign `specs/SIGNATURE_SPEC.md`;
//! docs/migration.md §3), as bytes: the simple-signing payload, the signature layer, and the
//! `sha256-<hex>.sig` manifest with its config as go-containerregistry writes them. Signatures
//! are appended: the layers of an existing manifest are kept as they are.
//!
//! Checking signatures is not here but in [`super::sigcheck`], written from the verifiers'
//! rules rather than from this writer.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::{Digest, OCI_MANIFEST};

/// The payload's media type (the signature layer's).
pub const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
/// The layer annotation holding the base64 DER signature.
pub const SIGNATURE_ANNOTATION: &str = "dev.cosignproject.cosign/signature";
/// `critical.type` of every cosign payload.
pub const SIGNATURE_TYPE: &str = "cosign container image signature";
/// The signature manifest's config media type.
pub const CONFIG_TYPE: &str = "application/vnd.oci.image.config.v1+json";
/// Most layers cosign reads from one signature manifest.
pub const MAX_LAYERS: usize = 1000;

/// The tag holding the signatures of `digest`: `sha256-<hex>.sig`, in the image's repository.
pub fn signature_tag(digest: &Digest) -> String {
    format!("sha256-{}.sig", digest.hex())
}

#[derive(Serialize)]
struct Payload<'a> {
    critical: Critical<'a>,
    optional: Option<&'a BTreeMap<String, String>>,
}

#[derive(Serialize)]
struct Critical<'a> {
    identity: Identity<'a>,
    image: Image,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct Identity<'a> {
    #[serde(rename = "docker-reference")]
    docker_reference: &'a str,
}

#[derive(Serialize)]
struct Image {
    #[serde(rename = "docker-manifest-digest")]
    digest: String,
}

/// The simple-signing payload as cosign writes it (Go struct order, compact): `identity` is
/// `docker_reference`, `optional` the annotations (`null` when there are none).
pub fn payload(
    docker_reference: &str,
    digest: &Digest,
    optional: &BTreeMap<String, String>,
) -> Vec<u8> {
    serde_json::to_vec(&Payload {
        critical: Critical {
            identity: Identity { docker_reference },
            image: Image {
                digest: digest.to_string(),
            },
            kind: SIGNATURE_TYPE,
        },
        optional: (!optional.is_empty()).then_some(optional),
    })
    .expect("payloads serialise")
}

/// The manifest layer of one signature: the payload blob and the base64 signature.
pub fn layer(payload: &[u8], signature_b64: &str) -> Value {
    serde_json::json!({
        "mediaType": SIMPLE_SIGNING,
        "size": payload.len(),
        "digest": Digest::of(payload).to_string(),
        "annotations": { SIGNATURE_ANNOTATION: signature_b64 },
    })
}

/// The layers of an existing signature manifest, kept as they are; why not when it is not one.
pub fn layers(manifest: &[u8]) -> Result<Vec<Value>, String> {
    let v: Value =
        serde_json::from_slice(manifest).map_err(|e| format!("not a JSON manifest: {e}"))?;
    if v.get("mediaType").and_then(Value::as_str) != Some(OCI_MANIFEST) && v.get("config").is_none()
    {
        return Err("not an OCI image manifest".into());
    }
    match v.get("layers") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(l)) => Ok(l.clone()),
        Some(_) => Err("its layers are not a list".into()),
    }
}

/// One layer's digest and size, as a signature manifest lists them.
pub fn layer_blob(layer: &Value) -> Option<(Digest, u64)> {
    let digest = Digest::parse(layer.get("digest")?.as_str()?)?;
    Some((digest, layer.get("size")?.as_u64()?))
}

#[derive(Serialize)]
struct Config<'a> {
    architecture: &'a str,
    created: &'a str,
    history: Vec<History<'a>>,
    os: &'a str,
    rootfs: RootFs,
    config: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct History<'a> {
    created: &'a str,
}

#[derive(Serialize)]
struct RootFs {
    #[serde(rename = "type")]
    kind: &'static str,
    diff_ids: Vec<String>,
}

#[derive(Serialize)]
struct ManifestOut<'a> {
    #[serde(rename = "schemaVersion")]
    schema_version: u32,
    #[serde(rename = "mediaType")]
    media_type: &'a str,
    config: ConfigDescriptor,
    layers: &'a [Value],
}

#[derive(Serialize)]
struct ConfigDescriptor {
    #[serde(rename = "mediaType")]
    media_type: &'static str,
    size: usize,
    digest: String,
}

/// The config blob and manifest of a signature image with `layers`, as go-containerregistry's
/// `mutate.Append(empty.Image, …)` makes them: one history entry and one diff ID (the layer's
/// digest: payloads are not compressed) per layer.
pub fn manifest(layers: &[Value]) -> (Vec<u8>, Vec<u8>) {
    const ZERO_TIME: &str = "0001-01-01T00:00:00Z";
    let config = serde_json::to_vec(&Config {
        architecture: "",
        created: ZERO_TIME,
        history: layers
            .iter()
            .map(|_| History { created: ZERO_TIME })
            .collect(),
        os: "",
        rootfs: RootFs {
            kind: "layers",
            diff_ids: layers
                .iter()
                .map(|l| {
                    l.get("digest")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string()
                })
                .collect(),
        },
        config: BTreeMap::new(),
    })
    .expect("configs serialise");
    let manifest = serde_json::to_vec(&ManifestOut {
        schema_version: 2,
        media_type: OCI_MANIFEST,
        config: ConfigDescriptor {
            media_type: CONFIG_TYPE,
            size: config.len(),
            digest: Digest::of(&config).to_string(),
        },
        layers,
    })
    .expect("manifests serialise");
    (config, manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_is_cosigns_bytes() {
        let d = Digest::parse(
            "sha256:bf6709a5309f8cce3392e63f14db88b693ac3aeac11dd82d4404a2cbacd7636d",
        )
        .unwrap();
        // docs/migration.md §3.1: what cosign writes without annotations.
        assert_eq!(
            String::from_utf8(payload("127.0.0.1:5055/demo/app", &d, &BTreeMap::new())).unwrap(),
            r#"{"critical":{"identity":{"docker-reference":"127.0.0.1:5055/demo/app"},"image":{"docker-manifest-digest":"sha256:bf6709a5309f8cce3392e63f14db88b693ac3aeac11dd82d4404a2cbacd7636d"},"type":"cosign container image signature"},"optional":null}"#
        );
        let mut opt = BTreeMap::new();
        opt.insert("dev.dct.tag".to_string(), "v1".to_string());
        let p = String::from_utf8(payload("r/a:v1", &d, &opt)).unwrap();
        assert!(p.ends_with(r#""optional":{"dev.dct.tag":"v1"}}"#), "{p}");
        assert_eq!(
            signature_tag(&d),
            "sha256-bf6709a5309f8cce3392e63f14db88b693ac3aeac11dd82d4404a2cbacd7636d.sig"
        );
    }

    #[test]
    fn manifest_lists_every_layer_with_a_history_entry() {
        let l1 = layer(b"one", "c2ln");
        let l2 = layer(b"two", "c2ln");
        let (config, m) = manifest(&[l1.clone(), l2]);
        let c: Value = serde_json::from_slice(&config).unwrap();
        assert_eq!(c["history"].as_array().unwrap().len(), 2);
        assert_eq!(c["rootfs"]["diff_ids"][0], Digest::of(b"one").to_string());
        let text = String::from_utf8(m.clone()).unwrap();
        assert!(
            text.starts_with(
                r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":"#
            ),
            "{text}"
        );
        let back = layers(&m).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0], l1);
        assert_eq!(layer_blob(&back[0]), Some((Digest::of(b"one"), 3)));
        assert!(layers(b"{\"manifests\":[]}").is_err());
    }
}
