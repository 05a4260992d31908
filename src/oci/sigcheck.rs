//! Checking cosign and Notation signatures by the rules their verifiers apply (docs/migration.md
//! §3.4 and §4.6), written from those rules and not from dct's writers ([`super::cosign`],
//! [`super::notation`]): its own parsing of every field, signatures checked with `ring` (the
//! writers sign with `p256`). `dct migrate` runs these on what the registry serves back before
//! it reports a signature as carried over, and to find signatures already there.

use std::collections::BTreeMap;
use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use der::{Decode, Encode};
use ring::signature::{self as rs, UnparsedPublicKey};
use serde_json::{Map, Value};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};

use super::Digest;

const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
const COSIGN_SIGNATURE: &str = "dev.cosignproject.cosign/signature";
const NOTARY_ARTIFACT: &str = "application/vnd.cncf.notary.signature";
const NOTARY_PAYLOAD: &str = "application/vnd.cncf.notary.payload.v1+json";
const OCI_IMAGE_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

fn object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object()
        .ok_or_else(|| format!("{what} is not a JSON object"))
}

/// containers/image's `ParanoidUnmarshalJSONObjectExactFields`: exactly these keys.
fn exact_fields<'a>(
    v: &'a Value,
    what: &str,
    fields: &[&str],
) -> Result<&'a Map<String, Value>, String> {
    let o = object(v, what)?;
    let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut want = fields.to_vec();
    want.sort_unstable();
    if keys != want {
        return Err(format!("{what} has fields {keys:?}, not exactly {want:?}"));
    }
    Ok(o)
}

fn string<'a>(o: &'a Map<String, Value>, key: &str, what: &str) -> Result<&'a str, String> {
    o.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{what}: {key} is missing or not a string"))
}

/// The uncompressed point of a P-256 SPKI, or why not.
fn p256_point(spki_der: &[u8]) -> Result<Vec<u8>, String> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(spki_der)
        .map_err(|e| format!("malformed public key: {e}"))?;
    let ec = der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
    let p256 = der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<der::oid::ObjectIdentifier>().ok());
    if spki.algorithm.oid != ec || curve != Some(p256) {
        return Err("the key is not ECDSA P-256".into());
    }
    spki.subject_public_key
        .as_bytes()
        .map(<[u8]>::to_vec)
        .ok_or_else(|| "malformed public key bits".into())
}

/// What a cosign signature must say to count.
#[derive(Debug, Clone)]
pub struct CosignExpect<'a> {
    /// The image digest (`critical.image.docker-manifest-digest`).
    pub digest: &'a Digest,
    /// The public key (SPKI DER) the signature must verify with.
    pub public_key: &'a [u8],
    /// `critical.identity.docker-reference`, when it must be this (containers/image's exact
    /// match; cosign itself ignores it).
    pub reference: Option<&'a str>,
    /// `optional` entries that must be present with these values (`cosign verify -a k=v`).
    pub annotations: &'a BTreeMap<String, String>,
}

/// Checks one layer of a `.sig` manifest and its payload blob (fetched by the layer's digest)
/// as `cosign verify --key K --insecure-ignore-tlog` and containers/image's `sigstoreSigned`
/// do: the layer's media type, the signature annotation (standard base64, DER or r‖s) over
/// SHA-256 of the payload, the payload's exact fields and type, the digest, the reference and
/// the annotations asked for.
pub fn cosign_layer(
    layer: &Value,
    payload: &[u8],
    expect: &CosignExpect<'_>,
) -> Result<(), String> {
    let l = object(layer, "the layer")?;
    if l.get("mediaType").and_then(Value::as_str) != Some(SIMPLE_SIGNING) {
        return Err("the layer is not a simple-signing payload".into());
    }
    let listed = l
        .get("digest")
        .and_then(Value::as_str)
        .and_then(Digest::parse)
        .ok_or("the layer has no sha256 digest")?;
    if listed != Digest::of(payload) {
        return Err("the payload is not the blob the layer lists".into());
    }
    let sig_b64 = l
        .get("annotations")
        .and_then(|a| a.get(COSIGN_SIGNATURE))
        .and_then(Value::as_str)
        .ok_or("the layer has no signature annotation")?;
    let sig = STANDARD
        .decode(sig_b64)
        .map_err(|e| format!("the signature is not base64: {e}"))?;
    let point = p256_point(expect.public_key)?;
    let alg: &dyn rs::VerificationAlgorithm = if sig.len() == 64 {
        &rs::ECDSA_P256_SHA256_FIXED
    } else {
        &rs::ECDSA_P256_SHA256_ASN1
    };
    UnparsedPublicKey::new(alg, &point)
        .verify(payload, &sig)
        .map_err(|_| "the signature does not verify with the key".to_string())?;

    let v: Value =
        serde_json::from_slice(payload).map_err(|e| format!("the payload is not JSON: {e}"))?;
    let top = exact_fields(&v, "the payload", &["critical", "optional"])?;
    let critical = exact_fields(&top["critical"], "critical", &["type", "image", "identity"])?;
    if string(critical, "type", "critical")? != "cosign container image signature" {
        return Err("critical.type is not a cosign container image signature".into());
    }
    let image = exact_fields(
        &critical["image"],
        "critical.image",
        &["docker-manifest-digest"],
    )?;
    let signed = string(image, "docker-manifest-digest", "critical.image")?;
    if signed != expect.digest.to_string() {
        return Err(format!("the payload signs {signed}, not {}", expect.digest));
    }
    let identity = exact_fields(
        &critical["identity"],
        "critical.identity",
        &["docker-reference"],
    )?;
    let reference = string(identity, "docker-reference", "critical.identity")?;
    if let Some(want) = expect.reference
        && reference != want
    {
        return Err(format!("the payload names {reference}, not {want}"));
    }
    let optional = match &top["optional"] {
        Value::Null => None,
        o @ Value::Object(_) => Some(o),
        _ => return Err("optional is neither null nor an object".into()),
    };
    for (k, want) in expect.annotations {
        let got = optional.and_then(|o| o.get(k)).and_then(Value::as_str);
        if got != Some(want.as_str()) {
            return Err(format!("annotation {k} is {got:?}, not {want:?}"));
        }
    }
    Ok(())
}

/// What a Notation signature must say to count (a strict `notary.x509` trust policy with one
/// `ca:` trust store, no timestamping authority).
#[derive(Debug, Clone)]
pub struct NotationExpect<'a> {
    /// The image as the registry resolves it.
    pub media_type: &'a str,
    /// The manifest digest the signature must name.
    pub digest: &'a Digest,
    /// The manifest length the signature must name.
    pub size: u64,
    /// `targetArtifact.annotations` entries that must be present (`--user-metadata k=v`).
    pub annotations: &'a BTreeMap<String, String>,
    /// The trust store's certificates (DER).
    pub trust_store: &'a [Vec<u8>],
    /// `x509.subject:` identity attributes (`("C","US")`…) the leaf subject must contain; empty
    /// for `*`.
    pub identity: &'a [(String, String)],
    /// When certificates must be valid.
    pub now: SystemTime,
}

/// Checks a Notation signature manifest and its envelope blob (fetched by the manifest's one
/// layer digest) as notation-go's `Verify` does at level `strict` (§4.6 steps 4-10): manifest
/// shape, JWS integrity and protected-header rules, the code-signing chain, authenticity
/// against the trust store and identity, expiry, validity now, and the payload's target.
pub fn notation_signature(
    manifest: &[u8],
    envelope: &[u8],
    expect: &NotationExpect<'_>,
) -> Result<(), String> {
    let m: Value =
        serde_json::from_slice(manifest).map_err(|e| format!("the manifest is not JSON: {e}"))?;
    let m = object(&m, "the manifest")?;
    if m.get("mediaType").and_then(Value::as_str) != Some(OCI_IMAGE_MANIFEST) {
        return Err("the signature manifest is not an OCI image manifest".into());
    }
    let artifact = m.get("artifactType").and_then(Value::as_str).or_else(|| {
        m.get("config")
            .and_then(|c| c.get("mediaType"))
            .and_then(Value::as_str)
    });
    if artifact != Some(NOTARY_ARTIFACT) {
        return Err("the manifest is not a Notation signature".into());
    }
    let layers = m
        .get("layers")
        .and_then(Value::as_array)
        .filter(|l| l.len() == 1)
        .ok_or("a Notation signature manifest has exactly one layer")?;
    let layer = object(&layers[0], "the layer")?;
    if layer.get("mediaType").and_then(Value::as_str) != Some("application/jose+json") {
        return Err("the envelope is not JWS (application/jose+json)".into());
    }
    let listed = layer
        .get("digest")
        .and_then(Value::as_str)
        .and_then(Digest::parse);
    if listed != Some(Digest::of(envelope))
        || layer.get("size").and_then(Value::as_u64) != Some(envelope.len() as u64)
    {
        return Err("the envelope is not the blob the manifest lists".into());
    }
    let (payload, chain) = jws(envelope, expect.now)?;
    code_signing_chain(&chain, expect.now)?;
    let trusted = chain.iter().any(|c| expect.trust_store.contains(&c.der));
    if !trusted {
        return Err("no certificate of the signature's chain is in the trust store".into());
    }
    for (attr, want) in expect.identity {
        let got = subject_attribute(&chain[0].cert, attr);
        if got.as_deref() != Some(want.as_str()) {
            return Err(format!(
                "the signing certificate's {attr} is {got:?}, not the trusted identity's {want:?}"
            ));
        }
    }
    target_artifact(&payload, expect)
}

/// A certificate with its exact bytes.
struct ChainCert {
    der: Vec<u8>,
    cert: Certificate,
}

/// The JWS envelope: integrity and header rules; the payload and the chain.
fn jws(envelope: &[u8], now: SystemTime) -> Result<(Vec<u8>, Vec<ChainCert>), String> {
    let v: Value =
        serde_json::from_slice(envelope).map_err(|e| format!("the envelope is not JSON: {e}"))?;
    let e = object(&v, "the envelope")?;
    let payload_b64 = string(e, "payload", "the envelope")?;
    let protected_b64 = string(e, "protected", "the envelope")?;
    let sig_b64 = string(e, "signature", "the envelope")?;
    let unb64 = |s: &str, what: &str| {
        URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|err| format!("{what} is not unpadded base64url: {err}"))
    };
    let payload = unb64(payload_b64, "the payload")?;
    let protected = unb64(protected_b64, "the protected header")?;
    let sig = unb64(sig_b64, "the signature")?;
    let x5c = e
        .get("header")
        .and_then(|h| h.get("x5c"))
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or("the envelope has no x5c certificate chain")?;
    let mut chain = Vec::new();
    for c in x5c {
        let der = c
            .as_str()
            .and_then(|s| STANDARD.decode(s).ok())
            .ok_or("an x5c entry is not base64")?;
        let cert =
            Certificate::from_der(&der).map_err(|e| format!("malformed certificate: {e}"))?;
        chain.push(ChainCert { der, cert });
    }
    let leaf_key = chain[0]
        .cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| format!("malformed leaf key: {e}"))?;
    let point =
        p256_point(&leaf_key).map_err(|e| format!("{e}: dct checks ES256 signatures only"))?;
    if sig.len() != 64 {
        return Err("an ES256 signature is 64 bytes (r‖s)".into());
    }
    let input = format!("{protected_b64}.{payload_b64}");
    UnparsedPublicKey::new(&rs::ECDSA_P256_SHA256_FIXED, &point)
        .verify(input.as_bytes(), &sig)
        .map_err(|_| "the JWS signature does not verify with the leaf certificate".to_string())?;

    let h: Value = serde_json::from_slice(&protected)
        .map_err(|e| format!("the protected header is not JSON: {e}"))?;
    let h = object(&h, "the protected header")?;
    if string(h, "alg", "the protected header")? != "ES256" {
        return Err("alg is not ES256, the leaf key's algorithm".into());
    }
    if string(h, "cty", "the protected header")? != NOTARY_PAYLOAD {
        return Err("cty is not the Notary payload type".into());
    }
    if string(h, "io.cncf.notary.signingScheme", "the protected header")? != "notary.x509" {
        return Err("the signing scheme is not notary.x509".into());
    }
    let signing_time = string(h, "io.cncf.notary.signingTime", "the protected header")?;
    let signed_at =
        time::OffsetDateTime::parse(signing_time, &time::format_description::well_known::Rfc3339)
            .map_err(|e| format!("signingTime {signing_time:?} is not RFC 3339: {e}"))?;
    if signed_at.unix_timestamp() <= 0 {
        return Err("signingTime is zero".into());
    }
    let crit: Vec<&str> = h
        .get("crit")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !crit.contains(&"io.cncf.notary.signingScheme") {
        return Err("crit does not list io.cncf.notary.signingScheme".into());
    }
    let expiry = h.get("io.cncf.notary.expiry").and_then(Value::as_str);
    for c in &crit {
        match *c {
            "io.cncf.notary.signingScheme" => {}
            "io.cncf.notary.expiry" if expiry.is_some() => {}
            other => {
                return Err(format!(
                    "crit lists {other}, which a verifier without plugins rejects"
                ));
            }
        }
    }
    if let Some(exp) = expiry {
        if !crit.contains(&"io.cncf.notary.expiry") {
            return Err("expiry is not marked critical".into());
        }
        let at = time::OffsetDateTime::parse(exp, &time::format_description::well_known::Rfc3339)
            .map_err(|e| format!("expiry {exp:?} is not RFC 3339: {e}"))?;
        if time::OffsetDateTime::from(now) >= at {
            return Err(format!("the signature expired at {exp}"));
        }
    }
    if payload.is_empty() {
        return Err("the payload is empty".into());
    }
    Ok((payload, chain))
}

/// Whether `der` (a signature) over `tbs` verifies with `issuer`'s key, for the algorithms a
/// code-signing chain may use (SHA-1 is refused).
fn verify_cert_signature(cert: &Certificate, issuer: &Certificate) -> Result<(), String> {
    let tbs = cert
        .tbs_certificate()
        .to_der()
        .map_err(|e| format!("malformed certificate: {e}"))?;
    let sig = cert
        .signature()
        .as_bytes()
        .ok_or("malformed certificate signature")?;
    let key = issuer
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .as_bytes()
        .ok_or("malformed issuer key")?;
    let alg: &dyn rs::VerificationAlgorithm =
        match cert.signature_algorithm().oid.to_string().as_str() {
            "1.2.840.10045.4.3.2" => &rs::ECDSA_P256_SHA256_ASN1,
            "1.2.840.10045.4.3.3" => &rs::ECDSA_P384_SHA384_ASN1,
            "1.2.840.113549.1.1.11" => &rs::RSA_PKCS1_2048_8192_SHA256,
            "1.2.840.113549.1.1.12" => &rs::RSA_PKCS1_2048_8192_SHA384,
            "1.2.840.113549.1.1.13" => &rs::RSA_PKCS1_2048_8192_SHA512,
            "1.2.840.10045.4.1" | "1.2.840.113549.1.1.5" => {
                return Err("a certificate is signed with SHA-1".into());
            }
            other => {
                return Err(format!(
                    "unsupported certificate signature algorithm {other}"
                ));
            }
        };
    UnparsedPublicKey::new(alg, key)
        .verify(&tbs, sig)
        .map_err(|_| "a certificate's signature does not verify with its issuer's key".to_string())
}

fn extension<T: for<'a> Decode<'a>>(
    cert: &Certificate,
    oid: &str,
) -> Result<Option<(bool, T)>, String> {
    let oid = der::oid::ObjectIdentifier::new_unwrap(oid);
    let Some(exts) = cert.tbs_certificate().extensions() else {
        return Ok(None);
    };
    match exts.iter().find(|e| e.extn_id == oid) {
        None => Ok(None),
        Some(e) => T::from_der(e.extn_value.as_bytes())
            .map(|v| Some((e.critical, v)))
            .map_err(|err| format!("malformed extension {oid}: {err}")),
    }
}

/// notation-core-go's `ValidateCodeSigningCertChain` and the validity check of an authentic
/// timestamp without a TSA: every certificate valid `now`.
fn code_signing_chain(chain: &[ChainCert], now: SystemTime) -> Result<(), String> {
    for (i, c) in chain.iter().enumerate() {
        let v = c.cert.tbs_certificate().validity();
        if now < v.not_before.to_system_time() || now > v.not_after.to_system_time() {
            return Err(format!("certificate {i} of the chain is not valid now"));
        }
        let self_signed = c.cert.tbs_certificate().issuer() == c.cert.tbs_certificate().subject();
        let last = i + 1 == chain.len();
        if last && !self_signed {
            return Err("the chain does not end in a self-signed certificate".into());
        }
        if !last && self_signed {
            return Err("a certificate other than the root is self-signed".into());
        }
        let issuer = if last { &c.cert } else { &chain[i + 1].cert };
        if !last && c.cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
            return Err(format!("certificate {i} is not issued by the next one"));
        }
        verify_cert_signature(&c.cert, issuer)?;
        let ku = extension::<KeyUsage>(&c.cert, "2.5.29.15")?;
        let bc = extension::<BasicConstraints>(&c.cert, "2.5.29.19")?;
        if i == 0 {
            let Some((true, ku)) = ku else {
                return Err("the leaf has no critical keyUsage".into());
            };
            let others = ku.key_encipherment()
                || ku.data_encipherment()
                || ku.key_agreement()
                || ku.key_cert_sign()
                || ku.crl_sign()
                || ku.encipher_only()
                || ku.decipher_only();
            if !ku.digital_signature() || others {
                return Err("the leaf's keyUsage must be digitalSignature only".into());
            }
            if bc.is_some_and(|(_, b)| b.ca) {
                return Err("the leaf is a CA certificate".into());
            }
            if let Some((_, eku)) = extension::<ExtendedKeyUsage>(&c.cert, "2.5.29.37")? {
                const FORBIDDEN: [&str; 5] = [
                    "1.3.6.1.5.5.7.3.1",
                    "1.3.6.1.5.5.7.3.2",
                    "1.3.6.1.5.5.7.3.4",
                    "1.3.6.1.5.5.7.3.8",
                    "1.3.6.1.5.5.7.3.9",
                ];
                if eku
                    .0
                    .iter()
                    .any(|o| FORBIDDEN.contains(&o.to_string().as_str()))
                {
                    return Err("the leaf's extended key usage is not for code signing".into());
                }
            }
        } else {
            match bc {
                Some((true, b)) if b.ca => {
                    if let Some(n) = b.path_len_constraint
                        && usize::from(n) < i - 1
                    {
                        return Err(format!("certificate {i}'s path length is too short"));
                    }
                }
                _ => {
                    return Err(format!(
                        "certificate {i} is not a CA (critical basicConstraints)"
                    ));
                }
            }
            if !matches!(ku, Some((true, k)) if k.key_cert_sign()) {
                return Err(format!(
                    "certificate {i} may not sign certificates (keyUsage)"
                ));
            }
        }
    }
    Ok(())
}

/// A subject attribute (`C`, `ST`, `O`, `CN`…) of `cert`.
fn subject_attribute(cert: &Certificate, attr: &str) -> Option<String> {
    let oid = match attr {
        "C" => "2.5.4.6",
        "ST" | "S" => "2.5.4.8",
        "L" => "2.5.4.7",
        "O" => "2.5.4.10",
        "OU" => "2.5.4.11",
        "CN" => "2.5.4.3",
        _ => return None,
    };
    let oid = der::oid::ObjectIdentifier::new_unwrap(oid);
    cert.tbs_certificate()
        .subject()
        .iter()
        .find(|atv| atv.oid == oid)
        .and_then(|atv| std::str::from_utf8(atv.value.value()).ok())
        .map(str::to_string)
}

/// `x509.subject: C=…, ST=…, O=…` → the attributes, or why not (Notation requires C, ST and O).
pub fn parse_identity(dn: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for part in dn.split(',') {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("{dn:?} is not a distinguished name"))?;
        out.push((k.trim().to_string(), v.trim().to_string()));
    }
    for need in ["C", "O"] {
        if !out.iter().any(|(k, _)| k == need) {
            return Err(format!("{dn:?} lacks {need}"));
        }
    }
    if !out.iter().any(|(k, _)| k == "ST" || k == "S") {
        return Err(format!("{dn:?} lacks ST"));
    }
    Ok(out)
}

/// The payload's `targetArtifact` must be the resolved descriptor, with the annotations asked
/// for.
fn target_artifact(payload: &[u8], expect: &NotationExpect<'_>) -> Result<(), String> {
    let v: Value =
        serde_json::from_slice(payload).map_err(|e| format!("the payload is not JSON: {e}"))?;
    let t = v
        .get("targetArtifact")
        .ok_or("the payload has no targetArtifact")?;
    let t = object(t, "targetArtifact")?;
    let media_type = string(t, "mediaType", "targetArtifact")?;
    let digest = string(t, "digest", "targetArtifact")?;
    let size = t.get("size").and_then(Value::as_u64);
    if media_type != expect.media_type
        || digest != expect.digest.to_string()
        || size != Some(expect.size)
    {
        return Err(format!(
            "the signature is for {media_type} {digest} ({size:?} bytes), not {} {} ({} bytes)",
            expect.media_type, expect.digest, expect.size
        ));
    }
    for (k, want) in expect.annotations {
        let got = t
            .get("annotations")
            .and_then(|a| a.get(k))
            .and_then(Value::as_str);
        if got != Some(want.as_str()) {
            return Err(format!("user metadata {k} is {got:?}, not {want:?}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::keys::cert::{self, CodeSigningSubject, Issuer};
    use crate::keys::private::{EcSigner, PrivateKey};
    use crate::oci::{cosign, notation};

    fn signer() -> EcSigner {
        EcSigner::new(&PrivateKey::generate_ecdsa()).unwrap()
    }

    #[test]
    fn cosign_signatures_check_and_forgeries_do_not() {
        let key = signer();
        let digest = Digest::of(b"image");
        let opt = BTreeMap::from([("dev.dct.tag".to_string(), "v1".to_string())]);
        let payload = cosign::payload("reg/app:v1", &digest, &opt);
        let sig = STANDARD.encode(key.sign_der(&payload));
        let layer = cosign::layer(&payload, &sig);
        let spki = key.public_spki_der();
        let expect = CosignExpect {
            digest: &digest,
            public_key: &spki,
            reference: Some("reg/app:v1"),
            annotations: &opt,
        };
        cosign_layer(&layer, &payload, &expect).unwrap();
        // r‖s is accepted too (sigstore's verifier tries both).
        let raw = cosign::layer(&payload, &STANDARD.encode(key.sign_raw(&payload)));
        cosign_layer(&raw, &payload, &expect).unwrap();

        let other = signer().public_spki_der();
        let wrong_key = CosignExpect {
            public_key: &other,
            ..expect.clone()
        };
        assert!(cosign_layer(&layer, &payload, &wrong_key).is_err());
        let other_digest = Digest::of(b"other");
        let wrong_digest = CosignExpect {
            digest: &other_digest,
            ..expect.clone()
        };
        assert!(cosign_layer(&layer, &payload, &wrong_digest).is_err());
        let mut tampered = payload.clone();
        tampered[10] ^= 1;
        assert!(cosign_layer(&layer, &tampered, &expect).is_err());
        // A payload with an extra field, signed: refused by the exact-fields rule.
        let extra = br#"{"critical":{"identity":{"docker-reference":"reg/app:v1"},"image":{"docker-manifest-digest":"x"},"type":"cosign container image signature","x":1},"optional":null}"#;
        let l = cosign::layer(extra, &STANDARD.encode(key.sign_der(extra)));
        assert!(
            cosign_layer(&l, extra, &expect)
                .unwrap_err()
                .contains("exactly")
        );
    }

    struct Signed {
        manifest: Vec<u8>,
        envelope: Vec<u8>,
        trust: Vec<Vec<u8>>,
        target: notation::Target,
    }

    fn sign_notation(key: &EcSigner, chain: Vec<Vec<u8>>, time: &str) -> Signed {
        let target = notation::Target {
            annotations: BTreeMap::from([(
                "org.opencontainers.image.ref.name".to_string(),
                "v1".to_string(),
            )]),
            digest: Digest::of(b"image"),
            media_type: crate::oci::OCI_MANIFEST.to_string(),
            size: 5,
        };
        let payload = notation::payload(&target);
        let protected = notation::protected_header(time);
        let sig = key.sign_raw(notation::signing_input(&protected, &payload).as_bytes());
        let envelope = notation::envelope(&protected, &payload, &sig, &chain, "dct test");
        let ann = notation::manifest_annotations(&chain, time);
        let manifest = notation::signature_manifest(&target, &envelope, &ann);
        let trust = vec![chain.last().unwrap().clone()];
        Signed {
            manifest,
            envelope,
            trust,
            target,
        }
    }

    fn subject() -> CodeSigningSubject {
        CodeSigningSubject {
            country: "ZZ".into(),
            state: "Unknown".into(),
            organization: "dct test".into(),
            common_name: "leaf".into(),
        }
    }

    fn check(s: &Signed, identity: &[(String, String)]) -> Result<(), String> {
        notation_signature(
            &s.manifest,
            &s.envelope,
            &NotationExpect {
                media_type: &s.target.media_type,
                digest: &s.target.digest,
                size: s.target.size,
                annotations: &s.target.annotations,
                trust_store: &s.trust,
                identity,
                now: SystemTime::now(),
            },
        )
    }

    #[test]
    fn notation_signatures_check_and_forgeries_do_not() {
        let key = signer();
        let now = SystemTime::now();
        let year = now + Duration::from_secs(365 * 86400);
        let leaf = cert::code_signing_certificate(&key, &subject(), Issuer::SelfSigned, now, year)
            .unwrap();
        let s = sign_notation(
            &key,
            vec![cert::certificate_der(&leaf)],
            "2026-01-02T03:04:05Z",
        );
        let identity = parse_identity(&subject().to_dn()).unwrap();
        check(&s, &identity).unwrap();
        check(&s, &[]).unwrap();

        let wrong_identity = parse_identity("C=US, ST=WA, O=Other").unwrap();
        assert!(check(&s, &wrong_identity).is_err());
        // Another trust store.
        let other = signer();
        let other_cert =
            cert::code_signing_certificate(&other, &subject(), Issuer::SelfSigned, now, year)
                .unwrap();
        let mut untrusted = sign_notation(
            &key,
            vec![cert::certificate_der(&leaf)],
            "2026-01-02T03:04:05Z",
        );
        untrusted.trust = vec![cert::certificate_der(&other_cert)];
        assert!(check(&untrusted, &[]).unwrap_err().contains("trust store"));
        // Signed by a key that is not the certificate's.
        let forged = sign_notation(
            &other,
            vec![cert::certificate_der(&leaf)],
            "2026-01-02T03:04:05Z",
        );
        assert!(check(&forged, &[]).is_err());
        // A grafted envelope: the signature is for another image.
        let mut graft = sign_notation(
            &key,
            vec![cert::certificate_der(&leaf)],
            "2026-01-02T03:04:05Z",
        );
        graft.target.digest = Digest::of(b"another image");
        assert!(check(&graft, &[]).unwrap_err().contains("not"));
        // Padding in the base64url of the payload.
        let mut padded = sign_notation(
            &key,
            vec![cert::certificate_der(&leaf)],
            "2026-01-02T03:04:05Z",
        );
        let mut env: Value = serde_json::from_slice(&padded.envelope).unwrap();
        let p = env["payload"].as_str().unwrap().to_string() + "=";
        env["payload"] = Value::String(p);
        padded.envelope = serde_json::to_vec(&env).unwrap();
        assert!(check(&padded, &[]).is_err());

        // notary v1's certificate profile (keyUsage with keyEncipherment) is refused.
        let dct_key = PrivateKey::generate_ecdsa();
        let dct_cert = cert::root_certificate(&dct_key, "reg/app", now).unwrap();
        let dct_signer = EcSigner::new(&dct_key).unwrap();
        let s = sign_notation(
            &dct_signer,
            vec![cert::certificate_der(&dct_cert)],
            "2026-01-02T03:04:05Z",
        );
        assert!(
            check(&s, &[])
                .unwrap_err()
                .contains("digitalSignature only")
        );

        // An expired certificate.
        let old = now - Duration::from_secs(10 * 86400);
        let expired = cert::code_signing_certificate(
            &key,
            &subject(),
            Issuer::SelfSigned,
            old,
            old + Duration::from_secs(86400),
        )
        .unwrap();
        let s = sign_notation(
            &key,
            vec![cert::certificate_der(&expired)],
            "2026-01-02T03:04:05Z",
        );
        assert!(check(&s, &[]).unwrap_err().contains("not valid now"));
    }

    #[test]
    fn leaves_under_a_ca_check_against_the_root() {
        // A CA made by hand (the x509 builder's CA profile) and a leaf dct issues under it.
        use x509_cert::builder::{Builder, CertificateBuilder, profile::cabf::Root};
        let ca_key = signer();
        let now = SystemTime::now();
        let year = now + Duration::from_secs(365 * 86400);
        let name: x509_cert::name::Name = "CN=test CA,O=Example,ST=WA,C=US".parse().unwrap();
        let spki = spki::SubjectPublicKeyInfoOwned::from_der(&ca_key.public_spki_der()).unwrap();
        let validity = x509_cert::time::Validity::new(
            x509_cert::time::Time::try_from(now - Duration::from_secs(60)).unwrap(),
            x509_cert::time::Time::try_from(year).unwrap(),
        );
        let ca = CertificateBuilder::new(
            Root::new(false, name).unwrap(),
            x509_cert::serial_number::SerialNumber::new(&[1]).unwrap(),
            validity,
            spki,
        )
        .unwrap()
        .build::<_, p256::ecdsa::DerSignature>(ca_key.signing_key())
        .unwrap();
        let key = signer();
        let subj = CodeSigningSubject::from_issuer(&ca, "leaf").unwrap();
        assert_eq!(subj.country, "US");
        let leaf = cert::code_signing_certificate(
            &key,
            &subj,
            Issuer::Ca {
                cert: &ca,
                key: &ca_key,
            },
            now,
            year,
        )
        .unwrap();
        let chain = vec![cert::certificate_der(&leaf), cert::certificate_der(&ca)];
        let s = sign_notation(&key, chain, "2026-01-02T03:04:05Z");
        check(&s, &parse_identity("C=US, ST=WA, O=Example").unwrap()).unwrap();
        // The leaf alone does not chain to a self-signed root.
        let alone = sign_notation(
            &key,
            vec![cert::certificate_der(&leaf)],
            "2026-01-02T03:04:05Z",
        );
        assert!(check(&alone, &[]).is_err());
    }
}
