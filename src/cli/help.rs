//! The long `--help` pages of the write commands: what each does, where passphrases and the
//! trust server come from, exit codes and examples. Macros, so the shared paragraphs can be
//! `concat!`ed into the literals clap's attributes take.

/// Where passphrases come from.
macro_rules! help_passphrases {
    () => {
        "Passphrases: DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE for the root key, \
         DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE for repository and signer keys (notary's \
         NOTARY_ROOT/TARGETS/SNAPSHOT/DELEGATION_PASSPHRASE work too), else a prompt when stdin is \
         a terminal; with neither, dct stops at once with exit 7 naming the variable to set."
    };
}

/// Where the trust server comes from.
macro_rules! help_server {
    () => {
        "Trust server: -s/--server or DOCKER_CONTENT_TRUST_SERVER; by default \
         https://notary.docker.io for Docker Hub images, else https://<registry host>."
    };
}

/// The exit codes of commands that talk to a trust server.
macro_rules! help_exit_codes {
    () => {
        "Exit codes: 0 done; 1 other failure; 2 bad input; 3 not signed; 4 verification failed \
         (possible tampering); 5 authentication refused; 6 network or server failure (also \
         --timeout); 7 key problem (missing key, wrong or missing passphrase); 130/143 \
         interrupted (SIGINT/SIGTERM; nothing half-written is left)."
    };
}

/// The top-level help's opening.
pub const TOP: &str = "Docker Content Trust client: keys, signing and verified pulls.

Start here:
  dct sign IMAGE:TAG      sign a tag you pushed (keys and trust data are made on first use)
  dct lookup IMAGE:TAG    print its signed digest, verified
  dct pull IMAGE:TAG      pull it by that digest

dct shares Docker's and notary's trust dir (~/.docker/trust) and key format, so keys work with \
all three. `dct help COMMAND` (or COMMAND --help) tells more; `dct env` lists the environment \
variables dct reads.";

/// `dct sign`.
pub const SIGN: &str = concat!(
    "Sign tags and publish the signatures.\n\n",
    "Each tag is signed as the digest and size of the manifest the registry holds now (a HEAD \
     request; a multi-platform image by its index), or of NAME:TAG@sha256:HEX, or of \
     --digest/--size. Tags go into every role this trust dir holds a key for (targets/releases \
     and the signer's role, else targets), as `docker trust sign` does; a repository without \
     trust data is created first (root key: the one you have, else a new one; a new repository \
     key). Tags of one repository are published in one request. For a repository this trust dir \
     has seen, the signatures are staged first: whatever fails later, `dct publish` sends them.\n\n",
    help_passphrases!(),
    "\n\n",
    help_server!(),
    "\n\n",
    help_exit_codes!()
);

/// `dct sign` examples.
pub const SIGN_EXAMPLES: &str = "Examples:
  # Sign the tag as the registry has it now
  dct sign registry.example.com/app:v1
  # Sign exactly the digest you pushed, whatever the tag points to meanwhile
  dct sign registry.example.com/app:v1@sha256:3f2b...e9
  # In CI: passphrases from the environment, never a prompt
  DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=... dct sign registry.example.com/app:v1 \\
      registry.example.com/app:latest
  # Stage now, publish later
  dct sign --local registry.example.com/app:v1 && dct publish registry.example.com/app";

/// `dct init`.
pub const INIT: &str = concat!(
    "Create a repository's trust data.\n\n",
    "As Docker does on first sign: the root key you have (the smallest root key ID in the trust \
     dir), else a new one; a new repository (targets) key; snapshot and timestamp keys held by \
     the server, which is asked for them before any key is made. Publishes root version 1 and \
     an empty targets. A repository that has trust data is left alone (exit 0).\n\n",
    help_passphrases!(),
    "\n\n",
    help_server!(),
    "\n\n",
    help_exit_codes!()
);

/// `dct init` examples.
pub const INIT_EXAMPLES: &str = "Examples:
  dct init registry.example.com/app
  dct -s https://notary.example.com:4443 init registry.example.com/app";

/// `dct push`.
pub const PUSH: &str = concat!(
    "Upload an image and sign exactly the digest the registry now holds.\n\n",
    "--from oci:DIR[:REF] reads an OCI image layout (REF: the image's ref name; default the tag, \
     or the only image), --from docker-archive:FILE a `docker save` tarball. Every blob is \
     checked against its digest while it is read; blobs the registry has are skipped (`Layer \
     already exists`). Without --from, `docker push` uploads and dct signs what it pushed. The \
     signature is made as `dct sign` makes it.\n\n",
    help_passphrases!(),
    "\n\n",
    help_server!(),
    " Registry credentials: Docker's config.json or credential helpers (`dct login`).\n\n",
    help_exit_codes!()
);

/// `dct push` examples.
pub const PUSH_EXAMPLES: &str = "Examples:
  dct push registry.example.com/app:v1 --from oci:./app-layout:v1
  dct push registry.example.com/app:v1 --from docker-archive:app.tar
  skopeo copy docker-daemon:app:v1 oci:./out:v1 && dct push registry.example.com/app:v1 --from oci:./out";

/// `dct pull`.
pub const PULL: &str = concat!(
    "Pull a signed image by its verified digest.\n\n",
    "Resolves IMAGE:TAG through verified trust data (as `dct lookup`), prints `Pull (1 of 1): \
     NAME:TAG@sha256:HEX`, then fetches that manifest by digest and every blob it lists, checking \
     each digest and length. With --output the image is written to an OCI image layout or a \
     `docker load` archive (nothing partial is left on failure or Ctrl-C); without it the digest \
     is handed to the Docker engine (`docker pull NAME@DIGEST`, then tagged).\n\n",
    help_server!(),
    " Registry credentials: Docker's config.json or credential helpers (`dct login`).\n\n",
    help_exit_codes!(),
    " A tag that is not signed is exit 3 before anything is fetched."
);

/// `dct pull` examples.
pub const PULL_EXAMPLES: &str = "Examples:
  dct pull registry.example.com/app:v1 --output oci:./layout
  dct pull registry.example.com/app:v1 --output docker-archive:app.tar && docker load -i app.tar
  dct pull registry.example.com/app:v1 --platform linux/arm64 --output oci:./layout:arm64
  dct pull registry.example.com/app:v1                      # through the Docker engine";

/// `dct signer`.
pub const SIGNER: &str = concat!(
    "Manage signers (delegations), as `docker trust signer` does.\n\n",
    "`signer add NAME IMAGE… --key PUB.pem` makes targets/NAME with the signer's keys and adds \
     them to targets/releases (what `docker pull` trusts); a repository without trust data is \
     created first. `signer remove NAME IMAGE…` takes them out again, asking first when NAME \
     signed the current releases and they would fall below their threshold.\n\n",
    help_passphrases!(),
    "\n\n",
    help_server!(),
    "\n\n",
    help_exit_codes!()
);

/// `dct signer` examples.
pub const SIGNER_EXAMPLES: &str = "Examples:
  dct key generate alice                      # alice's key pair: the private key in the trust dir, alice.pub here
  dct signer add alice registry.example.com/app --key alice.pub
  dct sign registry.example.com/app:v1        # on alice's machine: signs as alice
  dct signer remove alice registry.example.com/app";

/// `dct key rotate`.
pub const ROTATE: &str = concat!(
    "Rotate a repository's root, targets, snapshot or timestamp key and publish at once.\n\n",
    "root: a new key and certificate, the new root.json signed by the old and the new root keys, \
     so clients holding the old root follow the rotation (asks first; -y skips it). targets: a \
     new key (or --key FILE); targets re-signed, every tag stays valid. snapshot: a new local \
     key, or the server's with --server-managed. timestamp: always the server's. Old targets and \
     snapshot keys are removed from the trust dir afterwards, as notary does; old root keys stay \
     (back them up).\n\n",
    help_passphrases!(),
    "\n\n",
    help_server!(),
    "\n\n",
    help_exit_codes!()
);

/// `dct key rotate` examples.
pub const ROTATE_EXAMPLES: &str = "Examples:
  dct key rotate registry.example.com/app targets
  dct key rotate registry.example.com/app root -y && dct key backup keys.backup
  dct key rotate registry.example.com/app snapshot --server-managed";

/// `dct migrate`.
pub const MIGRATE: &str = concat!(
    "Carry verified DCT signatures over to cosign and Notation signatures.\n\n",
    "Each tag (without a tag: every tag the trust data signs, targets/releases first) is resolved \
     through verified trust data as `dct lookup` does, and the registry must still serve that \
     digest with the signed length. The digest is then signed as a cosign signature (key-based, \
     appended to the sha256-<hex>.sig manifest) and/or a Notation signature (JWS, notary.x509, an \
     OCI referrer of the image, with the referrers tag index on registries without the referrers \
     API), with the key that signed the tag in DCT unless --key is given; the tag is inside the \
     signed bytes. Other signatures are kept and a re-run into the same --out DIR adds nothing. \
     Every signature written is read back and verified before its line says so. DIR receives \
     cosign.pub, notation.crt, trustpolicy.json and a README.txt with the verify commands. Not \
     carried: DCT's expiry, delegations and the original signing time.\n\n",
    help_passphrases!(),
    "\n\n",
    help_server!(),
    " Registry credentials: Docker's config.json or credential helpers (`dct login`); the \
     registry must allow push.\n\n",
    help_exit_codes!(),
    " A failing tag does not stop the others: the worst exit code wins."
);

/// `dct migrate` examples.
pub const MIGRATE_EXAMPLES: &str = "Examples:
  dct migrate registry.example.com/app --to both --out ./trust-material --dry-run
  dct migrate registry.example.com/app:v1 registry.example.com/app:v2 --to notation --out ./trust-material
  dct migrate registry.example.com/app --to both --out ./trust-material --key signer.pem --cert ca.pem";

/// `dct bundle`.
pub const BUNDLE: &str = "Keep trust data in a file and verify from it offline.\n\n\
     When a trust server goes away — Docker Hub's notary (notary.docker.io) is being shut down, \
     ACR ends content trust in 2028, a self-hosted notary-server is decommissioned — its \
     signatures can no longer be checked online. `dct bundle create` saves a repository's \
     verified trust data (every root version, timestamp, snapshot, targets and delegations) in \
     one file while the server still answers; `dct bundle verify`, `dct bundle import` and \
     `--bundle FILE` on lookup, inspect and pull verify from that file with no trust server at \
     all. The root is never trusted from the file: it must be cached in the trust dir or pinned \
     with --pin-root. Expiry is checked now unless --at says otherwise (then freshness is not \
     proven, and dct says so).";

/// `dct bundle` examples.
pub const BUNDLE_EXAMPLES: &str = "Examples:
  dct bundle create registry.example.com/app registry.example.com/base -o trust.bundle
  dct bundle verify trust.bundle --pin-root \"$ROOT_KEY_ID\"
  dct lookup --bundle trust.bundle registry.example.com/app:v1
  dct pull --bundle trust.bundle --at saved registry.example.com/app:v1 --output oci:./app
  dct bundle import trust.bundle --pin-root \"$ROOT_KEY_ID\"";

/// `dct bundle create` examples.
pub const BUNDLE_CREATE_EXAMPLES: &str = "Examples:
  dct bundle create registry.example.com/app -o app.bundle
  SOURCE_DATE_EPOCH=1767225600 dct bundle create registry.example.com/app -o app.bundle";

/// `dct bundle verify` examples.
pub const BUNDLE_VERIFY_EXAMPLES: &str = "Examples:
  dct bundle verify app.bundle
  dct bundle verify app.bundle --pin-root \"$ROOT_KEY_ID\" --at saved --json";

/// `dct bundle import` examples.
pub const BUNDLE_IMPORT_EXAMPLES: &str = "Examples:
  dct bundle import app.bundle --pin-root \"$ROOT_KEY_ID\"";
