//! Trust data bundles: every metadata file needed to verify some collections offline, in one
//! file (`dct bundle create`), and that file as a metadata [`Source`] for the update workflow.
//!
//! The format (README "Keeping trust data" is the reference for readers): an uncompressed GNU
//! tar whose entries are all regular files — mode 0644, owner and group 0, no user or group
//! names, mtime 0 — in this order:
//!
//! ```text
//! index.json
//! <GUN>/_trust/tuf/1.root.json … <GUN>/_trust/tuf/<n>.root.json   every root version
//! <GUN>/_trust/tuf/timestamp.json
//! <GUN>/_trust/tuf/snapshot.json
//! <GUN>/_trust/tuf/targets.json
//! <GUN>/_trust/tuf/targets/<name>.json …                           delegations, by role name
//! …                                                                 the next collection (by GUN)
//! SHA256SUMS
//! ```
//!
//! `index.json` names the collections and each file's sha256 and length; `SHA256SUMS` holds
//! `sha256sum`'s lines for every other entry. A reader accepts a file only when writing back
//! what it read reproduces it byte for byte ([`Bundle::from_bytes`]), so one flipped byte
//! anywhere — a header, padding, the index, a file — makes the whole bundle invalid. None of
//! this is trusted: the signed metadata inside is verified like a server's answers.

use std::collections::BTreeMap;
use std::io::Read;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::client::Source;
use crate::error::{Error, Result};
use crate::reference::Reference;
use crate::roles::{self, is_delegation_name};

/// `format` in `index.json`.
pub const FORMAT: &str = "dct-bundle";
/// The format version this dct writes and reads.
pub const FORMAT_VERSION: u64 = 1;
/// The first entry.
pub const INDEX: &str = "index.json";
/// The last entry.
pub const SUMS: &str = "SHA256SUMS";
/// What joins a GUN and a file name in entry names (`<GUN>/_trust/tuf/<file>`, the notary
/// server's URL layout; no repository name has a component starting with `_`).
pub const DIR: &str = "_trust/tuf";
/// The largest bundle read.
pub const MAX_BUNDLE: u64 = 1 << 30;
/// The most entries a bundle may have.
const MAX_ENTRIES: usize = 1_000_000;

/// One collection's files in a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    /// The GUN (a full repository name).
    pub gun: String,
    /// The trust server the files came from (for the record; never contacted when reading).
    pub server: String,
    /// (name relative to `<GUN>/_trust/tuf/`, bytes), in the bundle's order.
    files: Vec<(String, Vec<u8>)>,
    /// The newest root version (the chain is `1.root.json` … `<roots>.root.json`).
    roots: u64,
}

/// What a collection's file name says it is, in bundle order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Root(u64),
    Timestamp,
    Snapshot,
    Targets,
    Delegation(String),
}

fn slot_of(name: &str) -> Option<Slot> {
    match name {
        "timestamp.json" => return Some(Slot::Timestamp),
        "snapshot.json" => return Some(Slot::Snapshot),
        "targets.json" => return Some(Slot::Targets),
        _ => {}
    }
    if let Some(v) = name.strip_suffix(".root.json") {
        let ok = !v.is_empty() && !v.starts_with('0') && v.bytes().all(|b| b.is_ascii_digit());
        return ok.then(|| v.parse().ok().map(Slot::Root)).flatten();
    }
    let role = name.strip_suffix(".json")?;
    (is_delegation_name(role) && !role.chars().any(|c| c.is_control() || c == '\\'))
        .then(|| Slot::Delegation(role.to_string()))
}

impl Collection {
    /// A collection from its root chain (versions 1…n, in order), timestamp, snapshot, targets
    /// and delegations (role name → file).
    pub fn new(
        gun: &str,
        server: &str,
        roots: Vec<Vec<u8>>,
        timestamp: Vec<u8>,
        snapshot: Vec<u8>,
        targets: Vec<u8>,
        delegations: BTreeMap<String, Vec<u8>>,
    ) -> Result<Collection> {
        let mut files: Vec<(String, Vec<u8>)> = roots
            .into_iter()
            .enumerate()
            .map(|(i, b)| (format!("{}.root.json", i + 1), b))
            .collect();
        files.push(("timestamp.json".into(), timestamp));
        files.push(("snapshot.json".into(), snapshot));
        files.push(("targets.json".into(), targets));
        files.extend(
            delegations
                .into_iter()
                .map(|(role, b)| (format!("{role}.json"), b)),
        );
        Collection::from_files(gun, server, files)
    }

    /// A collection from named files in any order: names are checked (a root chain from
    /// version 1 without gaps, timestamp, snapshot, targets, valid delegation names, nothing
    /// twice or else) and put in bundle order.
    pub fn from_files(
        gun: &str,
        server: &str,
        files: Vec<(String, Vec<u8>)>,
    ) -> Result<Collection> {
        check_gun(gun)?;
        let bad = |msg: String| Error::invalid(format!("collection {gun}: {msg}"));
        let mut slotted: BTreeMap<Slot, (String, Vec<u8>)> = BTreeMap::new();
        for (name, bytes) in files {
            let slot = slot_of(&name)
                .ok_or_else(|| bad(format!("\"{name}\" is not a trust metadata file name")))?;
            if slotted.insert(slot, (name.clone(), bytes)).is_some() {
                return Err(bad(format!("{name} appears twice")));
            }
        }
        let roots = slotted
            .keys()
            .filter(|s| matches!(s, Slot::Root(_)))
            .count() as u64;
        for v in 1..=roots.max(1) {
            if !slotted.contains_key(&Slot::Root(v)) {
                return Err(bad(format!(
                    "the root chain has no version {v} ({roots} root files; they must be \
                     versions 1 to {roots})"
                )));
            }
        }
        for (slot, name) in [
            (Slot::Timestamp, "timestamp.json"),
            (Slot::Snapshot, "snapshot.json"),
            (Slot::Targets, "targets.json"),
        ] {
            if !slotted.contains_key(&slot) {
                return Err(bad(format!("{name} is missing")));
            }
        }
        Ok(Collection {
            gun: gun.to_string(),
            server: server.to_string(),
            files: slotted.into_values().collect(),
            roots,
        })
    }

    /// The files, (name relative to `<GUN>/_trust/tuf/`, bytes), in bundle order.
    pub fn files(&self) -> &[(String, Vec<u8>)] {
        &self.files
    }

    /// The file `name` (`timestamp.json`, `targets/releases.json`, `2.root.json`…).
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }

    /// The newest root version.
    pub fn root_version(&self) -> u64 {
        self.roots
    }

    /// Root version `v` of the chain.
    pub fn root(&self, v: u64) -> Option<&[u8]> {
        (1..=self.roots)
            .contains(&v)
            .then(|| self.files[(v - 1) as usize].1.as_slice())
    }

    /// What a notary server would send for `name` (a name of the update workflow: `root.json`,
    /// `<v>.root.json`, `timestamp.json`, `<role>.<sha256>.json`). A role asked for by a
    /// checksum its file does not have is still sent: the workflow's hash check then says what
    /// is wrong, which "not found" would not.
    fn served(&self, name: &str) -> Option<&[u8]> {
        let newest = || self.root(self.roots);
        if name == "root.json" {
            return newest();
        }
        if let Some(Slot::Root(v)) = slot_of(name) {
            return self.root(v);
        }
        if let Some(found) = self.file(name) {
            return Some(found);
        }
        let (role, hex) = name.strip_suffix(".json")?.rsplit_once('.')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        if role == roles::ROOT {
            return (1..=self.roots)
                .filter_map(|v| self.root(v))
                .find(|b| hex::encode(Sha256::digest(b)) == hex.to_ascii_lowercase())
                .or_else(newest);
        }
        self.file(&format!("{role}.json"))
    }
}

/// A GUN as a bundle may hold it: a full, normalised repository name without tag or digest.
fn check_gun(gun: &str) -> Result<()> {
    let ok = Reference::parse(gun)
        .is_ok_and(|r| r.tag().is_none() && r.digest().is_none() && r.name() == gun);
    if !ok {
        return Err(Error::invalid(format!(
            "\"{gun}\" is not a full repository name (GUN)"
        )));
    }
    Ok(())
}

/// A bundle: when it was saved, by which dct, and its collections (sorted by GUN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// When the bundle was saved (whole seconds, UTC).
    pub saved: OffsetDateTime,
    /// The dct version that wrote it.
    pub dct_version: String,
    collections: Vec<Collection>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Index {
    format: String,
    version: u64,
    saved: String,
    dct_version: String,
    collections: Vec<IndexCollection>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexCollection {
    gun: String,
    server: String,
    files: Vec<IndexFile>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexFile {
    name: String,
    sha256: String,
    length: u64,
}

/// Only the format fields, to tell another format or version from a damaged index.
#[derive(Deserialize)]
struct IndexHead {
    format: Option<String>,
    version: Option<u64>,
    dct_version: Option<String>,
}

fn damaged(msg: impl std::fmt::Display) -> Error {
    Error::invalid(format!(
        "not a valid dct bundle (damaged or changed): {msg}"
    ))
}

impl Bundle {
    /// A bundle of `collections` (put in GUN order; a GUN may appear once), saved at `saved`
    /// (kept to the second).
    pub fn new(saved: OffsetDateTime, mut collections: Vec<Collection>) -> Result<Bundle> {
        collections.sort_by(|a, b| a.gun.cmp(&b.gun));
        if let Some(w) = collections.windows(2).find(|w| w[0].gun == w[1].gun) {
            return Err(Error::invalid(format!(
                "collection {} appears twice",
                w[0].gun
            )));
        }
        let saved = saved
            .to_offset(time::UtcOffset::UTC)
            .replace_nanosecond(0)
            .expect("0 ns is valid");
        Ok(Bundle {
            saved,
            dct_version: env!("CARGO_PKG_VERSION").to_string(),
            collections,
        })
    }

    /// The collections, by GUN.
    pub fn collections(&self) -> &[Collection] {
        &self.collections
    }

    /// The collection of `gun`.
    pub fn collection(&self, gun: &str) -> Option<&Collection> {
        self.collections.iter().find(|c| c.gun == gun)
    }

    fn index_bytes(&self) -> Vec<u8> {
        let index = Index {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            saved: super::meta::format_go_time(self.saved),
            dct_version: self.dct_version.clone(),
            collections: self
                .collections
                .iter()
                .map(|c| IndexCollection {
                    gun: c.gun.clone(),
                    server: c.server.clone(),
                    files: c
                        .files
                        .iter()
                        .map(|(name, bytes)| IndexFile {
                            name: name.clone(),
                            sha256: hex::encode(Sha256::digest(bytes)),
                            length: bytes.len() as u64,
                        })
                        .collect(),
                })
                .collect(),
        };
        let mut text = serde_json::to_vec_pretty(&index).expect("the index serialises");
        text.push(b'\n');
        text
    }

    /// The bundle file: the same bundle always gives the same bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let index = self.index_bytes();
        let mut entries: Vec<(String, &[u8])> = vec![(INDEX.to_string(), &index)];
        for c in &self.collections {
            for (name, bytes) in &c.files {
                entries.push((format!("{}/{DIR}/{name}", c.gun), bytes));
            }
        }
        let sums: String = entries
            .iter()
            .map(|(name, bytes)| format!("{}  {name}\n", hex::encode(Sha256::digest(bytes))))
            .collect();
        entries.push((SUMS.to_string(), sums.as_bytes()));
        write_tar(&entries)
            .map_err(|e| Error::Other(format!("cannot build the bundle archive: {e}")))
    }

    /// Reads a bundle file. Everything is checked before anything is trusted to be a bundle:
    /// the entries, the index (format, version, names, each file's sha256 and length),
    /// `SHA256SUMS`, and finally that writing the bundle again gives exactly `bytes`. Errors are
    /// usage errors (exit 2): a damaged or altered file is not a bundle. The metadata inside is
    /// not verified here.
    pub fn from_bytes(bytes: &[u8]) -> Result<Bundle> {
        let entries = read_tar(bytes)?;
        let (first, rest) = entries
            .split_first()
            .ok_or_else(|| damaged("the archive is empty"))?;
        if first.0 != INDEX {
            return Err(Error::invalid(format!(
                "not a dct bundle: its first entry is \"{}\", not {INDEX}",
                first.0
            )));
        }
        let index = parse_index(&first.1)?;
        let (sums, files) = rest
            .split_last()
            .ok_or_else(|| damaged(format!("{SUMS} is missing")))?;
        if sums.0 != SUMS {
            return Err(damaged(format!(
                "the last entry is \"{}\", not {SUMS}",
                sums.0
            )));
        }
        let expected_sums: String = entries[..entries.len() - 1]
            .iter()
            .map(|(name, b)| format!("{}  {name}\n", hex::encode(Sha256::digest(b))))
            .collect();
        if sums.1 != expected_sums.as_bytes() {
            return Err(damaged(format!("{SUMS} does not match the entries")));
        }
        let saved =
            OffsetDateTime::parse(&index.saved, &time::format_description::well_known::Rfc3339)
                .map_err(|e| damaged(format!("{INDEX}: saved \"{}\": {e}", index.saved)))?;
        let mut files = files.iter();
        let mut collections = Vec::new();
        for c in &index.collections {
            let mut named = Vec::new();
            for f in &c.files {
                let entry = format!("{}/{DIR}/{}", c.gun, f.name);
                let Some((name, data)) = files.next() else {
                    return Err(damaged(format!("{INDEX} lists {entry}, which is missing")));
                };
                if *name != entry {
                    return Err(damaged(format!(
                        "{INDEX} lists {entry} where the archive has {name}"
                    )));
                }
                if data.len() as u64 != f.length || hex::encode(Sha256::digest(data)) != f.sha256 {
                    return Err(damaged(format!(
                        "{entry} is not the file {INDEX} describes (sha256 {}, {} bytes)",
                        f.sha256, f.length
                    )));
                }
                named.push((f.name.clone(), data.clone()));
            }
            collections.push(Collection::from_files(&c.gun, &c.server, named).map_err(damaged)?);
        }
        if let Some((name, _)) = files.next() {
            return Err(damaged(format!("{name} is not listed in {INDEX}")));
        }
        let mut bundle = Bundle::new(saved, collections).map_err(damaged)?;
        bundle.dct_version = index.dct_version;
        let again = bundle.to_bytes()?;
        if again != bytes {
            let at = again
                .iter()
                .zip(bytes)
                .position(|(a, b)| a != b)
                .unwrap_or(again.len().min(bytes.len()));
            return Err(damaged(format!(
                "it is not laid out as dct writes bundles (first difference at byte {at})"
            )));
        }
        Ok(bundle)
    }
}

fn parse_index(bytes: &[u8]) -> Result<Index> {
    let head: IndexHead = serde_json::from_slice(bytes)
        .map_err(|e| damaged(format!("{INDEX} is not valid JSON: {e}")))?;
    if head.format.as_deref() != Some(FORMAT) {
        return Err(Error::invalid(format!(
            "not a dct bundle: {INDEX} does not say \"format\": \"{FORMAT}\""
        )));
    }
    match head.version {
        Some(FORMAT_VERSION) => {}
        Some(v) if v > FORMAT_VERSION => {
            return Err(Error::invalid(format!(
                "this bundle has format version {v} (written by dct {}); this dct reads \
                 version {FORMAT_VERSION}: use a newer dct",
                head.dct_version.as_deref().unwrap_or("?")
            )));
        }
        _ => return Err(damaged(format!("{INDEX}: unknown format version"))),
    }
    serde_json::from_slice(bytes).map_err(|e| damaged(format!("{INDEX}: {e}")))
}

/// The archive as dct writes it (see the module docs).
fn write_tar(entries: &[(String, &[u8])]) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(0);
        h.set_size(data.len() as u64);
        builder.append_data(&mut h, name, *data)?;
    }
    builder.into_inner()
}

/// Every entry of the archive: (name, bytes). Only regular files (GNU long names allowed).
fn read_tar(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    let mut archive = tar::Archive::new(bytes);
    let mut out = Vec::new();
    let entries = archive
        .entries()
        .map_err(|e| damaged(format!("not a tar archive: {e}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| damaged(format!("not a tar archive: {e}")))?;
        if out.len() == MAX_ENTRIES {
            return Err(damaged(format!("more than {MAX_ENTRIES} entries")));
        }
        let name = String::from_utf8(entry.path_bytes().into_owned())
            .map_err(|_| damaged("an entry name is not UTF-8"))?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(damaged(format!("{name} is not a regular file")));
        }
        let size = entry.size();
        if size > bytes.len() as u64 {
            return Err(damaged(format!("{name} is longer than the archive")));
        }
        let mut data = Vec::with_capacity(size as usize);
        entry
            .read_to_end(&mut data)
            .map_err(|e| damaged(format!("{name}: {e}")))?;
        out.push((name, data));
    }
    Ok(out)
}

/// One collection of a bundle as the update workflow's metadata source: what a notary server
/// holding exactly these files would answer, without any request.
pub struct BundleSource<'a> {
    /// The collection whose files are served.
    pub collection: &'a Collection,
    /// How errors name the bundle ("bundle FILE").
    pub label: String,
}

impl Source for BundleSource<'_> {
    fn fetch(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>> {
        match self.collection.served(name) {
            Some(b) if b.len() as u64 > limit => Err(Error::Verification(format!(
                "{}: {name} of {} is longer than the {limit} bytes allowed",
                self.label, self.collection.gun
            ))),
            Some(b) => Ok(Some(b.to_vec())),
            None => Ok(None),
        }
    }

    fn host(&self) -> String {
        self.label.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(gun: &str, roots: usize) -> Collection {
        let mut delegations = BTreeMap::new();
        delegations.insert("targets/releases".to_string(), b"releases".to_vec());
        delegations.insert("targets/alice".to_string(), b"alice".to_vec());
        Collection::new(
            gun,
            "https://notary.example",
            (1..=roots)
                .map(|v| format!("root {v}").into_bytes())
                .collect(),
            b"ts".to_vec(),
            b"snap".to_vec(),
            b"targets".to_vec(),
            delegations,
        )
        .unwrap()
    }

    fn saved() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_750_000_000).unwrap()
    }

    #[test]
    fn same_input_same_bytes_and_a_round_trip() {
        let long = format!("registry.example.com/{}/app", "deep".repeat(40));
        let b = Bundle::new(
            saved(),
            vec![
                sample("example.com/b", 1),
                sample(&long, 3),
                sample("example.com/a", 2),
            ],
        )
        .unwrap();
        let bytes = b.to_bytes().unwrap();
        assert_eq!(bytes, b.to_bytes().unwrap());
        let again = Bundle::from_bytes(&bytes).unwrap();
        assert_eq!(again, b);
        let guns: Vec<&str> = again.collections().iter().map(|c| c.gun.as_str()).collect();
        assert_eq!(guns, ["example.com/a", "example.com/b", long.as_str()]);
        let a = again.collection("example.com/a").unwrap();
        let names: Vec<&str> = a.files().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "1.root.json",
                "2.root.json",
                "timestamp.json",
                "snapshot.json",
                "targets.json",
                "targets/alice.json",
                "targets/releases.json"
            ]
        );
        // A reader of the documented format: plain tar, index first, SHA256SUMS last.
        let mut ar = tar::Archive::new(&bytes[..]);
        let mut seen = Vec::new();
        for e in ar.entries().unwrap() {
            let e = e.unwrap();
            assert_eq!(e.header().mode().unwrap(), 0o644);
            assert_eq!(e.header().mtime().unwrap(), 0);
            seen.push(e.path().unwrap().display().to_string());
        }
        assert_eq!(seen.first().unwrap(), INDEX);
        assert_eq!(seen.last().unwrap(), SUMS);
        assert!(seen.contains(&"example.com/a/_trust/tuf/2.root.json".to_string()));
    }

    #[test]
    fn every_flipped_byte_is_refused() {
        let b = Bundle::new(saved(), vec![sample("example.com/a", 2)]).unwrap();
        let bytes = b.to_bytes().unwrap();
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x01;
            let err = Bundle::from_bytes(&bad).expect_err(&format!("byte {i} flipped"));
            assert_eq!(err.exit_code(), crate::error::ExitCode::Usage, "{err}");
        }
        assert!(Bundle::from_bytes(&bytes[..bytes.len() - 512]).is_err());
        let mut longer = bytes.clone();
        longer.extend([0u8; 512]);
        assert!(Bundle::from_bytes(&longer).is_err());
    }

    #[test]
    fn names_and_chains_are_checked() {
        let files = |names: &[&str]| -> Vec<(String, Vec<u8>)> {
            names.iter().map(|n| (n.to_string(), vec![])).collect()
        };
        let base = [
            "1.root.json",
            "timestamp.json",
            "snapshot.json",
            "targets.json",
        ];
        assert!(Collection::from_files("example.com/a", "", files(&base)).is_ok());
        for bad in [
            &[
                "2.root.json",
                "timestamp.json",
                "snapshot.json",
                "targets.json",
            ][..],
            &["1.root.json", "snapshot.json", "targets.json"],
            &[
                "1.root.json",
                "01.root.json",
                "timestamp.json",
                "snapshot.json",
                "targets.json",
            ],
            &[
                "1.root.json",
                "timestamp.json",
                "snapshot.json",
                "targets.json",
                "targets/../x.json",
            ],
            &[
                "1.root.json",
                "timestamp.json",
                "snapshot.json",
                "targets.json",
                "other.json",
            ],
        ] {
            assert!(
                Collection::from_files("example.com/a", "", files(bad)).is_err(),
                "{bad:?}"
            );
        }
        for gun in [
            "alpine",
            "example.com/a:v1",
            "example.com/A",
            "example.com/a/_trust",
        ] {
            assert!(
                Collection::from_files(gun, "", files(&base)).is_err(),
                "{gun}"
            );
        }
    }

    #[test]
    fn the_source_answers_like_a_server() {
        let c = sample("example.com/a", 3);
        let src = BundleSource {
            collection: &c,
            label: "bundle b.tar".into(),
        };
        let get = |n: &str| src.fetch(n, 1 << 20).unwrap();
        assert_eq!(get("root.json").unwrap(), b"root 3");
        assert_eq!(get("2.root.json").unwrap(), b"root 2");
        assert_eq!(get("4.root.json"), None);
        assert_eq!(get("timestamp.json").unwrap(), b"ts");
        let h = hex::encode(Sha256::digest(b"root 1"));
        assert_eq!(get(&format!("root.{h}.json")).unwrap(), b"root 1");
        assert_eq!(
            get(&format!("snapshot.{}.json", "0".repeat(64))).unwrap(),
            b"snap"
        );
        assert_eq!(
            get(&format!("targets/releases.{}.json", "a".repeat(64))).unwrap(),
            b"releases"
        );
        assert_eq!(get(&format!("targets/bob.{}.json", "a".repeat(64))), None);
        assert!(src.fetch("targets.json", 3).is_err());
    }
}
