//! Notary's TUF metadata as typed values (spec §3): the signed envelope, root, targets (with
//! delegations), snapshot and timestamp, read from and written to exactly the bytes notary's Go
//! code produces. Signatures are checked over the canonical re-encoding of the parsed `signed`
//! value (§3.7), never over the file bytes, which is why [`Envelope`] keeps both.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;
use time::OffsetDateTime;

use crate::canonical::{canonicalize_json, html_escape, html_escape_into, to_canonical};
use crate::keys::private::{KeyType, PublicKey};

/// Something wrong with the structure of a metadata file (not its signatures).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MetaError(pub String);

fn bad(msg: impl Into<String>) -> MetaError {
    MetaError(msg.into())
}

/// Base64 (standard, padded) byte strings, Go's `[]byte` JSON form.
mod b64 {
    use super::*;

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&B64.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = Option::<String>::deserialize(d)?.unwrap_or_default();
        B64.decode(text.as_bytes())
            .map_err(|e| serde::de::Error::custom(format!("invalid base64: {e}")))
    }
}

/// `expires` as Go writes and reads it: RFC 3339 with optional fraction and offset.
pub(crate) mod go_time {
    use super::*;

    pub fn serialize<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_go_time(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(d)?;
        OffsetDateTime::parse(&text, &time::format_description::well_known::Rfc3339)
            .map_err(|e| serde::de::Error::custom(format!("invalid time {text:?}: {e}")))
    }
}

/// Go's `time.Time` JSON text in UTC: RFC 3339, fraction without trailing zeros, `Z`. Any
/// other form would be re-printed differently by the server and break hashes (§3.9).
pub fn format_go_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let nanos = t.nanosecond();
    if nanos != 0 {
        let frac = format!("{nanos:09}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// Go's `time.Time.String()`-like text used in notary's expiry errors
/// ("Mon Jan 2 15:04:05 MST 2006").
pub fn format_go_expiry(t: OffsetDateTime) -> String {
    let zone = if t.offset().is_utc() {
        "UTC".to_string()
    } else {
        let (h, m, _) = t.offset().as_hms();
        format!("{:+03}{:02}", h, m.abs())
    };
    let weekday = &format!("{}", t.weekday())[..3];
    let month = &format!("{}", t.month())[..3];
    format!(
        "{weekday} {month} {} {:02}:{:02}:{:02} {zone} {}",
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.year()
    )
}

/// A public key inside metadata: `{"keytype","keyval":{"private":null,"public"}}`.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    /// `keytype`: `ecdsa`, `ecdsa-x509`, `ed25519`, `rsa`, `rsa-x509`, or one dct does not know.
    pub keytype: String,
    /// `keyval.public`, decoded from base64: SPKI DER, a raw Ed25519 key or a certificate's PEM.
    pub public: Vec<u8>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({} {})", self.keytype, self.id())
    }
}

#[derive(Serialize, Deserialize)]
struct KeyJson {
    keytype: String,
    keyval: KeyVal,
}

#[derive(Serialize, Deserialize)]
struct KeyVal {
    #[serde(with = "b64")]
    public: Vec<u8>,
    #[serde(default, deserialize_with = "ignore_private")]
    private: Option<()>,
}

/// `keyval.private` is always null in metadata; whatever a file holds there is dropped, as Go's
/// struct model drops it on re-serialisation.
fn ignore_private<'de, D: Deserializer<'de>>(d: D) -> Result<Option<()>, D::Error> {
    Value::deserialize(d).map(|_| None)
}

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        KeyJson {
            keytype: self.keytype.clone(),
            keyval: KeyVal {
                public: self.public.clone(),
                private: None,
            },
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let k = KeyJson::deserialize(d)?;
        Ok(Key {
            keytype: k.keytype,
            public: k.keyval.public,
        })
    }
}

impl Key {
    /// The key type, if dct knows it (an unknown one parses but cannot verify).
    pub fn keytype(&self) -> Option<KeyType> {
        Some(match self.keytype.as_str() {
            "ecdsa" => KeyType::Ecdsa,
            "ecdsa-x509" => KeyType::EcdsaX509,
            "ed25519" => KeyType::Ed25519,
            "rsa" => KeyType::Rsa,
            "rsa-x509" => KeyType::RsaX509,
            _ => return None,
        })
    }

    /// The TUF key ID (same rule for every type, known or not).
    pub fn id(&self) -> String {
        crate::keys::private::key_id(&self.keytype, &self.public)
    }

    /// The canonical key ID: for `ecdsa-x509`/`rsa-x509` keys the ID of the plain key inside
    /// the certificate (which names the private key file), else [`Key::id`]. `None` for an
    /// unknown key type or a malformed certificate. The one place metadata keys are mapped to
    /// key-store IDs.
    pub fn canonical_id(&self) -> Option<String> {
        let kt = self.keytype()?;
        crate::keys::cert::canonical_key_id(&PublicKey::new(kt, self.public.clone())).ok()
    }
}

impl From<&PublicKey> for Key {
    fn from(k: &PublicKey) -> Self {
        Key {
            keytype: k.keytype.as_str().to_string(),
            public: k.public.clone(),
        }
    }
}

/// One signature of an envelope.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Signature {
    /// `keyid`: the ID of the key that made the signature.
    pub keyid: String,
    /// `method`: the signature scheme (`ecdsa`, `eddsa`, `rsapss`…), lower-cased.
    pub method: String,
    /// `sig`: the signature over the canonical `signed` bytes, decoded from base64.
    #[serde(with = "b64")]
    pub sig: Vec<u8>,
}

/// Keys and threshold of a base role in root.json.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RoleKeys {
    /// `keyids`: the role's keys; `null` when every key was removed.
    #[serde(default)]
    pub keyids: Option<Vec<String>>,
    /// `threshold`: how many of them must sign.
    pub threshold: i64,
}

impl RoleKeys {
    /// The role's key IDs (none for `null`).
    pub fn ids(&self) -> &[String] {
        self.keyids.as_deref().unwrap_or_default()
    }
}

/// `root.json`'s signed part (spec §3.2): the keys of every base role, the trust anchor of a
/// collection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Root {
    /// `_type`: `Root`.
    #[serde(rename = "_type")]
    pub type_: String,
    /// `consistent_snapshot`: always `false` in notary (clients fetch by checksum anyway).
    pub consistent_snapshot: bool,
    /// `expires`: when the root stops being trusted.
    #[serde(with = "go_time")]
    pub expires: OffsetDateTime,
    /// `keys`: every key the roles name, by ID (old root keys may stay after a rotation).
    pub keys: BTreeMap<String, Key>,
    /// `roles`: the keys and threshold of `root`, `targets`, `snapshot` and `timestamp`.
    pub roles: BTreeMap<String, RoleKeys>,
    /// `version`: raised on every re-sign; a client never accepts a lower one.
    pub version: i64,
}

/// A target (or a metadata file) as its parent describes it: length and hashes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileMeta {
    /// `length`: the file's size in bytes.
    pub length: i64,
    /// `hashes`: algorithm (`sha256`, `sha512`) → digest, decoded from base64.
    #[serde(deserialize_with = "hashes_de", serialize_with = "hashes_ser")]
    pub hashes: Hashes,
    /// `custom`: arbitrary JSON of a target, omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
}

/// A FileMeta's `hashes`: algorithm → digest, sorted by algorithm, each algorithm once. A
/// sorted vector rather than a `BTreeMap`: a targets file lists 100,000 of these, nearly all
/// with one entry, and a `BTreeMap` spends a whole node (~0.5 KB) on each — 50 MB of a
/// 100,000-target sign's memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hashes(Vec<(String, Vec<u8>)>);

impl Hashes {
    /// The digest for `alg`.
    pub fn get(&self, alg: &str) -> Option<&Vec<u8>> {
        self.find(alg).ok().map(|i| &self.0[i].1)
    }

    /// Sets the digest for `alg`; the one it replaces.
    pub fn insert(&mut self, alg: String, digest: Vec<u8>) -> Option<Vec<u8>> {
        match self.find(&alg) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, digest)),
            Err(i) => {
                self.0.insert(i, (alg, digest));
                None
            }
        }
    }

    /// Removes the digest for `alg`.
    pub fn remove(&mut self, alg: &str) -> Option<Vec<u8>> {
        self.find(alg).ok().map(|i| self.0.remove(i).1)
    }

    /// Whether no hash is listed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// (algorithm, digest) in algorithm order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.0.iter().map(|(a, d)| (a, d))
    }

    fn find(&self, alg: &str) -> std::result::Result<usize, usize> {
        self.0.binary_search_by(|(a, _)| a.as_str().cmp(alg))
    }
}

impl FromIterator<(String, Vec<u8>)> for Hashes {
    fn from_iter<I: IntoIterator<Item = (String, Vec<u8>)>>(iter: I) -> Self {
        let mut h = Hashes(Vec::new());
        for (alg, digest) in iter {
            h.insert(alg, digest);
        }
        h.0.shrink_to_fit();
        h
    }
}

impl<const N: usize> From<[(String, Vec<u8>); N]> for Hashes {
    fn from(entries: [(String, Vec<u8>); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Hashes {
    type Item = (&'a String, &'a Vec<u8>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Vec<u8>)>,
        fn(&'a (String, Vec<u8>)) -> (&'a String, &'a Vec<u8>),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(a, d)| (a, d))
    }
}

impl std::ops::Index<&str> for Hashes {
    type Output = Vec<u8>;

    fn index(&self, alg: &str) -> &Vec<u8> {
        self.get(alg)
            .unwrap_or_else(|| panic!("no {alg} hash listed"))
    }
}

/// `hashes` as JSON: an object of base64 strings (`null` reads as empty, as notary's Go does);
/// each digest decoded straight into its exact-size buffer.
fn hashes_de<'de, D: Deserializer<'de>>(d: D) -> Result<Hashes, D::Error> {
    struct Visit;
    impl<'de> serde::de::Visitor<'de> for Visit {
        type Value = Hashes;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of base64 hashes")
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Hashes, E> {
            Ok(Hashes::default())
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Hashes, E> {
            Ok(Hashes::default())
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Hashes, D::Error> {
            d.deserialize_map(Visit)
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Hashes, A::Error> {
            // A key given twice: the last wins, as with a map, before anything is decoded.
            let mut raw: Vec<(String, String)> = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, String>()? {
                match raw.iter_mut().find(|(a, _)| *a == k) {
                    Some(e) => e.1 = v,
                    None => raw.push((k, v)),
                }
            }
            raw.into_iter()
                .map(|(k, v)| {
                    let mut b = B64
                        .decode(v.as_bytes())
                        .map_err(|e| serde::de::Error::custom(format!("invalid {k} hash: {e}")))?;
                    b.shrink_to_fit();
                    Ok((k, b))
                })
                .collect()
        }
    }
    d.deserialize_option(Visit)
}

fn hashes_ser<S: Serializer>(h: &Hashes, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(h.0.len()))?;
    for (k, v) in h {
        m.serialize_entry(k, &B64.encode(v))?;
    }
    m.end()
}

impl FileMeta {
    /// FileMeta of exact file bytes, as notary writes it for metadata (sha256 + sha512).
    pub fn of(bytes: &[u8]) -> Self {
        use sha2::{Digest, Sha256, Sha512};
        let hashes = Hashes::from([
            ("sha256".into(), Sha256::digest(bytes).to_vec()),
            ("sha512".into(), Sha512::digest(bytes).to_vec()),
        ]);
        FileMeta {
            length: bytes.len() as i64,
            hashes,
            custom: None,
        }
    }

    /// The SHA-256, if present and 32 bytes long; anything else is not trusted.
    pub fn sha256(&self) -> Option<[u8; 32]> {
        self.hashes.get("sha256")?.as_slice().try_into().ok()
    }
}

/// A delegation in `delegations.roles` (spec §3.3): who may sign which target names.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DelegatedRole {
    /// `keyids`: the delegation's keys; `null` when every key was removed.
    #[serde(default)]
    pub keyids: Option<Vec<String>>,
    /// `name`: the role, a direct child of the file's role (`targets/releases`).
    pub name: String,
    /// `paths`: target name prefixes delegated (`""` = all), omitted when empty.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_vec"
    )]
    pub paths: Vec<String>,
    /// `threshold`: how many of the keys must sign.
    pub threshold: i64,
}

impl DelegatedRole {
    /// The delegation's key IDs (none for `null`).
    pub fn ids(&self) -> &[String] {
        self.keyids.as_deref().unwrap_or_default()
    }
}

fn null_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(d)?.unwrap_or_default())
}

/// A targets file's `delegations`: the keys and roles it delegates to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Delegations {
    /// `keys`: the delegations' keys, by ID.
    #[serde(default, deserialize_with = "null_map")]
    pub keys: BTreeMap<String, Key>,
    /// `roles`: the delegations, in lookup priority order.
    #[serde(default, deserialize_with = "null_roles")]
    pub roles: Vec<DelegatedRole>,
}

fn null_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Key>, D::Error> {
    Ok(Option::<BTreeMap<String, Key>>::deserialize(d)?.unwrap_or_default())
}

fn null_roles<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<DelegatedRole>, D::Error> {
    Ok(Option::<Vec<DelegatedRole>>::deserialize(d)?.unwrap_or_default())
}

/// The signed part of `targets.json` and of delegation files (spec §3.3).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Targets {
    /// `_type`: `Targets`.
    #[serde(rename = "_type")]
    pub type_: String,
    /// `delegations`: always written, even empty.
    #[serde(default)]
    pub delegations: Delegations,
    /// `expires`: when the role stops being trusted.
    #[serde(with = "go_time")]
    pub expires: OffsetDateTime,
    /// `targets`: target name (a tag for Docker) → its length and hashes.
    #[serde(default, deserialize_with = "null_targets")]
    pub targets: BTreeMap<String, FileMeta>,
    /// `version`: raised on every re-sign; a client never accepts a lower one.
    pub version: i64,
}

fn null_targets<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, FileMeta>, D::Error> {
    Ok(Option::<BTreeMap<String, FileMeta>>::deserialize(d)?.unwrap_or_default())
}

/// Snapshot and timestamp share one shape: `meta` maps role names to FileMeta.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetaList {
    /// `_type`: `Snapshot` or `Timestamp`.
    #[serde(rename = "_type")]
    pub type_: String,
    /// `expires`: when the role stops being trusted.
    #[serde(with = "go_time")]
    pub expires: OffsetDateTime,
    /// `meta`: role name → the exact file's length and hashes.
    #[serde(default, deserialize_with = "null_meta")]
    pub meta: BTreeMap<String, FileMeta>,
    /// `version`: raised on every re-sign; a client never accepts a lower one.
    pub version: i64,
}

fn null_meta<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, FileMeta>, D::Error> {
    Ok(Option::<BTreeMap<String, FileMeta>>::deserialize(d)?.unwrap_or_default())
}

/// `snapshot.json`'s signed part: the length and hashes of root, targets and every delegation file.
pub type Snapshot = MetaList;
/// `timestamp.json`'s signed part: the length and hashes of the current snapshot.
pub type Timestamp = MetaList;

/// Common access to `version` and `expires` for the update checks.
pub trait Signable: DeserializeOwned + Serialize {
    /// The `_type` of the struct's files (both of them for [`MetaList`]).
    const TYPE: &'static str;
    /// The `version` field, which must not go below the cached one's.
    fn version(&self) -> i64;
    /// The `expires` field, which must not have passed.
    fn expires(&self) -> OffsetDateTime;
    /// The `_type` field, which must be the one the parser expects.
    fn type_name(&self) -> &str;
}

/// The three metadata structs share `version`, `expires` and `_type` fields.
macro_rules! signable {
    ($($ty:ty => $name:literal),*) => {$(
        impl Signable for $ty {
            const TYPE: &'static str = $name;
            fn version(&self) -> i64 {
                self.version
            }
            fn expires(&self) -> OffsetDateTime {
                self.expires
            }
            fn type_name(&self) -> &str {
                &self.type_
            }
        }
    )*};
}

signable!(Root => "Root", Targets => "Targets", MetaList => "Snapshot|Timestamp");

/// A parsed metadata file: the typed `signed` part, its signatures, the canonical bytes the
/// signatures cover, and the exact file bytes (hashed by the parent, written to the cache).
#[derive(Debug, Clone)]
pub struct Envelope<T> {
    /// The typed `signed` part.
    pub signed: T,
    /// `signatures`, methods lower-cased.
    pub signatures: Vec<Signature>,
    /// The canonical bytes of `signed`, which the signatures cover.
    pub canonical: Vec<u8>,
    /// The exact file, which the parent's hashes cover.
    pub bytes: Vec<u8>,
}

/// The envelope with `signed` kept as its raw JSON text (the fast path of [`Envelope::parse`]).
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(borrow)]
    signed: &'a RawValue,
    #[serde(default)]
    signatures: Option<Vec<Signature>>,
}

/// A metadata file split into its `signed` part, as raw JSON text borrowed from `bytes`, and
/// its signatures (methods lower-cased, as [`Envelope::parse`] keeps them); `None` where
/// [`Envelope::parse`]'s fast path would give up.
pub(crate) fn split_raw(bytes: &[u8]) -> Option<(&RawValue, Vec<Signature>)> {
    let raw: RawEnvelope = serde_json::from_slice(bytes).ok()?;
    let mut signatures = raw.signatures.unwrap_or_default();
    for s in &mut signatures {
        s.method = s.method.to_ascii_lowercase();
    }
    Some((raw.signed, signatures))
}

/// The envelope with `signed` as a [`Value`] tree (the reference path).
#[derive(Deserialize)]
struct ValueEnvelope {
    signed: Value,
    #[serde(default)]
    signatures: Option<Vec<Signature>>,
}

impl<T: Signable> Envelope<T> {
    /// Parses a metadata file of the expected `_type` (`expected`: "Root", "Targets",
    /// "Snapshot", "Timestamp").
    ///
    /// One pass over `signed`: serde_json checks the file and hands over `signed` as raw text,
    /// [`canonicalize_json`] turns that text into the canonical bytes the signatures cover, and
    /// `T` is deserialised from the same text, with no intermediate [`Value`] tree (which cost
    /// ~40 % of a warm 10,000-target lookup and most of its heap). The result is the same as
    /// [`Envelope::parse_via_value`]'s: whenever the fast path fails (invalid JSON, a lone
    /// surrogate, a number canonical JSON cannot hold, a repeated struct field, a type error…)
    /// the reference path runs instead, so errors — and the rare inputs only it accepts, such
    /// as a repeated field where `Value` keeps the last — come out exactly as before.
    pub fn parse(bytes: Vec<u8>, expected: &str) -> Result<Self, MetaError> {
        let fast = Self::parse_raw(&bytes);
        match fast {
            Some((signed, signatures, canonical)) => {
                let env = Self::finish(signed, signatures, canonical, bytes, expected)?;
                #[cfg(debug_assertions)]
                Self::assert_same_as_value_path(&env, expected);
                Ok(env)
            }
            None => Self::parse_via_value(bytes, expected),
        }
    }

    /// The fast path; `None` on any failure.
    fn parse_raw(bytes: &[u8]) -> Option<(T, Vec<Signature>, Vec<u8>)> {
        let raw: RawEnvelope = serde_json::from_slice(bytes).ok()?;
        let text = raw.signed.get();
        let canonical = canonicalize_json(text).ok()?;
        let signed: T = serde_json::from_str(text).ok()?;
        Some((signed, raw.signatures.unwrap_or_default(), canonical))
    }

    /// The reference path: bytes → [`Value`] → canonical bytes ([`to_canonical`]) and `T`.
    /// Slower, and the source of every error message [`Envelope::parse`] returns.
    pub fn parse_via_value(bytes: Vec<u8>, expected: &str) -> Result<Self, MetaError> {
        let raw: ValueEnvelope =
            serde_json::from_slice(&bytes).map_err(|e| bad(format!("not valid metadata: {e}")))?;
        let canonical = to_canonical(&raw.signed).map_err(|e| bad(e.to_string()))?;
        let signed: T = serde_json::from_value(raw.signed)
            .map_err(|e| bad(format!("malformed {expected} metadata: {e}")))?;
        Self::finish(
            signed,
            raw.signatures.unwrap_or_default(),
            canonical,
            bytes,
            expected,
        )
    }

    fn finish(
        signed: T,
        mut signatures: Vec<Signature>,
        canonical: Vec<u8>,
        bytes: Vec<u8>,
        expected: &str,
    ) -> Result<Self, MetaError> {
        if signed.type_name() != expected {
            return Err(bad(format!(
                "expected {expected} metadata, found _type {:?}",
                signed.type_name()
            )));
        }
        for s in &mut signatures {
            s.method = s.method.to_ascii_lowercase();
        }
        Ok(Envelope {
            signed,
            signatures,
            canonical,
            bytes,
        })
    }

    /// Debug builds (every test) check each fast parse against the reference path.
    #[cfg(debug_assertions)]
    fn assert_same_as_value_path(env: &Self, expected: &str) {
        let slow = Self::parse_via_value(env.bytes.clone(), expected)
            .expect("the Value path accepts what the raw path accepts");
        assert_eq!(slow.canonical, env.canonical, "canonical bytes differ");
        assert_eq!(slow.signatures, env.signatures, "signatures differ");
        assert_eq!(
            serde_json::to_value(&slow.signed).ok(),
            serde_json::to_value(&env.signed).ok(),
            "typed {expected} differs"
        );
    }
}

/// The canonical bytes of a value about to be signed.
///
/// Serialised straight to JSON text and canonicalised in one pass: building a `Value` tree
/// first cost a quarter of signing a 10,000-target file. Debug builds check the result against
/// the tree-based writer.
pub fn canonical_bytes<T: Serialize>(signed: &T) -> Vec<u8> {
    let text = serde_json::to_string(signed).expect("metadata serialises");
    let out =
        crate::canonical::canonicalize_json(&text).expect("metadata holds only safe integers");
    debug_assert_eq!(
        out,
        to_canonical(&serde_json::to_value(signed).expect("metadata serialises"))
            .expect("metadata holds only safe integers")
    );
    out
}

/// The file form notary writes: `{"signed":<canonical, HTML-escaped>,"signatures":[…]}`.
pub fn envelope_bytes(canonical: &[u8], signatures: &[Signature]) -> Vec<u8> {
    let sigs = if signatures.is_empty() {
        b"null".to_vec()
    } else {
        html_escape(&serde_json::to_vec(signatures).expect("signatures serialise"))
    };
    // Sized once: a targets file of 100,000 tags is 10 MB, and growing the buffer would double it.
    let mut out = Vec::with_capacity(canonical.len() + sigs.len() + 32);
    out.extend_from_slice(b"{\"signed\":");
    html_escape_into(canonical, &mut out);
    out.extend_from_slice(b",\"signatures\":");
    out.extend_from_slice(&sigs);
    out.push(b'}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_act_as_a_map_in_algorithm_order() {
        let mut h = Hashes::from([
            ("sha512".to_string(), vec![2]),
            ("sha256".to_string(), vec![1]),
            ("sha256".to_string(), vec![3]),
        ]);
        let order: Vec<&str> = h.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(order, ["sha256", "sha512"]);
        assert_eq!(
            h.get("sha256"),
            Some(&vec![3]),
            "the last of a duplicate wins"
        );
        assert_eq!(h.insert("md5".into(), vec![9]), None);
        assert_eq!(h.insert("md5".into(), vec![8]), Some(vec![9]));
        assert_eq!(h.remove("md5"), Some(vec![8]));
        assert_eq!(h["sha512"], vec![2]);
        assert_eq!(
            h,
            Hashes::from([("sha512".into(), vec![2]), ("sha256".into(), vec![3])])
        );
        let json = serde_json::to_string(&FileMeta {
            length: 1,
            hashes: h.clone(),
            custom: None,
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"length":1,"hashes":{"sha256":"Aw==","sha512":"Ag=="}}"#
        );
        let back: FileMeta = serde_json::from_str(&json).unwrap();
        assert_eq!(back.hashes, h);
        let null: FileMeta = serde_json::from_str(r#"{"length":1,"hashes":null}"#).unwrap();
        assert!(null.hashes.is_empty());
        let bad = serde_json::from_str::<FileMeta>(r#"{"length":1,"hashes":{"sha256":"!"}}"#);
        assert!(bad.unwrap_err().to_string().contains("invalid sha256 hash"));
        assert!(serde_json::from_str::<FileMeta>(r#"{"length":1}"#).is_err());
    }

    #[test]
    fn go_time_format_trims_fraction_and_uses_z() {
        let t = OffsetDateTime::parse(
            "2116-07-03T18:08:08.423870500-05:00",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert_eq!(format_go_time(t), "2116-07-03T23:08:08.4238705Z");
        let t = OffsetDateTime::from_unix_timestamp(2_111_111_111).unwrap();
        assert_eq!(format_go_time(t), "2036-11-24T03:45:11Z");
        assert_eq!(format_go_expiry(t), "Mon Nov 24 03:45:11 UTC 2036");
    }

    #[test]
    fn notary_root_round_trips_byte_for_byte() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/notary/root.json"
        ))
        .unwrap();
        let env: Envelope<Root> = Envelope::parse(bytes.clone(), "Root").unwrap();
        assert_eq!(canonical_bytes(&env.signed), env.canonical);
        assert_eq!(envelope_bytes(&env.canonical, &env.signatures), bytes);
    }
}
