//! PKCS#11 URIs (RFC 7512): `pkcs11:token=…;object=…;id=%01?module-path=…`, parsed once into
//! a typed value. Path attributes select the library, slot, token and object; of the query
//! attributes dct takes `module-path` and refuses `pin-value`/`pin-source` (a PIN never goes
//! into argv or a file dct reads: `DCT_PKCS11_PIN` or a prompt) and `module-name`.

use std::fmt;
use std::path::PathBuf;

use crate::error::{Error, Result};

/// A parsed PKCS#11 URI. Every attribute is optional; an absent one matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pkcs11Uri {
    /// `token`: the token label.
    pub token: Option<String>,
    /// `manufacturer`: the token's manufacturer ID.
    pub manufacturer: Option<String>,
    /// `model`: the token's model.
    pub model: Option<String>,
    /// `serial`: the token's serial number.
    pub serial: Option<String>,
    /// `object`: the object's label (`CKA_LABEL`).
    pub object: Option<String>,
    /// `id`: the object's ID (`CKA_ID`), raw bytes.
    pub id: Option<Vec<u8>>,
    /// `type`: `private`, `public`, `cert`, `secret-key` or `data`.
    pub object_type: Option<String>,
    /// `slot-id`: the slot number.
    pub slot_id: Option<u64>,
    /// `slot-description`: the slot's description.
    pub slot_description: Option<String>,
    /// `slot-manufacturer`: the slot's manufacturer.
    pub slot_manufacturer: Option<String>,
    /// `library-manufacturer`: the module's manufacturer.
    pub library_manufacturer: Option<String>,
    /// `library-description`: the module's description.
    pub library_description: Option<String>,
    /// `library-version`: the module's version (`major[.minor]`).
    pub library_version: Option<String>,
    /// `module-path` (query): the PKCS#11 module to load.
    pub module_path: Option<PathBuf>,
}

fn usage(uri: &str, why: impl fmt::Display) -> Error {
    Error::invalid(format!("invalid PKCS#11 URI \"{}\": {why}", redacted(uri)))
}

/// `uri` with the value of a `pin-value` attribute hidden, so an error never repeats a PIN.
fn redacted(uri: &str) -> String {
    let Some(start) = uri.find("pin-value=") else {
        return uri.to_string();
    };
    let value = start + "pin-value=".len();
    let end = uri[value..].find('&').map_or(uri.len(), |i| value + i);
    format!("{}(hidden){}", &uri[..value], &uri[end..])
}

/// Decodes `%XX` escapes (RFC 7512 §2.3); other characters stand for themselves.
fn percent_decode(uri: &str, value: &str) -> Result<Vec<u8>> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| usage(uri, format!("bad percent-encoding in \"{value}\"")))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn text(uri: &str, name: &str, value: &str) -> Result<String> {
    String::from_utf8(percent_decode(uri, value)?)
        .map_err(|_| usage(uri, format!("{name} is not UTF-8")))
}

/// Percent-encodes everything but RFC 3986's unreserved characters and a few that are safe in
/// both the path and the query.
fn encode(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~:@!$'()*+,/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// Percent-encodes every byte (how RFC 7512 writes `id`).
fn encode_all(bytes: &[u8], out: &mut String) {
    for b in bytes {
        out.push_str(&format!("%{b:02X}"));
    }
}

impl Pkcs11Uri {
    /// Parses `text`; anything malformed, unknown or a PIN in the URI is a usage error (exit 2).
    pub fn parse(text: &str) -> Result<Pkcs11Uri> {
        let rest = text
            .strip_prefix("pkcs11:")
            .ok_or_else(|| usage(text, "a PKCS#11 URI starts with \"pkcs11:\""))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut uri = Pkcs11Uri::default();
        let mut seen = Vec::new();
        let parts = path
            .split(';')
            .map(|p| (p, false))
            .chain(query.split('&').map(|p| (p, true)));
        for (attr, in_query) in parts {
            if attr.is_empty() {
                continue;
            }
            let (name, value) = attr
                .split_once('=')
                .ok_or_else(|| usage(text, format!("\"{attr}\" is not NAME=VALUE")))?;
            if seen.contains(&name) {
                return Err(usage(text, format!("{name} is given twice")));
            }
            seen.push(name);
            let s = |n: &str| text_value(text, n, value);
            match (name, in_query) {
                ("token", false) => uri.token = Some(s(name)?),
                ("manufacturer", false) => uri.manufacturer = Some(s(name)?),
                ("model", false) => uri.model = Some(s(name)?),
                ("serial", false) => uri.serial = Some(s(name)?),
                ("object", false) => uri.object = Some(s(name)?),
                ("id", false) => uri.id = Some(percent_decode(text, value)?),
                ("type", false) => {
                    let t = s(name)?;
                    if !matches!(
                        t.as_str(),
                        "private" | "public" | "cert" | "secret-key" | "data"
                    ) {
                        return Err(usage(text, format!("unknown object type \"{t}\"")));
                    }
                    uri.object_type = Some(t);
                }
                ("slot-id", false) => {
                    uri.slot_id = Some(
                        s(name)?
                            .parse()
                            .map_err(|_| usage(text, "slot-id must be a number"))?,
                    )
                }
                ("slot-description", false) => uri.slot_description = Some(s(name)?),
                ("slot-manufacturer", false) => uri.slot_manufacturer = Some(s(name)?),
                ("library-manufacturer", false) => uri.library_manufacturer = Some(s(name)?),
                ("library-description", false) => uri.library_description = Some(s(name)?),
                ("library-version", false) => uri.library_version = Some(s(name)?),
                ("module-path", true) => uri.module_path = Some(PathBuf::from(s(name)?)),
                ("pin-value" | "pin-source", true) => {
                    return Err(usage(
                        text,
                        format!(
                            "dct does not take a PIN from the URI ({name}): set {} or type it \
                             at the prompt",
                            super::PIN_VAR
                        ),
                    ));
                }
                ("module-name", true) => {
                    return Err(usage(
                        text,
                        format!(
                            "module-name is not supported: give the module's file with \
                             module-path= or {}",
                            super::MODULE_VAR
                        ),
                    ));
                }
                (n, _) if n.starts_with("x-") => {} // vendor attributes: ignored (RFC 7512 §2.3)
                (n, q) => {
                    return Err(usage(
                        text,
                        format!(
                            "unknown {} attribute \"{n}\"",
                            if q { "query" } else { "path" }
                        ),
                    ));
                }
            }
        }
        Ok(uri)
    }

    /// The URI naming only this token (`pkcs11:token=…[;serial=…]`): what `dct key list`
    /// shows as a token key's location.
    pub fn token_only(&self) -> Pkcs11Uri {
        Pkcs11Uri {
            token: self.token.clone(),
            serial: self.serial.clone(),
            ..Default::default()
        }
    }

    /// A short name of the token for messages: its label (and serial, when given), else the
    /// URI.
    pub fn token_name(&self) -> String {
        match (&self.token, &self.serial) {
            (Some(t), Some(s)) => format!("\"{t}\" (serial {s})"),
            (Some(t), None) => format!("\"{t}\""),
            _ => self.token_only().to_string(),
        }
    }
}

fn text_value(uri: &str, name: &str, value: &str) -> Result<String> {
    text(uri, name, value)
}

impl fmt::Display for Pkcs11Uri {
    /// The URI in RFC 7512's form, attributes in a fixed order, `id` fully percent-encoded.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut path: Vec<String> = Vec::new();
        let mut add = |name: &str, v: &Option<String>| {
            if let Some(v) = v {
                let mut s = format!("{name}=");
                encode(v.as_bytes(), &mut s);
                path.push(s);
            }
        };
        add("library-manufacturer", &self.library_manufacturer);
        add("library-description", &self.library_description);
        add("library-version", &self.library_version);
        add("slot-manufacturer", &self.slot_manufacturer);
        add("slot-description", &self.slot_description);
        add("slot-id", &self.slot_id.map(|n| n.to_string()));
        add("manufacturer", &self.manufacturer);
        add("model", &self.model);
        add("token", &self.token);
        add("serial", &self.serial);
        add("object", &self.object);
        add("type", &self.object_type);
        if let Some(id) = &self.id {
            let mut s = "id=".to_string();
            encode_all(id, &mut s);
            path.push(s);
        }
        write!(f, "pkcs11:{}", path.join(";"))?;
        if let Some(m) = &self.module_path {
            let mut s = String::new();
            encode(m.as_os_str().as_encoded_bytes(), &mut s);
            write!(f, "?module-path={s}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7512_examples_parse() {
        let u = Pkcs11Uri::parse(
            "pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;\
             model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=",
        )
        .unwrap();
        assert_eq!(u.token.as_deref(), Some("The Software PKCS#11 Softtoken"));
        assert_eq!(u.manufacturer.as_deref(), Some("Snake Oil, Inc."));
        assert_eq!(u.object.as_deref(), Some("my-certificate"));
        assert_eq!(u.object_type.as_deref(), Some("cert"));
        assert_eq!(
            u.id.as_deref(),
            Some(&[0x69, 0x95, 0x3e, 0x5c, 0xf4, 0xbd, 0xec, 0x91][..])
        );
        assert_eq!(u.serial.as_deref(), Some(""));
        let u = Pkcs11Uri::parse(
            "pkcs11:slot-description=Sun%20Metaslot;slot-id=3?module-path=/usr/lib/libpkcs11.so",
        )
        .unwrap();
        assert_eq!(u.slot_id, Some(3));
        assert_eq!(
            u.module_path.as_deref(),
            Some(std::path::Path::new("/usr/lib/libpkcs11.so"))
        );
        assert_eq!(Pkcs11Uri::parse("pkcs11:").unwrap(), Pkcs11Uri::default());
        // Vendor attributes are ignored.
        assert!(Pkcs11Uri::parse("pkcs11:token=a;x-vendor=1").is_ok());
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "pkcs11:token=dct%20test;object=alice;id=%01%AB",
            "pkcs11:token=a;serial=123;object=root;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so",
            "pkcs11:slot-id=7",
        ] {
            let u = Pkcs11Uri::parse(text).unwrap();
            assert_eq!(u.to_string(), text);
            assert_eq!(Pkcs11Uri::parse(&u.to_string()).unwrap(), u);
        }
        let u = Pkcs11Uri::parse("pkcs11:token=t;object=o;id=%01?module-path=/m.so").unwrap();
        assert_eq!(u.token_only().to_string(), "pkcs11:token=t");
    }

    #[test]
    fn bad_uris_and_pins_are_usage_errors() {
        for (bad, why) in [
            ("token=a", "starts with \"pkcs11:\""),
            ("pkcs11:token", "is not NAME=VALUE"),
            ("pkcs11:token=a;token=b", "token is given twice"),
            ("pkcs11:colour=red", "unknown path attribute \"colour\""),
            (
                "pkcs11:token=a?pin-value=1234",
                "does not take a PIN from the URI",
            ),
            (
                "pkcs11:token=a?pin-source=file:/p",
                "does not take a PIN from the URI",
            ),
            (
                "pkcs11:token=a?module-name=softhsm2",
                "module-name is not supported",
            ),
            ("pkcs11:id=%G1", "bad percent-encoding"),
            ("pkcs11:slot-id=x", "slot-id must be a number"),
            ("pkcs11:type=key", "unknown object type"),
            ("pkcs11:token=a?colour=b", "unknown query attribute"),
        ] {
            let e = Pkcs11Uri::parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), crate::error::ExitCode::Usage, "{bad}");
            assert!(e.to_string().contains(why), "{bad}: {e}");
            assert!(!e.to_string().contains("1234"), "{e}");
        }
        assert_eq!(
            redacted("pkcs11:token=a?pin-value=1234&module-path=/m"),
            "pkcs11:token=a?pin-value=(hidden)&module-path=/m"
        );
    }
}
