//! `dct pull` against the real harness: images copied in with skopeo (built with umoci) or
//! pushed with scripts/push-image, signed with `dct sign`, pulled to OCI layouts that skopeo and
//! umoci read, and to docker-archives; tampering through a test-only proxy.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::signing::Client;
use crate::support::{
    ROOT, Servers, auth_servers, b64, ok, push, repo_path, run, servers, spawn_server, unique,
};
use sha2::{Digest, Sha256};

/// A client trusting the harness CA for the trust server and the registry.
fn client(srv: &'static Servers) -> Client {
    let c = Client::new(srv);
    c.sb.add_ca(srv, srv.registry_host());
    c
}

/// An OCI layout `dir:tag` built with umoci, one layer per (path, text).
fn build_image(c: &Client, dir: &Path, tag: &str, layers: &[(&str, &str)]) {
    let d = dir.to_str().unwrap();
    if !dir.exists() {
        ok(&mut c.sb.tool("umoci", &["init", "--layout", d]));
    }
    let image = format!("{d}:{tag}");
    ok(&mut c.sb.tool("umoci", &["new", "--image", &image]));
    for (i, (path, text)) in layers.iter().enumerate() {
        let root = c.sb.path().join(format!("layer-{tag}-{i}"));
        let file = root.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, text).unwrap();
        // Fixed mtimes (file and every dir up to the layer root): the same (path, text) must give
        // the same layer in two images, whatever second each was built in.
        let fixed = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        let mut p = file.as_path();
        loop {
            fs::File::open(p).unwrap().set_modified(fixed).unwrap();
            if p == root {
                break;
            }
            p = p.parent().unwrap();
        }
        ok(&mut c.sb.tool(
            "umoci",
            &["insert", "--image", &image, root.to_str().unwrap(), "/"],
        ));
    }
}

/// `skopeo copy oci:SRC docker://GUN:TAG` into the harness registry; returns the digest.
fn copy_in(c: &Client, src: &str, gun: &str, tag: &str, extra: &[&str]) -> String {
    let certs = c.sb.path().join("skopeo-certs");
    fs::create_dir_all(&certs).unwrap();
    fs::copy(c.srv.ca(), certs.join("ca.crt")).unwrap();
    let dest = format!("docker://{gun}:{tag}");
    let mut args = vec!["copy", "--dest-cert-dir", certs.to_str().unwrap()];
    args.extend(extra);
    args.extend([src, dest.as_str()]);
    ok(&mut c.sb.tool("skopeo", &args));
    let out = ok(&mut c.sb.tool(
        "skopeo",
        &[
            "inspect",
            "--cert-dir",
            certs.to_str().unwrap(),
            "--format",
            "{{.Digest}}",
            &dest,
        ],
    ));
    out.trim().to_string()
}

fn sign(c: &Client, image: &str) {
    ok(&mut c.dct(&["sign", image]));
}

fn sha256_file(p: &Path) -> String {
    format!(
        "sha256:{}",
        hex::encode(Sha256::digest(fs::read(p).unwrap()))
    )
}

fn index(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("index.json")).unwrap()).unwrap()
}

fn blob_count(dir: &Path) -> usize {
    fs::read_dir(dir.join("blobs/sha256")).unwrap().count()
}

fn skopeo_digest(c: &Client, layout: &str) -> String {
    ok(&mut c
        .sb
        .tool("skopeo", &["inspect", "--format", "{{.Digest}}", layout]))
    .trim()
    .to_string()
}

#[test]
fn oci_layout_is_read_by_skopeo_and_umoci_and_shares_blobs() {
    let srv = servers();
    let c = client(srv);
    let src = c.sb.path().join("src");
    build_image(
        &c,
        &src,
        "v1",
        &[("etc/one.txt", "one\n"), ("usr/two.txt", "two\n")],
    );
    build_image(
        &c,
        &src,
        "v2",
        &[("etc/one.txt", "one\n"), ("opt/three.txt", "3\n")],
    );
    let gun = unique(srv, "pull-oci");
    let src_s = src.to_str().unwrap();
    let d1 = copy_in(&c, &format!("oci:{src_s}:v1"), &gun, "v1", &[]);
    let d2 = copy_in(&c, &format!("oci:{src_s}:v2"), &gun, "v2", &[]);
    sign(&c, &format!("{gun}:v1"));
    sign(&c, &format!("{gun}:v2"));

    let out = c.sb.path().join("out");
    let o = out.to_str().unwrap();
    let (code, stdout, stderr) = run(&mut c.dct(&[
        "pull",
        &format!("{gun}:v1"),
        "--output",
        &format!("oci:{o}"),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, format!("Pull (1 of 1): {gun}:v1@{d1}\n"));
    assert!(stderr.contains("Pull complete"), "{stderr}");
    assert_eq!(skopeo_digest(&c, &format!("oci:{o}:v1")), d1);
    // Every blob file is named by its content's digest.
    for e in fs::read_dir(out.join("blobs/sha256")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        assert_eq!(sha256_file(&p), format!("sha256:{name}"));
    }
    let bundle = c.sb.path().join("bundle");
    ok(&mut c.sb.tool(
        "umoci",
        &[
            "unpack",
            "--image",
            &format!("{o}:v1"),
            bundle.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        fs::read_to_string(bundle.join("rootfs/etc/one.txt")).unwrap(),
        "one\n"
    );
    assert_eq!(
        fs::read_to_string(bundle.join("rootfs/usr/two.txt")).unwrap(),
        "two\n"
    );
    let before = blob_count(&out);
    assert_eq!(before, 4); // manifest, config, 2 layers

    // A second image goes into the same layout, under its own name, sharing the common layer.
    let (code, _, stderr) = run(&mut c.dct(&[
        "pull",
        &format!("{gun}:v2"),
        "--output",
        &format!("oci:{o}:second"),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Already exists"), "{stderr}");
    assert_eq!(blob_count(&out), before + 3); // manifest, config, one new layer
    let idx = index(&out);
    let names: Vec<&str> = idx["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            m["annotations"]["org.opencontainers.image.ref.name"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(names, ["v1", "second"]);
    assert_eq!(skopeo_digest(&c, &format!("oci:{o}:second")), d2);
    assert_eq!(skopeo_digest(&c, &format!("oci:{o}:v1")), d1);
}

#[test]
fn docker_schema2_image_and_docker_archive() {
    let srv = servers();
    let c = client(srv);
    let gun = unique(srv, "pull-archive");
    let (digest, size, mt) = push(srv, &["--text", "archive me"], &gun, "v1");
    assert_eq!(mt, "application/vnd.docker.distribution.manifest.v2+json");
    sign(&c, &format!("{gun}:v1"));

    // OCI layout: the Docker manifest is kept byte for byte, with its media type.
    let out = c.sb.path().join("layout");
    let o = out.to_str().unwrap();
    ok(&mut c.dct(&[
        "pull",
        &format!("{gun}:v1"),
        "--output",
        &format!("oci:{o}"),
    ]));
    let idx = index(&out);
    assert_eq!(idx["manifests"][0]["digest"], digest.as_str());
    assert_eq!(idx["manifests"][0]["size"], size);
    assert_eq!(idx["manifests"][0]["mediaType"], mt.as_str());
    // The signed bytes are kept as they are (converting to OCI would change the digest): skopeo
    // and umoci only look up OCI media types in index.json, so they do not list this image.

    // docker-archive: manifest.json + config + layers, each file its digest.
    let tar = c.sb.path().join("img.tar");
    let t = tar.to_str().unwrap();
    let (code, stdout, stderr) = run(&mut c.dct(&[
        "pull",
        "-q",
        &format!("{gun}:v1"),
        "--output",
        &format!("docker-archive:{t}"),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, format!("Pull (1 of 1): {gun}:v1@{digest}\n"));
    assert_eq!(stderr, "");
    let x = c.sb.path().join("x");
    fs::create_dir_all(&x).unwrap();
    ok(&mut c.sb.tool("tar", &["-xf", t, "-C", x.to_str().unwrap()]));
    let m: serde_json::Value =
        serde_json::from_slice(&fs::read(x.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m[0]["RepoTags"], serde_json::json!([format!("{gun}:v1")]));
    let manifest: serde_json::Value = serde_json::from_slice(
        &fs::read(
            out.join("blobs/sha256")
                .join(digest.trim_start_matches("sha256:")),
        )
        .unwrap(),
    )
    .unwrap();
    let config = m[0]["Config"].as_str().unwrap();
    assert_eq!(
        sha256_file(&x.join(config)),
        manifest["config"]["digest"].as_str().unwrap()
    );
    let layers = m[0]["Layers"].as_array().unwrap();
    assert_eq!(layers.len(), manifest["layers"].as_array().unwrap().len());
    for (l, d) in layers.iter().zip(manifest["layers"].as_array().unwrap()) {
        assert_eq!(
            sha256_file(&x.join(l.as_str().unwrap())),
            d["digest"].as_str().unwrap()
        );
    }
    // skopeo reads the archive as docker load would.
    let got = ok(&mut c.sb.tool(
        "skopeo",
        &[
            "inspect",
            "--format",
            "{{.Os}}/{{.Architecture}}",
            &format!("docker-archive:{t}"),
        ],
    ));
    assert_eq!(got.trim(), "linux/amd64");
}

#[test]
fn multi_platform_index_with_platform_and_all_platforms() {
    let srv = servers();
    let c = client(srv);
    let gun = unique(srv, "pull-index");
    let (digest, _, _) = push(srv, &["--oci", "--index"], &gun, "multi");
    sign(&c, &format!("{gun}:multi"));

    let one = c.sb.path().join("arm");
    let o = one.to_str().unwrap();
    let (code, stdout, stderr) = run(&mut c.dct(&[
        "pull",
        &format!("{gun}:multi"),
        "--platform",
        "linux/arm64",
        "--output",
        &format!("oci:{o}"),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, format!("Pull (1 of 1): {gun}:multi@{digest}\n"));
    let idx = index(&one);
    let entry = &idx["manifests"][0];
    assert_eq!(entry["platform"]["architecture"], "arm64");
    assert_ne!(entry["digest"], digest.as_str());
    let arch = ok(&mut c.sb.tool(
        "skopeo",
        &[
            "inspect",
            "--format",
            "{{.Architecture}}",
            &format!("oci:{o}:multi"),
        ],
    ));
    assert_eq!(arch.trim(), "arm64");

    let all = c.sb.path().join("all");
    let a = all.to_str().unwrap();
    ok(&mut c.dct(&[
        "pull",
        &format!("{gun}:multi"),
        "--all-platforms",
        "--output",
        &format!("oci:{a}"),
    ]));
    assert_eq!(index(&all)["manifests"][0]["digest"], digest.as_str());
    // index + 2 × (manifest, config, layer)
    assert_eq!(blob_count(&all), 6); // index, 2 manifests, 2 configs, 1 shared layer
    let raw = ok(&mut c
        .sb
        .tool("skopeo", &["inspect", "--raw", &format!("oci:{a}:multi")]));
    assert_eq!(
        format!("sha256:{}", hex::encode(Sha256::digest(raw.as_bytes()))),
        digest
    );
    for arch in ["amd64", "arm64"] {
        let got = ok(&mut c.sb.tool(
            "skopeo",
            &[
                "--override-arch",
                arch,
                "inspect",
                "--format",
                "{{.Architecture}}",
                &format!("oci:{a}:multi"),
            ],
        ));
        assert_eq!(got.trim(), arch);
    }

    let (code, _, stderr) = run(&mut c.dct(&[
        "pull",
        &format!("{gun}:multi"),
        "--platform",
        "linux/s390x",
        "--output",
        &format!("oci:{}", c.sb.path().join("none").display()),
    ]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("linux/amd64, linux/arm64"), "{stderr}");
    assert!(!c.sb.path().join("none").exists());
}

#[test]
fn unsigned_tag_exits_3_and_fetches_nothing_from_the_registry() {
    let srv = servers();
    let c = client(srv);
    let gun = unique(srv, "pull-unsigned");
    push(srv, &[], &gun, "v1");
    push(srv, &["--text", "other"], &gun, "v2");
    sign(&c, &format!("{gun}:v1"));
    let out = c.sb.path().join("out");
    let (code, stdout, stderr) = run(&mut c.dct(&[
        "-v",
        "pull",
        &format!("{gun}:v2"),
        "--output",
        &format!("oci:{}", out.display()),
    ]));
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("No valid trust data for v2"), "{stderr}");
    let registry_requests = stderr
        .lines()
        .filter(|l| l.contains(&format!("://{}/", srv.registry_host())))
        .count();
    assert_eq!(registry_requests, 0, "{stderr}");
    assert!(!out.exists());
    // A repository without any trust data: exit 3 as well.
    let other = unique(srv, "pull-never");
    push(srv, &[], &other, "v1");
    let (code, _, stderr) = run(&mut c.dct(&[
        "pull",
        &format!("{other}:v1"),
        "--output",
        &format!("oci:{}", out.display()),
    ]));
    assert_eq!(code, 3, "{stderr}");
    assert!(!out.exists());
}

/// The tamper proxy in front of the registry, altering responses for `digest`; its port.
fn tamper_proxy(srv: &Servers, digest: &str) -> (std::process::Child, u16) {
    let tls = srv.tls_dir();
    spawn_server(
        Command::new("python3")
            .arg(Path::new(ROOT).join("tests/it/support/tamper_proxy.py"))
            .arg(srv.get("REGISTRY_URL"))
            .arg(srv.ca())
            .arg(tls.join("server.crt"))
            .arg(tls.join("server.key"))
            .arg(digest)
            .arg(std::process::id().to_string()),
    )
}

#[test]
fn tampered_blob_or_manifest_exits_4_and_leaves_the_output_untouched() {
    let srv = servers();
    let c = client(srv);
    let real = unique(srv, "pull-tamper");
    let path = repo_path(srv, &real);
    let (good, _, _) = push(srv, &["--text", "good"], &real, "good");
    let (digest, _, _) = push(srv, &["--text", "bad layer"], &real, "v1");
    // The layer of v1, from the manifest.
    let manifest = ok(&mut c.sb.tool(
        "curl",
        &[
            "-sSf",
            "--cacert",
            srv.ca(),
            "-H",
            "Accept: application/vnd.docker.distribution.manifest.v2+json",
            &format!("{}/v2/{path}/manifests/{digest}", srv.get("REGISTRY_URL")),
        ],
    ));
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let layer = m["layers"][0]["digest"].as_str().unwrap().to_string();

    for bad in [layer.as_str(), digest.as_str()] {
        let (mut proxy, port) = tamper_proxy(srv, bad);
        let gun = format!("127.0.0.1:{port}/{path}");
        c.sb.add_ca(srv, &format!("127.0.0.1:{port}"));
        // HEAD answers are not altered: the signature is of the real digest.
        sign(&c, &format!("{gun}:v1"));
        sign(&c, &format!("{gun}:good"));

        let fresh = c.sb.path().join(format!("fresh-{port}"));
        let (code, _, stderr) = run(&mut c.dct(&[
            "pull",
            &format!("{gun}:v1"),
            "--output",
            &format!("oci:{}", fresh.display()),
        ]));
        assert_eq!(code, 4, "{stderr}");
        assert!(stderr.contains("corrupted or tampered"), "{stderr}");
        assert!(!fresh.exists());
        let leftovers: Vec<_> = fs::read_dir(c.sb.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".dct-pull-"))
            .collect();
        assert!(leftovers.is_empty());

        // An existing layout stays byte-identical; so does an existing archive.
        let layout = c.sb.path().join(format!("layout-{port}"));
        ok(&mut c.dct(&[
            "pull",
            &format!("{gun}:good"),
            "--output",
            &format!("oci:{}", layout.display()),
        ]));
        let before = c.sb.snapshot();
        let (code, _, stderr) = run(&mut c.dct(&[
            "pull",
            &format!("{gun}:v1"),
            "--output",
            &format!("oci:{}", layout.display()),
        ]));
        assert_eq!(code, 4, "{stderr}");
        let tar = c.sb.path().join(format!("img-{port}.tar"));
        let (code, _, stderr) = run(&mut c.dct(&[
            "pull",
            &format!("{gun}:v1"),
            "--output",
            &format!("docker-archive:{}", tar.display()),
        ]));
        assert_eq!(code, 4, "{stderr}");
        assert!(!tar.exists());
        let after = c.sb.snapshot();
        let files = |s: &[(std::path::PathBuf, Vec<u8>)]| {
            s.iter()
                .filter(|(p, _)| p.starts_with(&layout))
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(files(&before), files(&after));
        assert_eq!(index(&layout)["manifests"][0]["digest"], good.as_str());
        proxy.kill().unwrap();
        proxy.wait().unwrap();
    }
}

#[test]
fn token_auth_with_config_json_credentials() {
    let srv = auth_servers();
    let gun = unique(srv, "pull-auth");
    push(srv, &["--text", "authenticated"], &gun, "v1");
    let auth = |user: &str, pass: &str| b64(&format!("{user}:{pass}"));
    let write_config = |c: &Client, user: &str, pass: &str| {
        let a = auth(user, pass);
        fs::write(
            c.sb.config().join("config.json"),
            format!(
                r#"{{"auths":{{"{}":{{"auth":"{a}"}},"{}":{{"auth":"{a}"}}}}}}"#,
                srv.get("TRUST_SERVER_HOST"),
                srv.registry_host()
            ),
        )
        .unwrap();
    };
    let signer = client(srv);
    write_config(
        &signer,
        srv.get("TRUST_SIGNER_USER"),
        srv.get("TRUST_SIGNER_PASSWORD"),
    );
    sign(&signer, &format!("{gun}:v1"));

    let reader = client(srv);
    let out = reader.sb.path().join("out");
    let args = [
        "pull",
        &format!("{gun}:v1"),
        "--output",
        &format!("oci:{}", out.display()),
    ];
    let (code, _, stderr) = run(&mut reader.dct(
        &args
            .map(String::from)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    ));
    assert_eq!(code, 5, "without credentials: {stderr}");
    assert!(!out.exists());
    write_config(
        &reader,
        srv.get("TRUST_READER_USER"),
        srv.get("TRUST_READER_PASSWORD"),
    );
    let (code, stdout, stderr) = run(&mut reader.dct(
        &args
            .map(String::from)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    ));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with(&format!("Pull (1 of 1): {gun}:v1@sha256:")));
    assert_eq!(index(&out)["manifests"].as_array().unwrap().len(), 1);
    let _ = repo_path(srv, &gun);
}

#[test]
fn without_output_and_no_engine_a_clear_error() {
    let srv = servers();
    let c = client(srv);
    let gun = unique(srv, "pull-engine");
    push(srv, &[], &gun, "v1");
    sign(&c, &format!("{gun}:v1"));
    let mut cmd = c.dct(&["pull", &format!("{gun}:v1")]);
    cmd.env(
        "DOCKER_HOST",
        format!("unix://{}/no-docker.sock", c.sb.path().display()),
    );
    let (code, stdout, stderr) = run(&mut cmd);
    assert!(
        stdout.starts_with(&format!("Pull (1 of 1): {gun}:v1@sha256:")),
        "{stdout}"
    );
    assert_eq!(code, 6, "{stderr}");
    assert!(stderr.contains("no Docker engine is reachable"), "{stderr}");
    assert!(stderr.contains("--output oci:DIR"), "{stderr}");
}

#[test]
fn disable_content_trust_pulls_the_tag_with_a_warning() {
    let srv = servers();
    let c = client(srv);
    let gun = unique(srv, "pull-notrust");
    let (digest, _, _) = push(srv, &[], &gun, "v1");
    let out = c.sb.path().join("out");
    let (code, stdout, stderr) = run(&mut c.dct(&[
        "pull",
        "--disable-content-trust",
        &format!("{gun}:v1"),
        "--output",
        &format!("oci:{}", out.display()),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("WITHOUT signature verification"),
        "{stderr}"
    );
    assert_eq!(index(&out)["manifests"][0]["digest"], digest.as_str());
}
