//! Keys that never leave a PKCS#11 token (a YubiKey through `libykcs11`, an HSM, SoftHSM2):
//! ECDSA P-256 key pairs generated on the token (sensitive, not extractable), found by RFC 7512
//! URI, signing through the token's module — dct hashes with SHA-256 and asks the token for
//! `CKM_ECDSA`, whose raw `r ‖ s` is what notary's metadata wants.
//!
//! The trust dir only records where each token key is ([`records`]: public key, URI, module);
//! no private key material of a token key is ever written anywhere.
//!
//! The module comes from the URI's `module-path`, else `DCT_PKCS11_MODULE`, else the module the
//! key was recorded with. The PIN comes from `DCT_PKCS11_PIN`, else a no-echo prompt on a
//! terminal, else the command fails (exit 7) naming the variable. A PIN is tried once per run:
//! a wrong one is exit 7 with what the token reports about its remaining tries, never a retry.

pub mod records;
pub mod uri;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType as CkKeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::{Slot, TokenInfo};
use sha2::{Digest, Sha256};

pub use records::{TokenRecord, TokenRecords};
pub use uri::Pkcs11Uri;

use super::passphrase::{Retriever, Source};
use super::private::{KeyType, PublicKey};
use super::signer::KeySigner;
use crate::error::{Error, Result};

/// The PKCS#11 module (shared library) to load when the URI names none.
pub const MODULE_VAR: &str = "DCT_PKCS11_MODULE";
/// The token's user PIN.
pub const PIN_VAR: &str = super::passphrase::PKCS11_PIN_VAR;

/// DER of the P-256 curve OID (`CKA_EC_PARAMS` of a P-256 key).
const P256_PARAMS: [u8; 10] = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

/// One token this run opened: a read-write session, logged in as the user.
struct Token {
    session: Mutex<Session>,
    module: PathBuf,
    label: String,
    serial: String,
}

impl Token {
    /// The token for messages: `"LABEL" (module PATH)`.
    fn name(&self) -> String {
        format!("\"{}\" (module {})", self.label, self.module.display())
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An error of an operation on this token: a token gone is a key problem (exit 7) like
    /// every other failure of the token.
    fn error(&self, what: &str, e: CkError) -> Error {
        let gone = matches!(
            e,
            CkError::Pkcs11(
                RvError::DeviceRemoved
                    | RvError::TokenNotPresent
                    | RvError::SessionHandleInvalid
                    | RvError::SessionClosed,
                _
            )
        );
        if gone {
            Error::key(format!(
                "PKCS#11 token {} went away while dct was using it ({what}): {e}",
                self.name()
            ))
        } else {
            Error::key(format!(
                "PKCS#11 token {} failed to {what}: {e}",
                self.name()
            ))
        }
    }
}

/// An ECDSA P-256 private key on a token, used through the token.
pub struct TokenKey {
    token: Arc<Token>,
    handle: ObjectHandle,
    public: PublicKey,
    uri: Pkcs11Uri,
    /// The public key objects of the pair (removed with it).
    public_handles: Vec<ObjectHandle>,
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenKey({} {})", self.uri, self.public.id())
    }
}

impl TokenKey {
    /// The URI that names exactly this key: token label and serial, object label and ID (and
    /// the module path when the URI it was found by gave one).
    pub fn uri(&self) -> &Pkcs11Uri {
        &self.uri
    }

    /// The module the key was found through.
    pub fn module(&self) -> &Path {
        &self.token.module
    }

    /// The token's label.
    pub fn token_label(&self) -> &str {
        &self.token.label
    }
}

impl KeySigner for TokenKey {
    fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// SHA-256 in dct, `CKM_ECDSA` on the token: the raw `r ‖ s` notary's `ecdsa` method
    /// wants. The signature is checked against the public key before it is used.
    fn sign_tuf(&self, msg: &[u8]) -> Result<(&'static str, Vec<u8>)> {
        let digest = Sha256::digest(msg);
        let sig = self
            .token
            .session()
            .sign(&Mechanism::Ecdsa, self.handle, &digest)
            .map_err(|e| self.token.error("sign", e))?;
        let ok = p256::ecdsa::Signature::from_slice(&sig)
            .ok()
            .zip(verifying_key(&self.public))
            .is_some_and(|(s, vk)| {
                use p256::ecdsa::signature::hazmat::PrehashVerifier;
                vk.verify_prehash(&digest, &s).is_ok()
            });
        if !ok {
            return Err(Error::key(format!(
                "PKCS#11 token {} returned a signature that does not verify with key {}",
                self.token.name(),
                self.public.id()
            )));
        }
        Ok(("ecdsa", sig))
    }
}

fn verifying_key(public: &PublicKey) -> Option<p256::ecdsa::VerifyingKey> {
    use p256::pkcs8::DecodePublicKey;
    p256::ecdsa::VerifyingKey::from_public_key_der(&public.public).ok()
}

/// The TUF public key of a P-256 `CKA_EC_POINT`: a DER OCTET STRING holding the uncompressed
/// point (or, from some tokens, the bare point).
fn public_from_ec_point(point: &[u8]) -> Option<PublicKey> {
    use p256::pkcs8::EncodePublicKey;
    let raw = match point {
        [0x04, 0x41, rest @ ..] if rest.len() == 65 => rest,
        _ => point,
    };
    let pk = p256::PublicKey::from_sec1_bytes(raw).ok()?;
    let spki = pk.to_public_key_der().ok()?;
    Some(PublicKey::new(KeyType::Ecdsa, spki.as_bytes().to_vec()))
}

/// The module to load for `uri`: its `module-path`, else `DCT_PKCS11_MODULE`, else `recorded`
/// (the module a recorded key was made with).
pub fn module_for(uri: &Pkcs11Uri, recorded: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = &uri.module_path {
        return Ok(p.clone());
    }
    if let Some(p) = std::env::var_os(MODULE_VAR).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    recorded.map(Path::to_path_buf).ok_or_else(|| {
        Error::key(format!(
            "no PKCS#11 module for token {}: set {MODULE_VAR} to the token's module (e.g. \
             /usr/lib/softhsm/libsofthsm2.so, or libykcs11.so for a YubiKey) or add \
             ?module-path=… to the URI",
            uri.token_name()
        ))
    })
}

/// One run's PKCS#11 state: the modules loaded and the tokens opened (each logged in once),
/// shared by every token key of the run.
#[derive(Default)]
pub struct Tokens {
    modules: HashMap<PathBuf, Pkcs11>,
    open: HashMap<(PathBuf, u64), Arc<Token>>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("modules", &self.modules.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Tokens {
    /// The module at `path`, loaded and initialised once per run.
    fn module(&mut self, path: &Path, token: &str) -> Result<Pkcs11> {
        if let Some(m) = self.modules.get(path) {
            return Ok(m.clone());
        }
        let failed = |e: &dyn std::fmt::Display| {
            Error::key(format!(
                "cannot load the PKCS#11 module {} (for token {token}): {e}; check {MODULE_VAR} \
                 or the URI's module-path",
                path.display()
            ))
        };
        if !path.exists() {
            return Err(failed(&"no such file"));
        }
        let m = Pkcs11::new(path).map_err(|e| failed(&e))?;
        match m.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => return Err(failed(&e)),
        }
        self.modules.insert(path.to_path_buf(), m.clone());
        Ok(m)
    }

    /// The one token `uri` names in its module, opened and logged in (PIN from `pins`).
    fn token(
        &mut self,
        uri: &Pkcs11Uri,
        recorded_module: Option<&Path>,
        pins: &mut Retriever,
    ) -> Result<Arc<Token>> {
        let module_path = module_for(uri, recorded_module)?;
        let name = uri.token_name();
        let m = self.module(&module_path, &name)?;
        let in_module = |e: CkError| {
            Error::key(format!(
                "PKCS#11 module {} failed while looking for token {name}: {e}",
                module_path.display()
            ))
        };
        if uri.library_manufacturer.is_some()
            || uri.library_description.is_some()
            || uri.library_version.is_some()
        {
            let info = m.get_library_info().map_err(in_module)?;
            let v = info.library_version();
            let version = format!("{}.{}", v.major(), v.minor());
            if !matches_opt(&uri.library_manufacturer, info.manufacturer_id())
                || !matches_opt(&uri.library_description, info.library_description())
                || !matches_opt(&uri.library_version, &version)
            {
                return Err(Error::key(format!(
                    "PKCS#11 module {} is not the library {uri} names ({} {}, version {version})",
                    module_path.display(),
                    info.manufacturer_id(),
                    info.library_description()
                )));
            }
        }
        let mut found: Vec<(Slot, TokenInfo)> = Vec::new();
        let mut present = Vec::new();
        for slot in m.get_slots_with_token().map_err(in_module)? {
            // An uninitialised token (SoftHSM2 always offers a free one) holds no keys.
            let Some(info) = m
                .get_token_info(slot)
                .ok()
                .filter(|i| i.token_initialized())
            else {
                continue;
            };
            present.push(format!(
                "\"{}\" (serial {})",
                info.label(),
                info.serial_number()
            ));
            if slot_matches(&m, uri, slot, &info) {
                found.push((slot, info));
            }
        }
        let (slot, info) = match found.len() {
            1 => found.pop().expect("one"),
            0 => {
                let there = if present.is_empty() {
                    "no token is present".to_string()
                } else {
                    format!("tokens present: {}", present.join(", "))
                };
                return Err(Error::key(format!(
                    "PKCS#11 token {name} is not present in module {} ({there}); plug it in, \
                     or check the URI {}",
                    module_path.display(),
                    uri.token_only()
                )));
            }
            n => {
                return Err(Error::invalid(format!(
                    "{uri} matches {n} tokens in module {} ({}): add token= or serial= to name \
                     one",
                    module_path.display(),
                    found
                        .iter()
                        .map(|(_, i)| format!("\"{}\" serial {}", i.label(), i.serial_number()))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        };
        let key = (module_path.clone(), slot.id());
        if let Some(t) = self.open.get(&key) {
            return Ok(t.clone());
        }
        let token = Token {
            session: Mutex::new(
                m.open_rw_session(slot)
                    .or_else(|_| m.open_ro_session(slot))
                    .map_err(in_module)?,
            ),
            module: module_path.clone(),
            label: info.label().to_string(),
            serial: info.serial_number().to_string(),
        };
        login(&m, slot, &token, &info, pins)?;
        let token = Arc::new(token);
        self.open.insert(key, token.clone());
        Ok(token)
    }

    /// The private key `uri` names (object label, ID), with its public key; `None` when the
    /// token holds no such key. Several matching keys are a usage error.
    pub fn find(
        &mut self,
        uri: &Pkcs11Uri,
        recorded_module: Option<&Path>,
        pins: &mut Retriever,
    ) -> Result<Option<TokenKey>> {
        if let Some(t) = uri.object_type.as_deref().filter(|t| *t != "private") {
            return Err(Error::invalid(format!(
                "{uri} names a {t} object: dct needs a private key (type=private, or no type)"
            )));
        }
        let token = self.token(uri, recorded_module, pins)?;
        let mut template = vec![
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::KeyType(CkKeyType::EC),
        ];
        if let Some(o) = &uri.object {
            template.push(Attribute::Label(o.as_bytes().to_vec()));
        }
        if let Some(id) = &uri.id {
            template.push(Attribute::Id(id.clone()));
        }
        let handles = token
            .session()
            .find_objects(&template)
            .map_err(|e| token.error("list its keys", e))?;
        let handle = match handles.as_slice() {
            [] => return Ok(None),
            [h] => *h,
            _ => {
                return Err(Error::invalid(format!(
                    "{uri} matches {} keys on token {}: add object= or id= to name one",
                    handles.len(),
                    token.name()
                )));
            }
        };
        key_from_private(&token, handle, uri).map(Some)
    }

    /// Generates an ECDSA P-256 key pair on the token `uri` names, labelled `label`, private
    /// half sensitive and not extractable. Its `CKA_ID` is the URI's `id` when given (a
    /// YubiKey's PIV slot), else the dct key ID (32 bytes). A key already labelled `label` on
    /// the token is refused.
    pub fn generate(
        &mut self,
        uri: &Pkcs11Uri,
        label: &str,
        pins: &mut Retriever,
    ) -> Result<TokenKey> {
        let token = self.token(uri, None, pins)?;
        let session = token.session();
        let taken = session
            .find_objects(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::Label(label.as_bytes().to_vec()),
            ])
            .map_err(|e| token.error("list its keys", e))?;
        if !taken.is_empty() {
            return Err(Error::invalid(format!(
                "token {} already holds a private key labelled \"{label}\": use it with \
                 pkcs11:token=…;object={label}, remove it with dct key remove, or choose another \
                 name",
                token.name()
            )));
        }
        if let Some(id) = &uri.id {
            let used = session
                .find_objects(&[Attribute::Id(id.clone())])
                .map_err(|e| token.error("list its keys", e))?;
            if !used.is_empty() {
                return Err(Error::invalid(format!(
                    "token {} already holds an object with the ID the URI gives: choose another \
                     id=",
                    token.name()
                )));
            }
        }
        let temp_id = match &uri.id {
            Some(id) => id.clone(),
            None => {
                let mut r = vec![0u8; 16];
                getrandom::fill(&mut r).expect("the OS random number generator failed");
                r
            }
        };
        let label_attr = Attribute::Label(label.as_bytes().to_vec());
        let public_template = [
            Attribute::Token(true),
            Attribute::Private(false),
            Attribute::Verify(true),
            Attribute::EcParams(P256_PARAMS.to_vec()),
            label_attr.clone(),
            Attribute::Id(temp_id.clone()),
        ];
        let private_template = [
            Attribute::Token(true),
            Attribute::Private(true),
            Attribute::Sensitive(true),
            Attribute::Extractable(false),
            Attribute::Sign(true),
            label_attr,
            Attribute::Id(temp_id.clone()),
        ];
        let (public, private) = session
            .generate_key_pair(
                &Mechanism::EccKeyPairGen,
                &public_template,
                &private_template,
            )
            .map_err(|e| token.error("generate an ECDSA P-256 key pair", e))?;
        let point = ec_point(&session, public).ok_or_else(|| {
            Error::key(format!(
                "PKCS#11 token {} generated a key whose public point dct cannot read",
                token.name()
            ))
        })?;
        let mut id = temp_id;
        if uri.id.is_none() {
            let key_id = hex::decode(point.id()).expect("key IDs are hex");
            let set = [Attribute::Id(key_id.clone())];
            if session.update_attributes(public, &set).is_ok()
                && session.update_attributes(private, &set).is_ok()
            {
                id = key_id;
            } else {
                // Some tokens fix CKA_ID at generation; keep the random one on both halves.
                let _ = session.update_attributes(public, &[Attribute::Id(id.clone())]);
            }
        }
        drop(session);
        let named = Pkcs11Uri {
            object: Some(label.to_string()),
            id: Some(id),
            ..uri.clone()
        };
        key_from_private(&token, private, &named)
    }

    /// Removes `key`'s private and public objects from its token.
    pub fn destroy(&mut self, key: &TokenKey) -> Result<()> {
        let session = key.token.session();
        session
            .destroy_object(key.handle)
            .map_err(|e| key.token.error("remove the private key", e))?;
        for h in &key.public_handles {
            let _ = session.destroy_object(*h);
        }
        Ok(())
    }
}

fn matches_opt(want: &Option<String>, have: &str) -> bool {
    want.as_deref().is_none_or(|w| w == have)
}

/// Whether the token in `slot` is the one `uri` names.
fn slot_matches(m: &Pkcs11, uri: &Pkcs11Uri, slot: Slot, info: &TokenInfo) -> bool {
    if !(matches_opt(&uri.token, info.label())
        && matches_opt(&uri.manufacturer, info.manufacturer_id())
        && matches_opt(&uri.model, info.model())
        && matches_opt(&uri.serial, info.serial_number())
        && uri.slot_id.is_none_or(|id| id == slot.id()))
    {
        return false;
    }
    if uri.slot_description.is_none() && uri.slot_manufacturer.is_none() {
        return true;
    }
    m.get_slot_info(slot).is_ok_and(|s| {
        matches_opt(&uri.slot_description, s.slot_description())
            && matches_opt(&uri.slot_manufacturer, s.manufacturer_id())
    })
}

/// What the token says about its user PIN's failed tries (PKCS#11 reports flags, not a count).
fn pin_tries(info: &TokenInfo) -> &'static str {
    if info.user_pin_locked() {
        "the user PIN is now locked"
    } else if info.user_pin_final_try() {
        "one try is left before the PIN locks"
    } else if info.user_pin_count_low() {
        "fewer tries are left than the token allows"
    } else {
        "no failed-try warning"
    }
}

/// Logs in as the user once, with the PIN from `DCT_PKCS11_PIN` or a prompt. Never retried:
/// a wrong PIN is exit 7 with what the token reports, so dct never walks a token into a lockout.
fn login(
    m: &Pkcs11,
    slot: Slot,
    token: &Token,
    info: &TokenInfo,
    pins: &mut Retriever,
) -> Result<()> {
    let name = token.name();
    if info.user_pin_locked() {
        return Err(Error::key(format!(
            "the user PIN of PKCS#11 token {name} is locked: dct did not try it; unlock it with \
             the token's own tools (its SO PIN or PUK)"
        )));
    }
    let session = token.session();
    if info.protected_authentication_path() {
        return match session.login(UserType::User, None) {
            Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(()),
            Err(e) => Err(token.error("log in on its PIN pad", e)),
        };
    }
    let (pin, source) = pins.token_pin(&token.label)?;
    let from = match source {
        Source::Env(var) => format!("from {var}"),
        Source::Prompt => "typed".to_string(),
    };
    if info.user_pin_final_try() && matches!(source, Source::Env(_)) {
        return Err(Error::key(format!(
            "PKCS#11 token {name} has one PIN try left: dct does not spend it on the PIN {from}; \
             type it at a prompt (run on a terminal without {PIN_VAR})"
        )));
    }
    let auth = cryptoki::types::AuthPin::from(pin.as_str());
    match session.login(UserType::User, Some(&auth)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(()),
        Err(CkError::Pkcs11(RvError::PinIncorrect | RvError::PinLenRange, _)) => {
            let after = m
                .get_token_info(slot)
                .map(|i| pin_tries(&i))
                .unwrap_or("nothing about its tries");
            Err(Error::key(format!(
                "wrong PIN for PKCS#11 token {name} ({from}); the token reports: {after}. dct \
                 does not retry a PIN, so as not to lock the token"
            )))
        }
        Err(CkError::Pkcs11(RvError::PinLocked, _)) => Err(Error::key(format!(
            "the user PIN of PKCS#11 token {name} is locked: unlock it with the token's own \
             tools (its SO PIN or PUK)"
        ))),
        Err(e) => Err(token.error("log in", e)),
    }
}

/// `CKA_EC_POINT` of a P-256 public key object, as a TUF public key.
fn ec_point(session: &Session, public: ObjectHandle) -> Option<PublicKey> {
    let attrs = session
        .get_attributes(public, &[AttributeType::EcParams, AttributeType::EcPoint])
        .ok()?;
    let mut params = None;
    let mut point = None;
    for a in attrs {
        match a {
            Attribute::EcParams(p) => params = Some(p),
            Attribute::EcPoint(p) => point = Some(p),
            _ => {}
        }
    }
    if params.is_some_and(|p| p != P256_PARAMS) {
        return None;
    }
    public_from_ec_point(&point?)
}

/// The token key of private key object `handle`: its public half from the public key object
/// with the same `CKA_ID`. `uri` is completed with the object's label and ID.
fn key_from_private(token: &Arc<Token>, handle: ObjectHandle, uri: &Pkcs11Uri) -> Result<TokenKey> {
    let session = token.session();
    let attrs = session
        .get_attributes(
            handle,
            &[
                AttributeType::Id,
                AttributeType::Label,
                AttributeType::EcParams,
            ],
        )
        .map_err(|e| token.error("read a key's attributes", e))?;
    let mut id = Vec::new();
    let mut label = String::new();
    for a in attrs {
        match a {
            Attribute::Id(v) => id = v,
            Attribute::Label(v) => label = String::from_utf8_lossy(&v).into_owned(),
            Attribute::EcParams(p) if p != P256_PARAMS => {
                return Err(Error::invalid(format!(
                    "{uri} on token {} is not a P-256 key: notary and Docker use ECDSA P-256",
                    token.name()
                )));
            }
            _ => {}
        }
    }
    let publics = session
        .find_objects(&[
            Attribute::Class(ObjectClass::PUBLIC_KEY),
            Attribute::KeyType(CkKeyType::EC),
            Attribute::Id(id.clone()),
        ])
        .map_err(|e| token.error("list its keys", e))?;
    let public = publics
        .iter()
        .find_map(|h| ec_point(&session, *h))
        .ok_or_else(|| {
            Error::key(format!(
                "no P-256 public key object beside the private key {uri} on token {}: dct needs \
                 the pair's public key object (same CKA_ID)",
                token.name()
            ))
        })?;
    drop(session);
    let named = Pkcs11Uri {
        token: Some(token.label.clone()),
        serial: Some(token.serial.clone()),
        object: (!label.is_empty()).then_some(label),
        id: Some(id),
        object_type: None,
        module_path: uri.module_path.clone(),
        ..Default::default()
    };
    Ok(TokenKey {
        token: token.clone(),
        handle,
        public,
        uri: named,
        public_handles: publics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ec_points_in_both_forms_give_the_same_key() {
        let key = crate::keys::private::PrivateKey::generate_ecdsa();
        let crate::keys::private::PrivateKey::Ecdsa(sk) = &key else {
            unreachable!()
        };
        let point = sk.public_key().to_sec1_bytes();
        let mut der = vec![0x04, 0x41];
        der.extend_from_slice(&point);
        for form in [&der[..], &point[..]] {
            assert_eq!(public_from_ec_point(form).unwrap().id(), key.id());
        }
        assert!(public_from_ec_point(&[4, 1, 2]).is_none());
    }

    #[test]
    fn a_missing_module_is_a_key_problem_naming_it_and_the_token() {
        let uri = Pkcs11Uri::parse("pkcs11:token=t1?module-path=/nonexistent/lib.so").unwrap();
        let err = Tokens::default()
            .find(&uri, None, &mut Retriever::non_interactive())
            .unwrap_err();
        assert_eq!(err.exit_code(), crate::error::ExitCode::Key);
        let text = err.to_string();
        assert!(
            text.contains("/nonexistent/lib.so") && text.contains("\"t1\""),
            "{text}"
        );
    }
}
