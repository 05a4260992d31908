//! Docker Hub's notary (`notary.docker.io`, the default trust server of `docker.io` images) is
//! being shut down: Docker is retiring DCT, and since 28.5 the docker CLI warns whenever it is
//! used. Its root certificates have expired, so most of its collections fail verification
//! ("unable to retrieve valid leaf certificates"). dct says so once per run, and a failure of
//! such a run carries the explanation and the ways out (`dct bundle`, `dct migrate`); the exit
//! code stays the documented one.

use std::sync::atomic::{AtomicBool, Ordering};

use super::Ui;
use crate::error::Error;
use crate::reference::Reference;
use crate::remote::trust::trust_server_url;

/// The host of Docker Hub's trust server.
pub const HUB_NOTARY_HOST: &str = "notary.docker.io";

/// Set once this process talked (or tried to talk) to Docker Hub's notary. A process is one run
/// of one command, so "once per run" is once per process.
static USED: AtomicBool = AtomicBool::new(false);

/// The warning printed the first time a run uses Docker Hub's notary.
pub const NOTICE: &str = "notary.docker.io is Docker Hub's trust server, which Docker is \
     retiring (https://docs.docker.com/go/dct-deprecation/); keep the trust data it still serves \
     with `dct bundle create`, and move the signatures to cosign or Notation with `dct migrate`";

/// The line a failed run that used Docker Hub's notary ends with.
pub const EXPLANATION: &str = "note: this trust data comes from notary.docker.io, Docker Hub's \
     retired trust server: its root certificates have expired (\"unable to retrieve valid leaf \
     certificates\") or it no longer answers, so its signatures cannot be checked online any \
     more. Verify from trust data saved earlier (`dct lookup --bundle FILE`, see `dct bundle \
     --help`), or check the image's cosign or Notation signatures instead";

/// Whether `url`'s host is Docker Hub's notary.
pub fn is_hub_notary(url: &url::Url) -> bool {
    url.host_str()
        .is_some_and(|h| h.eq_ignore_ascii_case(HUB_NOTARY_HOST))
}

/// Notes that this run reads or writes `reference`'s trust data on `server` (the `-s` value,
/// or the default for its registry): the first time that is Docker Hub's notary, warns.
pub(crate) fn note(server: Option<&str>, reference: &Reference, ui: &dyn Ui) {
    let Ok(url) = trust_server_url(server, None, reference.domain()) else {
        return; // the caller reports a bad URL itself
    };
    if is_hub_notary(&url) && !USED.swap(true, Ordering::SeqCst) {
        ui.warn(NOTICE);
    }
}

/// Whether this run used Docker Hub's notary.
pub fn used() -> bool {
    USED.load(Ordering::SeqCst)
}

/// Whether `e` should carry [`EXPLANATION`]: this run used Docker Hub's notary and `e` is the
/// kind of failure its shutdown causes (verification, an unreachable server, no trust data).
pub fn explains(e: &Error) -> bool {
    used()
        && matches!(
            e,
            Error::Verification(_) | Error::Network(_) | Error::NotSigned(_)
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_docker_hubs_notary_is_the_retired_server() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert!(is_hub_notary(&u("https://notary.docker.io")));
        assert!(is_hub_notary(&u("https://NOTARY.docker.io/")));
        assert!(!is_hub_notary(&u("https://notary.docker.io.example")));
        assert!(!is_hub_notary(&u("https://127.0.0.1:4443")));
    }
}
