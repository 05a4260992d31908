//! One dct run's shared state: the trust dir, the trust server setting, one HTTP client (its
//! connection pools, tokens and credentials) created on first use, and one key source with one
//! passphrase cache — so a command that opens several keys of a role (`signer add NAME A B`)
//! asks for the passphrase once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::bundle::OpenBundle;
use crate::error::{Error, Result};
use crate::keys::passphrase::{Prompter, Retriever};
use crate::keys::pkcs11::{Pkcs11Uri, TokenKey, TokenRecord, TokenRecords, Tokens};
use crate::keys::private::PrivateKey;
use crate::keys::signer::KeySigner;
use crate::keys::store::{Ask, KeyStore, unlock};
use crate::remote::{Http, HttpOptions};
use crate::trust_dir::TrustDir;
use crate::tuf::edit::KeyProvider;
use crate::tuf::root::Pinning;

/// What a session is made of (the command line's global options).
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// Docker's config dir (`config.json` credentials, `tls/<host>/` certificates).
    pub config_dir: PathBuf,
    /// The trust dir (`<config dir>/trust` unless overridden).
    pub trust_dir: PathBuf,
    /// `-s/--server` or `DOCKER_CONTENT_TRUST_SERVER`.
    pub server: Option<String>,
    /// `--tlscacert`.
    pub tls_ca_cert: Option<PathBuf>,
    /// `--insecure-registry` hosts.
    pub insecure_registries: Vec<String>,
    /// `-v`: log every HTTP request.
    pub verbose: bool,
    /// `--timeout` / `DCT_TIMEOUT`: how long a request may make no progress.
    pub timeout: std::time::Duration,
}

impl SessionOptions {
    /// Options for `config_dir` and `trust_dir`, everything else as when no flag is given.
    pub fn new(config_dir: impl Into<PathBuf>, trust_dir: impl Into<PathBuf>) -> SessionOptions {
        SessionOptions {
            config_dir: config_dir.into(),
            trust_dir: trust_dir.into(),
            server: None,
            tls_ca_cert: None,
            insecure_registries: Vec::new(),
            verbose: false,
            timeout: crate::config::DEFAULT_TIMEOUT,
        }
    }
}

/// One run's shared state (see the module docs).
pub struct Session {
    trust: TrustDir,
    config_dir: PathBuf,
    server: Option<String>,
    http_opts: HttpOptions,
    http: Option<Http>,
    keys: StoreKeys,
    prompter: Arc<dyn Prompter>,
    /// `--bundle FILE`: where this run's trust data comes from instead of the trust server.
    bundle: Option<OpenBundle>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("trust_dir", &self.trust.path())
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

/// The parts of a session a writer borrows at once.
pub(crate) struct Parts<'a> {
    pub http: &'a Http,
    pub trust: &'a TrustDir,
    pub server: Option<&'a str>,
    pub keys: &'a mut StoreKeys,
}

impl Session {
    /// A session; passphrases are asked through `prompter`.
    pub fn new(opts: SessionOptions, prompter: Arc<dyn Prompter>) -> Session {
        let mut http_opts = HttpOptions::new(&opts.config_dir);
        http_opts.tls_ca_cert = opts.tls_ca_cert;
        http_opts.insecure_registries = opts.insecure_registries;
        http_opts.verbose = opts.verbose;
        http_opts.timeout = opts.timeout;
        let trust = TrustDir::new(opts.trust_dir);
        let store = KeyStore::new(trust.path());
        Session {
            keys: StoreKeys::new(store, Retriever::with_prompter(prompter.clone())),
            prompter,
            trust,
            config_dir: opts.config_dir,
            server: opts.server,
            http_opts,
            http: None,
            bundle: None,
        }
    }

    /// Called once per run by every command that uses the trust dir, before anything else:
    /// fails (exit 1) when the trust dir is not a directory, and sweeps the key store and the
    /// trust dir itself of the temp files a killed dct left (`fsutil::debris`).
    pub fn prepare_trust_dir(&self) -> Result<()> {
        self.trust.check()?;
        crate::fsutil::sweep(self.trust.path(), &[crate::fsutil::TMP_PREFIX]);
        crate::fsutil::sweep_tree(&self.trust.private_dir(), &[crate::fsutil::TMP_PREFIX]);
        Ok(())
    }

    /// Reads this run's trust data from `bundle` instead of the trust server (`--bundle`).
    pub fn set_bundle(&mut self, bundle: OpenBundle) {
        self.bundle = Some(bundle);
    }

    /// The bundle this run reads trust data from, if any.
    pub fn bundle(&self) -> Option<&OpenBundle> {
        self.bundle.as_ref()
    }

    /// The trust dir.
    pub fn trust_dir(&self) -> &TrustDir {
        &self.trust
    }

    /// Docker's config dir.
    pub fn config_dir(&self) -> &Path {
        &self.config_dir
    }

    /// The trust server URL given (`-s`, `DOCKER_CONTENT_TRUST_SERVER`), if any.
    pub fn server(&self) -> Option<&str> {
        self.server.as_deref()
    }

    /// The HTTP options the client is (or will be) built with; tests adjust them.
    pub fn http_options_mut(&mut self) -> &mut HttpOptions {
        &mut self.http_opts
    }

    /// The run's HTTP client, created on first use.
    pub fn http(&mut self) -> Result<&Http> {
        if self.http.is_none() {
            self.http = Some(Http::new(self.http_opts.clone())?);
        }
        Ok(self.http.as_ref().expect("just created"))
    }

    /// HTTP requests sent so far (none when no client was needed).
    pub fn request_count(&self) -> Option<usize> {
        self.http.as_ref().map(Http::request_count)
    }

    /// The key store.
    pub fn key_store(&self) -> &KeyStore {
        self.keys.store()
    }

    /// The keys: key files and token keys, unlocked once per run.
    pub fn keys(&mut self) -> &mut StoreKeys {
        &mut self.keys
    }

    /// The run's passphrase retriever (one cache for every key opened or created).
    pub fn retriever(&mut self) -> &mut Retriever {
        self.keys.retriever()
    }

    /// A retriever with no remembered passphrases (for a key file given on the command line,
    /// whose passphrase must not be taken for the store's keys of the same role).
    pub fn fresh_retriever(&self) -> Retriever {
        Retriever::with_prompter(self.prompter.clone())
    }

    /// Root pinning for this run: notary's `trust_pinning` from the trust dir's `config.json`,
    /// plus `pins` (`--pin-root` key IDs, checked here).
    pub fn pinning(&self, pins: &[String]) -> Result<Pinning> {
        let mut p = Pinning::load(self.trust.path())?;
        for id in pins {
            if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::invalid(format!(
                    "--pin-root {id}: expected a 64-character hex key ID (see `dct inspect --pretty`)"
                )));
            }
            p.pin_root.push(id.to_ascii_lowercase());
        }
        Ok(p)
    }

    /// The HTTP client, trust dir, server and keys at once (a writer needs them together).
    pub(crate) fn parts(&mut self) -> Result<Parts<'_>> {
        if self.http.is_none() {
            self.http = Some(Http::new(self.http_opts.clone())?);
        }
        Ok(Parts {
            http: self.http.as_ref().expect("just created"),
            trust: &self.trust,
            server: self.server.as_deref(),
            keys: &mut self.keys,
        })
    }
}

/// Private keys from the key store, unlocked once per run, and the trust dir's PKCS#11 token
/// keys, used through their tokens (the [`KeyProvider`] signing uses).
pub struct StoreKeys {
    store: KeyStore,
    records: TokenRecords,
    tokens: Tokens,
    retriever: Retriever,
    unlocked: HashMap<String, PrivateKey>,
    /// Token keys opened this run, by key ID.
    tokens_by_id: HashMap<String, TokenKey>,
    /// Whether the store's permission warnings were given this run.
    warned: bool,
}

impl StoreKeys {
    /// Keys of `store`, passphrases from `retriever`.
    pub fn new(store: KeyStore, retriever: Retriever) -> Self {
        let records = TokenRecords::new(
            crate::trust_dir::TrustDir::new(store.dir().parent().unwrap_or(store.dir()))
                .pkcs11_dir(),
        );
        StoreKeys {
            store,
            records,
            tokens: Tokens::default(),
            tokens_by_id: HashMap::new(),
            retriever,
            unlocked: HashMap::new(),
            warned: false,
        }
    }

    /// Whether the store holds key `id` (without unlocking it). A key file refused for its
    /// permissions counts as held, so that using it fails with the `chmod` advice (exit 2)
    /// rather than as a missing key.
    pub fn has(&self, id: &str) -> bool {
        let file = match self.store.get(id) {
            Ok(found) => found.is_some(),
            Err(_) => self.store.is_refused(id),
        };
        file || matches!(self.records.get(id), Ok(Some(_)) | Err(_))
    }

    /// The records of the trust dir's token keys.
    pub fn token_records(&self) -> &TokenRecords {
        &self.records
    }

    /// The key on a token that `uri` names (a URI with neither `object` nor `id` names the
    /// object labelled `role`) — or, when the token holds none, a new ECDSA P-256 key generated
    /// on it with that label — recorded in the trust dir for `role` (and `gun`) and ready to
    /// sign. Returns its ID and whether it is new. The record is written under the trust dir's
    /// lock (taken by `lock`), the token is asked before.
    pub fn token_key(
        &mut self,
        uri: &Pkcs11Uri,
        role: &str,
        gun: Option<&str>,
        lock: &dyn Fn() -> Result<crate::fsutil::DirLock>,
    ) -> Result<(String, bool)> {
        let mut uri = uri.clone();
        if uri.object.is_none() && uri.id.is_none() {
            uri.object = Some(role.to_string());
        }
        let (id, created) = match self.find_token_key(&uri)? {
            Some(id) => (id, false),
            None => {
                let label = uri.object.clone().unwrap_or_else(|| role.to_string());
                (self.generate_token_key(&uri, &label)?, true)
            }
        };
        let _lock = lock()?;
        self.record_token_key(&id, role, gun)?;
        Ok((id, created))
    }

    /// The key `uri` names on its token, opened for this run: its ID, `None` when the token
    /// holds no such key.
    pub fn find_token_key(&mut self, uri: &Pkcs11Uri) -> Result<Option<String>> {
        let Some(key) = self.tokens.find(uri, None, &mut self.retriever)? else {
            return Ok(None);
        };
        let id = key.key_id();
        self.tokens_by_id.insert(id.clone(), key);
        Ok(Some(id))
    }

    /// A new ECDSA P-256 key pair generated on the token `uri` names, labelled `label`, opened
    /// for this run (not recorded yet: see [`StoreKeys::record_token_key`]). Returns its ID.
    pub fn generate_token_key(&mut self, uri: &Pkcs11Uri, label: &str) -> Result<String> {
        let key = self.tokens.generate(uri, label, &mut self.retriever)?;
        let id = key.key_id();
        self.tokens_by_id.insert(id.clone(), key);
        Ok(id)
    }

    /// A token key opened this run.
    pub fn opened_token_key(&self, id: &str) -> Option<&TokenKey> {
        self.tokens_by_id.get(id)
    }

    /// Records the opened token key `id` in the trust dir for `role` (and `gun`), unless it is
    /// recorded already. The caller holds the trust dir's lock.
    pub fn record_token_key(&mut self, id: &str, role: &str, gun: Option<&str>) -> Result<()> {
        let key = self
            .tokens_by_id
            .get(id)
            .ok_or_else(|| Error::key(format!("token key {id} is not open")))?;
        if self.store.get(id).ok().flatten().is_some() {
            return Err(Error::invalid(format!(
                "key {id} is both on a token and in a key file of {}",
                self.store.dir().display()
            )));
        }
        if self.records.get(id)?.is_none() {
            let rec = TokenRecord::new(&key.public_key(), role, gun, key.uri(), key.module());
            self.records.put(&rec)?;
        }
        Ok(())
    }

    /// The token key `id` recorded in this trust dir, opened on its token.
    fn open_recorded(&mut self, rec: &TokenRecord) -> Result<()> {
        if self.tokens_by_id.contains_key(&rec.id) {
            return Ok(());
        }
        let uri = rec.uri()?;
        let key = self
            .tokens
            .find(&uri, rec.module.as_deref(), &mut self.retriever)?
            .ok_or_else(|| {
                Error::key(format!(
                    "{} key {} is not on PKCS#11 token {} any more ({}): was the token reset or \
                     replaced?",
                    rec.role,
                    rec.id,
                    rec.token_name(),
                    rec.uri
                ))
            })?;
        if key.key_id() != rec.id {
            return Err(Error::key(format!(
                "the key {} names on token {} is {}, not the {} key {} this trust dir recorded",
                rec.uri,
                rec.token_name(),
                key.key_id(),
                rec.role,
                rec.id
            )));
        }
        self.tokens_by_id.insert(rec.id.clone(), key);
        Ok(())
    }

    /// Removes token key `id` from its token (private and public objects) and its record.
    pub fn remove_token_key(&mut self, rec: &TokenRecord) -> Result<()> {
        self.open_recorded(rec)?;
        let key = self.tokens_by_id.remove(&rec.id).expect("just opened");
        self.tokens.destroy(&key)?;
        self.records.remove(&rec.id)
    }

    /// The store's permission warnings ([`KeyStore::permission_warnings`]) the first time
    /// they are asked for in a run, nothing after that.
    pub fn permission_warnings_once(&mut self) -> Vec<String> {
        if std::mem::replace(&mut self.warned, true) {
            return Vec::new();
        }
        self.store.permission_warnings()
    }

    /// The key store.
    pub fn store(&self) -> &KeyStore {
        &self.store
    }

    /// The passphrase retriever.
    pub fn retriever(&mut self) -> &mut Retriever {
        &mut self.retriever
    }
}

impl KeyProvider for StoreKeys {
    fn private_key(&mut self, _role: &str, id: &str) -> Result<Option<&dyn KeySigner>> {
        if self.tokens_by_id.contains_key(id) {
            return Ok(self.tokens_by_id.get(id).map(|k| k as &dyn KeySigner));
        }
        if !self.unlocked.contains_key(id) {
            let Some(stored) = self.store.get(id)? else {
                // Not a key file: a token key this trust dir recorded?
                let Some(rec) = self.records.get(id)? else {
                    return Ok(None);
                };
                self.open_recorded(&rec)?;
                return Ok(self.tokens_by_id.get(id).map(|k| k as &dyn KeySigner));
            };
            // The key file's own role header picks the passphrase (root, targets, or a signer
            // name → the repository passphrase), as in Docker.
            let key = unlock(
                &stored.block,
                &stored.role,
                id,
                &stored.path,
                &mut self.retriever,
                Ask::default(),
            )?;
            self.unlocked.insert(id.to_string(), key);
        }
        Ok(self.unlocked.get(id).map(|k| k as &dyn KeySigner))
    }
}
