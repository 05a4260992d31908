//! `dct migrate IMAGE[:TAG]… --to cosign|notation|both --out DIR`: carries tags whose DCT
//! signatures verify over to cosign (key-based, legacy `sha256-<hex>.sig` tag) and Notation
//! (JWS, `notary.x509`, OCI 1.1 referrer) signatures over the same digests, in the image's
//! repository, and writes what the verifiers need to DIR. See docs/migration.md.
//!
//! Per tag: resolve it through verified trust data exactly as `dct lookup` does; check the
//! registry still serves that digest with that length; sign with the key that signed it in
//! DCT (or `--key`); look for the same signature already there (re-runs add nothing); write;
//! then read back what the registry serves and check it with [`crate::oci::sigcheck`] before
//! reporting it. A tag that fails is reported and the others go on; the worst exit code wins.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use time::OffsetDateTime;

use super::read::{self, Resolved};
use super::{Session, Ui};
use crate::error::{Error, Result};
use crate::keys::cert::{self, CodeSigningSubject, Issuer};
use crate::keys::private::EcSigner;
use crate::oci::sigcheck::{self, CosignExpect, NotationExpect};
use crate::oci::{Digest, MANIFEST_TYPES, OCI_INDEX, OCI_MANIFEST, REF_NAME, cosign, notation};
use crate::reference::Reference;
use crate::remote::registry::Registry;
use crate::remote::upload::Uploader;
use crate::roles::{self, RELEASES, TARGETS};
use crate::tuf::client::Repo;
use crate::tuf::edit::KeyProvider;

/// The Notation trust store and trust policy name dct writes.
pub const TRUST_NAME: &str = "dct-migrated";
/// How long a certificate dct mints is valid (Notation stops verifying after that).
pub const CERT_VALIDITY: Duration = Duration::from_secs(3650 * 24 * 3600);
/// Most Notation signatures looked at per image (notation's own default).
const MAX_NOTATION_SIGNATURES: usize = 100;
/// Most bytes of a signature payload or envelope read back.
const SIGNATURE_LIMIT: u64 = 4 << 20;

/// Which formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Write cosign signatures.
    pub cosign: bool,
    /// Write Notation signatures.
    pub notation: bool,
}

/// What `dct migrate` does.
#[derive(Debug, Clone)]
pub struct MigrateRequest {
    /// `IMAGE[:TAG]` as typed; no tag: every signed tag.
    pub images: Vec<String>,
    /// `--format`: the signature formats to write.
    pub formats: Formats,
    /// Where the verifiers' material goes.
    pub out: PathBuf,
    /// `--key FILE`: sign with this key instead of the one that signed in DCT.
    pub key_file: Option<PathBuf>,
    /// `--cert FILE`: a CA certificate (chain) and its private key to issue the Notation leaf.
    pub cert_file: Option<PathBuf>,
    /// `--dry-run`: verify and report, write nothing.
    pub dry_run: bool,
}

/// What happened to one tag in one format.
#[derive(Debug)]
pub enum Done {
    /// Written, read back and verified.
    Signed,
    /// The same signature was there already, and verifies.
    Present,
    /// `--dry-run`: what would be written.
    WouldSign(Vec<String>),
}

/// One line of the report: a tag in a format, or a tag (or image) that failed before any
/// format.
#[derive(Debug)]
pub struct Row {
    /// The repository (GUN).
    pub name: String,
    /// The tag (`*` when a whole image failed before its tags were known).
    pub tag: String,
    /// The signed manifest digest, once the tag's trust data is read.
    pub digest: Option<Digest>,
    /// `cosign` or `notation`; `None` when the tag failed before either.
    pub format: Option<&'static str>,
    /// What happened, or why it failed.
    pub outcome: std::result::Result<Done, Error>,
}

/// What `dct migrate` did.
#[derive(Debug)]
pub struct MigrateOutcome {
    /// One per tag and format, in the order done.
    pub rows: Vec<Row>,
    /// The files of DIR written (or, with `--dry-run`, that would be).
    pub files: Vec<PathBuf>,
    /// The ID of the signing key.
    pub key_id: Option<String>,
}

impl MigrateOutcome {
    /// The failure with the highest exit code (a copy: same class and words), if any tag
    /// failed.
    pub fn worst(&self) -> Option<Error> {
        self.rows
            .iter()
            .filter_map(|r| r.outcome.as_ref().err())
            .max_by_key(|e| e.exit_code() as i32)
            .map(same)
    }
}

/// A tag resolved through verified trust data, with what signing it needs.
struct Tagged {
    reference: Reference,
    resolved: Resolved,
    /// Key-store IDs of keys this trust dir holds that signed (or may sign) the tag's role, in
    /// order of preference.
    held: Vec<String>,
    /// Key-store IDs of the collection's root keys.
    root_ids: BTreeSet<String>,
}

/// The tags Docker's pull would resolve, `targets/releases` (and below) first, then `targets`.
fn signed_tags(repo: &Repo) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for base in [RELEASES, TARGETS] {
        let mut names: Vec<&String> = repo
            .roles
            .iter()
            .filter(|r| {
                if base == TARGETS {
                    r.name == TARGETS
                } else {
                    roles::is_under(&r.name, base)
                }
            })
            .flat_map(|r| r.env.signed.targets.keys())
            .collect();
        names.sort();
        for n in names {
            if !out.contains(n) {
                out.push(n.clone());
            }
        }
    }
    out
}

/// Key-store IDs of every key the collection's metadata lists, by metadata key ID.
fn canonical_ids(repo: &Repo) -> BTreeMap<String, String> {
    let mut keys: BTreeMap<String, String> = BTreeMap::new();
    let listed = repo.root.signed.keys.iter().chain(
        repo.roles
            .iter()
            .flat_map(|r| r.env.signed.delegations.keys.iter()),
    );
    for (id, key) in listed {
        keys.insert(id.clone(), key.canonical_id().unwrap_or_else(|| id.clone()));
    }
    keys
}

/// The keys this trust dir holds for the role holding `resolved`: those whose signatures are
/// on the role first (the key that signed the tag), then the role's other keys. A key the store
/// refuses to read (its permissions, say) is an error when no other key is held: "holds none"
/// would hide the fix.
fn held_keys(session: &Session, repo: &Repo, resolved: &Resolved) -> Result<Vec<String>> {
    let ids = canonical_ids(repo);
    let Some(role) = repo.role(&resolved.role) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut refused = None;
    let signed = role.env.signatures.iter().map(|s| &s.keyid);
    for id in signed.chain(role.keyids.iter()) {
        if !role.keyids.contains(id) {
            continue;
        }
        let store_id = ids.get(id).cloned().unwrap_or_else(|| id.clone());
        if out.contains(&store_id) {
            continue;
        }
        match session.key_store().get(&store_id) {
            Ok(Some(_)) => out.push(store_id),
            Ok(None) => {}
            Err(e) => refused = refused.or(Some(e)),
        }
    }
    match refused {
        Some(e) if out.is_empty() => Err(e),
        _ => Ok(out),
    }
}

/// `dct migrate`: see the module docs. Errors returned here stop the whole run before any
/// write (bad input, no single signing key, unusable `--out` or `--cert`); a tag's own failure
/// is its row.
pub fn migrate(session: &mut Session, ui: &dyn Ui, req: &MigrateRequest) -> Result<MigrateOutcome> {
    if !req.formats.cosign && !req.formats.notation {
        return Err(Error::invalid("--to: nothing to migrate to"));
    }
    let mut rows = Vec::new();
    let tagged = resolve_all(session, ui, req, &mut rows)?;
    if tagged.is_empty() {
        return Ok(MigrateOutcome {
            rows,
            files: Vec::new(),
            key_id: None,
        });
    }
    let (signer, tagged) = signing_key(session, req, tagged, &mut rows)?;
    let Some(signer) = signer else {
        return Ok(MigrateOutcome {
            rows,
            files: Vec::new(),
            key_id: None,
        });
    };
    let material = Material::prepare(session, ui, req, &signer, &tagged)?;
    let files = if req.dry_run {
        material.files.iter().map(|(p, _)| p.clone()).collect()
    } else {
        material.write()?
    };
    let http = session.http()?;
    let mut by_repo: BTreeMap<String, Vec<&Tagged>> = BTreeMap::new();
    for t in &tagged {
        by_repo.entry(t.resolved.name.clone()).or_default().push(t);
    }
    for tags in by_repo.values() {
        let reference = &tags[0].reference;
        let reg = Registry::new(http, reference)?;
        // One writer per repository (token scope pull,push); a refusal fails its tags.
        let up = if req.dry_run {
            Ok(None)
        } else {
            Uploader::new(http, reference).map(Some)
        };
        for t in tags {
            let up = match &up {
                Ok(u) => u.as_ref(),
                Err(e) => {
                    rows.push(Row {
                        name: t.resolved.name.clone(),
                        tag: t.resolved.tag.clone(),
                        digest: Some(t.resolved.digest),
                        format: None,
                        outcome: Err(same(e)),
                    });
                    continue;
                }
            };
            let run = Run {
                ui,
                reg: &reg,
                signer: &signer,
                material: &material,
                tagged: t,
            };
            carry(&run, req.formats, up, &mut rows);
        }
    }
    Ok(MigrateOutcome {
        rows,
        files,
        key_id: Some(signer.key_id()),
    })
}

/// Loads and verifies every image's trust data and resolves its tags; failures become rows.
fn resolve_all(
    session: &mut Session,
    ui: &dyn Ui,
    req: &MigrateRequest,
    rows: &mut Vec<Row>,
) -> Result<Vec<Tagged>> {
    let pinning = session.pinning(&[])?;
    let mut parsed = Vec::new();
    for image in &req.images {
        let reference = Reference::parse(image)?;
        if reference.digest().is_some() {
            return Err(Error::invalid(format!(
                "{image}: a digest reference cannot be migrated: name the tag DCT signed"
            )));
        }
        parsed.push((image, reference));
    }
    let mut out = Vec::new();
    for (image, reference) in parsed {
        let fail = |tag: &str, e: Error| Row {
            name: reference.name(),
            tag: tag.to_string(),
            digest: None,
            format: None,
            outcome: Err(e),
        };
        let repo = match read::load(session, ui, &pinning, &reference, image) {
            Ok(r) => r,
            Err(e) => {
                rows.push(fail(reference.tag().unwrap_or("*"), e));
                continue;
            }
        };
        let tags = match reference.tag() {
            Some(t) => vec![t.to_string()],
            None => signed_tags(&repo),
        };
        if tags.is_empty() {
            let e = Error::NotSigned(format!("No signed tags for {}", reference.name()));
            rows.push(fail("*", e));
            continue;
        }
        let ids = canonical_ids(&repo);
        let root_ids: BTreeSet<String> = repo
            .root
            .signed
            .roles
            .get(roles::ROOT)
            .map(|r| {
                r.ids()
                    .iter()
                    .map(|id| ids.get(id).unwrap_or(id).clone())
                    .collect()
            })
            .unwrap_or_default();
        for tag in tags {
            let found = read::resolve(&repo, &tag).and_then(|resolved| {
                held_keys(session, &repo, &resolved).map(|held| (resolved, held))
            });
            match found {
                Ok((resolved, held)) => out.push(Tagged {
                    reference: reference.clone(),
                    held,
                    resolved,
                    root_ids: root_ids.clone(),
                }),
                Err(e) => rows.push(fail(&tag, e)),
            }
        }
    }
    Ok(out)
}

/// The one key this run signs with: `--key FILE`, else the key that signed every tag in DCT
/// (tags whose key this trust dir lacks fail with exit 7). Never a root key.
fn signing_key(
    session: &mut Session,
    req: &MigrateRequest,
    tagged: Vec<Tagged>,
    rows: &mut Vec<Row>,
) -> Result<(Option<EcSigner>, Vec<Tagged>)> {
    let never_root = |id: &str, tagged: &[Tagged], what: &str| -> Result<()> {
        let stored_root = session
            .key_store()
            .get(id)
            .ok()
            .flatten()
            .is_some_and(|k| k.role == roles::ROOT);
        if stored_root || tagged.iter().any(|t| t.root_ids.contains(id)) {
            return Err(Error::invalid(format!(
                "{what} is a root key: root keys never sign images; pass --key FILE with a \
                 targets or signer key"
            )));
        }
        Ok(())
    };
    if let Some(file) = &req.key_file {
        // A key file that says it is a root key is refused before its passphrase is asked.
        let labelled_root = std::fs::read(file)
            .ok()
            .and_then(|b| crate::keys::pem::parse_all(&b).ok())
            .is_some_and(|blocks| blocks.iter().any(|b| b.header("role") == Some(roles::ROOT)));
        if labelled_root {
            return Err(Error::invalid(format!(
                "--key {} is a root key: root keys never sign images; pass a targets or signer \
                 key",
                file.display()
            )));
        }
        let key = super::keys::read_private_key(session, file, roles::TARGETS)?;
        never_root(&key.id(), &tagged, &format!("--key {}", file.display()))?;
        return Ok((Some(EcSigner::new(&key)?), tagged));
    }
    let mut keep = Vec::new();
    for t in tagged {
        if t.held.is_empty() {
            rows.push(Row {
                name: t.resolved.name.clone(),
                tag: t.resolved.tag.clone(),
                digest: Some(t.resolved.digest),
                format: None,
                outcome: Err(Error::key(format!(
                    "no key to sign {}:{} with: this trust dir holds none of the keys of {}; \
                     pass --key FILE",
                    t.resolved.name, t.resolved.tag, t.resolved.role
                ))),
            });
        } else {
            keep.push(t);
        }
    }
    let chosen: BTreeSet<&String> = keep.iter().map(|t| &t.held[0]).collect();
    if chosen.len() > 1 {
        let ids: Vec<&str> = chosen.iter().map(|s| &s[..12]).collect();
        return Err(Error::invalid(format!(
            "these tags were signed in DCT by different keys ({}): one run signs with one key \
             (one cosign.pub, one Notation certificate); run dct migrate once per key with its \
             own --out DIR, or pass --key FILE",
            ids.join(", ")
        )));
    }
    let Some(id) = chosen.into_iter().next().cloned() else {
        return Ok((None, keep));
    };
    never_root(&id, &keep, &format!("key {id}"))?;
    let role = keep[0].resolved.role.clone();
    let parts = session.parts()?;
    let key = parts
        .keys
        .private_key(&role, &id)?
        .ok_or_else(|| Error::key(format!("key {id} is no longer in the key store")))?;
    let key = key.as_private_key().ok_or_else(|| {
        Error::invalid(format!(
            "key {id} is on a PKCS#11 token: dct migrate signs with key files only; pass \
             --key FILE with an ECDSA P-256 key file (its public key then goes in cosign.pub)"
        ))
    })?;
    Ok((Some(EcSigner::new(key)?), keep))
}

/// What verifiers need, prepared once per run: the public key, the Notation chain and trust
/// anchor, the trust policy identity, and DIR's files.
struct Material {
    /// DER, leaf first.
    chain: Vec<Vec<u8>>,
    /// The certificate a Notation trust store holds (DER): the chain's root.
    anchor: Vec<u8>,
    /// The trust policy's `x509.subject` identity.
    identity: String,
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Material {
    fn prepare(
        session: &mut Session,
        ui: &dyn Ui,
        req: &MigrateRequest,
        signer: &EcSigner,
        tagged: &[Tagged],
    ) -> Result<Material> {
        let out = &req.out;
        if out.exists() && !out.is_dir() {
            return Err(Error::invalid(format!(
                "--out {}: not a directory",
                out.display()
            )));
        }
        let cosign_pub = signer.public_pem();
        let existing_pub = out.join("cosign.pub");
        if let Ok(old) = std::fs::read(&existing_pub)
            && old != cosign_pub.as_bytes()
        {
            return Err(Error::invalid(format!(
                "{} is the public key of another key than {}: use another --out DIR",
                existing_pub.display(),
                signer.key_id()
            )));
        }
        let now = SystemTime::now();
        let (chain, anchor) = match &req.cert_file {
            Some(file) => issued_chain(session, signer, file, now)?,
            None => self_signed(ui, signer, out, now)?,
        };
        let leaf = cert::parse_certificates(&pem_cert(&chain[0]))?.remove(0);
        let identity = leaf_identity(&leaf)?;
        let scopes: BTreeSet<String> = tagged.iter().map(|t| t.resolved.name.clone()).collect();
        let policy = trust_policy(&out.join("trustpolicy.json"), &scopes, &identity);
        let mut files = Vec::new();
        if req.formats.cosign {
            files.push((existing_pub, cosign_pub.into_bytes()));
        }
        if req.formats.notation {
            files.push((out.join("notation.crt"), pem_cert(&anchor)));
            files.push((out.join("trustpolicy.json"), policy));
        }
        let readme = readme(req.formats, &scopes, tagged);
        files.push((out.join("README.txt"), readme.into_bytes()));
        Ok(Material {
            chain,
            anchor,
            identity,
            files,
        })
    }

    fn write(&self) -> Result<Vec<PathBuf>> {
        use std::os::unix::fs::PermissionsExt;
        let mut done = Vec::new();
        if let Some((first, _)) = self.files.first()
            && let Some(dir) = first.parent()
        {
            // Public material: an ordinary directory (write_atomic would make it private).
            std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
        }
        for (path, bytes) in &self.files {
            crate::fsutil::write_atomic(path, bytes)?;
            // Public material: readable by the verifiers' users.
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
                .map_err(|e| Error::io("cannot set permissions of", path, e))?;
            done.push(path.clone());
        }
        Ok(done)
    }
}

fn pem_cert(der: &[u8]) -> Vec<u8> {
    let text = STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in text.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out.into_bytes()
}

/// `C=…, ST=…, O=…, CN=…` of the leaf, for the trust policy.
fn leaf_identity(leaf: &x509_cert::Certificate) -> Result<String> {
    let subject = CodeSigningSubject::from_issuer(leaf, "")
        .ok_or_else(|| Error::invalid("the Notation certificate's subject lacks C, ST or O"))?;
    Ok(format!(
        "C={}, ST={}, O={}",
        subject.country, subject.state, subject.organization
    ))
}

/// A self-signed leaf for `signer`: DIR's `notation.crt` again when it is one for this key
/// and valid for another 30 days (re-runs keep one trust anchor), else a new one.
fn self_signed(
    ui: &dyn Ui,
    signer: &EcSigner,
    out: &Path,
    now: SystemTime,
) -> Result<(Vec<Vec<u8>>, Vec<u8>)> {
    let path = out.join("notation.crt");
    if let Ok(text) = std::fs::read(&path) {
        let certs = cert::parse_certificates(&text)?;
        if let [c] = certs.as_slice() {
            let ours = cert::certificate_spki(c) == signer.public_spki_der();
            let lasts = cert::not_after(c) > now + Duration::from_secs(30 * 86400);
            if ours && lasts {
                let der = cert::certificate_der(c);
                return Ok((vec![der.clone()], der));
            }
            if ours {
                ui.warn(&format!(
                    "{} expires within 30 days: making a new certificate; Notation trust stores \
                     need the new one",
                    path.display()
                ));
            }
        }
    }
    let id = signer.key_id();
    let subject = CodeSigningSubject {
        country: "ZZ".into(),
        state: "Unknown".into(),
        organization: "dct migration".into(),
        common_name: format!("dct signer {}", &id[..12]),
    };
    let leaf = cert::code_signing_certificate(
        signer,
        &subject,
        Issuer::SelfSigned,
        now,
        now + CERT_VALIDITY,
    )?;
    let der = cert::certificate_der(&leaf);
    Ok((vec![der.clone()], der))
}

/// A leaf for `signer` issued by the CA in `file` (its certificate, then any issuers up to a
/// self-signed root, and its private key); the trust anchor is the root.
fn issued_chain(
    session: &Session,
    signer: &EcSigner,
    file: &Path,
    now: SystemTime,
) -> Result<(Vec<Vec<u8>>, Vec<u8>)> {
    let bad = |why: String| Error::invalid(format!("--cert {}: {why}", file.display()));
    let text = std::fs::read(file).map_err(|e| bad(e.to_string()))?;
    let cas = cert::parse_certificates(&text).map_err(|e| bad(e.to_string()))?;
    let Some(ca) = cas.first() else {
        return Err(bad(
            "no CERTIFICATE block (the CA certificate, then its issuers)".into(),
        ));
    };
    let ca_key = super::keys::read_private_key(session, file, roles::TARGETS)?;
    let ca_signer = EcSigner::new(&ca_key).map_err(|e| bad(e.to_string()))?;
    if cert::certificate_spki(ca) != ca_signer.public_spki_der() {
        return Err(bad(
            "the private key is not the key of the first certificate (the issuing CA)".into(),
        ));
    }
    let last = cas.last().expect("not empty");
    if last.tbs_certificate().issuer() != last.tbs_certificate().subject() {
        return Err(bad("the last certificate is not a self-signed root".into()));
    }
    let not_after = cert::not_after(ca).min(now + CERT_VALIDITY);
    if not_after <= now {
        return Err(bad("the CA certificate has expired".into()));
    }
    let id = signer.key_id();
    let cn = format!("dct signer {}", &id[..12]);
    let subject = CodeSigningSubject::from_issuer(ca, &cn).unwrap_or(CodeSigningSubject {
        country: "ZZ".into(),
        state: "Unknown".into(),
        organization: "dct migration".into(),
        common_name: cn,
    });
    let leaf = cert::code_signing_certificate(
        signer,
        &subject,
        Issuer::Ca {
            cert: ca,
            key: &ca_signer,
        },
        now,
        not_after,
    )?;
    let mut chain = vec![cert::certificate_der(&leaf)];
    chain.extend(cas.iter().map(cert::certificate_der));
    let anchor = chain.last().expect("not empty").clone();
    Ok((chain, anchor))
}

/// A strict Notation trust policy for `scopes` (with the scopes of DIR's earlier policy kept).
fn trust_policy(existing: &Path, scopes: &BTreeSet<String>, identity: &str) -> Vec<u8> {
    let mut all = scopes.clone();
    if let Ok(bytes) = std::fs::read(existing)
        && let Ok(v) = serde_json::from_slice::<Value>(&bytes)
        && let Some(policies) = v["trustPolicies"].as_array()
    {
        for p in policies.iter().filter(|p| p["name"] == TRUST_NAME) {
            for s in p["registryScopes"].as_array().into_iter().flatten() {
                if let Some(s) = s.as_str() {
                    all.insert(s.to_string());
                }
            }
        }
    }
    let v = serde_json::json!({
        "version": "1.0",
        "trustPolicies": [{
            "name": TRUST_NAME,
            "registryScopes": all,
            "signatureVerification": {"level": "strict"},
            "trustStores": [format!("ca:{TRUST_NAME}")],
            "trustedIdentities": [format!("x509.subject: {identity}")],
        }],
    });
    let mut text = serde_json::to_vec_pretty(&v).expect("JSON values serialise");
    text.push(b'\n');
    text
}

fn readme(formats: Formats, scopes: &BTreeSet<String>, tagged: &[Tagged]) -> String {
    let example = tagged
        .first()
        .map(|t| format!("{}:{}", t.resolved.name, t.resolved.tag))
        .unwrap_or_default();
    let mut s = String::from(
        "Signatures carried over from Docker Content Trust by dct migrate.\n\
         Signed images (repositories): ",
    );
    s.push_str(&scopes.iter().cloned().collect::<Vec<_>>().join(", "));
    s.push_str("\n\n");
    if formats.cosign {
        s.push_str(&format!(
            "cosign (key-based, no transparency log entry):\n\
             \n    cosign verify --key cosign.pub --insecure-ignore-tlog=true {example}\n\
             \n  The tag is signed as critical.identity.docker-reference and as optional\n\
             \x20 dev.dct.tag; to insist on it: add -a dev.dct.tag=<tag>.\n\
             \n  podman / CRI-O / skopeo (containers/image): /etc/containers/policy.json\n\
             \n    {{\"default\": [{{\"type\": \"reject\"}}],\n\
             \x20    \"transports\": {{\"docker\": {{\n{}\n\
             \x20    }}}}}}\n\
             \n  and /etc/containers/registries.d/dct-migrated.yaml:\n\
             \n    docker:\n{}",
            scopes
                .iter()
                .map(|r| format!(
                    "       \"{r}\": [{{\"type\": \"sigstoreSigned\", \"keyPath\": \"/etc/containers/cosign.pub\", \"signedIdentity\": {{\"type\": \"matchRepoDigestOrExact\"}}}}]"
                ))
                .collect::<Vec<_>>()
                .join(",\n"),
            scopes
                .iter()
                .map(|r| format!("      {r}:\n        use-sigstore-attachments: true\n"))
                .collect::<String>(),
        ));
        s.push('\n');
    }
    if formats.notation {
        s.push_str(&format!(
            "Notation (notary.x509, JWS):\n\
             \n    notation cert add --type ca --store {TRUST_NAME} notation.crt\n\
             \x20   notation policy import trustpolicy.json\n\
             \x20   notation verify {example}\n\
             \n  The tag is signed as org.opencontainers.image.ref.name; to insist on it:\n\
             \x20 notation verify --user-metadata org.opencontainers.image.ref.name=<tag> IMAGE\n\
             \n  notation.crt is valid until its notAfter date; with no timestamping authority,\n\
             \x20 Notation stops verifying these signatures then.\n\
             \n  On registries without the OCI referrers API (docker-registry 2.8), each signature\n\
             \x20 manifest is also tagged sha256-<digest>.notation-<id> so that\n\
             \x20 garbage-collect --delete-untagged keeps it; do not delete those tags.\n\n"
        ));
    }
    s.push_str(
        "Not carried: DCT's expiry dates, delegation structure and thresholds, and the\n\
         original signing time (the signatures are dated when dct migrate ran).\n",
    );
    s
}

/// One tag's work against its registry.
struct Run<'a> {
    ui: &'a dyn Ui,
    reg: &'a Registry<'a>,
    signer: &'a EcSigner,
    material: &'a Material,
    tagged: &'a Tagged,
}

/// Checks the registry for one tag, then writes each format (`up`: `None` for a dry run); a
/// row per format, or one for the tag when the registry check fails.
fn carry(run: &Run<'_>, formats: Formats, up: Option<&Uploader<'_>>, rows: &mut Vec<Row>) {
    let r = &run.tagged.resolved;
    let row = |format: Option<&'static str>, outcome| Row {
        name: r.name.clone(),
        tag: r.tag.clone(),
        digest: Some(r.digest),
        format,
        outcome,
    };
    let target = match check_registry(run) {
        Ok(t) => t,
        Err(e) => {
            rows.push(row(None, Err(e)));
            return;
        }
    };
    if formats.cosign {
        rows.push(row(Some("cosign"), carry_cosign(run, up)));
    }
    if formats.notation {
        rows.push(row(Some("notation"), carry_notation(run, up, &target)));
    }
}

/// The same failure again (same class and words), for every tag it stops.
fn same(e: &Error) -> Error {
    let m = e.to_string();
    match e.exit_code() {
        crate::error::ExitCode::Usage => Error::Invalid(m),
        crate::error::ExitCode::NotSigned => Error::NotSigned(m),
        crate::error::ExitCode::Verification => Error::Verification(m),
        crate::error::ExitCode::Auth => Error::Auth(m),
        crate::error::ExitCode::Network => Error::Network(m),
        crate::error::ExitCode::Key => Error::Key(m),
        _ => Error::Other(m),
    }
}

/// The registry must still serve the DCT-signed digest with the signed length and a manifest
/// type; a tag that moved is warned about (the DCT digest is signed). The Notation target.
fn check_registry(run: &Run<'_>) -> Result<notation::Target> {
    let r = &run.tagged.resolved;
    let place = format!("{}:{}@{}", r.name, r.tag, r.digest);
    let info = run
        .reg
        .find_manifest_info(&r.digest.to_string())?
        .ok_or_else(|| {
            Error::Other(format!(
                "{place}: the registry does not serve the digest DCT signs (no such manifest); \
                 not migrated"
            ))
        })?;
    if info.size as i64 != r.size {
        return Err(Error::Verification(format!(
            "{place}: the registry serves {} bytes, DCT signs {}: not migrated",
            info.size, r.size
        )));
    }
    if !MANIFEST_TYPES.contains(&info.media_type.as_str()) {
        return Err(Error::invalid(format!(
            "{place} is a {:?} manifest: only Docker schema 2 and OCI manifests and indexes are \
             carried over",
            info.media_type
        )));
    }
    match run.reg.find_manifest_info(&r.tag) {
        Ok(Some(now)) if now.digest == r.digest => {}
        Ok(Some(now)) => run.ui.warn(&format!(
            "{}:{} now points to {} in the registry; signing the digest DCT signs, {}",
            r.name, r.tag, now.digest, r.digest
        )),
        Ok(None) => run.ui.warn(&format!(
            "{}:{} is no longer a tag in the registry; signing the digest DCT signs, {}",
            r.name, r.tag, r.digest
        )),
        Err(e) => run.ui.warn(&format!(
            "cannot read the tag {}:{} from the registry ({e}); signing the digest DCT signs, {}",
            r.name, r.tag, r.digest
        )),
    }
    Ok(notation::Target {
        annotations: BTreeMap::from([(REF_NAME.to_string(), r.tag.clone())]),
        digest: r.digest,
        media_type: info.media_type,
        size: info.size,
    })
}

/// The DCT facts a cosign payload carries in `optional`.
fn cosign_annotations(r: &Resolved) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("dev.dct.gun".to_string(), r.name.clone()),
        ("dev.dct.role".to_string(), r.role.clone()),
        ("dev.dct.source".to_string(), "notary-v1".to_string()),
        ("dev.dct.tag".to_string(), r.tag.clone()),
    ])
}

/// Whether the `.sig` manifest `layers` hold our signature of `payload`: the layer listing
/// it, its blob as the registry serves it, checked as cosign verifies.
fn cosign_found(run: &Run<'_>, layers: &[Value], payload: &[u8]) -> Result<bool> {
    let r = &run.tagged.resolved;
    let reference = format!("{}:{}", r.name, r.tag);
    let annotations = cosign_annotations(r);
    let spki = run.signer.public_spki_der();
    let expect = CosignExpect {
        digest: &r.digest,
        public_key: &spki,
        reference: Some(&reference),
        annotations: &annotations,
    };
    let ours = Digest::of(payload);
    for layer in layers.iter().take(cosign::MAX_LAYERS) {
        let Some((digest, size)) = cosign::layer_blob(layer) else {
            continue;
        };
        if digest != ours || size > SIGNATURE_LIMIT {
            continue;
        }
        let blob = run.reg.blob_bytes(&digest, SIGNATURE_LIMIT)?;
        if sigcheck::cosign_layer(layer, &blob, &expect).is_ok() {
            return Ok(true);
        }
    }
    Ok(false)
}

fn sig_layers(run: &Run<'_>, tag: &str) -> Result<Vec<Value>> {
    match run.reg.find_manifest(tag, None)? {
        None => Ok(Vec::new()),
        Some(m) => cosign::layers(&m.bytes).map_err(|e| {
            Error::Other(format!(
                "{}:{tag} is not a cosign signature manifest ({e}): left alone",
                run.tagged.resolved.name
            ))
        }),
    }
}

fn carry_cosign(run: &Run<'_>, up: Option<&Uploader<'_>>) -> Result<Done> {
    let r = &run.tagged.resolved;
    let reference = format!("{}:{}", r.name, r.tag);
    let payload = cosign::payload(&reference, &r.digest, &cosign_annotations(r));
    let tag = cosign::signature_tag(&r.digest);
    let mut layers = sig_layers(run, &tag)?;
    if cosign_found(run, &layers, &payload)? {
        return Ok(Done::Present);
    }
    if layers.len() >= cosign::MAX_LAYERS {
        return Err(Error::Other(format!(
            "{}:{tag} already holds {} signatures, the most cosign reads",
            r.name,
            layers.len()
        )));
    }
    let kept = layers.len();
    layers.push(cosign::layer(
        &payload,
        &STANDARD.encode(run.signer.sign_der(&payload)),
    ));
    let (config, manifest) = cosign::manifest(&layers);
    let Some(up) = up else {
        return Ok(Done::WouldSign(vec![
            format!(
                "blob {} (payload, {} bytes)",
                Digest::of(&payload),
                payload.len()
            ),
            format!("blob {} (config)", Digest::of(&config)),
            format!(
                "manifest {tag} ({} layer(s): {kept} kept, 1 added)",
                layers.len()
            ),
        ]));
    };
    up.put_blob_bytes(&payload)?;
    up.put_blob_bytes(&config)?;
    up.put_manifest(&tag, OCI_MANIFEST, &manifest)?;
    let back = sig_layers(run, &tag)?;
    if !cosign_found(run, &back, &payload)? {
        return Err(Error::Verification(format!(
            "{}:{tag}: the cosign signature written does not verify as the registry serves it",
            r.name
        )));
    }
    Ok(Done::Signed)
}

/// The referrers of the image: the API's index, else the referrers tag's (`None`: none yet).
/// Also whether the registry has the API.
fn referrers(run: &Run<'_>) -> Result<(Option<Vec<u8>>, bool)> {
    let r = &run.tagged.resolved;
    if let Some(index) = run.reg.referrers(&r.digest)? {
        return Ok((Some(index), true));
    }
    let tag = notation::referrers_tag(&r.digest);
    match run.reg.find_manifest(&tag, None)? {
        None => Ok((None, false)),
        Some(m) if m.media_type == OCI_INDEX => Ok((Some(m.bytes), false)),
        Some(m) => Err(Error::Other(format!(
            "{}:{tag} is a {} manifest, not the OCI index of referrers: left alone",
            r.name, m.media_type
        ))),
    }
}

/// Whether a Notation signature in `index` verifies with this run's trust anchor for
/// `target` (as `notation verify` would, with the trust policy dct writes).
fn notation_found(run: &Run<'_>, index: Option<&[u8]>, target: &notation::Target) -> Result<bool> {
    let Some(index) = index else {
        return Ok(false);
    };
    let v: Value = serde_json::from_slice(index)
        .map_err(|e| Error::Other(format!("the referrers index is not JSON: {e}")))?;
    let identity = sigcheck::parse_identity(&run.material.identity).map_err(Error::Other)?;
    let trust = [run.material.anchor.clone()];
    let expect = NotationExpect {
        media_type: &target.media_type,
        digest: &target.digest,
        size: target.size,
        annotations: &target.annotations,
        trust_store: &trust,
        identity: &identity,
        now: SystemTime::now(),
    };
    let entries = v["manifests"].as_array().cloned().unwrap_or_default();
    let signatures = entries
        .iter()
        .filter(|e| e["artifactType"] == notation::ARTIFACT_TYPE)
        .take(MAX_NOTATION_SIGNATURES);
    for e in signatures {
        let Some(digest) = e["digest"].as_str().and_then(Digest::parse) else {
            continue;
        };
        let Some(m) = run.reg.find_manifest(&digest.to_string(), None)? else {
            continue;
        };
        let layer = serde_json::from_slice::<Value>(&m.bytes)
            .ok()
            .and_then(|v| v["layers"][0]["digest"].as_str().and_then(Digest::parse));
        let Some(layer) = layer else {
            continue;
        };
        let envelope = run.reg.blob_bytes(&layer, SIGNATURE_LIMIT)?;
        if sigcheck::notation_signature(&m.bytes, &envelope, &expect).is_ok() {
            return Ok(true);
        }
    }
    Ok(false)
}

fn carry_notation(
    run: &Run<'_>,
    up: Option<&Uploader<'_>>,
    target: &notation::Target,
) -> Result<Done> {
    let r = &run.tagged.resolved;
    let (index, api) = referrers(run)?;
    if notation_found(run, index.as_deref(), target)? {
        return Ok(Done::Present);
    }
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("0 is valid");
    let signing_time = now
        .format(&time::format_description::well_known::Rfc3339)
        .expect("UTC times format");
    let payload = notation::payload(target);
    let protected = notation::protected_header(&signing_time);
    let signature = run
        .signer
        .sign_raw(notation::signing_input(&protected, &payload).as_bytes());
    let agent = concat!("dct/", env!("CARGO_PKG_VERSION"));
    let chain = &run.material.chain;
    let envelope = notation::envelope(&protected, &payload, &signature, chain, agent);
    let annotations = notation::manifest_annotations(chain, &signing_time);
    let manifest = notation::signature_manifest(target, &envelope, &annotations);
    let digest = Digest::of(&manifest);
    let keep = notation::keep_tag(&r.digest, &digest);
    let index_tag = notation::referrers_tag(&r.digest);
    let Some(up) = up else {
        let mut objects = vec![
            format!("blob {} (empty config)", Digest::of(notation::EMPTY_BLOB)),
            format!("blob {} (JWS envelope)", Digest::of(&envelope)),
            format!("manifest {digest} (signature, subject {})", r.digest),
            format!("manifest {keep} (the same, tagged against garbage collection)"),
        ];
        if !api {
            objects.push(format!(
                "manifest {index_tag} (referrers index, {} entries kept, 1 added)",
                index
                    .as_deref()
                    .and_then(|i| serde_json::from_slice::<Value>(i).ok())
                    .and_then(|v| v["manifests"].as_array().map(Vec::len))
                    .unwrap_or(0)
            ));
        }
        return Ok(Done::WouldSign(objects));
    };
    up.put_blob_bytes(notation::EMPTY_BLOB)?;
    up.put_blob_bytes(&envelope)?;
    up.put_manifest(&digest.to_string(), OCI_MANIFEST, &manifest)?;
    up.put_manifest(&keep, OCI_MANIFEST, &manifest)?;
    if !api {
        // Read again just before writing, to lose as little as possible to a concurrent writer.
        let (current, api_now) = referrers(run)?;
        if !api_now {
            let added = notation::add_referrer(current.as_deref(), &manifest)
                .map_err(|e| Error::Other(format!("{}:{index_tag}: {e}: left alone", r.name)))?;
            if let Some(bytes) = added {
                up.put_manifest(&index_tag, OCI_INDEX, &bytes)?;
            }
        }
    }
    let (back, _) = referrers(run)?;
    if !notation_found(run, back.as_deref(), target)? {
        return Err(Error::Verification(format!(
            "{}:{}: the Notation signature written does not verify as the registry serves it",
            r.name, r.tag
        )));
    }
    Ok(Done::Signed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_policy_is_strict_and_keeps_earlier_scopes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trustpolicy.json");
        let first = trust_policy(
            &path,
            &BTreeSet::from(["reg/a".to_string()]),
            "C=ZZ, ST=X, O=Y",
        );
        std::fs::write(&path, &first).unwrap();
        let second = trust_policy(
            &path,
            &BTreeSet::from(["reg/b".to_string()]),
            "C=ZZ, ST=X, O=Y",
        );
        let v: Value = serde_json::from_slice(&second).unwrap();
        let p = &v["trustPolicies"][0];
        assert_eq!(p["registryScopes"], serde_json::json!(["reg/a", "reg/b"]));
        assert_eq!(p["signatureVerification"]["level"], "strict");
        assert_eq!(p["trustStores"][0], "ca:dct-migrated");
        assert_eq!(p["trustedIdentities"][0], "x509.subject: C=ZZ, ST=X, O=Y");
        let ident = p["trustedIdentities"][0].as_str().unwrap();
        let attrs = sigcheck::parse_identity(ident.strip_prefix("x509.subject: ").unwrap());
        assert_eq!(attrs.unwrap().len(), 3);
    }

    #[test]
    fn worst_failure_wins() {
        let row = |e: Error| Row {
            name: "r".into(),
            tag: "t".into(),
            digest: None,
            format: None,
            outcome: Err(e),
        };
        let out = MigrateOutcome {
            rows: vec![
                row(Error::NotSigned("a".into())),
                row(Error::Auth("b".into())),
                row(Error::Verification("c".into())),
            ],
            files: Vec::new(),
            key_id: None,
        };
        let worst = out.worst().unwrap();
        assert!(matches!(worst, Error::Auth(ref m) if m == "b"));
    }
}
