# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dct_global_optspecs
    string join \n config= trust-dir= json q/quiet v/verbose s/server= timeout= tlscacert= insecure-registry= h/help V/version
end

function __fish_dct_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dct_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dct_using_subcommand
    set -l cmd (__fish_dct_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dct -n "__fish_dct_needs_command" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_needs_command" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_needs_command" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_needs_command" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_needs_command" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_needs_command" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_needs_command" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_needs_command" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_needs_command" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_needs_command" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_needs_command" -f -a "sign" -d 'Sign tags (digest and size from the registry, or --digest/--size) and publish'
complete -c dct -n "__fish_dct_needs_command" -f -a "lookup" -d 'Resolve IMAGE:TAG… to signed digests through verified trust data'
complete -c dct -n "__fish_dct_needs_command" -f -a "pull" -d 'Pull a signed image by its verified digest: to an OCI layout, a docker-archive or the Docker engine'
complete -c dct -n "__fish_dct_needs_command" -f -a "push" -d 'Upload an image (OCI layout or docker-archive) and sign the digest the registry holds'
complete -c dct -n "__fish_dct_needs_command" -f -a "inspect" -d 'Show signed tags, signers and keys, exactly as `docker trust inspect` prints them'
complete -c dct -n "__fish_dct_needs_command" -f -a "pin" -d 'Pin the images of Compose files, Kubernetes manifests and Dockerfiles to their signed digests'
complete -c dct -n "__fish_dct_needs_command" -f -a "init" -d 'Create a repository\'s trust data (root and targets keys local, snapshot and timestamp on the server)'
complete -c dct -n "__fish_dct_needs_command" -f -a "publish" -d 'Publish the changes staged for a repository (`dct sign --local`)'
complete -c dct -n "__fish_dct_needs_command" -f -a "status" -d 'List the changes staged for a repository'
complete -c dct -n "__fish_dct_needs_command" -f -a "revoke" -d 'Remove the signature of a tag, or of every tag of a repository'
complete -c dct -n "__fish_dct_needs_command" -f -a "delete" -d 'Delete a repository\'s local trust data, and with --remote the server\'s'
complete -c dct -n "__fish_dct_needs_command" -f -a "migrate" -d 'Carry verified DCT signatures over to cosign and Notation signatures'
complete -c dct -n "__fish_dct_needs_command" -f -a "bundle" -d 'Keep trust data in a file and verify from it offline (server shutdown, air gap, audit)'
complete -c dct -n "__fish_dct_needs_command" -f -a "signer" -d 'Manage signers (delegations), as `docker trust signer`'
complete -c dct -n "__fish_dct_needs_command" -f -a "key" -d 'Manage signing keys (Docker- and notary-compatible key store)'
complete -c dct -n "__fish_dct_needs_command" -f -a "login" -d 'Log in to a registry: store credentials in Docker\'s config.json or credential helper'
complete -c dct -n "__fish_dct_needs_command" -f -a "logout" -d 'Log out from a registry: remove its stored credentials'
complete -c dct -n "__fish_dct_needs_command" -f -a "env" -d 'List the environment variables dct reads and whether they are set'
complete -c dct -n "__fish_dct_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c dct -n "__fish_dct_needs_command" -f -a "version" -d 'Print the version, the commit it was built from and the TLS backend'
complete -c dct -n "__fish_dct_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dct -n "__fish_dct_using_subcommand sign" -l digest -d 'Sign this manifest digest instead of asking the registry (needs --size)' -r
complete -c dct -n "__fish_dct_using_subcommand sign" -l size -d 'Size in bytes of the manifest given with --digest' -r
complete -c dct -n "__fish_dct_using_subcommand sign" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand sign" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand sign" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand sign" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand sign" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand sign" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand sign" -l local -d 'Only stage the signature; publish later with `dct publish`'
complete -c dct -n "__fish_dct_using_subcommand sign" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand sign" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand sign" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand sign" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand lookup" -l jobs -d 'Read up to N repositories at once' -r
complete -c dct -n "__fish_dct_using_subcommand lookup" -l pin-root -d 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file\'s ID); checked on every run, unlike trust on first use [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand lookup" -l bundle -d 'Read trust data only from this bundle (made by `dct bundle create`), never from a trust server; the root must be cached in the trust dir or pinned (--pin-root)' -r -F
complete -c dct -n "__fish_dct_using_subcommand lookup" -l at -d 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]' -r
complete -c dct -n "__fish_dct_using_subcommand lookup" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand lookup" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand lookup" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand lookup" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand lookup" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand lookup" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand lookup" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand lookup" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand lookup" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand lookup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand lookup" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand pull" -l output -d 'Write the image to an OCI layout (oci:DIR[:REF], REF defaults to the tag) or a `docker load` archive (docker-archive:FILE) instead of the Docker engine' -r
complete -c dct -n "__fish_dct_using_subcommand pull" -l platform -d 'Platform to pull from a multi-platform image [default: this machine\'s]' -r
complete -c dct -n "__fish_dct_using_subcommand pull" -l jobs -d 'Blobs downloaded at once' -r
complete -c dct -n "__fish_dct_using_subcommand pull" -l pin-root -d 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file\'s ID); checked on every run, unlike trust on first use [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand pull" -l bundle -d 'Read trust data only from this bundle (made by `dct bundle create`), never from a trust server; the root must be cached in the trust dir or pinned (--pin-root)' -r -F
complete -c dct -n "__fish_dct_using_subcommand pull" -l at -d 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]' -r
complete -c dct -n "__fish_dct_using_subcommand pull" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand pull" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand pull" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand pull" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand pull" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand pull" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand pull" -l all-platforms -d 'Pull every platform of a multi-platform image (OCI layout only)'
complete -c dct -n "__fish_dct_using_subcommand pull" -l disable-content-trust -d 'Pull the tag without verifying its signature (warns)'
complete -c dct -n "__fish_dct_using_subcommand pull" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand pull" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand pull" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand pull" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand pull" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand push" -l from -d 'Where the image is: an OCI image layout or a `docker save` tarball [default: the Docker engine, via `docker push`]' -r
complete -c dct -n "__fish_dct_using_subcommand push" -l jobs -d 'Blobs uploaded at once' -r
complete -c dct -n "__fish_dct_using_subcommand push" -l chunk-size -d 'Blobs larger than this many bytes are uploaded in chunks of this size' -r
complete -c dct -n "__fish_dct_using_subcommand push" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand push" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand push" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand push" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand push" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand push" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand push" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand push" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand push" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand push" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand inspect" -l jobs -d 'Read up to N repositories at once' -r
complete -c dct -n "__fish_dct_using_subcommand inspect" -l pin-root -d 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file\'s ID); checked on every run, unlike trust on first use [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand inspect" -l bundle -d 'Read trust data only from this bundle (made by `dct bundle create`), never from a trust server; the root must be cached in the trust dir or pinned (--pin-root)' -r -F
complete -c dct -n "__fish_dct_using_subcommand inspect" -l at -d 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]' -r
complete -c dct -n "__fish_dct_using_subcommand inspect" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand inspect" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand inspect" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand inspect" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand inspect" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand inspect" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand inspect" -l pretty -d 'Print human-readable tables instead of JSON'
complete -c dct -n "__fish_dct_using_subcommand inspect" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand inspect" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand inspect" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand pin" -l jobs -d 'Read up to N repositories at once' -r
complete -c dct -n "__fish_dct_using_subcommand pin" -l pin-root -d 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file\'s ID); checked on every run, unlike trust on first use [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand pin" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand pin" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand pin" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand pin" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand pin" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand pin" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand pin" -l write -d 'Write the pinned references into the files (only the image values change)'
complete -c dct -n "__fish_dct_using_subcommand pin" -l check -d 'Write nothing; fail unless every image is signed and already pinned to its signed digest'
complete -c dct -n "__fish_dct_using_subcommand pin" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand pin" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand pin" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand pin" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand pin" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand init" -l root-key -d 'Keep the root key on a PKCS#11 token: the key this RFC 7512 URI names (object "root" when it names no object or id), generated on the token if it holds none' -r
complete -c dct -n "__fish_dct_using_subcommand init" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand init" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand init" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand init" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand init" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand init" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand init" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand init" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand init" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand init" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand publish" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand publish" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand publish" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand publish" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand publish" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand publish" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand publish" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand publish" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand publish" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand publish" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand publish" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand status" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand status" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand status" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand status" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand status" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand status" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand status" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand status" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand status" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand status" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand status" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand revoke" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand revoke" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand revoke" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand revoke" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand revoke" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand revoke" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand revoke" -s y -l yes -d 'Do not ask for confirmation when revoking every tag'
complete -c dct -n "__fish_dct_using_subcommand revoke" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand revoke" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand revoke" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand revoke" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand revoke" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand delete" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand delete" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand delete" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand delete" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand delete" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand delete" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand delete" -l remote -d 'Also delete the trust data on the server (needs the `*` permission there)'
complete -c dct -n "__fish_dct_using_subcommand delete" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand delete" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand delete" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand delete" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand delete" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand migrate" -l to -d 'The signature formats to write' -r -f -a "cosign\t''
notation\t''
both\t''"
complete -c dct -n "__fish_dct_using_subcommand migrate" -l out -d 'Directory for what verifiers need: cosign.pub, notation.crt, trustpolicy.json, README.txt' -r -F
complete -c dct -n "__fish_dct_using_subcommand migrate" -l key -d 'Sign with this private key (PEM) instead of the key that signed the tag in DCT' -r -F
complete -c dct -n "__fish_dct_using_subcommand migrate" -l cert -d 'Issue the Notation certificate under this CA: a PEM file with the CA certificate (then its issuers up to the root) and the CA\'s private key [default: a self-signed certificate]' -r -F
complete -c dct -n "__fish_dct_using_subcommand migrate" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand migrate" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand migrate" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand migrate" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand migrate" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand migrate" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand migrate" -l dry-run -d 'Show what would be written, and write nothing'
complete -c dct -n "__fish_dct_using_subcommand migrate" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand migrate" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand migrate" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand migrate" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -f -a "create" -d 'Save the verified trust data of repositories in one file, to verify offline later'
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -f -a "verify" -d 'Verify every repository of a bundle offline and list its signed tags'
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -f -a "import" -d 'Verify a bundle offline and load it into the trust dir\'s cache'
complete -c dct -n "__fish_dct_using_subcommand bundle; and not __fish_seen_subcommand_from create verify import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -s o -l output -d 'The bundle file to write (replaced if it exists)' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -l pin-root -d 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file\'s ID); checked on every run, unlike trust on first use [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -l pin-root -d 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file\'s ID); checked on every run, unlike trust on first use [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -l at -d 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -l pin-root -d 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file\'s ID); checked on every run, unlike trust on first use [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -l at -d 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "create" -d 'Save the verified trust data of repositories in one file, to verify offline later'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Verify every repository of a bundle offline and list its signed tags'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "import" -d 'Verify a bundle offline and load it into the trust dir\'s cache'
complete -c dct -n "__fish_dct_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -f -a "add" -d 'Add a signer (a delegation, as `docker trust signer add`) to repositories'
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -f -a "remove" -d 'Remove a signer from repositories'
complete -c dct -n "__fish_dct_using_subcommand signer; and not __fish_seen_subcommand_from add remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -l key -d 'The signer\'s public key or certificate (PEM), or its key on a PKCS#11 token (RFC 7512 URI: recorded in this trust dir for signing) [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -s f -l force -d 'Do not ask when this signer signed the current releases'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a signer (a delegation, as `docker trust signer add`) to repositories'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a signer from repositories'
complete -c dct -n "__fish_dct_using_subcommand signer; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -f -a "generate" -d 'Generate a signer key pair: the private key goes into the trust dir, NAME.pub into DIR'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -f -a "load" -d 'Load a private key file (encrypted or not) into the trust dir, re-encrypted'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -f -a "list" -d 'List the keys in the trust dir (key files and PKCS#11 token keys)'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -f -a "export" -d 'Export keys as encrypted PEM (all keys, or the ones selected)'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -f -a "import" -d 'Import keys from PEM files (as written by `key export`, notary or openssl)'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -f -a "remove" -d 'Remove a key from the trust dir (a token key: from its token)'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -f -a "passwd" -d 'Change the passphrase of a key'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -f -a "rotate" -d 'Rotate a repository\'s root, targets, snapshot or timestamp key and publish'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -f -a "backup" -d 'Back up every private key: a tar of <trust dir>/private, sealed with a passphrase'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -f -a "restore" -d 'Restore private keys from a backup (dct\'s sealed format, a .tar.gz or a .tar)'
complete -c dct -n "__fish_dct_using_subcommand key; and not __fish_seen_subcommand_from generate load list export import remove passwd rotate backup restore help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -l dir -d 'Directory for NAME.pub [default: current directory]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -l pkcs11 -d 'Generate the key on this PKCS#11 token (RFC 7512 URI, e.g. pkcs11:token=NAME): it never leaves the token; PIN from $DCT_PKCS11_PIN or a prompt' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from generate" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -l name -d 'Role (signer name) for a key file that names none' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from load" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from list" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from list" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from list" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from list" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from list" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from list" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from list" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -l key -d 'Export the key with this ID (repeatable)' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -l gun -d 'Export the keys of this GUN (repeatable)' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -l role -d 'Export only keys of this role' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -s o -l output -d 'Write to FILE (mode 0600) instead of stdout' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -l reencrypt -d 'Re-encrypt each key under a new passphrase ($DCT_NEW_PASSPHRASE or a prompt)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -l role -d 'Role for keys whose file names none' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -l gun -d 'GUN for targets/snapshot/timestamp keys whose file names none' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from passwd" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from passwd" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from passwd" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from passwd" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from passwd" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from passwd" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from passwd" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from passwd" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from passwd" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from passwd" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from passwd" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -l key -d 'Use this private key instead of generating one (root, targets, snapshot): a PEM file, or a PKCS#11 URI (the key on the token, object ROLE when the URI names none, generated there if the token holds none)' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -l server-managed -d 'Let the server manage the new key (snapshot; timestamp always is)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -s y -l yes -d 'Do not ask before rotating the root key'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from rotate" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -l plain -d 'Write an unencrypted .tar.gz (like `tar -zcf FILE ~/.docker/trust/private`)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -s f -l force -d 'Replace FILE if it exists'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from backup" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -s f -l force -d 'Replace keys in the trust dir that differ from the backup\'s key with the same ID'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -l dry-run -d 'Show what would be restored, skipped or refused, and write nothing'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from restore" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Generate a signer key pair: the private key goes into the trust dir, NAME.pub into DIR'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "load" -d 'Load a private key file (encrypted or not) into the trust dir, re-encrypted'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the keys in the trust dir (key files and PKCS#11 token keys)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export keys as encrypted PEM (all keys, or the ones selected)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "import" -d 'Import keys from PEM files (as written by `key export`, notary or openssl)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a key from the trust dir (a token key: from its token)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "passwd" -d 'Change the passphrase of a key'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Rotate a repository\'s root, targets, snapshot or timestamp key and publish'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "backup" -d 'Back up every private key: a tar of <trust dir>/private, sealed with a passphrase'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "restore" -d 'Restore private keys from a backup (dct\'s sealed format, a .tar.gz or a .tar)'
complete -c dct -n "__fish_dct_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dct -n "__fish_dct_using_subcommand login" -s u -l username -d 'Username [default: asked on the terminal]' -r
complete -c dct -n "__fish_dct_using_subcommand login" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand login" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand login" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand login" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand login" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand login" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand login" -l password-stdin -d 'Read the password from stdin (it is never accepted as an argument)'
complete -c dct -n "__fish_dct_using_subcommand login" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand login" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand login" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand login" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand login" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand logout" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand logout" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand logout" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand logout" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand logout" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand logout" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand logout" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand logout" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand logout" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand logout" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand logout" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand env" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand env" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand env" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand env" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand env" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand env" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand env" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand env" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand env" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand env" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand env" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand completions" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand completions" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand completions" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand completions" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand completions" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand completions" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand completions" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand completions" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand completions" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dct -n "__fish_dct_using_subcommand completions" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand version" -l config -d 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]' -r -F
complete -c dct -n "__fish_dct_using_subcommand version" -l trust-dir -d 'Trust dir [default: <config dir>/trust]' -r -F
complete -c dct -n "__fish_dct_using_subcommand version" -s s -l server -d 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]' -r
complete -c dct -n "__fish_dct_using_subcommand version" -l timeout -d 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]' -r
complete -c dct -n "__fish_dct_using_subcommand version" -l tlscacert -d 'Extra CA certificate (PEM) for the trust server and registry' -r -F
complete -c dct -n "__fish_dct_using_subcommand version" -l insecure-registry -d 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]' -r
complete -c dct -n "__fish_dct_using_subcommand version" -l json -d 'Print results as JSON on stdout'
complete -c dct -n "__fish_dct_using_subcommand version" -s q -l quiet -d 'Print less on stderr (no progress messages)'
complete -c dct -n "__fish_dct_using_subcommand version" -s v -l verbose -d 'Print more on stderr (and every HTTP request)'
complete -c dct -n "__fish_dct_using_subcommand version" -s h -l help -d 'Print help'
complete -c dct -n "__fish_dct_using_subcommand version" -s V -l version -d 'Print version'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "sign" -d 'Sign tags (digest and size from the registry, or --digest/--size) and publish'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "lookup" -d 'Resolve IMAGE:TAG… to signed digests through verified trust data'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "pull" -d 'Pull a signed image by its verified digest: to an OCI layout, a docker-archive or the Docker engine'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "push" -d 'Upload an image (OCI layout or docker-archive) and sign the digest the registry holds'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "inspect" -d 'Show signed tags, signers and keys, exactly as `docker trust inspect` prints them'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "pin" -d 'Pin the images of Compose files, Kubernetes manifests and Dockerfiles to their signed digests'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "init" -d 'Create a repository\'s trust data (root and targets keys local, snapshot and timestamp on the server)'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "publish" -d 'Publish the changes staged for a repository (`dct sign --local`)'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "status" -d 'List the changes staged for a repository'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "revoke" -d 'Remove the signature of a tag, or of every tag of a repository'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "delete" -d 'Delete a repository\'s local trust data, and with --remote the server\'s'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "migrate" -d 'Carry verified DCT signatures over to cosign and Notation signatures'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "bundle" -d 'Keep trust data in a file and verify from it offline (server shutdown, air gap, audit)'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "signer" -d 'Manage signers (delegations), as `docker trust signer`'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "key" -d 'Manage signing keys (Docker- and notary-compatible key store)'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "login" -d 'Log in to a registry: store credentials in Docker\'s config.json or credential helper'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "logout" -d 'Log out from a registry: remove its stored credentials'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "env" -d 'List the environment variables dct reads and whether they are set'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "completions" -d 'Print a shell completion script'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "version" -d 'Print the version, the commit it was built from and the TLS backend'
complete -c dct -n "__fish_dct_using_subcommand help; and not __fish_seen_subcommand_from sign lookup pull push inspect pin init publish status revoke delete migrate bundle signer key login logout env completions version help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from bundle" -f -a "create" -d 'Save the verified trust data of repositories in one file, to verify offline later'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from bundle" -f -a "verify" -d 'Verify every repository of a bundle offline and list its signed tags'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from bundle" -f -a "import" -d 'Verify a bundle offline and load it into the trust dir\'s cache'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from signer" -f -a "add" -d 'Add a signer (a delegation, as `docker trust signer add`) to repositories'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from signer" -f -a "remove" -d 'Remove a signer from repositories'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "generate" -d 'Generate a signer key pair: the private key goes into the trust dir, NAME.pub into DIR'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "load" -d 'Load a private key file (encrypted or not) into the trust dir, re-encrypted'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "list" -d 'List the keys in the trust dir (key files and PKCS#11 token keys)'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "export" -d 'Export keys as encrypted PEM (all keys, or the ones selected)'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "import" -d 'Import keys from PEM files (as written by `key export`, notary or openssl)'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "remove" -d 'Remove a key from the trust dir (a token key: from its token)'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "passwd" -d 'Change the passphrase of a key'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "rotate" -d 'Rotate a repository\'s root, targets, snapshot or timestamp key and publish'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "backup" -d 'Back up every private key: a tar of <trust dir>/private, sealed with a passphrase'
complete -c dct -n "__fish_dct_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "restore" -d 'Restore private keys from a backup (dct\'s sealed format, a .tar.gz or a .tar)'
