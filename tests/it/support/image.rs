//! Images built by hand for the tests: OCI layouts with pseudo-random layers.

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

/// `sha256:<hex>` of `b`.
pub fn sha(b: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(b)))
}

/// Some bytes that differ per test run and per `seed`.
pub fn noise(seed: &str, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 32);
    let mut h: Vec<u8> = Sha256::digest(format!("{seed}{}", std::process::id())).to_vec();
    while out.len() < n {
        out.extend_from_slice(&h);
        h = Sha256::digest(&h).to_vec();
    }
    out.truncate(n);
    out
}

/// Writes `bytes` as a blob of the layout at `dir`: (digest, size).
pub fn put_blob(dir: &Path, bytes: &[u8]) -> (String, usize) {
    let d = sha(bytes);
    let p = dir.join("blobs/sha256");
    fs::create_dir_all(&p).unwrap();
    fs::write(p.join(d.trim_start_matches("sha256:")), bytes).unwrap();
    (d, bytes.len())
}

/// An OCI layout at `dir` with one image of three layers (one of 5000 bytes) named `name`;
/// returns the manifest's digest.
pub fn oci_layout(dir: &Path, seed: &str, name: &str) -> String {
    oci_layout_of(dir, seed, name, &[300, 5000, 40])
}

/// [`oci_layout`] with layers of `sizes` bytes.
pub fn oci_layout_of(dir: &Path, seed: &str, name: &str, sizes: &[usize]) -> String {
    let (cd, cs) = put_blob(
        dir,
        br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#,
    );
    let layers: Vec<String> = sizes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (d, s) = put_blob(dir, &noise(&format!("{seed}{i}"), *n));
            format!(
                r#"{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":{s},"digest":"{d}"}}"#
            )
        })
        .collect();
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","size":{cs},"digest":"{cd}"}},"layers":[{}]}}"#,
        layers.join(",")
    );
    let (md, ms) = put_blob(dir, manifest.as_bytes());
    fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    fs::write(
        dir.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{md}","size":{ms},"annotations":{{"org.opencontainers.image.ref.name":"{name}"}}}}]}}"#
        ),
    )
    .unwrap();
    md
}
