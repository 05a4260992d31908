//! The one-pass metadata parser (`Envelope::parse`: raw `signed` text → canonical bytes and
//! typed value) against the reference `Value` path (`Envelope::parse_via_value`, i.e.
//! `to_canonical(&Value)`), over every metadata file in `fixtures/`, the files the hostile
//! builder makes (honest, rotated, delegated, tampered, re-encoded) and byte-level rewrites of
//! them. Files written by the real notary (1, 1,000 and 10,000 targets) are checked in
//! `tests/it/lookup.rs`; generated JSON in `src/tuf/canonical.rs`'s unit tests.

use std::path::Path;

use crate::support::assert_parsers_agree;
use crate::support::repo::{RepoBuilder, replace_once};
use serde_json::json;

fn json_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn fixtures_parse_the_same_both_ways() {
    let mut files = Vec::new();
    for dir in ["fixtures", "tests/golden"] {
        let dir = Path::new(crate::support::ROOT).join(dir);
        if dir.is_dir() {
            json_files(&dir, &mut files);
        }
    }
    let mut parsed = 0;
    for f in &files {
        if assert_parsers_agree(&std::fs::read(f).unwrap()) {
            parsed += 1;
        }
    }
    assert!(
        parsed >= 1,
        "fixtures/notary/root.json at least ({files:?})"
    );
}

/// Byte-level rewrites that keep a file valid JSON but change how `signed` is spelled (or make
/// it invalid): the parsers must still agree.
fn variants(bytes: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut out = vec![bytes.to_vec()];
    // Whitespace everywhere a token may be followed by it.
    out.push(
        text.replace(",\"", ", \n\t\"")
            .replace("\":", "\" :\r\n")
            .into_bytes(),
    );
    // Unicode escapes for plain letters, `\/` for slashes.
    out.push(
        text.replace("\"_type\"", "\"\\u005ftype\"")
            .replace('/', "\\/")
            .into_bytes(),
    );
    // Keys out of order: move `version` first.
    out.push(
        text.replacen("{\"signed\":{", "{\"signed\":{\"version\":7,", 1)
            .into_bytes(),
    );
    // A repeated key: `Value` keeps the last; the typed struct refuses a repeated field.
    out.push(
        text.replacen("{\"signed\":{", "{\"signed\":{\"zz\":1.5,\"zz\":2,", 1)
            .into_bytes(),
    );
    // Numbers: integral float, exponent, fraction, too big.
    if let Some(at) = text.rfind("\"version\":") {
        let digits = at + "\"version\":".len();
        let end = digits + text[digits..].find(|c: char| !c.is_ascii_digit()).unwrap();
        for n in [
            "1.0",
            "1e0",
            "1.5",
            "9007199254740993",
            "-0",
            "2E+1",
            "123456789012345678",
        ] {
            out.push(format!("{}{n}{}", &text[..digits], &text[end..]).into_bytes());
        }
    }
    // Lone surrogate, invalid escape, raw control character, invalid UTF-8, truncation.
    for (from, to) in [
        (&b"\"_type\""[..], &b"\"_type\\ud800\""[..]),
        (b"\"_type\"", b"\"_type\\q\""),
        (b"\"_type\"", b"\"_type\x01\""),
        (b"\"_type\"", b"\"_type\xff\""),
    ] {
        let mut v = bytes.to_vec();
        replace_once(&mut v, from, to);
        out.push(v);
    }
    out.push(bytes[..bytes.len() / 2].to_vec());
    out
}

#[test]
fn hostile_builder_files_parse_the_same_both_ways() {
    let mut b = RepoBuilder::new("example.com/canonical/test");
    b.add_target("targets", "latest", b"manifest");
    b.add_target("targets", "t\u{e9}st <&> \u{2028} \"q\" \\ /", b"odd");
    b.add_target("targets", "\u{1F600}", b"emoji");
    let mut meta = b.add_target("targets", "custom", b"custom");
    meta.custom = Some(
        json!({"b": [1, -2, 9007199254740992u64, {"z": null, "a ": true, "a!": false, "a": "\u{0}\u{1f}\\\""}], "a": {}}),
    );
    b.targets.insert("custom".into(), meta);
    b.add_delegation("targets/releases", &["", "rel/"]);
    b.add_target("targets/releases", "v1", b"v1");
    b.add_delegation("targets/a/b", &[]);
    let mut corpus = vec![b.build()];
    b.rotate_root(true);
    b.targets_version = 9_007_199_254_740_992;
    corpus.push(b.build());
    let mut files = 0;
    for built in &corpus {
        for body in built.served.values() {
            for v in variants(body) {
                assert_parsers_agree(&v);
                files += 1;
            }
        }
    }
    assert!(files > 100, "{files}");
}
