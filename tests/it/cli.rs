//! The command-line surface: `--help` of every command and the error messages are golden files;
//! the committed completion scripts must match what the binary generates.

use std::path::Path;

use crate::support::{Sandbox, golden, ok, run};

/// Every command as its path of subcommand names (`[]` for `dct` itself, `["key", "generate"]`,
/// …), walked from clap's definition: a new command cannot go without a golden `--help`.
fn commands() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        for sub in cmd.get_subcommands() {
            // clap's own `help` subcommand (added when the command is built) is not dct's.
            if sub.get_name() == "help" {
                continue;
            }
            path.push(sub.get_name().to_string());
            walk(sub, path, out);
            path.pop();
        }
    }
    use clap::CommandFactory;
    let mut out = Vec::new();
    walk(&dct::cli::Cli::command(), &mut Vec::new(), &mut out);
    out
}

/// The golden file of a command's `--help`: `help/dct.txt`, `help/dct-key-generate.txt`, …
fn help_golden(path: &[String]) -> String {
    if path.is_empty() {
        "help/dct.txt".to_string()
    } else {
        format!("help/dct-{}.txt", path.join("-"))
    }
}

#[test]
fn help_of_every_command_is_golden() {
    let sb = Sandbox::new();
    let commands = commands();
    for cmd in &commands {
        let mut c = sb.dct(&[]);
        // --config is a global flag placed before the command; the help does not show it.
        c.args(cmd).arg("--help");
        golden(&help_golden(cmd), &ok(&mut c));
    }
    // Every golden file belongs to a command that still exists.
    let dir = Path::new(crate::support::ROOT).join("tests/golden/help");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| format!("help/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    let mut expected: Vec<String> = commands.iter().map(|c| help_golden(c)).collect();
    expected.sort();
    assert_eq!(
        files,
        expected,
        "{} holds a file for a command that no longer exists",
        dir.display()
    );
}

#[test]
fn clap_definition_is_consistent() {
    use clap::CommandFactory;
    dct::cli::Cli::command().debug_assert();
}

/// `man/` holds one page per command, generated from clap: fresh (`DCT_UPDATE_GOLDEN=1`
/// rewrites them), no page left for a command that is gone, and each renders with `man -l`.
#[test]
fn committed_man_pages_are_fresh_and_render() {
    let dir = Path::new(crate::support::ROOT).join("man");
    let pages = dct::cli::man_pages();
    assert!(pages.len() > 25, "{} pages", pages.len());
    if std::env::var_os("DCT_UPDATE_GOLDEN").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, roff) in &pages {
            std::fs::write(dir.join(name), roff).unwrap();
        }
    }
    let mut committed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    let mut names: Vec<String> = pages.iter().map(|(n, _)| n.clone()).collect();
    names.sort();
    assert_eq!(committed, names, "man/ does not match the commands");
    for (name, roff) in &pages {
        let path = dir.join(name);
        assert!(
            std::fs::read(&path).unwrap() == *roff,
            "{} is stale: run `DCT_UPDATE_GOLDEN=1 cargo test --test it cli::` and commit it",
            path.display()
        );
    }
    for name in ["dct.1", "dct-sign.1", "dct-key-rotate.1"] {
        let out = std::process::Command::new("man")
            .arg("-l")
            .arg(dir.join(name))
            .env("MANWIDTH", "100")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .output()
            .expect("man runs");
        assert!(out.status.success(), "man -l {name}: {out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        let title = format!("{}(1)", name.trim_end_matches(".1"));
        assert!(text.contains(&title), "{name}:\n{text}");
        if name != "dct.1" {
            assert!(text.contains("Examples:"), "{name}:\n{text}");
        }
    }
}

#[test]
fn committed_completions_are_fresh() {
    use clap_complete::Shell;
    for (shell, file) in [
        (Shell::Bash, "dct.bash"),
        (Shell::Zsh, "_dct"),
        (Shell::Fish, "dct.fish"),
        (Shell::PowerShell, "_dct.ps1"),
        (Shell::Elvish, "dct.elv"),
    ] {
        let mut generated = Vec::new();
        dct::cli::write_completions(shell, &mut generated);
        let path = Path::new(crate::support::ROOT)
            .join("completions")
            .join(file);
        if std::env::var_os("DCT_UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} is stale: run `DCT_UPDATE_GOLDEN=1 cargo test --test it cli::` and commit it",
            path.display()
        );
    }
}

#[test]
fn completions_command_prints_the_script() {
    let sb = Sandbox::new();
    let out = ok(&mut sb.dct(&["completions", "bash"]));
    let committed =
        std::fs::read_to_string(Path::new(crate::support::ROOT).join("completions/dct.bash"))
            .unwrap();
    assert_eq!(out, committed);
}

#[test]
fn env_lists_variables_and_hides_secrets() {
    let sb = Sandbox::new();
    let mut cmd = sb.dct(&["env"]);
    cmd.env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "s3cret-value");
    cmd.env("DOCKER_CONFIG", "/some/config");
    let out = ok(&mut cmd);
    assert!(!out.contains("s3cret-value"), "{out}");
    let line = |name: &str| {
        out.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} missing in\n{out}"))
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE"), "yes (hidden)");
    assert_eq!(line("DOCKER_CONFIG"), "yes /some/config");
    assert_eq!(line("NOTARY_TARGETS_PASSPHRASE"), "no");

    let mut cmd = sb.dct(&["env", "--json"]);
    cmd.env("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "s3cret-value");
    let json: serde_json::Value = serde_json::from_str(&ok(&mut cmd)).unwrap();
    let root = json
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE")
        .unwrap();
    assert_eq!(root["set"], true);
    assert_eq!(root["value"], serde_json::Value::Null);
}

#[test]
fn usage_errors_exit_2() {
    let sb = Sandbox::new();
    let (code, _, err) = run(&mut sb.dct(&["key", "frobnicate"]));
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run(&mut sb.dct(&["key", "generate"]));
    assert_eq!(code, 2);
}

#[test]
fn closed_stdout_is_not_an_error() {
    use std::process::Stdio;
    let sb = Sandbox::new();
    let mut child = sb
        .dct(&["completions", "zsh"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // close the read end at once
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
