//! Canonical JSON exactly as notary signs it (docker/go `MarshalCanonical`): keys sorted
//! byte-wise, no whitespace, only `"` and `\` escaped, integers only. No crate does this right
//! (olpc-cjson NFC-normalises and sorts escaped keys; serde_json escapes control characters).

use serde_json::Value;

use crate::error::{Error, Result};

/// Largest integer that survives Go's float64 round trip in verifiers.
const MAX_SAFE_INT: u64 = 1 << 53;

/// Serialises `value` canonically.
pub fn to_canonical(value: &Value) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    write(value, &mut out)?;
    Ok(out)
}

fn write(value: &Value, out: &mut Vec<u8>) -> Result<()> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            let text = if let Some(i) = n.as_i64() {
                (i.unsigned_abs() <= MAX_SAFE_INT).then(|| i.to_string())
            } else if let Some(u) = n.as_u64() {
                (u <= MAX_SAFE_INT).then(|| u.to_string())
            } else {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() <= MAX_SAFE_INT as f64)
                    .map(|f| (f as i64).to_string())
            };
            let text = text.ok_or_else(|| {
                Error::invalid(format!(
                    "number {n} cannot be written as canonical JSON (integers up to 2^53 only)"
                ))
            })?;
            out.extend_from_slice(text.as_bytes());
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            out.push(b'{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(key, out);
                out.push(b':');
                write(&map[key.as_str()], out)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in s.as_bytes() {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Go `encoding/json`'s HTML-safe pass over already-encoded JSON: inside strings `<`, `>`, `&`,
/// U+2028 and U+2029 become `\u003c`-style escapes. Notary's file envelopes look like this.
pub fn html_escape(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + 16);
    let mut i = 0;
    while i < json.len() {
        let b = json[i];
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            0xE2 if json.get(i + 1) == Some(&0x80)
                && matches!(json.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                out.extend_from_slice(if json[i + 2] == 0xA8 {
                    b"\\u2028"
                } else {
                    b"\\u2029"
                });
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canon(v: Value) -> String {
        String::from_utf8(to_canonical(&v).unwrap()).unwrap()
    }

    #[test]
    fn sorts_bytewise_and_escapes_only_quote_and_backslash() {
        let v = json!({"b": 1, "a": [true, null, "x\"y\\z\n<&>é"], "a ": {}, "a!": -2});
        assert_eq!(
            canon(v),
            "{\"a\":[true,null,\"x\\\"y\\\\z\n<&>é\"],\"a \":{},\"a!\":-2,\"b\":1}"
        );
    }

    #[test]
    fn integral_floats_print_as_integers_and_others_fail() {
        assert_eq!(canon(json!(3.0)), "3");
        assert!(to_canonical(&json!(1.5)).is_err());
        assert!(to_canonical(&json!(9_007_199_254_740_993u64)).is_err());
    }

    #[test]
    fn html_escape_matches_go_envelope() {
        let got = html_escape("{\"tag<1>&x\u{2028}\":1}".as_bytes());
        assert_eq!(got, b"{\"tag\\u003c1\\u003e\\u0026x\\u2028\":1}".to_vec());
    }
}
