//! Root certificates as notary builds them (spec §2.2): self-signed X.509 v3, subject = issuer =
//! `CN=<GUN>`, random 128-bit serial, valid 10 years from now, KeyUsage (critical)
//! digitalSignature|keyEncipherment, EKU codeSigning, BasicConstraints (critical) CA:FALSE,
//! signed with ECDSA-SHA256. In metadata the key is `ecdsa-x509` with Go's exact PEM text.

use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use der::asn1::OctetString;
use der::{Decode, Encode};
use spki::SubjectPublicKeyInfoRef;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::{Certificate, TbsCertificate};

use super::pem::Block;
use super::private::{EcSigner, KeyType, PublicKey};
use super::signer::KeySigner;
use crate::error::{Error, Result};

/// Root certificates live 10 years (3650 days), like notary's.
pub const ROOT_CERT_VALIDITY: Duration = Duration::from_secs(3650 * 24 * 3600);

const OID_CN: &str = "2.5.4.3";
const OID_KEY_USAGE: &str = "2.5.29.15";
const OID_EXT_KEY_USAGE: &str = "2.5.29.37";
const OID_BASIC_CONSTRAINTS: &str = "2.5.29.19";

/// The one leaf profile dct builds: a root certificate as notary makes it (keyUsage
/// digitalSignature | keyEncipherment, self-issued) or a Notation code-signing leaf
/// (notation-core-go's rules: keyUsage digitalSignature only). Both carry EKU codeSigning and
/// basicConstraints critical CA:FALSE.
struct LeafProfile {
    subject: Name,
    issuer: Name,
    /// The keyUsage extension's DER value (a BIT STRING).
    key_usage: &'static [u8],
}

/// BIT STRING, 5 unused bits, 0xA0 = digitalSignature | keyEncipherment (notary's root).
const KEY_USAGE_NOTARY_ROOT: &[u8] = &[0x03, 0x02, 0x05, 0xa0];
/// BIT STRING, 7 unused bits, 0x80 = digitalSignature (Notation's leaf).
const KEY_USAGE_CODE_SIGNING: &[u8] = &[0x03, 0x02, 0x07, 0x80];

impl BuilderProfile for LeafProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let ext = |oid: &str, critical: bool, value: &[u8]| Extension {
            extn_id: der::oid::ObjectIdentifier::new_unwrap(oid),
            critical,
            extn_value: OctetString::new(value.to_vec()).expect("short extension value"),
        };
        Ok(vec![
            ext(OID_KEY_USAGE, true, self.key_usage),
            // SEQUENCE { OID 1.3.6.1.5.5.7.3.3 codeSigning }
            ext(
                OID_EXT_KEY_USAGE,
                false,
                &[
                    0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03,
                ],
            ),
            // SEQUENCE {} = CA:FALSE
            ext(OID_BASIC_CONSTRAINTS, true, &[0x30, 0x00]),
        ])
    }
}

/// `CN=<gun>`, as Go encodes it: PrintableString when every character allows it, else UTF8String.
fn common_name(gun: &str) -> Result<Name> {
    use super::asn1::{TAG_OID, TAG_SEQUENCE, tlv};
    let printable = gun
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b));
    let tag = if printable { 0x13 } else { 0x0c }; // PrintableString / UTF8String
    let mut atv = tlv(TAG_OID, &[0x55, 0x04, 0x03]); // 2.5.4.3 commonName
    atv.extend(tlv(tag, gun.as_bytes()));
    let rdn = tlv(0x31, &tlv(TAG_SEQUENCE, &atv)); // SET OF
    Name::from_der(&tlv(TAG_SEQUENCE, &rdn))
        .map_err(|e| Error::invalid(format!("GUN \"{gun}\" cannot be a certificate name: {e}")))
}

/// The public half of a certificate's signer, for the builder: the ECDSA-SHA256 algorithm and
/// the P-256 key. The signature itself comes from a [`KeySigner`] (a key file or a token).
struct CertKey(p256::ecdsa::VerifyingKey);

impl p256::ecdsa::signature::Keypair for CertKey {
    type VerifyingKey = p256::ecdsa::VerifyingKey;

    fn verifying_key(&self) -> Self::VerifyingKey {
        self.0
    }
}

impl spki::DynSignatureAlgorithmIdentifier for CertKey {
    fn signature_algorithm_identifier(&self) -> spki::Result<spki::AlgorithmIdentifierOwned> {
        Ok(spki::AlgorithmIdentifierOwned {
            oid: der::oid::ObjectIdentifier::new_unwrap(OID_ECDSA_WITH_SHA256),
            parameters: None,
        })
    }
}

const OID_ECDSA_WITH_SHA256: &str = "1.2.840.10045.4.3.2";

/// Builds the self-signed root certificate for `gun`, valid from `now` (seconds precision),
/// signed by `key` (a key file or a PKCS#11 token key): ECDSA over SHA-256 of the
/// to-be-signed DER, the `r ‖ s` the key returns encoded as DER in the certificate.
pub fn root_certificate(key: &dyn KeySigner, gun: &str, now: SystemTime) -> Result<Certificate> {
    if !key.is_ecdsa() {
        return Err(Error::invalid(
            "root keys must be ECDSA P-256: notary cannot put an Ed25519 or RSA key in a \
             certificate",
        ));
    }
    let secs = now
        .duration_since(UNIX_EPOCH)
        .map_err(|_| Error::invalid("the system clock is before 1970"))?
        .as_secs();
    let start = UNIX_EPOCH + Duration::from_secs(secs);
    let to_time = |t: SystemTime| {
        Time::try_from(t).map_err(|e| Error::Other(format!("certificate time: {e}")))
    };
    let validity = Validity::new(to_time(start)?, to_time(start + ROOT_CERT_VALIDITY)?);
    let mut serial = [0u8; 16];
    getrandom::fill(&mut serial).expect("the OS random number generator failed");
    serial[0] &= 0x7f; // positive, and below 2^128 like Go's rand.Int(2^128)
    let serial = SerialNumber::new(&serial).expect("16 bytes is a valid serial");
    let public = key.public_key().public;
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(&public)
        .map_err(|e| Error::Other(format!("public key: {e}")))?;
    let verifying = {
        use p256::pkcs8::DecodePublicKey;
        p256::ecdsa::VerifyingKey::from_public_key_der(&public)
            .map_err(|e| Error::Other(format!("public key: {e}")))?
    };
    let subject = common_name(gun)?;
    let profile = LeafProfile {
        issuer: subject.clone(),
        subject,
        key_usage: KEY_USAGE_NOTARY_ROOT,
    };
    let failed = |e: &dyn std::fmt::Display| {
        Error::Other(format!("cannot build the root certificate for {gun}: {e}"))
    };
    let cert_key = CertKey(verifying);
    let mut builder =
        CertificateBuilder::new(profile, serial, validity, spki).map_err(|e| failed(&e))?;
    let tbs = builder.finalize(&cert_key).map_err(|e| failed(&e))?;
    let (method, raw) = key.sign_tuf(&tbs)?;
    let sig = p256::ecdsa::Signature::from_slice(&raw)
        .ok()
        .filter(|_| method == "ecdsa")
        .ok_or_else(|| failed(&"the key returned a malformed ECDSA signature"))?;
    let der_sig = sig.to_der();
    let bits = der::asn1::BitString::from_bytes(der_sig.as_bytes()).map_err(|e| failed(&e))?;
    builder.assemble(bits, &cert_key).map_err(|e| failed(&e))
}

/// Attribute OIDs of a code-signing subject, in the order they are written: country, state,
/// organisation, common name.
const OID_C: &[u8] = &[0x55, 0x04, 0x06];
const OID_ST: &[u8] = &[0x55, 0x04, 0x08];
const OID_O: &[u8] = &[0x55, 0x04, 0x0a];
const OID_CN_DER: &[u8] = &[0x55, 0x04, 0x03];

/// The subject of a Notation code-signing certificate: Notation's trust policies name
/// identities by C, ST and O, so all four are always present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSigningSubject {
    /// `C`: the country.
    pub country: String,
    /// `ST`: the state or province.
    pub state: String,
    /// `O`: the organization.
    pub organization: String,
    /// `CN`: the common name.
    pub common_name: String,
}

impl CodeSigningSubject {
    /// `C=…, ST=…, O=…, CN=…`, as a Notation trust policy's `x509.subject:` identity writes it.
    pub fn to_dn(&self) -> String {
        format!(
            "C={}, ST={}, O={}, CN={}",
            self.country, self.state, self.organization, self.common_name
        )
    }

    fn to_name(&self) -> Result<Name> {
        use super::asn1::{TAG_OID, TAG_SEQUENCE, tlv};
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid(format!(
                "certificate country {:?} must be two capital letters",
                self.country
            )));
        }
        let bad = [&self.state, &self.organization, &self.common_name]
            .into_iter()
            .find(|v| v.is_empty() || v.contains([',', '=', '+', '"', '\\']));
        if let Some(v) = bad {
            return Err(Error::invalid(format!(
                "certificate name part {v:?} must be non-empty without , = + \" or \\"
            )));
        }
        let mut rdns = Vec::new();
        for (oid, tag, value) in [
            (OID_C, 0x13u8, &self.country), // PrintableString
            (OID_ST, 0x0c, &self.state),    // UTF8String
            (OID_O, 0x0c, &self.organization),
            (OID_CN_DER, 0x0c, &self.common_name),
        ] {
            let mut atv = tlv(TAG_OID, oid);
            atv.extend(tlv(tag, value.as_bytes()));
            rdns.extend(tlv(0x31, &tlv(TAG_SEQUENCE, &atv)));
        }
        Name::from_der(&tlv(TAG_SEQUENCE, &rdns)).map_err(|e| {
            Error::invalid(format!(
                "{} cannot be a certificate name: {e}",
                self.to_dn()
            ))
        })
    }

    /// C, ST and O of `cert`'s subject (a CA issuing the leaf), when it has them.
    pub fn from_issuer(cert: &Certificate, common_name: &str) -> Option<CodeSigningSubject> {
        Some(CodeSigningSubject {
            country: subject_attribute(cert, OID_C)?,
            state: subject_attribute(cert, OID_ST)?,
            organization: subject_attribute(cert, OID_O)?,
            common_name: common_name.to_string(),
        })
    }
}

fn subject_attribute(cert: &Certificate, oid: &[u8]) -> Option<String> {
    let oid = der::oid::ObjectIdentifier::from_bytes(oid).ok()?;
    cert.tbs_certificate()
        .subject()
        .iter()
        .find(|atv| atv.oid == oid)
        .and_then(|atv| std::str::from_utf8(atv.value.value()).ok())
        .map(str::to_string)
}

/// Who signs a code-signing certificate: the leaf's own key (self-signed), or a CA.
pub enum Issuer<'a> {
    /// The leaf's own key signs it.
    SelfSigned,
    /// A CA signs it.
    Ca {
        /// The CA certificate, whose subject becomes the leaf's issuer.
        cert: &'a Certificate,
        /// The CA's private key.
        key: &'a EcSigner,
    },
}

/// Builds a Notation code-signing certificate for `key`'s public key: valid from five minutes
/// before `now` (clock skew) until `not_after`, random 128-bit serial, ECDSA-SHA256.
pub fn code_signing_certificate(
    key: &EcSigner,
    subject: &CodeSigningSubject,
    issuer: Issuer<'_>,
    now: SystemTime,
    not_after: SystemTime,
) -> Result<Certificate> {
    let to_time = |t: SystemTime| {
        let secs = t
            .duration_since(UNIX_EPOCH)
            .map_err(|_| Error::invalid("the system clock is before 1970"))?
            .as_secs();
        Time::try_from(UNIX_EPOCH + Duration::from_secs(secs))
            .map_err(|e| Error::Other(format!("certificate time: {e}")))
    };
    let validity = Validity::new(
        to_time(now - Duration::from_secs(300))?,
        to_time(not_after)?,
    );
    let mut serial = [0u8; 16];
    getrandom::fill(&mut serial).expect("the OS random number generator failed");
    serial[0] &= 0x7f;
    let serial = SerialNumber::new(&serial).expect("16 bytes is a valid serial");
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(&key.public_spki_der())
        .map_err(|e| Error::Other(format!("public key: {e}")))?;
    let subject = subject.to_name()?;
    let (issuer_name, signer) = match issuer {
        Issuer::SelfSigned => (subject.clone(), key),
        Issuer::Ca { cert, key: ca } => (cert.tbs_certificate().subject().clone(), ca),
    };
    let profile = LeafProfile {
        subject,
        issuer: issuer_name,
        key_usage: KEY_USAGE_CODE_SIGNING,
    };
    CertificateBuilder::new(profile, serial, validity, spki)
        .and_then(|b| b.build::<_, p256::ecdsa::DerSignature>(signer.signing_key()))
        .map_err(|e| Error::Other(format!("cannot build the code-signing certificate: {e}")))
}

/// Every `CERTIFICATE` block of PEM `text`, parsed, in order.
pub fn parse_certificates(text: &[u8]) -> Result<Vec<Certificate>> {
    let blocks =
        super::pem::parse_all(text).map_err(|e| Error::invalid(format!("not PEM: {e}")))?;
    blocks
        .iter()
        .filter(|b| b.label == "CERTIFICATE")
        .map(|b| {
            Certificate::from_der(&b.data)
                .map_err(|e| Error::invalid(format!("malformed certificate: {e}")))
        })
        .collect()
}

/// A certificate's DER bytes.
pub fn certificate_der(cert: &Certificate) -> Vec<u8> {
    cert.to_der().expect("a parsed certificate encodes")
}

/// The SPKI DER of a certificate's public key.
pub fn certificate_spki(cert: &Certificate) -> Vec<u8> {
    cert.tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .expect("a parsed key encodes")
}

/// When `cert` stops being valid.
pub fn not_after(cert: &Certificate) -> SystemTime {
    cert.tbs_certificate().validity().not_after.to_system_time()
}

/// Go's PEM text of a certificate: no headers, 64-character lines, trailing newline.
pub fn certificate_pem(cert: &Certificate) -> String {
    let der = cert.to_der().expect("a built certificate encodes");
    Block::new("CERTIFICATE", der).encode()
}

/// The `ecdsa-x509` public key that root.json lists for this certificate.
pub fn x509_public_key(cert: &Certificate) -> PublicKey {
    PublicKey::new(KeyType::EcdsaX509, certificate_pem(cert).into_bytes())
}

/// The canonical key ID of an x509 public key: the ID of the plain key in its leaf certificate
/// (which is the private key file's name). Other key types are their own canonical ID.
pub fn canonical_key_id(key: &PublicKey) -> Result<String> {
    let plain = match key.keytype {
        KeyType::EcdsaX509 | KeyType::RsaX509 => {
            let blocks = super::pem::parse_all(&key.public)
                .map_err(|e| Error::invalid(format!("certificate key: {e}")))?;
            let leaf = blocks
                .iter()
                .find(|b| b.label == "CERTIFICATE")
                .ok_or_else(|| Error::invalid("certificate key holds no CERTIFICATE block"))?;
            let cert = Certificate::from_der(&leaf.data)
                .map_err(|e| Error::invalid(format!("malformed certificate: {e}")))?;
            let spki = cert
                .tbs_certificate()
                .subject_public_key_info()
                .to_der()
                .map_err(|e| Error::invalid(format!("malformed certificate: {e}")))?;
            let keytype = if key.keytype == KeyType::EcdsaX509 {
                KeyType::Ecdsa
            } else {
                KeyType::Rsa
            };
            PublicKey::new(keytype, spki)
        }
        _ => key.clone(),
    };
    Ok(plain.id())
}

/// Parses `CN` out of a certificate (used by tests and root validation).
pub fn common_name_of(cert: &Certificate) -> Option<String> {
    let cn = der::oid::ObjectIdentifier::from_str(OID_CN).ok()?;
    cert.tbs_certificate()
        .subject()
        .iter()
        .find(|atv| atv.oid == cn)
        .map(|atv| String::from_utf8_lossy(atv.value.value()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::private::PrivateKey;

    #[test]
    fn root_cert_has_notarys_shape_and_cert_based_id() {
        let key = PrivateKey::generate_ecdsa();
        let now = SystemTime::now();
        let cert = root_certificate(&key, "127.0.0.1:5000/demo/app", now).unwrap();
        assert_eq!(
            common_name_of(&cert).as_deref(),
            Some("127.0.0.1:5000/demo/app")
        );
        let tbs = cert.tbs_certificate();
        assert_eq!(tbs.issuer(), tbs.subject());
        let exts: Vec<_> = tbs.extensions().unwrap().iter().collect();
        assert_eq!(exts.len(), 3);
        assert!(exts[0].critical && !exts[1].critical && exts[2].critical);
        let v = tbs.validity();
        let span = v.not_after.to_unix_duration() - v.not_before.to_unix_duration();
        assert_eq!(span, ROOT_CERT_VALIDITY);
        let pem = certificate_pem(&cert);
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\nMII"));
        assert!(pem.ends_with("\n-----END CERTIFICATE-----\n"));
        let x509 = x509_public_key(&cert);
        assert_ne!(x509.id(), key.id());
        assert_eq!(canonical_key_id(&x509).unwrap(), key.id());
    }

    #[test]
    fn the_certificate_is_signed_by_its_key() {
        use p256::ecdsa::signature::Verifier;
        use p256::pkcs8::DecodePublicKey;
        let key = PrivateKey::generate_ecdsa();
        let cert = root_certificate(&key, "example.com/a", SystemTime::now()).unwrap();
        let tbs = cert.tbs_certificate().to_der().unwrap();
        let vk = p256::ecdsa::VerifyingKey::from_public_key_der(&key.public_key().public).unwrap();
        let sig =
            p256::ecdsa::DerSignature::from_bytes(cert.signature().as_bytes().unwrap()).unwrap();
        assert!(vk.verify(&tbs, &sig).is_ok());
        assert_eq!(
            cert.signature_algorithm().oid.to_string(),
            OID_ECDSA_WITH_SHA256
        );
        assert_eq!(
            cert.tbs_certificate().signature(),
            cert.signature_algorithm()
        );
    }

    #[test]
    fn ed25519_root_keys_are_refused() {
        let key = PrivateKey::generate_ed25519();
        assert!(root_certificate(&key, "a/b", SystemTime::now()).is_err());
    }
}
