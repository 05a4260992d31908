//! Large targets files without parsing them on every lookup: a light parse for lookups (the
//! canonical bytes for the signature check and the file's targets as raw JSON ranges, no typed
//! map), and a **verified index** kept in the cache next to notary's files, so that a lookup of
//! an unchanged repository reads a few kilobytes instead of re-parsing a 10 MB `targets.json`.
//!
//! An index is written only after the whole update that verified its targets file succeeded
//! (signatures over the canonical bytes, threshold, hashes and length against the snapshot,
//! version, expiry), under the trust-dir lock, atomically. It is used in place of that file
//! only when everything the verification depended on is unchanged:
//!
//! * the file: the role's length and every supported hash (sha256, sha512) the freshly verified
//!   parent (the snapshot) names for it equal the ones recorded when the index was built;
//! * the keys: the signing keys and threshold the parent gives the role now are the ones the
//!   signatures were checked against (a digest of both is recorded);
//!
//! and the checks that depend on the time or on the parent are made again on every use:
//! expiry (the recorded `expires`), the delegations' shape, and a delegation's paths. When
//! anything differs the file is verified in full again and the index rebuilt. An index is as
//! trusted as the rest of the cache (see the README's "Verified reads").
//!
//! Format (`<trust dir>/tuf/<GUN>/metadata/<role>.idx`, next to `<role>.json`): a line `DCT-TARGETS-INDEX 1 <n>`, `n`
//! bytes of JSON [`Header`], a newline, then the entries sorted by name (byte order), each
//! `u32 LE name length, u32 LE meta length, name (UTF-8), meta (the target's JSON as the
//! file has it)`. The header lists the first name and offset of every [`BLOCK`]-th entry, so a
//! lookup reads the header and one block.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256, Sha512};
use time::OffsetDateTime;

use super::meta::{Delegations, FileMeta, Key, Signature, Targets, go_time, split_raw};
use crate::canonical::canonicalize_json;

const MAGIC: &str = "DCT-TARGETS-INDEX 1";
/// Entries per block of the index (one block is read per lookup).
pub const BLOCK: usize = 128;
/// A header larger than this is not an index dct wrote.
const MAX_HEADER: usize = 64 << 20;

/// One target of a targets file: its name and where its JSON is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The target's name.
    pub name: Box<str>,
    /// Where its JSON starts in the file.
    pub start: usize,
    /// Where its JSON ends in the file.
    pub end: usize,
}

/// A targets file parsed for lookups: everything but the targets map, typed; the targets as
/// raw ranges of `bytes`, sorted by name, one per name (the last, as a JSON object keeps it).
#[derive(Debug)]
pub struct Lite {
    /// The signed part with an empty `targets` map.
    pub head: Targets,
    /// The file's signatures.
    pub signatures: Vec<Signature>,
    /// What the signatures cover.
    pub canonical: Vec<u8>,
    /// The file.
    pub bytes: Vec<u8>,
    /// The targets, sorted by name.
    pub entries: Vec<Entry>,
}

/// What [`Lite::parse`] takes from a file besides the file: the head, signatures, canonical
/// bytes and entries.
type Parts = (Targets, Vec<Signature>, Vec<u8>, Vec<Entry>);

/// A target's JSON accepted without allocating: `length`, `hashes` (null, or a map of strings
/// that are valid base64, borrowed: none escaped, none longer than 128), any `custom`. Whatever
/// it accepts, [`FileMeta`]'s own parse accepts too; what it refuses is left to that parse.
#[derive(Deserialize)]
struct MetaCheck {
    #[serde(rename = "length")]
    _length: i64,
    #[serde(rename = "hashes")]
    _hashes: HashesCheck,
    #[serde(default, rename = "custom")]
    _custom: Option<serde::de::IgnoredAny>,
}

struct HashesCheck;

impl<'de> Deserialize<'de> for HashesCheck {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = HashesCheck;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of base64 hashes or null")
            }
            fn visit_unit<E>(self) -> Result<HashesCheck, E> {
                Ok(HashesCheck)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HashesCheck, A::Error> {
                use base64::Engine as _;
                let mut buf = [0u8; 96];
                while let Some((_, v)) = map.next_entry::<&str, &str>()? {
                    let ok = v.len() <= 128
                        && base64::engine::general_purpose::STANDARD
                            .decode_slice(v.as_bytes(), &mut buf)
                            .is_ok();
                    if !ok {
                        return Err(serde::de::Error::custom("not a plain base64 hash"));
                    }
                }
                Ok(HashesCheck)
            }
        }
        // Not `deserialize_option`: a missing `hashes` must stay an error, as in FileMeta.
        d.deserialize_any(V)
    }
}

/// `signed` of a targets file, with the targets left as raw JSON.
#[derive(Deserialize)]
struct Head<'a> {
    #[serde(rename = "_type")]
    type_: String,
    #[serde(default)]
    delegations: Delegations,
    #[serde(with = "go_time")]
    expires: OffsetDateTime,
    #[serde(default, borrow, deserialize_with = "raw_targets")]
    targets: Vec<(String, &'a RawValue)>,
    version: i64,
}

fn raw_targets<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, &'de RawValue)>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<(String, &'de RawValue)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of targets or null")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(V)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
            while let Some(k) = map.next_key::<String>()? {
                out.push((k, map.next_value::<&RawValue>()?));
            }
            Ok(out)
        }
    }
    d.deserialize_option(V)
}

impl Lite {
    /// Parses a targets file for lookups. `None` whenever the full parse
    /// ([`super::meta::Envelope::parse`]) might answer differently — not JSON the fast path
    /// takes, another `_type`, a target whose JSON is not a valid target — so that the caller
    /// falls back to it and its exact errors. Debug builds check every answer against it.
    pub fn parse(bytes: Vec<u8>) -> Result<Lite, Vec<u8>> {
        let parts = Self::parse_parts(&bytes);
        Self::from_parts(bytes, parts)
    }

    /// [`Lite::parse`] while `check` runs on another thread over the same bytes (a large
    /// file's hash check), whose result is returned first.
    pub fn parse_checked<E: Send>(
        bytes: Vec<u8>,
        check: impl FnOnce(&[u8]) -> Result<(), E> + Send,
    ) -> Result<Result<Lite, Vec<u8>>, E> {
        let (checked, parts) = std::thread::scope(|s| {
            let b = &bytes;
            let checker = s.spawn(move || check(b));
            let parts = Self::parse_parts(b);
            (checker.join(), parts)
        });
        match checked {
            Ok(Ok(())) => Ok(Self::from_parts(bytes, parts)),
            Ok(Err(e)) => Err(e),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }

    fn from_parts(bytes: Vec<u8>, parts: Option<Parts>) -> Result<Lite, Vec<u8>> {
        let Some((head, signatures, canonical, entries)) = parts else {
            return Err(bytes);
        };
        let lite = Lite {
            head,
            signatures,
            canonical,
            bytes,
            entries,
        };
        #[cfg(debug_assertions)]
        lite.assert_same_as_full_parse();
        Ok(lite)
    }

    fn parse_parts(bytes: &[u8]) -> Option<Parts> {
        let (signed, signatures) = split_raw(bytes)?;
        let text = signed.get();
        let canonical = canonicalize_json(text).ok()?;
        let head: Head = serde_json::from_str(text).ok()?;
        if head.type_ != "Targets" {
            return None;
        }
        let base = bytes.as_ptr() as usize;
        let mut entries = Vec::with_capacity(head.targets.len());
        for (name, raw) in &head.targets {
            // Every target must be what the typed parse accepts: checked without building it
            // when it has the usual shape, else by building it.
            if serde_json::from_str::<MetaCheck>(raw.get()).is_err() {
                serde_json::from_str::<FileMeta>(raw.get()).ok()?;
            }
            let start = raw.get().as_ptr() as usize - base;
            entries.push(Entry {
                name: name.as_str().into(),
                start,
                end: start + raw.get().len(),
            });
        }
        // Sorted by name, the last of equal names kept (as a JSON object keeps it).
        entries.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        let mut unique: Vec<Entry> = Vec::with_capacity(entries.len());
        for e in entries {
            match unique.last_mut() {
                Some(last) if last.name == e.name => *last = e,
                _ => unique.push(e),
            }
        }
        let head = Targets {
            type_: head.type_,
            delegations: head.delegations,
            expires: head.expires,
            targets: BTreeMap::new(),
            version: head.version,
        };
        Some((head, signatures, canonical, unique))
    }

    #[cfg(debug_assertions)]
    fn assert_same_as_full_parse(&self) {
        let full = super::meta::Envelope::<Targets>::parse(self.bytes.clone(), "Targets")
            .expect("the full parse accepts what the light one accepts");
        assert_eq!(full.canonical, self.canonical, "canonical bytes differ");
        assert_eq!(full.signatures, self.signatures, "signatures differ");
        assert_eq!(full.signed.version, self.head.version);
        assert_eq!(full.signed.expires, self.head.expires);
        assert_eq!(
            serde_json::to_value(&full.signed.delegations).ok(),
            serde_json::to_value(&self.head.delegations).ok(),
            "delegations differ"
        );
        let index = TargetIndex::Memory {
            bytes: self.bytes.clone(),
            entries: self.entries.clone(),
        };
        assert_eq!(
            full.signed.targets.len(),
            self.entries.len(),
            "target count"
        );
        for (name, meta) in &full.signed.targets {
            assert_eq!(
                index.get(name).ok().flatten().as_ref(),
                Some(meta),
                "{name}"
            );
        }
    }
}

/// The `delegations` of a targets file, read without building its targets (they are skipped
/// over): for a guess at which roles a tag would be signed into before anything is verified.
/// `None` if the file is not a targets file this quick read takes.
pub fn delegations_only(bytes: &[u8]) -> Option<Delegations> {
    #[derive(Deserialize)]
    struct Signed {
        #[serde(rename = "_type")]
        type_: String,
        #[serde(default)]
        delegations: Delegations,
    }
    #[derive(Deserialize)]
    struct File {
        signed: Signed,
    }
    let f: File = serde_json::from_slice(bytes).ok()?;
    (f.signed.type_ == "Targets").then_some(f.signed.delegations)
}

/// What an index records: what it is bound to, and the role's signed fields besides its
/// targets.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    /// The role the index is of.
    pub role: String,
    /// Length and hashes (hex) of the targets file the index was built from.
    pub length: i64,
    /// Hex SHA-256 of that file.
    pub sha256: String,
    /// Hex SHA-512 of that file.
    pub sha512: String,
    /// [`key_binding`] of the keys and threshold its signatures were verified with.
    pub keys: String,
    /// The role's `version`.
    pub version: i64,
    /// The role's `expires`, checked again on every use.
    #[serde(with = "go_time")]
    pub expires: OffsetDateTime,
    /// The role's `delegations`.
    pub delegations: Delegations,
    /// How many targets the index holds.
    pub count: usize,
    /// First name and body offset of every [`BLOCK`]-th entry.
    pub blocks: Vec<(String, u64)>,
    /// Length of the entries that follow the header.
    pub body: u64,
}

impl Header {
    /// A header for the targets file `bytes`, whose hashes `checked` lists (already compared
    /// with the file: they are not computed again); the body fields are filled in by [`write`].
    pub fn new(
        role: &str,
        bytes: &[u8],
        checked: &FileMeta,
        keys: String,
        head: &Targets,
    ) -> Header {
        let hash = |alg: &str, compute: fn(&[u8]) -> Vec<u8>| {
            hex::encode(
                checked
                    .hashes
                    .get(alg)
                    .cloned()
                    .unwrap_or_else(|| compute(bytes)),
            )
        };
        Header {
            role: role.to_string(),
            length: bytes.len() as i64,
            sha256: hash("sha256", |b| Sha256::digest(b).to_vec()),
            sha512: hash("sha512", |b| Sha512::digest(b).to_vec()),
            keys,
            version: head.version,
            expires: head.expires,
            delegations: head.delegations.clone(),
            count: 0,
            blocks: Vec::new(),
            body: 0,
        }
    }

    /// The role's signed fields, with no targets (they stay in the index).
    pub fn targets_head(&self) -> Targets {
        Targets {
            type_: "Targets".into(),
            delegations: self.delegations.clone(),
            expires: self.expires,
            targets: BTreeMap::new(),
            version: self.version,
        }
    }

    /// Whether the file the index was built from is the one `meta` (from the verified parent)
    /// names: the same length, and every supported hash `meta` lists equal (at least one), as
    /// the update's hash check requires of a cached file.
    fn describes(&self, meta: &FileMeta) -> bool {
        if meta.length > 0 && meta.length != self.length {
            return false;
        }
        let mut checked = 0;
        for (alg, expected) in &meta.hashes {
            let mine = match alg.as_str() {
                "sha256" => &self.sha256,
                "sha512" => &self.sha512,
                _ => continue,
            };
            if hex::encode(expected) != *mine {
                return false;
            }
            checked += 1;
        }
        checked > 0
    }
}

/// A digest of the keys and threshold a role's signatures are checked against.
pub fn key_binding(keys: &BTreeMap<String, Key>, threshold: i64) -> String {
    let json = serde_json::to_vec(&(keys, threshold)).expect("keys serialise");
    hex::encode(Sha256::digest(json))
}

/// A role's targets, answered from the verified file in memory or from its index on disk.
pub enum TargetIndex {
    /// The targets file just verified.
    Memory {
        /// The verified targets file.
        bytes: Vec<u8>,
        /// Its targets, sorted by name.
        entries: Vec<Entry>,
    },
    /// A verified index in the cache, still valid for the file the snapshot names.
    File {
        /// The open index file.
        file: File,
        /// Its header: what it is bound to, and where each block starts.
        header: Header,
        /// Where its entries start in the file.
        body: u64,
    },
}

impl std::fmt::Debug for TargetIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetIndex::Memory { entries, .. } => {
                write!(f, "TargetIndex::Memory({})", entries.len())
            }
            TargetIndex::File { header, .. } => write!(f, "TargetIndex::File({})", header.count),
        }
    }
}

fn damaged(what: &str) -> String {
    format!("the cached target index is damaged ({what}); delete the collection's index directory")
}

impl TargetIndex {
    /// The target `name`, if the role lists it.
    pub fn get(&self, name: &str) -> Result<Option<FileMeta>, String> {
        let raw = match self {
            TargetIndex::Memory { bytes, entries } => {
                match entries.binary_search_by(|e| e.name.as_bytes().cmp(name.as_bytes())) {
                    Ok(i) => bytes[entries[i].start..entries[i].end].to_vec(),
                    Err(_) => return Ok(None),
                }
            }
            TargetIndex::File { .. } => match self.block_entry(name)? {
                Some(raw) => raw,
                None => return Ok(None),
            },
        };
        serde_json::from_slice(&raw)
            .map(Some)
            .map_err(|e| damaged(&format!("target {name:?}: {e}")))
    }

    /// The first target whose name no path in `paths` is a prefix of.
    pub fn first_outside(&self, paths: &[String]) -> Result<Option<String>, String> {
        let inside = |n: &str| paths.iter().any(|p| n.starts_with(p.as_str()));
        if paths.iter().any(String::is_empty) {
            return Ok(None);
        }
        match self {
            TargetIndex::Memory { entries, .. } => Ok(entries
                .iter()
                .find(|e| !inside(&e.name))
                .map(|e| e.name.to_string())),
            TargetIndex::File { header, .. } => {
                let body = self.read_body(0, header.body)?;
                let mut found = None;
                walk_entries(&body, |n, _| {
                    if found.is_none() && !inside(n) {
                        found = Some(n.to_string());
                    }
                    false
                })?;
                Ok(found)
            }
        }
    }

    fn read_body(&self, from: u64, to: u64) -> Result<Vec<u8>, String> {
        let TargetIndex::File { file, body, .. } = self else {
            unreachable!("only file indexes are read")
        };
        let len = usize::try_from(to - from).map_err(|_| damaged("size"))?;
        let mut buf = vec![0u8; len];
        file.read_exact_at(&mut buf, body + from)
            .map_err(|e| damaged(&e.to_string()))?;
        Ok(buf)
    }

    /// The raw JSON of `name` from the one block that may hold it.
    fn block_entry(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let TargetIndex::File { header, .. } = self else {
            unreachable!("only file indexes have blocks")
        };
        let blocks = &header.blocks;
        let i = blocks.partition_point(|(first, _)| first.as_bytes() <= name.as_bytes());
        if i == 0 {
            return Ok(None);
        }
        let from = blocks[i - 1].1;
        let to = blocks.get(i).map_or(header.body, |b| b.1);
        if from > to || to > header.body {
            return Err(damaged("block offsets"));
        }
        let block = self.read_body(from, to)?;
        let mut found = None;
        walk_entries(&block, |n, meta| {
            if n == name {
                found = Some(meta.to_vec());
                return true;
            }
            false
        })?;
        Ok(found)
    }
}

/// Calls `f(name, meta)` for every entry of `body` until it returns true.
fn walk_entries(body: &[u8], mut f: impl FnMut(&str, &[u8]) -> bool) -> Result<(), String> {
    let mut at = 0;
    while at < body.len() {
        let field = |i: usize| -> Result<usize, String> {
            let b = body
                .get(i..i + 4)
                .ok_or_else(|| damaged("truncated entry"))?;
            Ok(u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
        };
        let (n, m) = (field(at)?, field(at + 4)?);
        let name = body
            .get(at + 8..at + 8 + n)
            .ok_or_else(|| damaged("truncated name"))?;
        let meta = body
            .get(at + 8 + n..at + 8 + n + m)
            .ok_or_else(|| damaged("truncated target"))?;
        let name = std::str::from_utf8(name).map_err(|_| damaged("name"))?;
        if f(name, meta) {
            return Ok(());
        }
        at += 8 + n + m;
    }
    Ok(())
}

/// The index at `path`, if it is one dct wrote for `role` and it describes the file `meta`
/// names, verified with the keys and threshold whose [`key_binding`] is `keys`.
pub fn open(path: &Path, role: &str, meta: &FileMeta, keys: &str) -> Option<TargetIndex> {
    let mut file = File::open(path).ok()?;
    let mut first = [0u8; 64];
    let n = file.read(&mut first).ok()?;
    let line_end = first[..n].iter().position(|&b| b == b'\n')?;
    let line = std::str::from_utf8(&first[..line_end]).ok()?;
    let len: usize = line.strip_prefix(MAGIC)?.strip_prefix(' ')?.parse().ok()?;
    if len > MAX_HEADER {
        return None;
    }
    let mut text = vec![0u8; len];
    file.read_exact_at(&mut text, line_end as u64 + 1).ok()?;
    let header: Header = serde_json::from_slice(&text).ok()?;
    let body = line_end as u64 + 1 + len as u64 + 1;
    let size = file.metadata().ok()?.len();
    if header.role != role
        || header.keys != keys
        || !header.describes(meta)
        || size != body + header.body
    {
        return None;
    }
    Some(TargetIndex::File { file, header, body })
}

/// An index to write once the update that verified its file is committed.
#[derive(Debug)]
pub struct Pending {
    /// The role the index is of.
    pub role: String,
    /// The index's header.
    pub header: Header,
    /// The verified file and its entries ([`TargetIndex::Memory`]).
    pub index: std::sync::Arc<TargetIndex>,
}

/// Writes the index of a verified targets file (`bytes`, its `entries`) to `path`, replacing
/// any other atomically (0600). The caller holds the trust-dir lock.
pub fn write(
    path: &Path,
    mut header: Header,
    bytes: &[u8],
    entries: &[Entry],
) -> crate::Result<()> {
    use crate::error::IoContext;
    let dir = path.parent().unwrap_or(Path::new("."));
    crate::fsutil::create_private_dir(dir)?;
    header.count = entries.len();
    header.blocks.clear();
    let mut offset = 0u64;
    for (i, e) in entries.iter().enumerate() {
        if i % BLOCK == 0 {
            header.blocks.push((e.name.to_string(), offset));
        }
        offset += 8 + e.name.len() as u64 + (e.end - e.start) as u64;
    }
    header.body = offset;
    let text = serde_json::to_vec(&header).expect("headers serialise");
    let _whole = crate::fsutil::interrupt::defer();
    let tmp = crate::fsutil::debris::locked_tempfile(dir, crate::fsutil::TMP_PREFIX)?;
    let mut w = BufWriter::with_capacity(1 << 16, tmp.as_file());
    let write_all = |w: &mut BufWriter<&File>| -> std::io::Result<()> {
        writeln!(w, "{MAGIC} {}", text.len())?;
        w.write_all(&text)?;
        w.write_all(b"\n")?;
        for e in entries {
            let meta = &bytes[e.start..e.end];
            w.write_all(&(e.name.len() as u32).to_le_bytes())?;
            w.write_all(&(meta.len() as u32).to_le_bytes())?;
            w.write_all(e.name.as_bytes())?;
            w.write_all(meta)?;
        }
        w.flush()
    };
    write_all(&mut w).ctx("cannot write", tmp.path())?;
    drop(w);
    tmp.persist(path)
        .map_err(|e| e.error)
        .ctx("cannot write", path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets_file(names: &[(&str, i64)]) -> Vec<u8> {
        let mut targets = BTreeMap::new();
        for (n, len) in names {
            targets.insert(n.to_string(), FileMeta::of(format!("{n}{len}").as_bytes()));
        }
        let t = Targets {
            type_: "Targets".into(),
            delegations: Delegations::default(),
            expires: OffsetDateTime::from_unix_timestamp(2_000_000_000).unwrap(),
            targets,
            version: 3,
        };
        let canonical = super::super::meta::canonical_bytes(&t);
        super::super::meta::envelope_bytes(&canonical, &[])
    }

    #[test]
    fn light_parse_and_index_answer_like_the_typed_map() {
        let names: Vec<(String, i64)> = (0..1000).map(|i| (format!("tag-{i:04}"), i)).collect();
        let mut refs: Vec<(&str, i64)> = names.iter().map(|(n, i)| (n.as_str(), *i)).collect();
        refs.push(("a<b>&\"q\"\\", 7));
        refs.push(("ünïcode", 8));
        let bytes = targets_file(&refs);
        let full =
            super::super::meta::Envelope::<Targets>::parse(bytes.clone(), "Targets").unwrap();
        let lite = Lite::parse(bytes.clone()).unwrap();
        assert_eq!(lite.entries.len(), full.signed.targets.len());
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("index/targets.idx");
        let keys = key_binding(&BTreeMap::new(), 1);
        let meta = FileMeta::of(&bytes);
        let mut sha256 = meta.clone();
        sha256.hashes.remove("sha512");
        let header = Header::new("targets", &bytes, &sha256, keys.clone(), &lite.head);
        assert_eq!(header.sha512, hex::encode(&meta.hashes["sha512"]));
        write(&path, header, &lite.bytes, &lite.entries).unwrap();
        let idx = open(&path, "targets", &meta, &keys).expect("the index describes the file");
        for (name, m) in &full.signed.targets {
            assert_eq!(idx.get(name).unwrap().as_ref(), Some(m), "{name}");
        }
        for missing in ["", "a", "tag-", "tag-9999", "zzz", "tag-0500x"] {
            assert_eq!(idx.get(missing).unwrap(), None, "{missing}");
        }
        assert_eq!(
            idx.first_outside(&["tag-".into()]).unwrap().as_deref(),
            Some("a<b>&\"q\"\\")
        );
        assert_eq!(idx.first_outside(&["".into()]).unwrap(), None);
        // Bound to the file and the keys: any other file or key set is not answered.
        assert!(open(&path, "targets/releases", &meta, &keys).is_none());
        assert!(open(&path, "targets", &FileMeta::of(b"other"), &keys).is_none());
        let mut sha256_only = meta.clone();
        sha256_only.hashes.remove("sha512");
        assert!(open(&path, "targets", &sha256_only, &keys).is_some());
        sha256_only.hashes.insert("sha256".into(), vec![0; 32]);
        assert!(open(&path, "targets", &sha256_only, &keys).is_none());
        let mut unknown_only = meta.clone();
        unknown_only.hashes = crate::tuf::meta::Hashes::from([("md5".to_string(), vec![1])]);
        assert!(open(&path, "targets", &unknown_only, &keys).is_none());
        assert!(open(&path, "targets", &meta, &key_binding(&BTreeMap::new(), 2)).is_none());
        // A truncated index is not used.
        let len = std::fs::metadata(&path).unwrap().len();
        let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.set_len(len - 1).unwrap();
        assert!(open(&path, "targets", &meta, &keys).is_none());
    }

    #[test]
    fn duplicates_and_odd_json_fall_back_or_keep_the_last() {
        let dup = br#"{"signed":{"_type":"Targets","delegations":{"keys":{},"roles":[]},"expires":"2033-05-18T03:33:20Z","targets":{"a":{"length":1,"hashes":{"sha256":"AA=="}},"a":{"length":2,"hashes":{"sha256":"AQ=="}}},"version":1},"signatures":null}"#;
        let lite = Lite::parse(dup.to_vec()).unwrap();
        assert_eq!(lite.entries.len(), 1);
        let idx = TargetIndex::Memory {
            bytes: lite.bytes.clone(),
            entries: lite.entries.clone(),
        };
        assert_eq!(idx.get("a").unwrap().unwrap().length, 2);
        // Targets of unusual shapes: what the typed parse takes, the light one takes (the debug
        // build compares both answers).
        let odd = br#"{"signed":{"_type":"Targets","expires":"2033-05-18T03:33:20Z","targets":{"e":{"length":1,"hashes":{"sha256":"AA\u003d\u003d"}},"n":{"length":2,"hashes":null},"c":{"length":3,"hashes":{},"custom":{"x":[1,null]}},"d":{"length":4,"hashes":{"sha256":"!bad","sha256":"AQ=="}}},"version":1},"signatures":null}"#;
        let lite = Lite::parse(odd.to_vec()).unwrap();
        assert_eq!(lite.entries.len(), 4);
        let no_hashes = br#"{"signed":{"_type":"Targets","expires":"2033-05-18T03:33:20Z","targets":{"a":{"length":1}},"version":1},"signatures":null}"#;
        assert!(Lite::parse(no_hashes.to_vec()).is_err());
        assert!(
            super::super::meta::Envelope::<Targets>::parse(no_hashes.to_vec(), "Targets").is_err()
        );
        // A target the typed parse refuses: the light parse gives up (the caller falls back).
        let bad = br#"{"signed":{"_type":"Targets","expires":"2033-05-18T03:33:20Z","targets":{"a":{"length":"x","hashes":{}}},"version":1},"signatures":null}"#;
        assert!(Lite::parse(bad.to_vec()).is_err());
        let root = br#"{"signed":{"_type":"Root","expires":"2033-05-18T03:33:20Z","version":1},"signatures":null}"#;
        assert_eq!(Lite::parse(root.to_vec()).unwrap_err(), root.to_vec());
    }
}
