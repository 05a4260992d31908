//! Key backups (`dct key backup` / `dct key restore`): a tar of `<trust dir>/private`, either
//! sealed under a backup passphrase (Argon2id + XChaCha20-Poly1305, the format below, which dct
//! owns) or as a classic `.tar.gz`; and the reader that restores from those and from tarballs
//! made by hand with `tar -zcvf … ~/.docker/trust/private`.
//!
//! The key files inside stay as they are in the store: encrypted with their own passphrases.
//!
//! Sealed format, version 1 (integers big-endian; `S` = salt length):
//!
//! ```text
//! offset  size  field
//! 0       10    magic "DCTBACKUP\0"
//! 10      1     format version = 1
//! 11      1     KDF id = 1: Argon2id, Argon2 version 0x13
//! 12      4     Argon2 memory in KiB (written: 65536 = 64 MiB)
//! 16      4     Argon2 iterations (written: 3)
//! 20      4     Argon2 parallelism (written: 1)
//! 24      1     S, salt length (written: 16; readers accept 16..=64)
//! 25      S     salt (random)
//! 25+S    1     AEAD id = 1: XChaCha20-Poly1305
//! 26+S    24    nonce (random)
//! 50+S    1     payload id = 1: gzip-compressed POSIX tar
//! 51+S    32    passphrase check = SHA-256("dct-backup-check\0" || K[32..64])
//! 83+S    …     ciphertext of the payload, then the 16-byte Poly1305 tag (to the end of the file)
//! ```
//!
//! `K` = Argon2id(passphrase as UTF-8, salt, memory, iterations, parallelism, 64 bytes, no secret,
//! no associated data); `K[0..32]` is the XChaCha20-Poly1305 key and the whole header (bytes
//! `0..83+S`) is its associated data. The check value tells a wrong passphrase (exit 7) from a
//! damaged archive (exit 2) before decrypting; it gives an attacker nothing the ciphertext does
//! not: every guess still costs one Argon2id run.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::keyfile;
use super::pem;
use super::store::{KeyStore, StoredKey, is_key_id};
use crate::error::{Error, Result};
use crate::fsutil;

/// The first bytes of a sealed archive, by which [`detect`] tells it from a tar.
pub const MAGIC: &[u8; 10] = b"DCTBACKUP\0";
/// The sealed format's version, the byte after [`MAGIC`]; a reader refuses others.
pub const FORMAT_VERSION: u8 = 1;
const KDF_ARGON2ID: u8 = 1;
const AEAD_XCHACHA20POLY1305: u8 = 1;
const PAYLOAD_TAR_GZIP: u8 = 1;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const CHECK_LEN: usize = 32;
const TAG_LEN: usize = 16;
const CHECK_CONTEXT: &[u8] = b"dct-backup-check\0";

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB (Argon2 `m`).
    pub memory_kib: u32,
    /// Passes over the memory (Argon2 `t`).
    pub iterations: u32,
    /// Lanes (Argon2 `p`).
    pub parallelism: u32,
}

/// What `dct key backup` writes: 64 MiB, 3 passes, 1 lane (OWASP's first Argon2id choice is
/// 46 MiB/1/1; this is stronger): about 0.13 s and 64 MiB of memory on the project's machine.
pub const DEFAULT_KDF: KdfParams = KdfParams {
    memory_kib: 64 * 1024,
    iterations: 3,
    parallelism: 1,
};

/// The most a reader accepts, so a hostile header cannot make dct allocate gigabytes or spin.
pub const MAX_KDF: KdfParams = KdfParams {
    memory_kib: 1024 * 1024,
    iterations: 16,
    parallelism: 16,
};

/// The largest archive file dct reads, and the most a (decompressed) tar stream may hold.
pub const MAX_ARCHIVE: u64 = 64 * 1024 * 1024;
/// The largest key file restored (notary's are under 1 KiB).
pub const MAX_KEY_FILE: u64 = 1024 * 1024;
/// The most key data one archive may restore.
pub const MAX_KEYS_TOTAL: u64 = 16 * 1024 * 1024;
/// The most entries one archive may hold.
pub const MAX_ENTRIES: usize = 100_000;

/// How an archive is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// dct's sealed format (magic `DCTBACKUP\0`).
    Sealed,
    /// A gzip-compressed tar.
    TarGz,
    /// An uncompressed POSIX/GNU tar.
    Tar,
}

/// The format of an archive from its first bytes.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(MAGIC) {
        Some(Format::Sealed)
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        Some(Format::TarGz)
    } else if bytes.get(257..262) == Some(b"ustar") {
        Some(Format::Tar)
    } else {
        None
    }
}

/// A parsed sealed-archive header (nothing secret in it).
#[derive(Debug, Clone)]
pub struct Sealed<'a> {
    /// The key derivation's cost, stored in the header so that a restore derives the same key.
    pub kdf: KdfParams,
    salt: &'a [u8],
    nonce: &'a [u8],
    check: &'a [u8],
    header: &'a [u8],
    ciphertext: &'a [u8],
}

/// Why a sealed archive could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The passphrase check failed: wrong passphrase (or a damaged salt or KDF field).
    WrongPassphrase,
    /// The archive is truncated, damaged or was tampered with.
    Damaged(String),
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn derive(passphrase: &[u8], salt: &[u8], kdf: KdfParams) -> Zeroizing<[u8; 64]> {
    let params = argon2::Params::new(kdf.memory_kib, kdf.iterations, kdf.parallelism, Some(64))
        .expect("parameters checked when the header was parsed");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 64]);
    argon
        .hash_password_into(passphrase, salt, &mut out[..])
        .expect("salt length and parameters are valid");
    out
}

fn check_value(k: &[u8; 64]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(CHECK_CONTEXT);
    h.update(&k[32..]);
    h.finalize().into()
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the OS random number generator failed");
    b
}

/// Seals `payload` (a gzipped tar) under `passphrase`.
pub fn seal(payload: &[u8], passphrase: &[u8], kdf: KdfParams) -> Vec<u8> {
    let salt: [u8; SALT_LEN] = random();
    let nonce: [u8; NONCE_LEN] = random();
    let k = derive(passphrase, &salt, kdf);
    let mut out = Vec::with_capacity(83 + SALT_LEN + payload.len() + TAG_LEN);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    out.push(KDF_ARGON2ID);
    out.extend_from_slice(&kdf.memory_kib.to_be_bytes());
    out.extend_from_slice(&kdf.iterations.to_be_bytes());
    out.extend_from_slice(&kdf.parallelism.to_be_bytes());
    out.push(SALT_LEN as u8);
    out.extend_from_slice(&salt);
    out.push(AEAD_XCHACHA20POLY1305);
    out.extend_from_slice(&nonce);
    out.push(PAYLOAD_TAR_GZIP);
    out.extend_from_slice(&check_value(&k));
    let header_len = out.len();
    let cipher = XChaCha20Poly1305::new_from_slice(&k[..32]).expect("32-byte key");
    let mut buf = payload.to_vec();
    let (header, _) = out.split_at(header_len);
    cipher
        .encrypt_in_place(
            &XNonce::try_from(&nonce[..]).expect("24-byte nonce"),
            header,
            &mut buf,
        )
        .expect("payload within XChaCha20-Poly1305 limits");
    out.extend_from_slice(&buf);
    out
}

impl<'a> Sealed<'a> {
    /// Parses and checks the header of a sealed archive (which starts with [`MAGIC`]).
    /// Errors are plain descriptions (the caller adds the file name).
    pub fn parse(bytes: &'a [u8]) -> Result<Self, String> {
        let truncated = || "the file is truncated (it ends inside the header)".to_string();
        if !bytes.starts_with(MAGIC) {
            return Err("not a dct backup (no DCTBACKUP magic)".into());
        }
        let version = *bytes.get(10).ok_or_else(truncated)?;
        if version != FORMAT_VERSION {
            return Err(format!(
                "backup format version {version} is not supported (this dct reads version {FORMAT_VERSION})"
            ));
        }
        let fixed = bytes.get(11..25).ok_or_else(truncated)?;
        if fixed[0] != KDF_ARGON2ID {
            return Err(format!("unknown key derivation function id {}", fixed[0]));
        }
        let kdf = KdfParams {
            memory_kib: be32(&fixed[1..5]),
            iterations: be32(&fixed[5..9]),
            parallelism: be32(&fixed[9..13]),
        };
        if kdf.parallelism == 0
            || kdf.parallelism > MAX_KDF.parallelism
            || kdf.iterations == 0
            || kdf.iterations > MAX_KDF.iterations
            || kdf.memory_kib < 8 * kdf.parallelism
            || kdf.memory_kib > MAX_KDF.memory_kib
        {
            return Err(format!(
                "Argon2id parameters out of range (memory {} KiB, iterations {}, parallelism {}; \
                 dct accepts at most {} KiB, {} and {})",
                kdf.memory_kib,
                kdf.iterations,
                kdf.parallelism,
                MAX_KDF.memory_kib,
                MAX_KDF.iterations,
                MAX_KDF.parallelism
            ));
        }
        let salt_len = fixed[13] as usize;
        if !(16..=64).contains(&salt_len) {
            return Err(format!(
                "salt length {salt_len} out of range (16 to 64 bytes)"
            ));
        }
        let header_len = 25 + salt_len + 1 + NONCE_LEN + 1 + CHECK_LEN;
        if bytes.len() < header_len {
            return Err(truncated());
        }
        let salt = &bytes[25..25 + salt_len];
        let aead = bytes[25 + salt_len];
        if aead != AEAD_XCHACHA20POLY1305 {
            return Err(format!("unknown cipher id {aead}"));
        }
        let nonce = &bytes[26 + salt_len..26 + salt_len + NONCE_LEN];
        let payload = bytes[26 + salt_len + NONCE_LEN];
        if payload != PAYLOAD_TAR_GZIP {
            return Err(format!("unknown payload id {payload}"));
        }
        let check = &bytes[header_len - CHECK_LEN..header_len];
        let ciphertext = &bytes[header_len..];
        if ciphertext.len() < TAG_LEN {
            return Err("the file is truncated (it ends before the authentication tag)".into());
        }
        Ok(Sealed {
            kdf,
            salt,
            nonce,
            check,
            header: &bytes[..header_len],
            ciphertext,
        })
    }

    /// Derives the key from `passphrase` (one Argon2id run) and checks it against the header.
    pub fn unlock(&self, passphrase: &[u8]) -> Result<Zeroizing<[u8; 64]>, OpenError> {
        let k = derive(passphrase, self.salt, self.kdf);
        let check = check_value(&k);
        // Not secret, but compare without an early exit anyway.
        let diff = check
            .iter()
            .zip(self.check)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff != 0 {
            return Err(OpenError::WrongPassphrase);
        }
        Ok(k)
    }

    /// Decrypts and authenticates the payload (header included) with an unlocked key.
    pub fn decrypt(&self, k: &[u8; 64]) -> Result<Zeroizing<Vec<u8>>, OpenError> {
        let cipher = XChaCha20Poly1305::new_from_slice(&k[..32]).expect("32-byte key");
        let nonce = XNonce::try_from(self.nonce).expect("24-byte nonce");
        let mut buf = Zeroizing::new(self.ciphertext.to_vec());
        cipher
            .decrypt_in_place(&nonce, self.header, &mut *buf)
            .map_err(|_| {
                OpenError::Damaged(
                    "the archive is damaged, truncated or was tampered with (authentication failed)"
                        .into(),
                )
            })?;
        Ok(buf)
    }
}

/// One file of the key store, as it goes into a backup.
#[derive(Debug, Clone)]
pub struct BackupEntry {
    /// Path relative to `private/`.
    pub rel: PathBuf,
    /// The key ID (the file name without `.key`).
    pub id: String,
    /// The key's role, as the key store reads it.
    pub role: String,
    /// The key's GUN; empty for root and delegation keys.
    pub gun: String,
    /// The file's exact bytes (the key stays encrypted as it is).
    pub bytes: Vec<u8>,
    /// Modification time (Unix seconds), kept as the archive entry's.
    pub mtime: u64,
}

/// Every key file in `store` (as `KeyStore::list` finds them), read for a backup.
pub fn collect(store: &KeyStore) -> Result<Vec<BackupEntry>> {
    let mut out = Vec::new();
    for k in store.list()? {
        let StoredKey {
            id,
            role,
            gun,
            path,
            ..
        } = k;
        let meta = std::fs::metadata(&path).map_err(|e| Error::io("cannot read", &path, e))?;
        let bytes = std::fs::read(&path).map_err(|e| Error::io("cannot read", &path, e))?;
        let rel = path
            .strip_prefix(store.dir())
            .expect("listed below the store")
            .to_path_buf();
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        out.push(BackupEntry {
            rel,
            id,
            role,
            gun,
            bytes,
            mtime,
        });
    }
    Ok(out)
}

/// A gzipped tar of `entries` under `private/`, files 0600 in 0700 directories, owner 0.
pub fn build_tar_gz(entries: &[BackupEntry]) -> Result<Zeroizing<Vec<u8>>> {
    let fail = |e: io::Error| Error::Other(format!("cannot build the backup archive: {e}"));
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(gz);
    let mut dirs: Vec<PathBuf> = vec![PathBuf::from("private")];
    for e in entries {
        let mut parent = e.rel.parent();
        let mut chain = Vec::new();
        while let Some(p) = parent.filter(|p| !p.as_os_str().is_empty()) {
            chain.push(Path::new("private").join(p));
            parent = p.parent();
        }
        for d in chain.into_iter().rev() {
            if !dirs.contains(&d) {
                dirs.push(d);
            }
        }
    }
    for d in &dirs {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Directory);
        h.set_mode(0o700);
        h.set_size(0);
        h.set_mtime(0);
        builder.append_data(&mut h, d, io::empty()).map_err(fail)?;
    }
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_mode(0o600);
        h.set_size(e.bytes.len() as u64);
        h.set_mtime(e.mtime);
        builder
            .append_data(&mut h, Path::new("private").join(&e.rel), &e.bytes[..])
            .map_err(fail)?;
    }
    let gz = builder.into_inner().map_err(fail)?;
    Ok(Zeroizing::new(gz.finish().map_err(fail)?))
}

/// A key file found in an archive, checked and ready to restore.
#[derive(Debug, Clone)]
pub struct ArchiveKey {
    /// The entry's name in the archive.
    pub entry: String,
    /// Where it goes, relative to `private/`.
    pub rel: PathBuf,
    /// The key ID its entry's name gives, checked against the key when the file is not encrypted.
    pub id: String,
    /// The key's role, from the key file.
    pub role: String,
    /// The key's GUN, from the key file (empty for root and delegation keys).
    pub gun: String,
    /// The key file's bytes, restored as they are.
    pub bytes: Vec<u8>,
}

/// What reading an archive found: the keys, and entries that end in `.key` but were not taken.
#[derive(Debug, Default)]
pub struct ArchiveContents {
    /// Key files to restore, in archive order.
    pub keys: Vec<ArchiveKey>,
    /// Entries named `*.key` outside notary's key layouts, reported rather than restored.
    pub ignored: Vec<String>,
}

/// A reader that fails once more than `limit` bytes went through it.
struct Limited<R> {
    inner: R,
    left: u64,
    exceeded: bool,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.exceeded = true;
            return Err(io::Error::other("archive too large"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

fn entry_error(entry: &str, why: &str) -> String {
    format!("entry \"{entry}\" {why}")
}

/// The key-file layouts of notary's store: `<id>.key` (also `<id>_<role>.key` from notary 0.1)
/// at the top, in `root_keys/`, or in `tuf_keys/<gun>/`. Returns the key ID.
fn key_layout(rel: &[&OsStr]) -> Option<String> {
    let (name, dirs) = rel.split_last()?;
    let name = name.to_str()?;
    let stem = name.strip_suffix(".key")?;
    let (id, role) = match stem.split_once('_') {
        Some((id, role)) => (id, Some(role)),
        None => (stem, None),
    };
    if !is_key_id(id) {
        return None;
    }
    if let Some(role) = role
        && (role.is_empty()
            || !role
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'))
    {
        return None;
    }
    let dirs_ok = match dirs {
        [] => true,
        [d] => *d == "root_keys",
        [d, gun @ ..] => *d == "tuf_keys" && !gun.is_empty(),
    };
    dirs_ok.then(|| id.to_string())
}

/// Checks one key file's bytes: a PEM private key block, ID equal to the name where the key is
/// not encrypted. Returns (role, gun).
fn check_key_file(rel: &Path, id: &str, bytes: &[u8]) -> Result<(String, String), String> {
    let blocks = pem::parse_all(bytes).map_err(|e| format!("is not a PEM key file: {e}"))?;
    let block = blocks
        .into_iter()
        .next()
        .ok_or_else(|| "holds no PEM block".to_string())?;
    if !keyfile::is_private_key_block(&block) {
        return Err(format!(
            "holds a \"{}\" block, not a private key",
            block.label
        ));
    }
    match keyfile::open(&block, None) {
        Ok(key) => {
            let actual = key.id();
            if actual != id {
                return Err(format!(
                    "holds key {actual}, not the key its name says ({id})"
                ));
            }
        }
        Err(keyfile::OpenError::NeedsPassphrase) => {
            keyfile::check_encrypted_structure(&block)
                .map_err(|e| format!("is not a usable encrypted key: {e}"))?;
        }
        Err(keyfile::OpenError::Invalid(e)) => return Err(format!("is not a usable key: {e}")),
        Err(keyfile::OpenError::WrongPassphrase) => {
            return Err("is not a usable key".into());
        }
    }
    Ok(super::store::role_and_gun(&block, rel))
}

/// Reads the key files out of a tar stream. Every entry is checked: absolute paths, `..`,
/// links, devices, FIFOs and other special entries fail the whole archive, as does an oversized
/// key file or a key file that is not a usable key. Key files are regular files with a
/// `private/` component in their path followed by one of notary's layouts ([`key_layout`]);
/// other entries are skipped (those ending in `.key` are listed in `ignored`).
pub fn read_tar(stream: impl Read) -> Result<ArchiveContents, String> {
    let mut limited = Limited {
        inner: stream,
        left: MAX_ARCHIVE,
        exceeded: false,
    };
    let result = read_tar_inner(&mut limited);
    if limited.exceeded {
        return Err(format!(
            "the archive holds more than {} MiB of data: refusing to read it",
            MAX_ARCHIVE / (1024 * 1024)
        ));
    }
    result
}

/// The path's components, refusing absolute paths and `..` (path traversal).
fn safe_components<'p>(name: &str, path: &'p Path) -> Result<Vec<&'p OsStr>, String> {
    if path.as_os_str().as_bytes().starts_with(b"/") {
        return Err(entry_error(
            name,
            "has an absolute path: refusing to restore it",
        ));
    }
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => parts.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                return Err(entry_error(
                    name,
                    "has a \"..\" component (path traversal): refusing to restore it",
                ));
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(entry_error(
                    name,
                    "has an absolute path: refusing to restore it",
                ));
            }
        }
    }
    Ok(parts)
}

/// Whether an entry of this type holds a file to consider (directories are skipped); links,
/// devices, FIFOs and unknown types fail the whole archive.
fn is_restorable(name: &str, kind: tar::EntryType) -> Result<bool, String> {
    if kind.is_symlink() {
        return Err(entry_error(
            name,
            "is a symbolic link: links are never restored",
        ));
    }
    if kind.is_hard_link() {
        return Err(entry_error(
            name,
            "is a hard link: links are never restored",
        ));
    }
    if kind.is_character_special() || kind.is_block_special() || kind.is_fifo() {
        return Err(entry_error(
            name,
            "is a device or FIFO: only regular files are restored",
        ));
    }
    if kind.is_dir() {
        return Ok(false);
    }
    if !kind.is_file() {
        return Err(entry_error(
            name,
            &format!(
                "has an unsupported type ('{}'): only regular files are restored",
                kind.as_byte() as char
            ),
        ));
    }
    Ok(true)
}

fn read_tar_inner<R: Read>(stream: &mut Limited<R>) -> Result<ArchiveContents, String> {
    let damaged = |e: io::Error| format!("the archive is damaged or truncated: {e}");
    let mut archive = tar::Archive::new(&mut *stream);
    let mut out = ArchiveContents::default();
    let mut total = 0u64;
    let mut count = 0usize;
    for entry in archive.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        count += 1;
        if count > MAX_ENTRIES {
            return Err(format!(
                "the archive has more than {MAX_ENTRIES} entries: refusing to read it"
            ));
        }
        let raw = entry.path_bytes().into_owned();
        let name = String::from_utf8_lossy(&raw).into_owned();
        let path = Path::new(OsStr::from_bytes(&raw));
        let parts = safe_components(&name, path)?;
        if !is_restorable(&name, entry.header().entry_type())? {
            continue;
        }
        // The first `private` component followed by one of notary's key layouts.
        let found = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| **p == "private")
            .find_map(|(i, _)| key_layout(&parts[i + 1..]).map(|id| (i, id)));
        let Some((i, id)) = found else {
            if name.ends_with(".key") {
                out.ignored.push(name);
            }
            continue;
        };
        let size = entry.size();
        if size > MAX_KEY_FILE {
            return Err(entry_error(
                &name,
                &format!(
                    "is {size} bytes, over the {} KiB limit for a key file: refusing to restore it",
                    MAX_KEY_FILE / 1024
                ),
            ));
        }
        total += size;
        if total > MAX_KEYS_TOTAL {
            return Err(format!(
                "the archive's key files add up to more than {} MiB: refusing to restore them",
                MAX_KEYS_TOTAL / (1024 * 1024)
            ));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        (&mut entry)
            .take(MAX_KEY_FILE + 1)
            .read_to_end(&mut bytes)
            .map_err(damaged)?;
        if bytes.len() as u64 != size {
            return Err(damaged(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("entry \"{name}\" is cut short"),
            )));
        }
        let rel: PathBuf = parts[i + 1..].iter().collect();
        let (role, gun) =
            check_key_file(&rel, &id, &bytes).map_err(|why| entry_error(&name, &why))?;
        out.keys.push(ArchiveKey {
            entry: name,
            rel,
            id,
            role,
            gun,
            bytes,
        });
    }
    // Read to the end, so a gzip stream's trailer (length and CRC) is checked too.
    let inner = archive.into_inner();
    io::copy(inner, &mut io::sink()).map_err(damaged)?;
    Ok(out)
}

/// Reads the keys of an unsealed archive (`Format::Tar` or `Format::TarGz`), or of a sealed
/// archive's decrypted payload (`Format::TarGz`).
pub fn read_archive(format: Format, bytes: &[u8]) -> Result<ArchiveContents, String> {
    match format {
        Format::Tar => read_tar(bytes),
        Format::TarGz | Format::Sealed => read_tar(flate2::read::MultiGzDecoder::new(bytes)),
    }
}

/// What restore does with one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Not in the trust dir: written.
    Restore,
    /// The same bytes are already in the trust dir.
    Skip,
    /// A different key with this ID is in the trust dir and `--force` replaces it.
    Replace,
    /// A different key with this ID is in the trust dir and there is no `--force`.
    Refuse,
}

impl Action {
    /// The action's past participle, as restore reports it.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Restore => "restored",
            Action::Skip => "skipped",
            Action::Replace => "replaced",
            Action::Refuse => "refused",
        }
    }
}

/// One key of a restore plan.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The key from the archive.
    pub key: ArchiveKey,
    /// What restore does with it.
    pub action: Action,
    /// Where the key is (or would be) written.
    pub dest: PathBuf,
}

/// Decides what to do with each key of an archive, comparing with the store. Keys that appear
/// twice in the archive must be identical (else an error naming both entries).
pub fn plan(store: &KeyStore, keys: Vec<ArchiveKey>, force: bool) -> Result<Vec<Planned>, Error> {
    let existing: BTreeMap<String, StoredKey> = store
        .list()?
        .into_iter()
        .map(|k| (k.id.clone(), k))
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out: Vec<Planned> = Vec::new();
    for key in keys {
        if let Some(&i) = seen.get(&key.id) {
            if out[i].key.bytes != key.bytes {
                return Err(Error::invalid(format!(
                    "entries \"{}\" and \"{}\" hold different files for key {}",
                    out[i].key.entry, key.entry, key.id
                )));
            }
            continue;
        }
        let (action, dest) = match existing.get(&key.id) {
            None => (Action::Restore, store.dir().join(&key.rel)),
            Some(have) => {
                let same = std::fs::read(&have.path)
                    .map_err(|e| Error::io("cannot read key file", &have.path, e))?
                    == key.bytes;
                let action = if same {
                    Action::Skip
                } else if force {
                    Action::Replace
                } else {
                    Action::Refuse
                };
                (action, have.path.clone())
            }
        };
        seen.insert(key.id.clone(), out.len());
        out.push(Planned { key, action, dest });
    }
    Ok(out)
}

/// Writes the keys a plan restores or replaces (atomically, 0600 files in 0700 directories).
/// The caller holds the trust-dir lock. A signal waits for the whole restore, so an
/// interrupted restore has written every key or none (a `kill -9` may cut it between keys; each
/// key file is whole).
pub fn apply(plan: &[Planned]) -> Result<()> {
    let _whole = fsutil::interrupt::defer();
    for p in plan {
        if matches!(p.action, Action::Restore | Action::Replace) {
            fsutil::write_atomic(&p.dest, &p.key.bytes)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: KdfParams = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    #[test]
    fn seal_and_open_round_trip() {
        let sealed = seal(b"payload bytes", b"correct horse", FAST);
        assert_eq!(detect(&sealed), Some(Format::Sealed));
        assert_eq!(sealed.len(), 83 + 16 + 13 + 16);
        let s = Sealed::parse(&sealed).unwrap();
        assert_eq!(s.kdf, FAST);
        let k = s.unlock(b"correct horse").unwrap();
        assert_eq!(&s.decrypt(&k).unwrap()[..], b"payload bytes");
        assert!(matches!(
            s.unlock(b"wrong horse"),
            Err(OpenError::WrongPassphrase)
        ));
    }

    #[test]
    fn every_flipped_byte_is_caught() {
        let sealed = seal(b"payload bytes", b"pass", FAST);
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            let opened = Sealed::parse(&bad).map_err(|_| ()).and_then(|s| {
                let k = s.unlock(b"pass").map_err(|_| ())?;
                s.decrypt(&k).map_err(|_| ())
            });
            assert!(opened.is_err(), "flipping byte {i} went unnoticed");
        }
    }

    #[test]
    fn truncation_and_hostile_parameters_are_refused() {
        let sealed = seal(b"payload", b"pass", FAST);
        for len in [5, 11, 24, 40, 98, 99, 100, sealed.len() - 1] {
            let cut = &sealed[..len];
            let opened = Sealed::parse(cut).map_err(|_| ()).and_then(|s| {
                let k = s.unlock(b"pass").map_err(|_| ())?;
                s.decrypt(&k).map_err(|_| ())
            });
            assert!(opened.is_err(), "truncated to {len} went unnoticed");
        }
        let mut huge = sealed.clone();
        huge[12..16].copy_from_slice(&u32::MAX.to_be_bytes());
        let err = Sealed::parse(&huge).unwrap_err();
        assert!(err.contains("out of range"), "{err}");
        let mut v2 = sealed.clone();
        v2[10] = 2;
        assert!(Sealed::parse(&v2).unwrap_err().contains("version 2"));
    }

    #[test]
    fn key_layouts() {
        let id = "a".repeat(64);
        let l = |p: &str| {
            let parts: Vec<&OsStr> = p.split('/').map(OsStr::new).collect();
            key_layout(&parts)
        };
        assert_eq!(l(&format!("{id}.key")), Some(id.clone()));
        assert_eq!(l(&format!("root_keys/{id}.key")), Some(id.clone()));
        assert_eq!(
            l(&format!("tuf_keys/docker.io/x/{id}.key")),
            Some(id.clone())
        );
        assert_eq!(l(&format!("{id}_root.key")), Some(id.clone()));
        assert_eq!(l(&format!("other/{id}.key")), None);
        assert_eq!(l("notakey.key"), None);
        assert_eq!(l(&format!("{id}.pem")), None);
        assert_eq!(l(&format!("tuf_keys/{id}.key")), None);
    }

    #[test]
    fn oversized_archive_stream_is_refused() {
        let data = vec![0u8; (MAX_ARCHIVE + 1024) as usize];
        let err = read_tar(&data[..]).unwrap_err();
        assert!(err.contains("more than 64 MiB"), "{err}");
    }
}
