//! PEM exactly as Go's `encoding/pem` reads and writes it, headers included. The `pem` crate
//! rejects a `:` in header values, but notary's `gun:` header holds `host:port/repo` GUNs, and
//! RFC 7468 parsers refuse headers altogether — so this small codec is ours.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use zeroize::Zeroizing;

/// One PEM block: its label, its `Key: Value` headers, and the decoded bytes (wiped on drop,
/// since private keys travel in these).
#[derive(Clone)]
pub struct Block {
    /// The text after `BEGIN`, e.g. `ENCRYPTED PRIVATE KEY`.
    pub label: String,
    /// `Key: Value` headers in file order (notary keeps a key's `role` and `gun` here).
    pub headers: Vec<(String, String)>,
    /// The decoded body.
    pub data: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Block")
            .field("label", &self.label)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl Block {
    /// A block without headers.
    pub fn new(label: &str, data: Vec<u8>) -> Self {
        Block {
            label: label.to_string(),
            headers: Vec::new(),
            data: Zeroizing::new(data),
        }
    }

    /// The value of the first header named `key`.
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets (or with `None` removes) a header.
    pub fn set_header(&mut self, key: &str, value: Option<&str>) {
        self.headers.retain(|(k, _)| k != key);
        if let Some(v) = value {
            self.headers.push((key.to_string(), v.to_string()));
        }
    }

    /// Go's encoding: `Proc-Type` first, other headers sorted, a blank line after headers,
    /// base64 in 64-character lines, LF line endings.
    pub fn encode(&self) -> String {
        let mut out = format!("-----BEGIN {}-----\n", self.label);
        let mut headers: Vec<&(String, String)> = self.headers.iter().collect();
        headers.sort_by(|a, b| {
            (a.0 != "Proc-Type", a.0.as_str()).cmp(&(b.0 != "Proc-Type", b.0.as_str()))
        });
        for (k, v) in &headers {
            out.push_str(&format!("{k}: {v}\n"));
        }
        if !headers.is_empty() {
            out.push('\n');
        }
        let b64 = Zeroizing::new(B64.encode(&*self.data));
        for chunk in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
            out.push('\n');
        }
        out.push_str(&format!("-----END {}-----\n", self.label));
        out
    }
}

/// Decodes every PEM block in `input`, in order. Text outside blocks is ignored, as Go does;
/// a block whose body is not valid base64 or that has no END line is an error.
pub fn parse_all(input: &[u8]) -> Result<Vec<Block>, String> {
    let text = String::from_utf8_lossy(input);
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    let mut blocks = Vec::new();
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|r| r.strip_suffix("-----"))
        else {
            continue;
        };
        let end = format!("-----END {label}-----");
        let mut headers = Vec::new();
        let mut body = Zeroizing::new(String::new());
        let mut in_headers = true;
        let mut closed = false;
        for line in lines.by_ref() {
            if line == end {
                closed = true;
                break;
            }
            if in_headers {
                if let Some((k, v)) = line.split_once(':') {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                    continue;
                }
                in_headers = false;
                if line.trim().is_empty() {
                    continue;
                }
            }
            body.push_str(line.trim());
        }
        if !closed {
            return Err(format!(
                "PEM block \"{label}\" has no END line (truncated file?)"
            ));
        }
        let data = B64
            .decode(body.as_bytes())
            .map_err(|_| format!("PEM block \"{label}\" is not valid base64 (corrupted file?)"))?;
        blocks.push(Block {
            label: label.to_string(),
            headers,
            data: Zeroizing::new(data),
        });
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_with_colons_round_trip_in_go_order() {
        let mut b = Block::new("ENCRYPTED PRIVATE KEY", vec![1u8; 100]);
        b.set_header("role", Some("targets"));
        b.set_header("gun", Some("127.0.0.1:5000/demo/app"));
        let text = b.encode();
        assert!(text.starts_with(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\ngun: 127.0.0.1:5000/demo/app\nrole: targets\n\n"
        ));
        let back = parse_all(text.as_bytes()).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].header("gun"), Some("127.0.0.1:5000/demo/app"));
        assert_eq!(&*back[0].data, &vec![1u8; 100]);
        assert_eq!(back[0].encode(), text);
    }

    #[test]
    fn truncated_and_garbled_blocks_are_errors() {
        let text = Block::new("PRIVATE KEY", vec![9u8; 90]).encode();
        assert!(parse_all(&text.as_bytes()[..text.len() - 20]).is_err());
        let garbled = text.replacen("CQkJ", "C*kJ", 1);
        assert!(parse_all(garbled.as_bytes()).is_err());
    }
}
