//! Transfer progress on a real pseudo-terminal (issue 14): `dct push` and `dct pull` draw a bar
//! per blob (`Waiting` while queued, `Pushed` / `Pull complete` when done); with `TERM=dumb` one
//! line per finished blob and no bar; `-q` nothing.

use crate::support::image::oci_layout_of;
use crate::support::signing::{Client, REPO_PASS, ROOT_PASS};
use crate::support::{servers, unique};

const MIB: usize = 1 << 20;

#[test]
fn push_and_pull_draw_bars_on_a_terminal_and_lines_elsewhere() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "progress/app");
    let layout = c.sb.path().join("layout");
    oci_layout_of(&layout, "progress", "v1", &[2 * MIB, 3 * MIB, MIB]);
    let env = |term: &'static str| {
        [
            ("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", ROOT_PASS),
            ("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", REPO_PASS),
            ("TERM", term),
        ]
    };
    let base = ["-s", srv.url(), "--tlscacert", srv.ca()];
    let from = format!("oci:{}", layout.display());
    let image = format!("{gun}:v1");

    let mut push = base.to_vec();
    push.extend(["push", "--jobs", "1", &image, "--from", &from]);
    let (code, out) = c.sb.pty_env(&push, &env("xterm"), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Waiting"), "{out}");
    assert!(out.contains("Pushed"), "{out}");
    assert!(
        out.contains("=>") || out.contains("=]"),
        "no bar drawn:\n{out}"
    );

    for (n, term) in ["xterm", "dumb"].iter().enumerate() {
        let dest = format!("oci:{}", c.sb.path().join(format!("out{n}")).display());
        let mut pull = base.to_vec();
        pull.extend(["pull", "--jobs", "1", &image, "--output", &dest]);
        let (code, out) = c.sb.pty_env(&pull, &env(term), &[]);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("Pull complete"), "{term}: {out}");
        if *term == "dumb" {
            // One line per blob (config and three layers), no bar.
            assert_eq!(out.matches(": Pull complete\n").count(), 4, "{out}");
            assert!(!out.contains("Waiting") && !out.contains("=>"), "{out}");
        } else {
            assert!(out.contains("Waiting"), "{out}");
        }
    }

    // -q: no progress at all, only the result on stdout.
    let dest = format!("oci:{}", c.sb.path().join("quiet").display());
    let mut quiet = base.to_vec();
    quiet.extend(["-q", "pull", &image, "--output", &dest]);
    let (code, out) = c.sb.pty_env(&quiet, &env("xterm"), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains("Pull complete") && !out.contains("Waiting"),
        "{out}"
    );
    assert!(out.contains("Pull (1 of 1)"), "{out}");
}
