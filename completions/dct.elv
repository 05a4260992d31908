
use builtin;
use str;

set edit:completion:arg-completer[dct] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dct'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dct'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand sign 'Sign tags (digest and size from the registry, or --digest/--size) and publish'
            cand lookup 'Resolve IMAGE:TAG… to signed digests through verified trust data'
            cand pull 'Pull a signed image by its verified digest: to an OCI layout, a docker-archive or the Docker engine'
            cand push 'Upload an image (OCI layout or docker-archive) and sign the digest the registry holds'
            cand inspect 'Show signed tags, signers and keys, exactly as `docker trust inspect` prints them'
            cand pin 'Pin the images of Compose files, Kubernetes manifests and Dockerfiles to their signed digests'
            cand init 'Create a repository''s trust data (root and targets keys local, snapshot and timestamp on the server)'
            cand publish 'Publish the changes staged for a repository (`dct sign --local`)'
            cand status 'List the changes staged for a repository'
            cand revoke 'Remove the signature of a tag, or of every tag of a repository'
            cand delete 'Delete a repository''s local trust data, and with --remote the server''s'
            cand migrate 'Carry verified DCT signatures over to cosign and Notation signatures'
            cand bundle 'Keep trust data in a file and verify from it offline (server shutdown, air gap, audit)'
            cand signer 'Manage signers (delegations), as `docker trust signer`'
            cand key 'Manage signing keys (Docker- and notary-compatible key store)'
            cand login 'Log in to a registry: store credentials in Docker''s config.json or credential helper'
            cand logout 'Log out from a registry: remove its stored credentials'
            cand env 'List the environment variables dct reads and whether they are set'
            cand completions 'Print a shell completion script'
            cand version 'Print the version, the commit it was built from and the TLS backend'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dct;sign'= {
            cand --digest 'Sign this manifest digest instead of asking the registry (needs --size)'
            cand --size 'Size in bytes of the manifest given with --digest'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --local 'Only stage the signature; publish later with `dct publish`'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;lookup'= {
            cand --jobs 'Read up to N repositories at once'
            cand --pin-root 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]'
            cand --bundle 'Read trust data only from this bundle (made by `dct bundle create`), never from a trust server; the root must be cached in the trust dir or pinned (--pin-root)'
            cand --at 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;pull'= {
            cand --output 'Write the image to an OCI layout (oci:DIR[:REF], REF defaults to the tag) or a `docker load` archive (docker-archive:FILE) instead of the Docker engine'
            cand --platform 'Platform to pull from a multi-platform image [default: this machine''s]'
            cand --jobs 'Blobs downloaded at once'
            cand --pin-root 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]'
            cand --bundle 'Read trust data only from this bundle (made by `dct bundle create`), never from a trust server; the root must be cached in the trust dir or pinned (--pin-root)'
            cand --at 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --all-platforms 'Pull every platform of a multi-platform image (OCI layout only)'
            cand --disable-content-trust 'Pull the tag without verifying its signature (warns)'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;push'= {
            cand --from 'Where the image is: an OCI image layout or a `docker save` tarball [default: the Docker engine, via `docker push`]'
            cand --jobs 'Blobs uploaded at once'
            cand --chunk-size 'Blobs larger than this many bytes are uploaded in chunks of this size'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;inspect'= {
            cand --jobs 'Read up to N repositories at once'
            cand --pin-root 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]'
            cand --bundle 'Read trust data only from this bundle (made by `dct bundle create`), never from a trust server; the root must be cached in the trust dir or pinned (--pin-root)'
            cand --at 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --pretty 'Print human-readable tables instead of JSON'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;pin'= {
            cand --jobs 'Read up to N repositories at once'
            cand --pin-root 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --write 'Write the pinned references into the files (only the image values change)'
            cand --check 'Write nothing; fail unless every image is signed and already pinned to its signed digest'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;init'= {
            cand --root-key 'Keep the root key on a PKCS#11 token: the key this RFC 7512 URI names (object "root" when it names no object or id), generated on the token if it holds none'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;publish'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;status'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;revoke'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand -y 'Do not ask for confirmation when revoking every tag'
            cand --yes 'Do not ask for confirmation when revoking every tag'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;delete'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --remote 'Also delete the trust data on the server (needs the `*` permission there)'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;migrate'= {
            cand --to 'The signature formats to write'
            cand --out 'Directory for what verifiers need: cosign.pub, notation.crt, trustpolicy.json, README.txt'
            cand --key 'Sign with this private key (PEM) instead of the key that signed the tag in DCT'
            cand --cert 'Issue the Notation certificate under this CA: a PEM file with the CA certificate (then its issuers up to the root) and the CA''s private key [default: a self-signed certificate]'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --dry-run 'Show what would be written, and write nothing'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;bundle'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Save the verified trust data of repositories in one file, to verify offline later'
            cand verify 'Verify every repository of a bundle offline and list its signed tags'
            cand import 'Verify a bundle offline and load it into the trust dir''s cache'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dct;bundle;create'= {
            cand -o 'The bundle file to write (replaced if it exists)'
            cand --output 'The bundle file to write (replaced if it exists)'
            cand --pin-root 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;bundle;verify'= {
            cand --pin-root 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]'
            cand --at 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;bundle;import'= {
            cand --pin-root 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]'
            cand --at 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;bundle;help'= {
            cand create 'Save the verified trust data of repositories in one file, to verify offline later'
            cand verify 'Verify every repository of a bundle offline and list its signed tags'
            cand import 'Verify a bundle offline and load it into the trust dir''s cache'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dct;bundle;help;create'= {
        }
        &'dct;bundle;help;verify'= {
        }
        &'dct;bundle;help;import'= {
        }
        &'dct;bundle;help;help'= {
        }
        &'dct;signer'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a signer (a delegation, as `docker trust signer add`) to repositories'
            cand remove 'Remove a signer from repositories'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dct;signer;add'= {
            cand --key 'The signer''s public key or certificate (PEM), or its key on a PKCS#11 token (RFC 7512 URI: recorded in this trust dir for signing) [repeatable]'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;signer;remove'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand -f 'Do not ask when this signer signed the current releases'
            cand --force 'Do not ask when this signer signed the current releases'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;signer;help'= {
            cand add 'Add a signer (a delegation, as `docker trust signer add`) to repositories'
            cand remove 'Remove a signer from repositories'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dct;signer;help;add'= {
        }
        &'dct;signer;help;remove'= {
        }
        &'dct;signer;help;help'= {
        }
        &'dct;key'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand generate 'Generate a signer key pair: the private key goes into the trust dir, NAME.pub into DIR'
            cand load 'Load a private key file (encrypted or not) into the trust dir, re-encrypted'
            cand list 'List the keys in the trust dir (key files and PKCS#11 token keys)'
            cand export 'Export keys as encrypted PEM (all keys, or the ones selected)'
            cand import 'Import keys from PEM files (as written by `key export`, notary or openssl)'
            cand remove 'Remove a key from the trust dir (a token key: from its token)'
            cand passwd 'Change the passphrase of a key'
            cand rotate 'Rotate a repository''s root, targets, snapshot or timestamp key and publish'
            cand backup 'Back up every private key: a tar of <trust dir>/private, sealed with a passphrase'
            cand restore 'Restore private keys from a backup (dct''s sealed format, a .tar.gz or a .tar)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dct;key;generate'= {
            cand --dir 'Directory for NAME.pub [default: current directory]'
            cand --pkcs11 'Generate the key on this PKCS#11 token (RFC 7512 URI, e.g. pkcs11:token=NAME): it never leaves the token; PIN from $DCT_PKCS11_PIN or a prompt'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;key;load'= {
            cand --name 'Role (signer name) for a key file that names none'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;key;list'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;key;export'= {
            cand --key 'Export the key with this ID (repeatable)'
            cand --gun 'Export the keys of this GUN (repeatable)'
            cand --role 'Export only keys of this role'
            cand -o 'Write to FILE (mode 0600) instead of stdout'
            cand --output 'Write to FILE (mode 0600) instead of stdout'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --reencrypt 'Re-encrypt each key under a new passphrase ($DCT_NEW_PASSPHRASE or a prompt)'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;key;import'= {
            cand --role 'Role for keys whose file names none'
            cand --gun 'GUN for targets/snapshot/timestamp keys whose file names none'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;key;remove'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;key;passwd'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;key;rotate'= {
            cand --key 'Use this private key instead of generating one (root, targets, snapshot): a PEM file, or a PKCS#11 URI (the key on the token, object ROLE when the URI names none, generated there if the token holds none)'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --server-managed 'Let the server manage the new key (snapshot; timestamp always is)'
            cand -y 'Do not ask before rotating the root key'
            cand --yes 'Do not ask before rotating the root key'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;key;backup'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --plain 'Write an unencrypted .tar.gz (like `tar -zcf FILE ~/.docker/trust/private`)'
            cand -f 'Replace FILE if it exists'
            cand --force 'Replace FILE if it exists'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;key;restore'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand -f 'Replace keys in the trust dir that differ from the backup''s key with the same ID'
            cand --force 'Replace keys in the trust dir that differ from the backup''s key with the same ID'
            cand --dry-run 'Show what would be restored, skipped or refused, and write nothing'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;key;help'= {
            cand generate 'Generate a signer key pair: the private key goes into the trust dir, NAME.pub into DIR'
            cand load 'Load a private key file (encrypted or not) into the trust dir, re-encrypted'
            cand list 'List the keys in the trust dir (key files and PKCS#11 token keys)'
            cand export 'Export keys as encrypted PEM (all keys, or the ones selected)'
            cand import 'Import keys from PEM files (as written by `key export`, notary or openssl)'
            cand remove 'Remove a key from the trust dir (a token key: from its token)'
            cand passwd 'Change the passphrase of a key'
            cand rotate 'Rotate a repository''s root, targets, snapshot or timestamp key and publish'
            cand backup 'Back up every private key: a tar of <trust dir>/private, sealed with a passphrase'
            cand restore 'Restore private keys from a backup (dct''s sealed format, a .tar.gz or a .tar)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dct;key;help;generate'= {
        }
        &'dct;key;help;load'= {
        }
        &'dct;key;help;list'= {
        }
        &'dct;key;help;export'= {
        }
        &'dct;key;help;import'= {
        }
        &'dct;key;help;remove'= {
        }
        &'dct;key;help;passwd'= {
        }
        &'dct;key;help;rotate'= {
        }
        &'dct;key;help;backup'= {
        }
        &'dct;key;help;restore'= {
        }
        &'dct;key;help;help'= {
        }
        &'dct;login'= {
            cand -u 'Username [default: asked on the terminal]'
            cand --username 'Username [default: asked on the terminal]'
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --password-stdin 'Read the password from stdin (it is never accepted as an argument)'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;logout'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;env'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;completions'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;version'= {
            cand --config 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]'
            cand --trust-dir 'Trust dir [default: <config dir>/trust]'
            cand -s 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --server 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]'
            cand --timeout 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]'
            cand --tlscacert 'Extra CA certificate (PEM) for the trust server and registry'
            cand --insecure-registry 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]'
            cand --json 'Print results as JSON on stdout'
            cand -q 'Print less on stderr (no progress messages)'
            cand --quiet 'Print less on stderr (no progress messages)'
            cand -v 'Print more on stderr (and every HTTP request)'
            cand --verbose 'Print more on stderr (and every HTTP request)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dct;help'= {
            cand sign 'Sign tags (digest and size from the registry, or --digest/--size) and publish'
            cand lookup 'Resolve IMAGE:TAG… to signed digests through verified trust data'
            cand pull 'Pull a signed image by its verified digest: to an OCI layout, a docker-archive or the Docker engine'
            cand push 'Upload an image (OCI layout or docker-archive) and sign the digest the registry holds'
            cand inspect 'Show signed tags, signers and keys, exactly as `docker trust inspect` prints them'
            cand pin 'Pin the images of Compose files, Kubernetes manifests and Dockerfiles to their signed digests'
            cand init 'Create a repository''s trust data (root and targets keys local, snapshot and timestamp on the server)'
            cand publish 'Publish the changes staged for a repository (`dct sign --local`)'
            cand status 'List the changes staged for a repository'
            cand revoke 'Remove the signature of a tag, or of every tag of a repository'
            cand delete 'Delete a repository''s local trust data, and with --remote the server''s'
            cand migrate 'Carry verified DCT signatures over to cosign and Notation signatures'
            cand bundle 'Keep trust data in a file and verify from it offline (server shutdown, air gap, audit)'
            cand signer 'Manage signers (delegations), as `docker trust signer`'
            cand key 'Manage signing keys (Docker- and notary-compatible key store)'
            cand login 'Log in to a registry: store credentials in Docker''s config.json or credential helper'
            cand logout 'Log out from a registry: remove its stored credentials'
            cand env 'List the environment variables dct reads and whether they are set'
            cand completions 'Print a shell completion script'
            cand version 'Print the version, the commit it was built from and the TLS backend'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dct;help;sign'= {
        }
        &'dct;help;lookup'= {
        }
        &'dct;help;pull'= {
        }
        &'dct;help;push'= {
        }
        &'dct;help;inspect'= {
        }
        &'dct;help;pin'= {
        }
        &'dct;help;init'= {
        }
        &'dct;help;publish'= {
        }
        &'dct;help;status'= {
        }
        &'dct;help;revoke'= {
        }
        &'dct;help;delete'= {
        }
        &'dct;help;migrate'= {
        }
        &'dct;help;bundle'= {
            cand create 'Save the verified trust data of repositories in one file, to verify offline later'
            cand verify 'Verify every repository of a bundle offline and list its signed tags'
            cand import 'Verify a bundle offline and load it into the trust dir''s cache'
        }
        &'dct;help;bundle;create'= {
        }
        &'dct;help;bundle;verify'= {
        }
        &'dct;help;bundle;import'= {
        }
        &'dct;help;signer'= {
            cand add 'Add a signer (a delegation, as `docker trust signer add`) to repositories'
            cand remove 'Remove a signer from repositories'
        }
        &'dct;help;signer;add'= {
        }
        &'dct;help;signer;remove'= {
        }
        &'dct;help;key'= {
            cand generate 'Generate a signer key pair: the private key goes into the trust dir, NAME.pub into DIR'
            cand load 'Load a private key file (encrypted or not) into the trust dir, re-encrypted'
            cand list 'List the keys in the trust dir (key files and PKCS#11 token keys)'
            cand export 'Export keys as encrypted PEM (all keys, or the ones selected)'
            cand import 'Import keys from PEM files (as written by `key export`, notary or openssl)'
            cand remove 'Remove a key from the trust dir (a token key: from its token)'
            cand passwd 'Change the passphrase of a key'
            cand rotate 'Rotate a repository''s root, targets, snapshot or timestamp key and publish'
            cand backup 'Back up every private key: a tar of <trust dir>/private, sealed with a passphrase'
            cand restore 'Restore private keys from a backup (dct''s sealed format, a .tar.gz or a .tar)'
        }
        &'dct;help;key;generate'= {
        }
        &'dct;help;key;load'= {
        }
        &'dct;help;key;list'= {
        }
        &'dct;help;key;export'= {
        }
        &'dct;help;key;import'= {
        }
        &'dct;help;key;remove'= {
        }
        &'dct;help;key;passwd'= {
        }
        &'dct;help;key;rotate'= {
        }
        &'dct;help;key;backup'= {
        }
        &'dct;help;key;restore'= {
        }
        &'dct;help;login'= {
        }
        &'dct;help;logout'= {
        }
        &'dct;help;env'= {
        }
        &'dct;help;completions'= {
        }
        &'dct;help;version'= {
        }
        &'dct;help;help'= {
        }
    ]
    $completions[$command]
}
