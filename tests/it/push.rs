//! `dct push --from oci:…|docker-archive:…`, `dct login` and `dct logout` against the real
//! registry and notary-server of the harness (plain and token-auth mode), checked with skopeo
//! and `dct lookup`.

use std::fs;
use std::path::Path;
use std::process::Stdio;

use crate::support::image::{noise, oci_layout, sha};
use crate::support::signing::Client;
use crate::support::{Servers, auth_servers, ok, push, repo_path, run, servers, unique};
use base64::Engine as _;

/// `skopeo inspect --raw` of `gun:tag`: the digest of the bytes the registry serves.
fn registry_digest(srv: &Servers, gun: &str, tag: &str, creds: Option<&str>) -> String {
    let mut args = vec!["inspect", "--raw", "--tls-verify=false"];
    if let Some(c) = creds {
        args.extend(["--creds", c]);
    }
    let r = format!("docker://{gun}:{tag}");
    args.push(&r);
    let _ = srv;
    let out = std::process::Command::new("skopeo")
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sha(&out.stdout)
}

fn lookup(c: &Client, image: &str) -> String {
    ok(&mut c.dct(&["lookup", image])).trim().to_string()
}

/// Lines of `-v` output for blob uploads (POST/PATCH/PUT on blobs).
fn blob_uploads(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| {
            l.contains("/blobs/")
                && (l.contains("dct: POST") || l.contains("dct: PUT") || l.contains("dct: PATCH"))
        })
        .count()
}

#[test]
fn oci_layout_push_signs_the_registrys_digest_and_skips_present_blobs() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "push/oci");
    let dir = c.sb.path().join("layout");
    let md = oci_layout(&dir, "oci", "v1");
    let image = format!("{gun}:v1");
    // Small chunk size: the 5000-byte layer goes in PATCH chunks.
    let (code, out, err) = run(&mut c.dct(&[
        "-v",
        "push",
        &image,
        "--from",
        &format!("oci:{}", dir.display()),
        "--chunk-size",
        "2048",
    ]));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        err.contains(&format!("The push refers to repository [{gun}]")),
        "{err}"
    );
    assert_eq!(err.matches(": Pushed").count(), 4, "{err}");
    assert!(err.contains("dct: PATCH"), "{err}");
    assert!(err.contains("Signing and pushing trust metadata"), "{err}");
    assert!(out.contains(&format!("v1: digest: {md} size: ")), "{out}");
    assert!(
        out.contains(&format!("Successfully signed {gun}:v1")),
        "{out}"
    );
    assert_eq!(registry_digest(srv, &gun, "v1", None), md);
    assert_eq!(lookup(&c, &image), format!("{gun}@{md}"));

    // Again, under another tag: every blob is there, only HEADs.
    let (code, out, err) = run(&mut c.dct(&[
        "-v",
        "push",
        &format!("{gun}:v2"),
        "--from",
        &format!("oci:{}:v1", dir.display()),
    ]));
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(blob_uploads(&err), 0, "{err}");
    assert_eq!(err.matches(": Layer already exists").count(), 4, "{err}");
    assert_eq!(lookup(&c, &format!("{gun}:v2")), format!("{gun}@{md}"));
}

#[test]
fn multi_platform_layout_from_skopeo_round_trips() {
    let srv = servers();
    let c = Client::new(srv);
    let src = unique(srv, "push/src");
    let (d, _, _) = push(srv, &["--index"], &src, "v1");
    let dir = c.sb.path().join("multi");
    ok(&mut c.sb.tool(
        "skopeo",
        &[
            "copy",
            "--all",
            "--src-tls-verify=false",
            &format!("docker://{src}:v1"),
            &format!("oci:{}:v1", dir.display()),
        ],
    ));
    let gun = unique(srv, "push/multi");
    let out = ok(&mut c.dct(&[
        "push",
        &format!("{gun}:v1"),
        "--from",
        &format!("oci:{}", dir.display()),
    ]));
    let registry = registry_digest(srv, &gun, "v1", None);
    assert!(out.contains(&format!("digest: {registry}")), "{out}");
    assert_eq!(
        lookup(&c, &format!("{gun}:v1")),
        format!("{gun}@{registry}")
    );
    // skopeo wrote the list as an OCI index (so not the source's digest): the registry holds
    // exactly the layout's index, with both platforms.
    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["manifests"][0]["digest"], registry.as_str());
    assert_ne!(registry, d);
    let raw = ok(&mut c.sb.tool(
        "skopeo",
        &[
            "inspect",
            "--raw",
            "--tls-verify=false",
            &format!("docker://{gun}:v1"),
        ],
    ));
    let top: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(top["manifests"].as_array().unwrap().len(), 2);
    assert_eq!(repo_path(srv, &gun), gun.split_once('/').unwrap().1);
}

/// A `docker save`-format tarball: manifest.json, a config `<hex>.json` and layers
/// `<id>/layer.tar` (one plain tar, one gzip).
fn docker_archive(dir: &Path, image: &str) -> (Vec<u8>, Vec<u8>) {
    let work = dir.join("save");
    fs::create_dir_all(work.join("l1")).unwrap();
    fs::create_dir_all(work.join("l2")).unwrap();
    let l1 = noise("plain", 1536);
    let mut l2 = vec![0x1f, 0x8b, 8, 0];
    l2.extend(noise("gz", 700));
    fs::write(work.join("l1/layer.tar"), &l1).unwrap();
    fs::write(work.join("l2/layer.tar"), &l2).unwrap();
    let config = format!(
        r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":["{}"]}}}}"#,
        sha(&l1)
    );
    let cname = format!(
        "{}.json",
        sha(config.as_bytes()).trim_start_matches("sha256:")
    );
    fs::write(work.join(&cname), &config).unwrap();
    fs::write(
        work.join("manifest.json"),
        format!(
            r#"[{{"Config":"{cname}","RepoTags":["{image}"],"Layers":["l1/layer.tar","l2/layer.tar"]}}]"#
        ),
    )
    .unwrap();
    let st = std::process::Command::new("tar")
        .arg("-cf")
        .arg(dir.join("image.tar"))
        .arg("-C")
        .arg(&work)
        .args(["manifest.json", &cname, "l1/layer.tar", "l2/layer.tar"])
        .status()
        .unwrap();
    assert!(st.success());
    (l1, l2)
}

#[test]
fn docker_archive_round_trip() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "push/archive");
    let image = format!("{gun}:v1");
    let (l1, l2) = docker_archive(c.sb.path(), &image);
    let out = ok(&mut c.dct(&[
        "push",
        &image,
        "--from",
        &format!("docker-archive:{}", c.sb.path().join("image.tar").display()),
    ]));
    let registry = registry_digest(srv, &gun, "v1", None);
    assert!(out.contains(&format!("v1: digest: {registry}")), "{out}");
    assert_eq!(lookup(&c, &image), format!("{gun}@{registry}"));
    let raw = ok(&mut c.sb.tool(
        "skopeo",
        &[
            "inspect",
            "--raw",
            "--tls-verify=false",
            &format!("docker://{image}"),
        ],
    ));
    let m: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(
        m["mediaType"],
        "application/vnd.docker.distribution.manifest.v2+json"
    );
    assert_eq!(
        m["config"]["mediaType"],
        "application/vnd.docker.container.image.v1+json"
    );
    assert_eq!(
        m["layers"][0]["mediaType"],
        "application/vnd.docker.image.rootfs.diff.tar"
    );
    assert_eq!(m["layers"][0]["digest"], sha(&l1));
    assert_eq!(
        m["layers"][1]["mediaType"],
        "application/vnd.docker.image.rootfs.diff.tar.gzip"
    );
    assert_eq!(m["layers"][1]["digest"], sha(&l2));
}

#[test]
fn corrupt_blob_is_exit_4_and_nothing_is_signed() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "push/corrupt");
    let dir = c.sb.path().join("layout");
    oci_layout(&dir, "corrupt", "v1");
    // Flip a byte of the 5000-byte layer (same size, other content).
    let blobs = dir.join("blobs/sha256");
    let victim = fs::read_dir(&blobs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| fs::metadata(p).unwrap().len() == 5000)
        .unwrap();
    let mut b = fs::read(&victim).unwrap();
    b[4000] ^= 1;
    fs::write(&victim, b).unwrap();
    let (code, out, err) = run(&mut c.dct(&[
        "push",
        &format!("{gun}:v1"),
        "--from",
        &format!("oci:{}", dir.display()),
    ]));
    assert_eq!(code, 4, "{out}\n{err}");
    assert!(err.contains("corrupted or tampered"), "{err}");
    assert!(!out.contains("Successfully signed"), "{out}");
    let (code, _, _) = run(&mut c.dct(&["lookup", &format!("{gun}:v1")]));
    assert_eq!(code, 3);
    let st = std::process::Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false"])
        .arg(format!("docker://{gun}:v1"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(!st.success(), "the manifest must not be in the registry");
}

#[test]
fn without_from_and_no_engine_names_from() {
    let srv = servers();
    let c = Client::new(srv);
    let gun = unique(srv, "push/engine");
    let mut cmd = c.dct(&["push", &format!("{gun}:v1")]);
    cmd.env("DOCKER_HOST", "unix:///nonexistent/docker.sock");
    let (code, out, err) = run(&mut cmd);
    assert_ne!(code, 0, "{out}");
    assert!(err.contains("--from oci:DIR"), "{err}");
}

#[test]
fn login_push_logout_with_token_auth() {
    let srv = auth_servers();
    let c = Client::new(srv);
    let host = srv.registry_host();
    let config = c.sb.config().join("config.json");
    fs::create_dir_all(c.sb.config()).unwrap();
    fs::write(&config, "{\"psFormat\": \"table\"}").unwrap();

    // Wrong password: exit 5, config.json untouched.
    let mut cmd = c.dct(&["login", host, "-u", "signer", "--password-stdin"]);
    cmd.stdin(Stdio::piped());
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"wrong\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        "{\"psFormat\": \"table\"}"
    );

    let mut cmd = c.dct(&["login", host, "-u", "signer", "--password-stdin"]);
    cmd.stdin(Stdio::piped());
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"signer-pass\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "Login Succeeded\n");
    let auth = base64::engine::general_purpose::STANDARD.encode("signer:signer-pass");
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        format!(
            "{{\n\t\"auths\": {{\n\t\t\"{host}\": {{\n\t\t\t\"auth\": \"{auth}\"\n\t\t}}\n\t}},\n\t\"psFormat\": \"table\"\n}}"
        )
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        fs::metadata(&config).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let gun = unique(srv, "push/auth");
    let dir = c.sb.path().join("layout");
    let md = oci_layout(&dir, "auth", "v1");
    let out = ok(&mut c.dct(&[
        "push",
        &format!("{gun}:v1"),
        "--from",
        &format!("oci:{}", dir.display()),
    ]));
    assert!(
        out.contains(&format!("Successfully signed {gun}:v1")),
        "{out}"
    );
    assert_eq!(
        registry_digest(srv, &gun, "v1", Some("signer:signer-pass")),
        md
    );
    assert_eq!(lookup(&c, &format!("{gun}:v1")), format!("{gun}@{md}"));

    let out = ok(&mut c.dct(&["logout", host]));
    assert_eq!(out, format!("Removing login credentials for {host}\n"));
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        "{\n\t\"auths\": {},\n\t\"psFormat\": \"table\"\n}"
    );
}

#[test]
fn credential_helper_receives_store_and_erase() {
    let srv = auth_servers();
    let c = Client::new(srv);
    let host = srv.registry_host();
    let bin = c.sb.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    let log = c.sb.path().join("helper.log");
    let helper = bin.join("docker-credential-testhelper");
    fs::write(
        &helper,
        format!(
            "#!/bin/sh\n{{ echo \"$1\"; cat; echo; }} >> '{}'\n",
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&helper, fs::Permissions::from_mode(0o755)).unwrap();
    fs::create_dir_all(c.sb.config()).unwrap();
    let config = c.sb.config().join("config.json");
    fs::write(&config, r#"{"credsStore":"testhelper"}"#).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());

    let mut cmd = c.dct(&["login", host, "-u", "signer", "--password-stdin"]);
    cmd.env("PATH", &path).stdin(Stdio::piped());
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"signer-pass")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut cmd = c.dct(&["logout", host]);
    cmd.env("PATH", &path);
    let out = ok(&mut cmd);
    assert_eq!(out, format!("Removing login credentials for {host}\n"));
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        format!(
            "store\n{{\"Secret\":\"signer-pass\",\"ServerURL\":\"{host}\",\"Username\":\"signer\"}}\nerase\n{host}\n"
        )
    );
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        r#"{"credsStore":"testhelper"}"#
    );
}

#[test]
fn password_is_never_read_without_a_terminal_or_stdin_flag() {
    let srv = servers();
    let c = Client::new(srv);
    let (code, _, err) = run(&mut c.dct(&["login", srv.registry_host(), "-u", "signer"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--password-stdin"), "{err}");
}
