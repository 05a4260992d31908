//! A publish that loses the race against another client (notary-server's 400 `VERSION`) is
//! redone once on fresh trust data, and the staged change is published, not lost.

use dct::tuf::meta::Hashes;

use crate::support::{config_dir, ok, servers, unique};
use dct::keys::passphrase::NoPrompter;
use dct::ops::publish::Writer;
use dct::ops::{Session, SessionOptions, SilentUi};
use dct::reference::Reference;
use dct::tuf::changelist::{Change, Changelist};
use dct::tuf::edit::Editor;
use dct::tuf::meta::FileMeta;
use zeroize::Zeroizing;

#[test]
fn a_publish_that_lost_the_race_is_redone_on_fresh_data() {
    let srv = servers();
    let sb = config_dir(srv);
    let gun = unique(srv, "race/app");
    let pass = [
        ("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "rootpassphrase"),
        (
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
            "repopassphrase",
        ),
    ];
    let dct = |args: &[&str]| {
        let mut all = vec!["-s", srv.url()];
        all.extend(args);
        let mut c = sb.dct(&all);
        c.envs(pass);
        c
    };
    ok(&mut dct(&["init", &gun]));
    let trust = sb.trust();
    let mut session = Session::new(
        SessionOptions {
            server: Some(srv.url().to_string()),
            ..SessionOptions::new(sb.config(), &trust)
        },
        std::sync::Arc::new(NoPrompter),
    );
    // The targets passphrase, handed to the retriever rather than set in the environment of a
    // test process that runs other tests (and their children) at the same time.
    session
        .retriever()
        .remember("targets", &Zeroizing::new(pass[1].1.to_string()));
    let mut w = Writer::new(&mut session, &SilentUi).unwrap();
    let reference = Reference::parse(&gun).unwrap();
    let stale = Editor::from_repo(&w.load(&reference, &gun).unwrap().unwrap());

    // Another client publishes in between.
    let a = format!("sha256:{}", "a".repeat(64));
    ok(&mut dct(&[
        "sign",
        &format!("{gun}:a"),
        "--digest",
        &a,
        "--size",
        "1",
    ]));

    let meta = FileMeta {
        length: 2,
        hashes: Hashes::from([("sha256".to_string(), vec![0xbb; 32])]),
        custom: None,
    };
    w.stage(&reference, &[Change::add_target("targets", "b", &meta)])
        .unwrap();
    let before = w.request_count();
    let published = w.publish(&reference, &gun, Some(stale), &[]).unwrap();
    assert_eq!(published.changes, 1);
    // The stale POST, then a fresh read and a second POST.
    assert!(w.request_count() - before >= 3);
    assert!(Changelist::open(&trust, &gun).unwrap().is_empty().unwrap());

    for (tag, digest) in [("a", "a".repeat(64)), ("b", "bb".repeat(32))] {
        let reader = config_dir(srv);
        let out = ok(&mut reader.dct(&["-s", srv.url(), "lookup", &format!("{gun}:{tag}")]));
        assert_eq!(out, format!("{gun}@sha256:{digest}\n"));
    }
}
