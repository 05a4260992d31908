//! Notary's file changelist (notary-spec §5.2): changes staged by `dct sign --local` (or by the
//! notary CLI without `-p`) in `<trust dir>/tuf/<GUN>/changelist/`, one JSON file per change,
//! applied in file-name order at the next publish and removed once it succeeded.
//!
//! Files are byte-compatible with notary's in both directions: the change object and its
//! payloads are written exactly as Go's `encoding/json` writes them (struct field order,
//! `omitempty`, base64 `[]byte`, `\u003c`-style escaping), and files notary wrote are read back.
//! Applying changes to metadata is not done here (see §7.3/§7.4).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::canonical::html_escape;
use crate::error::{Error, IoContext, Result};
use crate::fsutil;
use crate::trust_dir::TrustDir;
use crate::tuf::meta::{FileMeta, Key};

/// What a change does (`"action"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Add a target or a delegation (or a delegation's keys and paths), or replace a base role's
    /// keys.
    Create,
    /// Change an existing delegation's keys or paths, or re-sign a role (witness).
    Update,
    /// Remove a target or delegation.
    Delete,
}

impl Action {
    /// The JSON `"action"` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// What a change applies to (`"type"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeType {
    /// A target in `targets` or a delegation (scope = that role, path = target name).
    Target,
    /// A delegation role's keys, paths or existence (scope = the delegation, path `""`).
    Delegation,
    /// Keys of a base role in root (scope `root`, path = the role).
    Role,
    /// Re-sign a role as it is (scope = the role).
    Witness,
}

impl ChangeType {
    /// The JSON `"type"` value.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Target => "target",
            ChangeType::Delegation => "delegation",
            ChangeType::Role => "role",
            ChangeType::Witness => "witness",
        }
    }
}

/// One staged change, notary's `TUFChange`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// What the change does (JSON `"action"`).
    pub action: Action,
    /// The role the change applies to (JSON `"role"`).
    #[serde(rename = "role", default)]
    pub scope: String,
    /// JSON `"type"`.
    #[serde(rename = "type")]
    pub kind: ChangeType,
    /// Target name for target changes, the base role for role changes, else `""`.
    #[serde(default)]
    pub path: String,
    /// The JSON payload (base64 in the file; `null` when absent).
    #[serde(default, with = "b64_opt")]
    pub data: Option<Vec<u8>>,
}

/// Go's `[]byte`: base64 (standard, padded) or `null` for a nil slice.
mod b64_opt {
    use super::*;

    pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.serialize_str(&B64.encode(b)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => B64
                .decode(text.as_bytes())
                .map(Some)
                .map_err(|e| serde::de::Error::custom(format!("invalid base64 data: {e}"))),
        }
    }
}

/// A `null` in a Go-written field is the zero value.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `encoding/json.Marshal` output for `value`: serde keeps struct field order; Go additionally
/// escapes `<`, `>`, `&`, U+2028 and U+2029.
fn go_json<T: Serialize>(value: &T) -> Vec<u8> {
    html_escape(&serde_json::to_vec(value).expect("changelist types always serialise"))
}

/// Payload of a target creation: notary's `data.FileMeta` (`{"length","hashes"[,"custom"]}`).
pub type TargetPayload = FileMeta;

/// Payload of a delegation change: notary's `changelist.TUFDelegation`, every field omitted
/// when empty, in Go's field order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationPayload {
    /// `new_name`: a new name for the role, which dct does not apply.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub new_name: String,
    /// `threshold`: the role's new threshold (0 = unchanged).
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "is_zero"
    )]
    pub threshold: u32,
    /// `add_keys`: keys to add to the role.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub add_keys: Vec<Key>,
    /// Key IDs to remove.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub remove_keys: Vec<String>,
    /// `add_paths`: target name prefixes to delegate.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub add_paths: Vec<String>,
    /// `remove_paths`: delegated prefixes to remove.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub remove_paths: Vec<String>,
    /// `clear_paths`: remove every delegated prefix (before `add_paths`).
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "is_false"
    )]
    pub clear_paths: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Payload of a base-role key replacement: notary's `changelist.TUFRootData`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolePayload {
    /// `keys`: the role's new keys, replacing all of its old ones.
    #[serde(default, deserialize_with = "null_default")]
    pub keys: Vec<Key>,
    /// `role`: the base role the keys are for.
    #[serde(default)]
    pub role: String,
}

impl Change {
    /// A change of `kind` to role `scope` at `path`, with its JSON payload `data` (`None` for a
    /// delete or a witness).
    pub fn new(
        action: Action,
        scope: &str,
        kind: ChangeType,
        path: &str,
        data: Option<Vec<u8>>,
    ) -> Change {
        Change {
            action,
            scope: scope.to_string(),
            kind,
            path: path.to_string(),
            data,
        }
    }

    /// Sign target `name` with `meta` into role `scope` (`notary add`/`addhash`).
    pub fn add_target(scope: &str, name: &str, meta: &FileMeta) -> Change {
        Change::new(
            Action::Create,
            scope,
            ChangeType::Target,
            name,
            Some(go_json(meta)),
        )
    }

    /// Remove target `name` from role `scope` (`notary remove`).
    pub fn remove_target(scope: &str, name: &str) -> Change {
        Change::new(Action::Delete, scope, ChangeType::Target, name, None)
    }

    fn delegation(action: Action, role: &str, payload: &DelegationPayload) -> Change {
        Change::new(
            action,
            role,
            ChangeType::Delegation,
            "",
            Some(go_json(payload)),
        )
    }

    /// Create delegation `role` (or add keys to it) with `keys` and `threshold`, as
    /// `notary delegation add` does (it uses threshold 1).
    pub fn create_delegation(role: &str, keys: &[Key], threshold: u32) -> Change {
        let payload = DelegationPayload {
            threshold,
            add_keys: keys.to_vec(),
            ..Default::default()
        };
        Change::delegation(Action::Create, role, &payload)
    }

    /// Add `paths` to delegation `role` (`[""]` = all paths).
    pub fn add_delegation_paths(role: &str, paths: &[String]) -> Change {
        let payload = DelegationPayload {
            add_paths: paths.to_vec(),
            ..Default::default()
        };
        Change::delegation(Action::Create, role, &payload)
    }

    /// Remove the keys with IDs `ids` from delegation `role` (`targets/*` purges them from
    /// every delegation).
    pub fn remove_delegation_keys(role: &str, ids: &[String]) -> Change {
        let payload = DelegationPayload {
            remove_keys: ids.to_vec(),
            ..Default::default()
        };
        Change::delegation(Action::Update, role, &payload)
    }

    /// Remove `paths` from delegation `role`.
    pub fn remove_delegation_paths(role: &str, paths: &[String]) -> Change {
        let payload = DelegationPayload {
            remove_paths: paths.to_vec(),
            ..Default::default()
        };
        Change::delegation(Action::Update, role, &payload)
    }

    /// Remove every path from delegation `role`.
    pub fn clear_delegation_paths(role: &str) -> Change {
        let payload = DelegationPayload {
            clear_paths: true,
            ..Default::default()
        };
        Change::delegation(Action::Update, role, &payload)
    }

    /// Delete delegation `role`.
    pub fn delete_delegation(role: &str) -> Change {
        Change::new(Action::Delete, role, ChangeType::Delegation, "", None)
    }

    /// Replace the keys of base role `role` in root.
    pub fn replace_role_keys(role: &str, keys: &[Key]) -> Change {
        let payload = RolePayload {
            keys: keys.to_vec(),
            role: role.to_string(),
        };
        Change::new(
            Action::Create,
            "root",
            ChangeType::Role,
            role,
            Some(go_json(&payload)),
        )
    }

    /// Re-sign role `role` without other changes.
    pub fn witness(role: &str) -> Change {
        Change::new(Action::Update, role, ChangeType::Witness, "", None)
    }

    /// The file bytes, exactly as notary's `json.Marshal(TUFChange)`.
    pub fn to_json(&self) -> Vec<u8> {
        go_json(self)
    }

    /// Parses a change file's bytes.
    pub fn from_json(bytes: &[u8]) -> Result<Change> {
        serde_json::from_slice(bytes).map_err(|e| Error::invalid(format!("invalid change: {e}")))
    }

    fn payload<T: DeserializeOwned>(&self, what: &str) -> Result<T> {
        let data = self.data.as_deref().ok_or_else(|| {
            Error::invalid(format!(
                "{} {} change for {:?} in {} has no {what} data",
                self.action.as_str(),
                self.kind.as_str(),
                self.path,
                self.scope
            ))
        })?;
        serde_json::from_slice(data).map_err(|e| {
            Error::invalid(format!(
                "{} change for {:?} in {} has invalid {what} data: {e}",
                self.kind.as_str(),
                self.path,
                self.scope
            ))
        })
    }

    /// The FileMeta of a target change.
    pub fn target_payload(&self) -> Result<TargetPayload> {
        self.payload("target")
    }

    /// The payload of a delegation change.
    pub fn delegation_payload(&self) -> Result<DelegationPayload> {
        self.payload("delegation")
    }

    /// The payload of a base-role change.
    pub fn role_payload(&self) -> Result<RolePayload> {
        self.payload("role")
    }
}

/// A change found in the changelist directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    /// The file holding the change.
    pub path: PathBuf,
    /// The change it holds.
    pub change: Change,
}

impl Staged {
    /// The file name (`<20-digit nanos>_<uuid>.change`).
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// The on-disk changelist of one GUN.
#[derive(Debug, Clone)]
pub struct Changelist {
    trust_dir: PathBuf,
    gun_dir: PathBuf,
    dir: PathBuf,
}

/// Prefix of a change being written, beside (not in) the changelist directory. A change is
/// staged once it is renamed into `changelist/` (notary never reads these files), so one left
/// by a killed dct is a change whose command never staged it — never the only copy of a staged
/// change — and is swept, as [`fsutil::debris`] describes, by the next command that reads or
/// writes this changelist.
pub const CHANGE_TEMP_PREFIX: &str = ".dct-change-";

/// The last timestamp this process used, so that names stay strictly increasing even when two
/// changes are added within one clock tick (or the clock steps back).
static LAST_NANOS: Mutex<u128> = Mutex::new(0);

fn next_nanos() -> u128 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut last = LAST_NANOS.lock().unwrap_or_else(|e| e.into_inner());
    let n = now.max(*last + 1);
    *last = n;
    n
}

/// A random (version 4) UUID in lower-case hex with dashes, as notary's `uuid.Generate()`.
fn uuid_v4() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|e| Error::Other(format!("cannot get random bytes from the system: {e}")))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

impl Changelist {
    /// The changelist of `gun` under `trust_dir` (nothing is created until a change is added).
    pub fn open(trust_dir: &Path, gun: &str) -> Result<Changelist> {
        let collection = TrustDir::new(trust_dir).collection(gun)?;
        Ok(Changelist {
            trust_dir: trust_dir.to_path_buf(),
            dir: collection.changelist_dir(),
            gun_dir: collection.dir().to_path_buf(),
        })
    }

    /// `<trust dir>/tuf/<GUN>/changelist`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stages `change` in a new file (0600; dirs 0700), written completely before it appears
    /// in the directory, and returns its path. Takes the trust-dir lock: do not call it while
    /// holding a [`fsutil::DirLock`] on the same trust dir.
    pub fn add(&self, change: &Change) -> Result<PathBuf> {
        fsutil::create_private_dir(&self.trust_dir)?;
        let _lock = fsutil::DirLock::acquire(&self.trust_dir)?;
        fsutil::create_private_dir(&self.dir)?;
        self.sweep();
        let _whole = fsutil::interrupt::defer();
        let path = self.write(change, true)?;
        if let Ok(d) = fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(path)
    }

    /// Writes one change file under a new name (the lock is held by the caller), synced
    /// when `sync`.
    fn write(&self, change: &Change, sync: bool) -> Result<PathBuf> {
        let name = format!("{:020}_{}.change", next_nanos(), uuid_v4()?);
        let path = self.dir.join(name);
        // The temporary file lives next to (not in) the changelist dir: notary treats every
        // file in there as a change, so it must never see a partial one.
        // It carries a lock while it lives, so that one left by a killed dct can be swept
        // (`Changelist::sweep`).
        let mut tmp = fsutil::debris::locked_tempfile(&self.gun_dir, CHANGE_TEMP_PREFIX)?;
        tmp.write_all(&change.to_json())
            .ctx("cannot write", tmp.path())?;
        if sync {
            tmp.as_file().sync_all().ctx("cannot sync", tmp.path())?;
        }
        tmp.persist_noclobber(&path)
            .map_err(|e| e.error)
            .ctx("cannot write", &path)?;
        Ok(path)
    }

    /// Stages several changes at once, in order, under one lock. Each file is written whole
    /// and renamed into place as in [`Changelist::add`], but instead of one fsync per file
    /// (which made signing 1,000 tags wait seconds on the disk) the batch is made durable with
    /// one `syncfs` of the file system holding it, then one fsync of the directory.
    pub fn add_all(&self, changes: &[Change]) -> Result<Vec<PathBuf>> {
        if changes.len() <= 1 {
            return changes.iter().map(|c| self.add(c)).collect();
        }
        fsutil::create_private_dir(&self.trust_dir)?;
        let _lock = fsutil::DirLock::acquire(&self.trust_dir)?;
        fsutil::create_private_dir(&self.dir)?;
        self.sweep();
        // A signal waits for the whole batch: it is staged whole (a kill -9 may still cut it).
        let _whole = fsutil::interrupt::defer();
        let paths = changes
            .iter()
            .map(|c| self.write(c, false))
            .collect::<Result<Vec<_>>>()?;
        fsutil::sync_filesystem(&self.dir)?;
        Ok(paths)
    }

    /// Removes what a killed dct left while staging (see [`CHANGE_TEMP_PREFIX`]).
    fn sweep(&self) {
        fsutil::sweep(&self.gun_dir, &[CHANGE_TEMP_PREFIX, fsutil::TMP_PREFIX]);
    }

    /// The change files in the directory (every non-directory entry, as notary reads it).
    fn files(&self) -> Result<Vec<PathBuf>> {
        self.sweep();
        let rd = match fs::read_dir(&self.dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io("cannot read directory", &self.dir, e)),
        };
        let mut names = Vec::new();
        for entry in rd {
            let entry = entry.ctx("cannot read directory", &self.dir)?;
            let is_dir = entry
                .file_type()
                .ctx("cannot read directory", &self.dir)?
                .is_dir();
            if !is_dir {
                names.push(entry.file_name());
            }
        }
        // Lexicographic by bytes, as Go compares strings.
        names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
        Ok(names.into_iter().map(|n| self.dir.join(n)).collect())
    }

    /// Every staged change in application order (file-name order). A file that cannot be read
    /// or parsed is an error naming it: publishing without it would silently drop a change.
    pub fn list(&self) -> Result<Vec<Staged>> {
        let mut out = Vec::new();
        self.each(|s| {
            out.push(s);
            Ok(())
        })?;
        Ok(out)
    }

    /// [`Changelist::list`] one change at a time, in the same order and with the same errors,
    /// without holding them all (100,000 staged changes are tens of MB); returns the files
    /// read.
    pub fn each(&self, mut f: impl FnMut(Staged) -> Result<()>) -> Result<Vec<PathBuf>> {
        let mut read = Vec::new();
        for path in self.files()? {
            let bytes = match fs::read(&path) {
                Ok(b) => b,
                // Removed by a concurrent publish between the listing and the read.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(Error::io("cannot read staged change", &path, e)),
            };
            let change = serde_json::from_slice(&bytes).map_err(|e| {
                Error::invalid(format!(
                    "staged change {} is not a valid notary change ({e}); delete that file to \
                     discard it, or delete every file in {} to discard all staged changes",
                    path.display(),
                    self.dir.display()
                ))
            })?;
            read.push(path.clone());
            f(Staged { path, change })?;
        }
        Ok(read)
    }

    /// Whether nothing is staged.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.files()?.is_empty())
    }

    /// Deletes exactly the files of `staged` (the ones a publish applied), so that a change
    /// staged meanwhile by another process survives. Already-deleted files are fine. Takes the
    /// trust-dir lock.
    ///
    /// Many files are unlinked by several threads at once ([`unlink_all`]): on a file system
    /// that discards freed blocks (ext4 `-o discard`, common on VMs), each unlink waits for its
    /// discard, and 100,000 of them one after the other took longer than the publish itself.
    pub fn remove(&self, staged: &[Staged]) -> Result<()> {
        let paths: Vec<PathBuf> = staged.iter().map(|s| s.path.clone()).collect();
        self.remove_files(&paths)
    }

    /// [`Changelist::remove`] given the files of the changes.
    pub fn remove_files(&self, files: &[PathBuf]) -> Result<()> {
        if files.is_empty() {
            return Ok(());
        }
        let _lock = fsutil::DirLock::acquire(&self.trust_dir)?;
        let mut names = Vec::with_capacity(files.len());
        for path in files {
            if path.parent() != Some(self.dir.as_path()) {
                return Err(Error::Other(format!(
                    "{} is not in the changelist {}",
                    path.display(),
                    self.dir.display()
                )));
            }
            names.push(path.file_name().expect("a file in the changelist"));
        }
        unlink_all(&self.dir, &names)
    }

    /// Deletes every staged change (notary's `Clear`). Takes the trust-dir lock.
    pub fn clear(&self) -> Result<()> {
        if !self.dir.exists() {
            return Ok(());
        }
        let _lock = fsutil::DirLock::acquire(&self.trust_dir)?;
        let files = self.files()?;
        let names: Vec<&std::ffi::OsStr> = files.iter().filter_map(|p| p.file_name()).collect();
        unlink_all(&self.dir, &names)
    }
}

/// Below this many files, one thread unlinks them.
const PARALLEL_UNLINK_FROM: usize = 256;
/// Threads unlinking at once: enough to keep a disk's discard queue busy (waiting, not CPU).
const UNLINK_THREADS: usize = 16;

/// Unlinks the files `names` of `dir` (missing ones are fine), relative to one open handle of
/// the directory, by up to [`UNLINK_THREADS`] threads at once.
fn unlink_all(dir: &Path, names: &[&std::ffi::OsStr]) -> Result<()> {
    let handle = match fs::File::open(dir) {
        Ok(h) => h,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io("cannot open directory", dir, e)),
    };
    let one = |name: &std::ffi::OsStr| -> Result<()> {
        match rustix::fs::unlinkat(&handle, name, rustix::fs::AtFlags::empty()) {
            Ok(()) | Err(rustix::io::Errno::NOENT) => Ok(()),
            Err(e) => Err(Error::io(
                "cannot remove staged change",
                &dir.join(name),
                std::io::Error::from(e),
            )),
        }
    };
    if names.len() < PARALLEL_UNLINK_FROM {
        return names.iter().try_for_each(|n| one(n));
    }
    let threads = UNLINK_THREADS.min(names.len());
    let per = names.len().div_ceil(threads);
    std::thread::scope(|s| {
        let workers: Vec<_> = names
            .chunks(per)
            .map(|chunk| s.spawn(move || chunk.iter().try_for_each(|n| one(n))))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("an unlink thread does not panic"))
            .collect::<Result<Vec<()>>>()
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn meta(len: i64, sha: &[u8]) -> FileMeta {
        FileMeta {
            length: len,
            hashes: crate::tuf::meta::Hashes::from([("sha256".to_string(), sha.to_vec())]),
            custom: None,
        }
    }

    #[test]
    fn target_change_bytes_are_notarys() {
        // What `notary addhash example.com/a/b v1 1234 --sha256 aaaa…` writes.
        let notary = br#"{"action":"create","role":"targets","type":"target","path":"v1","data":"eyJsZW5ndGgiOjEyMzQsImhhc2hlcyI6eyJzaGEyNTYiOiJxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFvPSJ9fQ=="}"#;
        let c = Change::add_target("targets", "v1", &meta(1234, &[0xaa; 32]));
        assert_eq!(c.to_json(), notary.to_vec());
        let back = Change::from_json(notary).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.target_payload().unwrap(), meta(1234, &[0xaa; 32]));
    }

    #[test]
    fn delete_and_witness_have_null_data() {
        let c = Change::remove_target("targets/releases", "a<b>&c");
        assert_eq!(
            String::from_utf8(c.to_json()).unwrap(),
            r#"{"action":"delete","role":"targets/releases","type":"target","path":"a\u003cb\u003e\u0026c","data":null}"#
        );
        assert_eq!(Change::from_json(&c.to_json()).unwrap(), c);
        assert_eq!(
            String::from_utf8(Change::witness("targets").to_json()).unwrap(),
            r#"{"action":"update","role":"targets","type":"witness","path":"","data":null}"#
        );
        assert_eq!(
            String::from_utf8(Change::delete_delegation("targets/x").to_json()).unwrap(),
            r#"{"action":"delete","role":"targets/x","type":"delegation","path":"","data":null}"#
        );
    }

    #[test]
    fn delegation_payloads_follow_go_omitempty() {
        let key = Key {
            keytype: "ecdsa".into(),
            public: b"pub".to_vec(),
        };
        let payload = |c: &Change| String::from_utf8(c.data.clone().unwrap()).unwrap();
        let c = Change::create_delegation("targets/releases", std::slice::from_ref(&key), 1);
        assert_eq!(c.action, Action::Create);
        assert_eq!(
            payload(&c),
            r#"{"threshold":1,"add_keys":[{"keytype":"ecdsa","keyval":{"public":"cHVi","private":null}}]}"#
        );
        assert_eq!(c.delegation_payload().unwrap().add_keys, vec![key]);
        let c = Change::add_delegation_paths("targets/releases", &["".into()]);
        assert_eq!(payload(&c), r#"{"add_paths":[""]}"#);
        let c = Change::remove_delegation_keys("targets/*", &["abc".into()]);
        assert_eq!((c.action, c.scope.as_str()), (Action::Update, "targets/*"));
        assert_eq!(payload(&c), r#"{"remove_keys":["abc"]}"#);
        let c = Change::remove_delegation_paths("targets/a", &["x/".into()]);
        assert_eq!(payload(&c), r#"{"remove_paths":["x/"]}"#);
        let c = Change::clear_delegation_paths("targets/a");
        assert_eq!(payload(&c), r#"{"clear_paths":true}"#);
        let full = DelegationPayload {
            new_name: "targets/b".into(),
            threshold: 2,
            add_keys: vec![],
            remove_keys: vec!["k".into()],
            add_paths: vec!["p".into()],
            remove_paths: vec!["q".into()],
            clear_paths: true,
        };
        assert_eq!(
            String::from_utf8(go_json(&full)).unwrap(),
            r#"{"new_name":"targets/b","threshold":2,"remove_keys":["k"],"add_paths":["p"],"remove_paths":["q"],"clear_paths":true}"#
        );
        // Go writes nil slices as null when a struct has no omitempty; read them as empty.
        let parsed: DelegationPayload =
            serde_json::from_str(r#"{"add_keys":null,"remove_keys":null,"threshold":null}"#)
                .unwrap();
        assert_eq!(parsed, DelegationPayload::default());
    }

    #[test]
    fn role_payload_is_tufrootdata() {
        let key = Key {
            keytype: "ed25519".into(),
            public: vec![1, 2],
        };
        let c = Change::replace_role_keys("targets", &[key]);
        assert_eq!((c.scope.as_str(), c.path.as_str()), ("root", "targets"));
        assert_eq!(
            String::from_utf8(c.data.clone().unwrap()).unwrap(),
            r#"{"keys":[{"keytype":"ed25519","keyval":{"public":"AQI=","private":null}}],"role":"targets"}"#
        );
        assert_eq!(c.role_payload().unwrap().role, "targets");
    }

    #[test]
    fn reads_what_go_may_write() {
        // Missing path/data, empty data, unknown fields are all fine, as for Go.
        let c =
            Change::from_json(br#"{"action":"update","role":"targets","type":"witness","x":1}"#)
                .unwrap();
        assert_eq!((c.path.as_str(), c.data.as_ref()), ("", None));
        let c = Change::from_json(
            br#"{"action":"create","role":"targets","type":"target","path":"t","data":""}"#,
        )
        .unwrap();
        assert_eq!(c.data, Some(vec![]));
        assert!(c.target_payload().is_err());
        assert!(Change::from_json(br#"{"action":"rename","role":"r","type":"target"}"#).is_err());
        assert!(
            Change::remove_target("targets", "t")
                .target_payload()
                .is_err()
        );
    }

    #[test]
    fn uuids_are_v4() {
        let u = uuid_v4().unwrap();
        assert_eq!(u.len(), 36);
        let b: Vec<char> = u.chars().collect();
        assert_eq!(
            (b[8], b[13], b[14], b[18], b[23]),
            ('-', '-', '4', '-', '-')
        );
        assert!("89ab".contains(b[19]));
        assert!(
            u.chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
    }

    #[test]
    fn a_batch_is_staged_in_order_with_notarys_modes() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let cl = Changelist::open(tmp.path(), "example.com/a/b").unwrap();
        cl.add(&Change::remove_target("targets", "first")).unwrap();
        let batch: Vec<Change> = (0..20)
            .map(|i| Change::add_target("targets", &format!("t{i}"), &meta(i, &[i as u8; 32])))
            .collect();
        let paths = cl.add_all(&batch).unwrap();
        assert_eq!(paths.len(), 20);
        let listed: Vec<Change> = cl.list().unwrap().into_iter().map(|s| s.change).collect();
        assert_eq!(listed[0], Change::remove_target("targets", "first"));
        assert_eq!(&listed[1..], &batch[..]);
        for p in &paths {
            assert_eq!(fs::metadata(p).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // Nothing but change files in the changelist dir (no temporary leftovers).
        assert_eq!(fs::read_dir(cl.dir()).unwrap().count(), 21);
    }

    #[test]
    fn storage_round_trip_order_and_modes() {
        let tmp = tempfile::tempdir().unwrap();
        let cl = Changelist::open(tmp.path(), "example.com/a/b").unwrap();
        assert_eq!(cl.dir(), tmp.path().join("tuf/example.com/a/b/changelist"));
        assert!(cl.list().unwrap().is_empty());
        assert!(cl.is_empty().unwrap());
        cl.clear().unwrap();
        let changes: Vec<Change> = (0..50)
            .map(|i| Change::add_target("targets", &format!("t{i}"), &meta(i, &[i as u8; 32])))
            .collect();
        let paths: Vec<PathBuf> = changes.iter().map(|c| cl.add(c).unwrap()).collect();
        let names: Vec<String> = paths
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        for w in names.windows(2) {
            assert!(w[0] < w[1], "{} !< {}", w[0], w[1]);
        }
        for n in &names {
            let (nanos, rest) = n.split_once('_').unwrap();
            assert_eq!(nanos.len(), 20);
            assert!(nanos.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(rest.len(), 36 + ".change".len());
            assert!(rest.ends_with(".change"));
        }
        let listed = cl.list().unwrap();
        assert_eq!(
            listed.iter().map(|s| s.change.clone()).collect::<Vec<_>>(),
            changes
        );
        assert_eq!(
            listed.iter().map(Staged::file_name).collect::<Vec<_>>(),
            names
        );
        assert_eq!(fs::metadata(cl.dir()).unwrap().mode() & 0o777, 0o700);
        for p in &paths {
            assert_eq!(fs::metadata(p).unwrap().mode() & 0o777, 0o600);
        }
        // No temporary files left behind, in or next to the changelist.
        let gun_dir = cl.dir().parent().unwrap();
        assert!(
            fs::read_dir(gun_dir)
                .unwrap()
                .all(|e| e.unwrap().file_name() == "changelist")
        );
        cl.clear().unwrap();
        assert!(cl.list().unwrap().is_empty());
        assert!(cl.dir().is_dir());
    }

    #[test]
    fn remove_keeps_changes_staged_after_the_listing() {
        let tmp = tempfile::tempdir().unwrap();
        let cl = Changelist::open(tmp.path(), "g/h").unwrap();
        cl.add(&Change::remove_target("targets", "a")).unwrap();
        cl.add(&Change::remove_target("targets", "b")).unwrap();
        let listed = cl.list().unwrap();
        let late = cl.add(&Change::remove_target("targets", "c")).unwrap();
        cl.remove(&listed).unwrap();
        cl.remove(&listed).unwrap(); // already gone: fine
        let left = cl.list().unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].path, late);
        assert_eq!(left[0].change.path, "c");
        // Only files of this changelist are ever removed.
        let other = Staged {
            path: tmp.path().join("elsewhere.change"),
            change: Change::witness("targets"),
        };
        fs::write(&other.path, b"x").unwrap();
        assert!(cl.remove(std::slice::from_ref(&other)).is_err());
        assert!(other.path.exists());
    }

    #[test]
    fn many_changes_are_removed_by_several_threads_and_only_those() {
        let tmp = tempfile::tempdir().unwrap();
        let cl = Changelist::open(tmp.path(), "g/h").unwrap();
        let batch: Vec<Change> = (0..PARALLEL_UNLINK_FROM as i64 * 2)
            .map(|i| Change::add_target("targets", &format!("t{i}"), &meta(i, &[1; 32])))
            .collect();
        cl.add_all(&batch).unwrap();
        let listed = cl.list().unwrap();
        let late = cl.add(&Change::remove_target("targets", "late")).unwrap();
        // One already gone (a concurrent publish): fine.
        fs::remove_file(&listed[3].path).unwrap();
        cl.remove(&listed).unwrap();
        let left = cl.list().unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].path, late);
    }

    #[test]
    fn corrupt_file_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        let cl = Changelist::open(tmp.path(), "g/h").unwrap();
        cl.add(&Change::remove_target("targets", "a")).unwrap();
        let bad = cl.dir().join("00000000000000000001_bad.change");
        fs::write(&bad, b"{\"action\":").unwrap();
        let err = cl.list().unwrap_err();
        assert_eq!(err.exit_code(), crate::ExitCode::Usage);
        let msg = err.to_string();
        assert!(msg.contains(&bad.display().to_string()), "{msg}");
        assert!(msg.contains("delete that file"), "{msg}");
        // Sub-directories are not changes (notary skips them too).
        fs::remove_file(&bad).unwrap();
        fs::create_dir(cl.dir().join("sub")).unwrap();
        assert_eq!(cl.list().unwrap().len(), 1);
    }

    #[test]
    fn bad_gun_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(Changelist::open(tmp.path(), "a/../b").is_err());
        assert!(Changelist::open(tmp.path(), "").is_err());
    }
}
