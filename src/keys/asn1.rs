//! The few DER structures notary's key files use, written and read by hand: notary's inner
//! PKCS#8 is non-standard (EC `version 1` without a public key, a GnuPG OID and a 96-byte blob for
//! Ed25519), which the `pkcs8` crate refuses, so we own these ~80 lines instead of patching bytes.

pub const TAG_INTEGER: u8 = 0x02;
pub const TAG_OCTET_STRING: u8 = 0x04;
pub const TAG_OID: u8 = 0x06;
pub const TAG_SEQUENCE: u8 = 0x30;

/// DER-encoded OIDs (value bytes only).
pub const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
pub const OID_PRIME256V1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// 1.3.6.1.4.1.11591.15.1, the GnuPG Ed25519 OID notary writes.
pub const OID_ED25519_GNU: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01];
/// 1.3.101.112, RFC 8410 Ed25519 (accepted on import).
pub const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
/// 1.2.840.113549.1.1.1 rsaEncryption.
pub const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// Encodes one TLV with a DER length.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 4);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A forward-only reader over DER TLVs.
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Reads the next TLV and returns (tag, content).
    pub fn read_tlv(&mut self) -> Option<(u8, &'a [u8])> {
        let (&tag, rest) = self.rest.split_first()?;
        let (&first, mut rest) = rest.split_first()?;
        let len = if first < 0x80 {
            first as usize
        } else {
            let n = (first & 0x7f) as usize;
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | *b as usize);
            rest = &rest[n..];
            len
        };
        if rest.len() < len {
            return None;
        }
        let (content, rest) = rest.split_at(len);
        self.rest = rest;
        Some((tag, content))
    }

    /// Reads the next TLV, which must carry `tag`.
    pub fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.read_tlv()? {
            (t, content) if t == tag => Some(content),
            _ => None,
        }
    }
}

/// The fields of a PKCS#8 `PrivateKeyInfo` that matter to us.
pub struct PrivateKeyInfo<'a> {
    pub algorithm: &'a [u8],
    /// First parameter of the AlgorithmIdentifier, when it is an OID (the EC curve).
    pub curve: Option<&'a [u8]>,
    pub private_key: &'a [u8],
}

/// Parses a PKCS#8 `PrivateKeyInfo` of version 0 or 1, ignoring optional trailing fields.
pub fn parse_private_key_info(der: &[u8]) -> Option<PrivateKeyInfo<'_>> {
    let mut outer = Reader::new(der);
    let body = outer.expect(TAG_SEQUENCE)?;
    let mut r = Reader::new(body);
    let version = r.expect(TAG_INTEGER)?;
    if version != [0] && version != [1] {
        return None;
    }
    let mut alg = Reader::new(r.expect(TAG_SEQUENCE)?);
    let algorithm = alg.expect(TAG_OID)?;
    let curve = match alg.read_tlv() {
        Some((TAG_OID, oid)) => Some(oid),
        _ => None,
    };
    let private_key = r.expect(TAG_OCTET_STRING)?;
    Some(PrivateKeyInfo {
        algorithm,
        curve,
        private_key,
    })
}

/// The named curve of a SEC1 `ECPrivateKey` (`[0] parameters`), when it has one.
pub fn sec1_curve(der: &[u8]) -> Option<Vec<u8>> {
    let mut outer = Reader::new(der);
    let mut r = Reader::new(outer.expect(TAG_SEQUENCE)?);
    r.expect(TAG_INTEGER)?;
    r.expect(TAG_OCTET_STRING)?;
    let params = r.expect(0xa0)?;
    Reader::new(params).expect(TAG_OID).map(<[u8]>::to_vec)
}

/// A readable name for an elliptic curve OID (the NIST names for the curves people use).
pub fn curve_name(oid: &[u8]) -> String {
    match oid {
        OID_PRIME256V1 => "P-256".into(),
        [0x2b, 0x81, 0x04, 0x00, 0x21] => "P-224".into(),
        [0x2b, 0x81, 0x04, 0x00, 0x22] => "P-384".into(),
        [0x2b, 0x81, 0x04, 0x00, 0x23] => "P-521".into(),
        [0x2b, 0x81, 0x04, 0x00, 0x0a] => "secp256k1".into(),
        other => format!("EC curve OID {}", hex::encode(other)),
    }
}

/// Encodes a `PrivateKeyInfo` the way notary does.
pub fn private_key_info(version: u8, algorithm: &[&[u8]], private_key: &[u8]) -> Vec<u8> {
    let mut alg = Vec::new();
    for oid in algorithm {
        alg.extend(tlv(TAG_OID, oid));
    }
    let mut body = tlv(TAG_INTEGER, &[version]);
    body.extend(tlv(TAG_SEQUENCE, &alg));
    body.extend(tlv(TAG_OCTET_STRING, private_key));
    tlv(TAG_SEQUENCE, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lengths_round_trip() {
        let content = vec![7u8; 300];
        let enc = tlv(TAG_OCTET_STRING, &content);
        assert_eq!(&enc[..4], &[0x04, 0x82, 0x01, 0x2c]);
        let mut r = Reader::new(&enc);
        assert_eq!(r.expect(TAG_OCTET_STRING).unwrap(), &content[..]);
        assert!(r.is_empty());
    }

    #[test]
    fn truncated_input_is_rejected() {
        let enc = tlv(TAG_SEQUENCE, &[1, 2, 3]);
        assert!(Reader::new(&enc[..3]).read_tlv().is_none());
    }
}
