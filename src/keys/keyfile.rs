//! Key files as notary writes them: an `ENCRYPTED PRIVATE KEY` PEM block (PBES2, PBKDF2-HMAC-SHA1,
//! 2048 rounds, 8-byte salt, AES-256-CBC) with `role:`/`gun:` headers; plus the legacy forms of
//! notary ≤ 0.3 (`EC PRIVATE KEY` / `ED25519 PRIVATE KEY`, optionally OpenSSL-encrypted).

use der::{Decode, Encode};
use pkcs8::EncryptedPrivateKeyInfoRef;
use pkcs8::pkcs5::{self, pbes2};
use zeroize::Zeroizing;

use super::pem::Block;
use super::private::PrivateKey;
use crate::error::Error;

pub(crate) const LABEL_ENCRYPTED: &str = "ENCRYPTED PRIVATE KEY";
pub(crate) const LABEL_PLAIN: &str = "PRIVATE KEY";
const LEGACY_LABELS: [&str; 3] = ["EC PRIVATE KEY", "ED25519 PRIVATE KEY", "RSA PRIVATE KEY"];

/// Roles whose key files carry a `gun:` header (notary drops it for root and delegations).
pub fn role_keeps_gun(role: &str) -> bool {
    matches!(role, "targets" | "snapshot" | "timestamp")
}

/// Why a key block could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The block is encrypted and no passphrase was given.
    NeedsPassphrase,
    /// The passphrase does not decrypt the block.
    WrongPassphrase,
    /// The block is not a usable private key.
    Invalid(Error),
}

/// Whether `block` is a private key block dct understands (encrypted or not).
pub fn is_private_key_block(block: &Block) -> bool {
    block.label == LABEL_ENCRYPTED
        || block.label == LABEL_PLAIN
        || LEGACY_LABELS.contains(&block.label.as_str())
}

/// Whether `block` needs a passphrase: encrypted PKCS#8, or a legacy block whose `Proc-Type` says
/// `ENCRYPTED`.
pub fn is_encrypted(block: &Block) -> bool {
    block.label == LABEL_ENCRYPTED
        || block
            .header("Proc-Type")
            .is_some_and(|v| v.contains("ENCRYPTED"))
}

/// Checks the structure of an encrypted key block without a passphrase: a PKCS#8
/// `EncryptedPrivateKeyInfo` that parses, or a legacy block with a `DEK-Info` header.
pub fn check_encrypted_structure(block: &Block) -> Result<(), String> {
    if block.label == LABEL_ENCRYPTED {
        EncryptedPrivateKeyInfoRef::from_der(&block.data)
            .map(|_| ())
            .map_err(|_| "malformed encrypted private key".to_string())
    } else if block.header("DEK-Info").is_some() {
        Ok(())
    } else {
        Err("encrypted legacy key has no DEK-Info header".into())
    }
}

/// Decrypts (if needed) and decodes a private key block.
pub fn open(block: &Block, passphrase: Option<&[u8]>) -> Result<PrivateKey, OpenError> {
    let invalid = |msg: &str| OpenError::Invalid(Error::invalid(msg.to_string()));
    match block.label.as_str() {
        LABEL_PLAIN => PrivateKey::from_pkcs8(&block.data).map_err(OpenError::Invalid),
        LABEL_ENCRYPTED => {
            let pass = passphrase.ok_or(OpenError::NeedsPassphrase)?;
            let info = EncryptedPrivateKeyInfoRef::from_der(&block.data)
                .map_err(|_| invalid("malformed encrypted private key"))?;
            let plain = info
                .encryption_algorithm
                .decrypt(pass, info.encrypted_data.as_bytes())
                .map(Zeroizing::new)
                .map_err(|_| OpenError::WrongPassphrase)?;
            // Like notary, a wrong passphrase that happens to unpad is caught by the DER parse;
            // a well-formed key of a type dct cannot use says so instead.
            PrivateKey::from_pkcs8(&plain).map_err(|_| {
                match unsupported_curve(LABEL_PLAIN, &plain) {
                    Some(kind) => {
                        OpenError::Invalid(Error::invalid(format!("unsupported key type {kind}")))
                    }
                    None => OpenError::WrongPassphrase,
                }
            })
        }
        label if LEGACY_LABELS.contains(&label) => {
            let plain = if is_encrypted(block) {
                let pass = passphrase.ok_or(OpenError::NeedsPassphrase)?;
                legacy_decrypt(block, pass)?
            } else {
                block.data.clone()
            };
            let parsed = match label {
                "EC PRIVATE KEY" => PrivateKey::from_sec1(&plain),
                "ED25519 PRIVATE KEY" => PrivateKey::from_ed25519_blob(&plain),
                _ => PrivateKey::from_pkcs1(&plain),
            };
            parsed.map_err(|e| {
                if let Some(kind) = unsupported_curve(label, &plain) {
                    OpenError::Invalid(Error::invalid(format!("unsupported key type {kind}")))
                } else if is_encrypted(block) {
                    OpenError::WrongPassphrase
                } else {
                    OpenError::Invalid(e)
                }
            })
        }
        other => Err(invalid(&format!(
            "PEM block \"{other}\" is not a private key"
        ))),
    }
}

/// The name of the elliptic curve of a well-formed EC key on another curve than P-256 (its
/// decrypted DER as `label` holds it: PKCS#8 or SEC1), e.g. `P-384`; `None` otherwise.
fn unsupported_curve(label: &str, der: &[u8]) -> Option<String> {
    use crate::keys::asn1;
    let curve = if label == LABEL_PLAIN {
        let info = asn1::parse_private_key_info(der)?;
        if info.algorithm != asn1::OID_EC_PUBLIC_KEY {
            return None;
        }
        info.curve?.to_vec()
    } else if label == "EC PRIVATE KEY" {
        asn1::sec1_curve(der)?
    } else {
        return None;
    };
    if curve == asn1::OID_PRIME256V1 {
        return None;
    }
    Some(asn1::curve_name(&curve))
}

/// OpenSSL "traditional" PEM encryption: `DEK-Info: AES-*-CBC,<iv>`, key from
/// EVP_BytesToKey(MD5, salt = iv[..8], 1 round).
fn legacy_decrypt(block: &Block, pass: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    use md5::{Digest, Md5};

    let invalid = |msg: String| OpenError::Invalid(Error::invalid(msg));
    let dek = block
        .header("DEK-Info")
        .ok_or_else(|| invalid("encrypted legacy key has no DEK-Info header".into()))?;
    let (cipher, iv_hex) = dek
        .split_once(',')
        .ok_or_else(|| invalid(format!("malformed DEK-Info header \"{dek}\"")))?;
    let iv = hex::decode(iv_hex.trim())
        .ok()
        .filter(|iv| iv.len() == 16)
        .ok_or_else(|| invalid(format!("malformed DEK-Info header \"{dek}\"")))?;
    let key_len = match cipher {
        "AES-128-CBC" => 16,
        "AES-192-CBC" => 24,
        "AES-256-CBC" => 32,
        other => {
            return Err(invalid(format!(
                "legacy key cipher {other} is not supported (AES-128/192/256-CBC are)"
            )));
        }
    };
    let mut key = Zeroizing::new(Vec::with_capacity(48));
    let mut prev: Vec<u8> = Vec::new();
    while key.len() < key_len {
        let mut h = Md5::new();
        h.update(&prev);
        h.update(pass);
        h.update(&iv[..8]);
        prev = h.finalize().to_vec();
        key.extend_from_slice(&prev);
    }
    key.truncate(key_len);
    let mut buf = Zeroizing::new(block.data.to_vec());
    let len = match key_len {
        16 => cbc_decrypt::<aes::Aes128>(&key, &iv, &mut buf),
        24 => cbc_decrypt::<aes::Aes192>(&key, &iv, &mut buf),
        _ => cbc_decrypt::<aes::Aes256>(&key, &iv, &mut buf),
    }
    .ok_or(OpenError::WrongPassphrase)?;
    buf.truncate(len);
    Ok(buf)
}

/// AES-CBC with PKCS#7 padding, in place; the plaintext length, or `None` on bad padding.
fn cbc_decrypt<C>(key: &[u8], iv: &[u8], buf: &mut [u8]) -> Option<usize>
where
    C: aes::cipher::BlockCipherDecrypt + aes::cipher::KeyInit,
{
    use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
    let d = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    d.decrypt_padded::<Pkcs7>(buf).ok().map(|p| p.len())
}

/// Encrypts `key` exactly as notary does and returns the PEM block with `role`/`gun` headers
/// (`gun` only where notary writes it). An empty passphrase gives an unencrypted `PRIVATE KEY`,
/// as notary does.
pub fn seal(key: &PrivateKey, passphrase: &[u8], role: &str, gun: Option<&str>) -> Block {
    let inner = key.to_notary_pkcs8();
    let mut block = if passphrase.is_empty() {
        Block::new(LABEL_PLAIN, inner.to_vec())
    } else {
        let mut salt = [0u8; 8];
        let mut iv = [0u8; 16];
        getrandom::fill(&mut salt).expect("the OS random number generator failed");
        getrandom::fill(&mut iv).expect("the OS random number generator failed");
        let params = pbes2::Parameters {
            kdf: pbes2::Pbkdf2Params {
                salt: pbes2::Salt::new(salt).expect("8 bytes is a valid salt"),
                iteration_count: 2048,
                key_length: None,
                prf: pbes2::Pbkdf2Prf::HmacWithSha1,
            }
            .into(),
            encryption: pbes2::EncryptionScheme::Aes256Cbc { iv },
        };
        let ciphertext = params
            .encrypt(passphrase, &inner)
            .expect("AES-256-CBC encryption cannot fail");
        let info = pkcs8::EncryptedPrivateKeyInfo {
            encryption_algorithm: pkcs5::EncryptionScheme::from(params),
            encrypted_data: der::asn1::OctetStringRef::new(&ciphertext)
                .expect("ciphertext fits in an OCTET STRING"),
        };
        Block::new(
            LABEL_ENCRYPTED,
            info.to_der().expect("encrypted key info encodes"),
        )
    };
    block.set_header("role", Some(role));
    block.set_header("gun", gun.filter(|g| !g.is_empty() && role_keeps_gun(role)));
    block
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::pem;

    #[test]
    fn sealed_keys_open_with_the_right_passphrase_only() {
        let key = PrivateKey::generate_ecdsa();
        let block = seal(&key, b"correct horse", "targets", Some("example.com/a/b"));
        let text = block.encode();
        assert!(text.contains("gun: example.com/a/b\nrole: targets\n\n"));
        let back = &pem::parse_all(text.as_bytes()).unwrap()[0];
        assert_eq!(open(back, Some(b"correct horse")).unwrap().id(), key.id());
        assert!(matches!(
            open(back, Some(b"wrong horse")),
            Err(OpenError::WrongPassphrase)
        ));
        assert!(matches!(open(back, None), Err(OpenError::NeedsPassphrase)));
    }

    #[test]
    fn root_and_signer_keys_carry_no_gun() {
        let key = PrivateKey::generate_ecdsa();
        for role in ["root", "alice", "targets/releases"] {
            let block = seal(&key, b"12345678", role, Some("example.com/a/b"));
            assert_eq!(block.header("gun"), None);
        }
    }

    #[test]
    fn the_encryption_parameters_are_notarys() {
        let block = seal(&PrivateKey::generate_ed25519(), b"12345678", "root", None);
        let info = EncryptedPrivateKeyInfoRef::from_der(&block.data).unwrap();
        let p = info.encryption_algorithm.pbes2().unwrap();
        let kdf = p.kdf.pbkdf2().unwrap();
        assert_eq!(kdf.iteration_count, 2048);
        assert_eq!(kdf.salt.as_ref().len(), 8);
        assert_eq!(kdf.prf, pbes2::Pbkdf2Prf::HmacWithSha1);
        assert_eq!(kdf.key_length, None);
        assert!(matches!(
            p.encryption,
            pbes2::EncryptionScheme::Aes256Cbc { .. }
        ));
    }
}
