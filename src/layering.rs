//! The dependency rule of the crate, checked on its own source: `cli → ops → tuf/keys/remote/oci
//! → leaf modules`, never upwards, and no command module of `cli` importing another's.

use std::collections::BTreeSet;
use std::path::Path;

/// The top-level modules each top-level module may use (besides itself).
fn allowed(module: &str) -> &'static [&'static str] {
    const LEAVES: &[&str] = &[
        "canonical",
        "config",
        "error",
        "fsutil",
        "reference",
        "roles",
        "tabwriter",
        "trust_dir",
    ];
    match module {
        "cli" => &[
            "ops",
            "oci",
            "reference",
            "error",
            "config",
            "tabwriter",
            "fsutil",
        ],
        "ops" => &[
            "tuf",
            "keys",
            "remote",
            "oci",
            "canonical",
            "config",
            "error",
            "fsutil",
            "reference",
            "roles",
            "tabwriter",
            "trust_dir",
        ],
        "tuf" => &[
            "keys",
            "canonical",
            "config",
            "error",
            "fsutil",
            "reference",
            "roles",
            "tabwriter",
            "trust_dir",
        ],
        "remote" => &[
            "oci",
            "canonical",
            "config",
            "error",
            "fsutil",
            "reference",
            "roles",
            "tabwriter",
            "trust_dir",
        ],
        "keys" | "oci" => LEAVES,
        // Leaves use only the error type and the file-system helpers.
        _ => &["error", "fsutil"],
    }
}

/// The top-level modules `text` (one file's non-test code) refers to through `crate::`.
fn crate_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn dependencies_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut wrong = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
        if rel == "lib.rs" || rel == "main.rs" || rel == "layering.rs" {
            continue;
        }
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        let text = std::fs::read_to_string(f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for used in crate_refs(code) {
            if used != top && !allowed(&top).contains(&used.as_str()) {
                wrong.push(format!("{rel} uses crate::{used}"));
            }
        }
        // A command module of the CLI reaches only the CLI's shared items (`super::Ctx`…) and
        // its own submodules, never another command's module.
        if let Some(cmd) = rel.strip_prefix("cli/") {
            let own = cmd.split('/').next().unwrap().trim_end_matches(".rs");
            for sibling in [
                "env", "key", "login", "migrate", "pin", "pull", "push", "read", "sign", "signer",
            ] {
                let needle = format!("cli::{sibling}");
                if sibling != own && code.contains(&needle) {
                    wrong.push(format!("{rel} uses {needle}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layering violations:\n{}",
        wrong.join("\n")
    );
    assert!(files.len() > 40, "walked {} files", files.len());
}
