//! Canonical JSON exactly as notary signs it (docker/go `MarshalCanonical`): keys sorted
//! byte-wise, no whitespace, only `"` and `\` escaped, integers only. No crate does this right
//! (olpc-cjson NFC-normalises and sorts escaped keys; serde_json escapes control characters).

use std::borrow::Cow;

use serde_json::{Number, Value};

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
        Value::Number(n) => write_number(n, out)?,
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

fn write_number(n: &Number, out: &mut Vec<u8>) -> Result<()> {
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

/// Nesting deeper than this (arrays/objects inside the text given) is refused by
/// [`canonicalize_json`]. serde_json's own limit is 128 levels *including* the enclosing
/// envelope, so anything this accepts serde_json's `Value` parser accepts too; anything deeper
/// is an error here, and callers fall back to the `Value` path (which then reports serde_json's
/// own error, or succeeds).
const MAX_DEPTH: usize = 100;

/// The canonical form of JSON *text*, in one pass and without building a [`Value`]: the same
/// bytes as `to_canonical(&serde_json::from_str::<Value>(text)?)`, for every text both accept.
///
/// Objects: members sorted byte-wise by their unescaped key, a repeated key keeps its last value
/// (as `Value` does). Strings: unescaped (`\uXXXX` pairs joined), re-emitted escaping only `"`
/// and `\`. Numbers: integers with at most 15 digits are copied (`-0` becomes `0`); every other
/// number goes through serde_json's own number parser and the same rule as [`to_canonical`]
/// (integral values up to 2^53 print as integers, anything else is an error). `true`, `false`,
/// `null` as they are.
///
/// It refuses, like serde_json's `Value` parser, invalid JSON, raw control characters in
/// strings, invalid escapes and lone surrogates (`text` is a `&str`, so already UTF-8), plus
/// nesting deeper than [`MAX_DEPTH`]. Its error messages are not serde_json's: callers that must
/// report serde_json's exact error re-run the `Value` path when this fails (see
/// `tuf::meta::Envelope::parse`).
pub fn canonicalize_json(text: &str) -> Result<Vec<u8>> {
    let mut c = Canonicalizer {
        src: text.as_bytes(),
        text,
        pos: 0,
        keys: Vec::new(),
        scratch: Vec::new(),
        refused: None,
    };
    let mut out = Vec::with_capacity(text.len());
    c.skip_ws();
    c.value(&mut out, 0)?;
    c.skip_ws();
    if c.pos != c.src.len() {
        return Err(c.err("trailing characters"));
    }
    match c.refused {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// One member of an object being canonicalised: its unescaped key and where the member
/// (`"key":value`) starts and ends in the output.
/// The last element is the refusal of a number inside the member's value, if any: it only
/// counts if the member survives (a later member with the same key replaces it, as in `Value`).
type Member<'a> = (Cow<'a, str>, usize, usize, Option<Error>);

struct Canonicalizer<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    /// Members of the objects being written, innermost last (one stack for all levels).
    keys: Vec<Member<'a>>,
    /// Reused when an object's members have to be reordered.
    scratch: Vec<u8>,
    /// The first number in the current value that canonical JSON cannot hold. Not an error at
    /// once: the value may be replaced by a repeated key later.
    refused: Option<Error>,
}

impl<'a> Canonicalizer<'a> {
    fn err(&self, what: &str) -> Error {
        Error::invalid(format!("invalid JSON: {what} at byte {}", self.pos))
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.src.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Result<()> {
        self.skip_ws();
        if self.src.get(self.pos) == Some(&b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(&format!("expected `{}`", b as char)))
        }
    }

    fn literal(&mut self, word: &[u8], out: &mut Vec<u8>) -> Result<()> {
        if self.src[self.pos..].starts_with(word) {
            self.pos += word.len();
            out.extend_from_slice(word);
            Ok(())
        } else {
            Err(self.err("expected a value"))
        }
    }

    fn value(&mut self, out: &mut Vec<u8>, depth: usize) -> Result<()> {
        match self.src.get(self.pos) {
            Some(b'{') => self.object(out, depth + 1),
            Some(b'[') => self.array(out, depth + 1),
            Some(b'"') => {
                let s = self.string()?;
                write_string(&s, out);
                Ok(())
            }
            Some(b't') => self.literal(b"true", out),
            Some(b'f') => self.literal(b"false", out),
            Some(b'n') => self.literal(b"null", out),
            Some(b'-' | b'0'..=b'9') => self.number(out),
            _ => Err(self.err("expected a value")),
        }
    }

    fn array(&mut self, out: &mut Vec<u8>, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        self.pos += 1;
        out.push(b'[');
        self.skip_ws();
        if self.src.get(self.pos) == Some(&b']') {
            self.pos += 1;
            out.push(b']');
            return Ok(());
        }
        loop {
            self.skip_ws();
            self.value(out, depth)?;
            self.skip_ws();
            match self.src.get(self.pos) {
                Some(b',') => {
                    self.pos += 1;
                    out.push(b',');
                }
                Some(b']') => {
                    self.pos += 1;
                    out.push(b']');
                    return Ok(());
                }
                _ => return Err(self.err("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, out: &mut Vec<u8>, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        self.pos += 1;
        let open = out.len();
        out.push(b'{');
        self.skip_ws();
        if self.src.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            out.push(b'}');
            return Ok(());
        }
        let base = self.keys.len();
        // Whether the members arrived strictly sorted (then `out` already holds the canonical
        // object, the common case for notary's files).
        let mut in_order = true;
        loop {
            self.skip_ws();
            if self.src.get(self.pos) != Some(&b'"') {
                return Err(self.err("expected a key"));
            }
            let key = self.string()?;
            self.eat(b':')?;
            self.skip_ws();
            if self.keys.len() > base {
                out.push(b',');
                let prev = &self.keys[self.keys.len() - 1].0;
                if prev.as_bytes() >= key.as_bytes() {
                    in_order = false;
                }
            }
            let start = out.len();
            write_string(&key, out);
            out.push(b':');
            let outer = self.refused.take();
            self.value(out, depth)?;
            let refused = std::mem::replace(&mut self.refused, outer);
            self.keys.push((key, start, out.len(), refused));
            self.skip_ws();
            match self.src.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.err("expected `,` or `}`")),
            }
        }
        if !in_order {
            // Sort by unescaped key (stable, so among equal keys the last one stays last), keep
            // the last of each run of equal keys, and rewrite the object from a copy.
            let members = &mut self.keys[base..];
            members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            self.scratch.clear();
            self.scratch.extend_from_slice(&out[open..]);
            out.truncate(open + 1);
            let mut first = true;
            for i in 0..members.len() {
                let replaced = members
                    .get(i + 1)
                    .is_some_and(|next| next.0.as_bytes() == members[i].0.as_bytes());
                if replaced {
                    // A later member with the same key wins; what this one refused is moot.
                    members[i].3 = None;
                    continue;
                }
                if !first {
                    out.push(b',');
                }
                first = false;
                let (_, start, end, _) = &members[i];
                out.extend_from_slice(&self.scratch[start - open..end - open]);
            }
        }
        for member in &mut self.keys[base..] {
            if let Some(e) = member.3.take() {
                self.refused.get_or_insert(e);
            }
        }
        self.keys.truncate(base);
        out.push(b'}');
        Ok(())
    }

    /// A string token starting at `"`, unescaped. Borrowed when it holds no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>> {
        self.pos += 1;
        let start = self.pos;
        // Fast scan to the first quote, backslash or control character.
        while let Some(&b) = self.src.get(self.pos) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            self.pos += 1;
        }
        match self.src.get(self.pos) {
            Some(b'"') => {
                let s = &self.text[start..self.pos];
                self.pos += 1;
                return Ok(Cow::Borrowed(s));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.err("control character in string")),
            None => return Err(self.err("unterminated string")),
        }
        let mut buf = String::with_capacity(self.pos - start + 16);
        buf.push_str(&self.text[start..self.pos]);
        loop {
            let run = self.pos;
            while let Some(&b) = self.src.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            buf.push_str(&self.text[run..self.pos]);
            match self.src.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(buf));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = *self
                        .src
                        .get(self.pos)
                        .ok_or_else(|| self.err("unterminated string"))?;
                    self.pos += 1;
                    match esc {
                        b'"' => buf.push('"'),
                        b'\\' => buf.push('\\'),
                        b'/' => buf.push('/'),
                        b'b' => buf.push('\u{8}'),
                        b'f' => buf.push('\u{c}'),
                        b'n' => buf.push('\n'),
                        b'r' => buf.push('\r'),
                        b't' => buf.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = match hi {
                                0xD800..=0xDBFF => {
                                    if self.src.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                        return Err(self.err("lone leading surrogate"));
                                    }
                                    self.pos += 2;
                                    let lo = self.hex4()?;
                                    if !(0xDC00..=0xDFFF).contains(&lo) {
                                        return Err(self.err("lone leading surrogate"));
                                    }
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                }
                                0xDC00..=0xDFFF => {
                                    return Err(self.err("lone trailing surrogate"));
                                }
                                c => c,
                            };
                            buf.push(
                                char::from_u32(c).ok_or_else(|| self.err("invalid code point"))?,
                            );
                        }
                        _ => return Err(self.err("invalid escape")),
                    }
                }
                Some(_) => return Err(self.err("control character in string")),
                None => return Err(self.err("unterminated string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self
            .src
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err("unterminated \\u escape"))?;
        let mut v = 0u32;
        for &d in digits {
            let n = (d as char)
                .to_digit(16)
                .ok_or_else(|| self.err("invalid \\u escape"))?;
            v = v * 16 + n;
        }
        self.pos += 4;
        Ok(v)
    }

    fn number(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let start = self.pos;
        let digits = |s: &mut Self| {
            let from = s.pos;
            while let Some(b'0'..=b'9') = s.src.get(s.pos) {
                s.pos += 1;
            }
            s.pos - from
        };
        let negative = self.src[self.pos] == b'-';
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_digits = digits(self);
        if int_digits == 0 || (int_digits > 1 && self.src[int_start] == b'0') {
            return Err(self.err("invalid number"));
        }
        let mut plain = true;
        if self.src.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            plain = false;
            if digits(self) == 0 {
                return Err(self.err("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.src.get(self.pos) {
            self.pos += 1;
            plain = false;
            if let Some(b'+' | b'-') = self.src.get(self.pos) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.err("invalid number"));
            }
        }
        let token = &self.text[start..self.pos];
        if plain && int_digits <= 15 {
            // |n| < 10^15 < 2^53: the token is already the canonical integer, except `-0`.
            if token == "-0" {
                out.push(b'0');
            } else {
                out.extend_from_slice(token.as_bytes());
            }
            return Ok(());
        }
        // Long integers, fractions and exponents: exactly what the `Value` path would do.
        match serde_json::from_str::<Value>(token) {
            Ok(Value::Number(n)) => {
                if let Err(e) = write_number(&n, out) {
                    self.refused.get_or_insert(e);
                }
                Ok(())
            }
            Ok(_) => Err(self.err("invalid number")),
            Err(e) => Err(Error::invalid(format!("invalid number {token}: {e}"))),
        }
    }
}

/// Go `encoding/json`'s HTML-safe pass over already-encoded JSON: inside strings `<`, `>`, `&`,
/// U+2028 and U+2029 become `\u003c`-style escapes. Notary's file envelopes look like this.
pub fn html_escape(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + 16);
    html_escape_into(json, &mut out);
    out
}

/// [`html_escape`] appended to `out` (no copy of a large file in between).
pub fn html_escape_into(json: &[u8], out: &mut Vec<u8>) {
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

    /// `canonicalize_json(text)` against the reference `to_canonical(&Value)`: the same bytes
    /// when serde_json's `Value` parser accepts `text`, an error when it does not (or when
    /// `to_canonical` refuses the value). Returns whether the text was accepted.
    pub(crate) fn agrees(text: &str) -> bool {
        let reference = serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|v| to_canonical(&v).ok());
        let fast = canonicalize_json(text);
        match (&reference, &fast) {
            (Some(r), Ok(f)) => assert_eq!(
                String::from_utf8_lossy(f),
                String::from_utf8_lossy(r),
                "canonical bytes differ for {text:?}"
            ),
            (None, Err(_)) => {}
            _ => panic!("{text:?}: reference {reference:?}, one-pass {fast:?}"),
        }
        reference.is_some()
    }

    #[test]
    fn one_pass_matches_value_path_on_tricky_inputs() {
        let accepted = [
            r#"{}"#,
            r#"[]"#,
            r#" { "b" : 1 , "a" : [ true , false , null ] } "#,
            r#""caf\u00e9 \ud83d\ude00 \/ \" \\ \b\f\n\r\t \u0000 \u001f \u007f""#,
            r#"{"\u0061":1,"a ":2,"a!":3,"a":4,"a\"":5,"a\\":6,"é":7,"\u00e9x":8,"Z":9,"":10}"#,
            r#"{"a":1,"a":2,"b":{"x":1,"x":[1,2],"w":0},"a":3}"#,
            r#"{"z":{"y":{"x":[[[],{}],[{"b":1,"a":2}]]}}}"#,
            r#"[0,-0,1,-1,123456789012345,-123456789012345,9007199254740992,-9007199254740992]"#,
            r#"[1234567890123456,-1234567890123456,1.0,-1.0,1e2,1E2,1e+2,100e-2,-0.0,0.0,1e-400]"#,
            r#"[2.5e1,9007199254740992.0,0.1e1,10000000000000000e-1]"#,
            r#"{"tag<1>&x\u2028":"<>&\u003c"}"#,
            "{\"k\":\"\u{e9}\u{1F600}\u{2028}\"}",
            "\t\r\n[1]\n",
            r#"{"a ":1,"a!":2,"a":3}"#,
            r#"{"a!":1,"a ":2,"a":3}"#,
            r#"{"b":1,"a":2,"b":3,"a":4,"c":5}"#,
        ];
        for t in accepted {
            assert!(agrees(t), "{t} should be accepted");
        }
        // serde_json's (not correctly rounded) float parser reads this as 2^53 + 2: refused by
        // both, because both use that parser.
        assert!(!agrees("9007199254740993.0"));
        // A refused number under a key that a later member replaces does not count (`Value`
        // keeps the last); under the surviving one it does.
        assert!(agrees(r#"{"a":1.5,"b":0,"a":1}"#));
        assert!(agrees(r#"{"a":[{"x":1e300}],"a":2}"#));
        assert!(!agrees(r#"{"a":1,"b":0,"a":1.5}"#));
        assert!(!agrees(r#"{"b":{"x":1.5,"x":2.5},"a":0}"#));
        let refused = [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "[1 2]",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "+1",
            "1.5",
            "-1.5",
            "1e400",
            "9007199254740993",
            "-9007199254740993",
            "18446744073709551616",
            "-9223372036854775809",
            "tru",
            "nul",
            "True",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"\\ud800\"",
            "\"\\ud800x\"",
            "\"\\ud800\\u0041\"",
            "\"\\udc00\"",
            "\"\\ude00\\ud83d\"",
            "\"a\nb\"",
            "\"\t\"",
            "[1] [2]",
            "[1]x",
            "{\"a\":1}}",
        ];
        for t in refused {
            assert!(!agrees(t), "{t:?} should be refused");
        }
        // Nesting: serde_json refuses 128 levels; the one-pass path stops earlier (callers then
        // fall back to the Value path), never later.
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(canonicalize_json(&deep(100)).is_ok());
        assert!(canonicalize_json(&deep(101)).is_err());
        assert!(serde_json::from_str::<Value>(&deep(130)).is_err());
    }

    /// A small deterministic generator of JSON texts full of the cases that matter: escapes,
    /// keys that sort differently escaped and unescaped, duplicate keys, odd whitespace, every
    /// number form, and now and then an invalid token.
    struct Gen(u64);
    impl Gen {
        fn next(&mut self) -> u64 {
            // xorshift64*
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }
        fn ws(&mut self) -> &'static str {
            self.pick(&["", "", "", " ", "\n", "\t", "\r\n  "])
        }
        fn string(&mut self) -> String {
            let parts = [
                "a",
                "b",
                "a ",
                "a!",
                " ",
                "!",
                "\\\"",
                "\\\\",
                "\\/",
                "\\u00e9",
                "é",
                "\\ud83d\\ude00",
                "😀",
                "\\n",
                "\\t",
                "\\u0000",
                "\\u001F",
                "\\u0041",
                "\\u2028",
                "<",
                "&",
                "\\b",
                "\\f",
                "\\r",
                "~",
                "\u{7f}",
                "Z",
                "_type",
            ];
            let mut s = String::from("\"");
            for _ in 0..self.next() % 4 {
                s.push_str(self.pick(&parts));
            }
            if self.next().is_multiple_of(200) {
                s.push_str(self.pick(&["\\ud800", "\\udfff", "\\x", "\u{1}", "\\u00g0"]));
            }
            s.push('"');
            s
        }
        fn number(&mut self) -> String {
            let n = self.pick(&[
                "0",
                "-0",
                "1",
                "-1",
                "42",
                "1000",
                "999999999999999",
                "-999999999999999",
                "1000000000000000",
                "9007199254740992",
                "9007199254740993",
                "-9007199254740992",
                "-9007199254740993",
                "12345678901234567890",
                "-9223372036854775808",
                "1.0",
                "-1.0",
                "1.5",
                "0.5",
                "1e2",
                "1E+2",
                "5e-1",
                "2.50e1",
                "1e308",
                "1e309",
                "-0.0",
                "0e0",
                "1e-999",
                "100e-2",
            ]);
            if self.next().is_multiple_of(300) {
                return self.pick(&["01", "1.", "-", "+1", ".5", "1e"]).to_string();
            }
            n.to_string()
        }
        fn value(&mut self, depth: u32) -> String {
            let kind = if depth > 4 {
                self.next() % 4
            } else {
                self.next() % 6
            };
            match kind {
                0 => self.string(),
                1 => self.number(),
                2 => self.pick(&["true", "false", "null"]).to_string(),
                3 => self.pick(&["[]", "{}", "\"\"", "0"]).to_string(),
                4 => {
                    let n = self.next() % 4;
                    let items: Vec<String> = (0..n)
                        .map(|_| format!("{}{}{}", self.ws(), self.value(depth + 1), self.ws()))
                        .collect();
                    format!("[{}]", items.join(","))
                }
                _ => {
                    let n = self.next() % 6;
                    let members: Vec<String> = (0..n)
                        .map(|_| {
                            format!(
                                "{}{}{}:{}{}",
                                self.ws(),
                                self.string(),
                                self.ws(),
                                self.value(depth + 1),
                                self.ws()
                            )
                        })
                        .collect();
                    format!("{{{}}}", members.join(","))
                }
            }
        }
    }

    #[test]
    fn one_pass_matches_value_path_on_generated_inputs() {
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        let (mut accepted, mut refused) = (0, 0);
        for _ in 0..20_000 {
            let text = g.value(0);
            if agrees(&text) {
                accepted += 1;
            } else {
                refused += 1;
            }
        }
        // Both outcomes must be well represented for the comparison to mean anything.
        assert!(
            accepted > 5_000 && refused > 1_000,
            "{accepted} accepted, {refused} refused"
        );
    }

    #[test]
    fn html_escape_matches_go_envelope() {
        let got = html_escape("{\"tag<1>&x\u{2028}\":1}".as_bytes());
        assert_eq!(got, b"{\"tag\\u003c1\\u003e\\u0026x\\u2028\":1}".to_vec());
    }
}
