
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'dct' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'dct'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'dct' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign tags (digest and size from the registry, or --digest/--size) and publish')
            [CompletionResult]::new('lookup', 'lookup', [CompletionResultType]::ParameterValue, 'Resolve IMAGE:TAG… to signed digests through verified trust data')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Pull a signed image by its verified digest: to an OCI layout, a docker-archive or the Docker engine')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Upload an image (OCI layout or docker-archive) and sign the digest the registry holds')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show signed tags, signers and keys, exactly as `docker trust inspect` prints them')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin the images of Compose files, Kubernetes manifests and Dockerfiles to their signed digests')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a repository''s trust data (root and targets keys local, snapshot and timestamp on the server)')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish the changes staged for a repository (`dct sign --local`)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List the changes staged for a repository')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Remove the signature of a tag, or of every tag of a repository')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a repository''s local trust data, and with --remote the server''s')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Carry verified DCT signatures over to cosign and Notation signatures')
            [CompletionResult]::new('bundle', 'bundle', [CompletionResultType]::ParameterValue, 'Keep trust data in a file and verify from it offline (server shutdown, air gap, audit)')
            [CompletionResult]::new('signer', 'signer', [CompletionResultType]::ParameterValue, 'Manage signers (delegations), as `docker trust signer`')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Manage signing keys (Docker- and notary-compatible key store)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to a registry: store credentials in Docker''s config.json or credential helper')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Log out from a registry: remove its stored credentials')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'List the environment variables dct reads and whether they are set')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version, the commit it was built from and the TLS backend')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dct;sign' {
            [CompletionResult]::new('--digest', '--digest', [CompletionResultType]::ParameterName, 'Sign this manifest digest instead of asking the registry (needs --size)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Size in bytes of the manifest given with --digest')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Only stage the signature; publish later with `dct publish`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;lookup' {
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Read up to N repositories at once')
            [CompletionResult]::new('--pin-root', '--pin-root', [CompletionResultType]::ParameterName, 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'Read trust data only from this bundle (made by `dct bundle create`), never from a trust server; the root must be cached in the trust dir or pinned (--pin-root)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;pull' {
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the image to an OCI layout (oci:DIR[:REF], REF defaults to the tag) or a `docker load` archive (docker-archive:FILE) instead of the Docker engine')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Platform to pull from a multi-platform image [default: this machine''s]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Blobs downloaded at once')
            [CompletionResult]::new('--pin-root', '--pin-root', [CompletionResultType]::ParameterName, 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'Read trust data only from this bundle (made by `dct bundle create`), never from a trust server; the root must be cached in the trust dir or pinned (--pin-root)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--all-platforms', '--all-platforms', [CompletionResultType]::ParameterName, 'Pull every platform of a multi-platform image (OCI layout only)')
            [CompletionResult]::new('--disable-content-trust', '--disable-content-trust', [CompletionResultType]::ParameterName, 'Pull the tag without verifying its signature (warns)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;push' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Where the image is: an OCI image layout or a `docker save` tarball [default: the Docker engine, via `docker push`]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Blobs uploaded at once')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Blobs larger than this many bytes are uploaded in chunks of this size')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;inspect' {
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Read up to N repositories at once')
            [CompletionResult]::new('--pin-root', '--pin-root', [CompletionResultType]::ParameterName, 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'Read trust data only from this bundle (made by `dct bundle create`), never from a trust server; the root must be cached in the trust dir or pinned (--pin-root)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--pretty', '--pretty', [CompletionResultType]::ParameterName, 'Print human-readable tables instead of JSON')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;pin' {
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Read up to N repositories at once')
            [CompletionResult]::new('--pin-root', '--pin-root', [CompletionResultType]::ParameterName, 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Write the pinned references into the files (only the image values change)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Write nothing; fail unless every image is signed and already pinned to its signed digest')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;init' {
            [CompletionResult]::new('--root-key', '--root-key', [CompletionResultType]::ParameterName, 'Keep the root key on a PKCS#11 token: the key this RFC 7512 URI names (object "root" when it names no object or id), generated on the token if it holds none')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;publish' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;status' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;revoke' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation when revoking every tag')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation when revoking every tag')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;delete' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Also delete the trust data on the server (needs the `*` permission there)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;migrate' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The signature formats to write')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory for what verifiers need: cosign.pub, notation.crt, trustpolicy.json, README.txt')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Sign with this private key (PEM) instead of the key that signed the tag in DCT')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Issue the Notation certificate under this CA: a PEM file with the CA certificate (then its issuers up to the root) and the CA''s private key [default: a self-signed certificate]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be written, and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;bundle' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Save the verified trust data of repositories in one file, to verify offline later')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify every repository of a bundle offline and list its signed tags')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Verify a bundle offline and load it into the trust dir''s cache')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dct;bundle;create' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The bundle file to write (replaced if it exists)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The bundle file to write (replaced if it exists)')
            [CompletionResult]::new('--pin-root', '--pin-root', [CompletionResultType]::ParameterName, 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;bundle;verify' {
            [CompletionResult]::new('--pin-root', '--pin-root', [CompletionResultType]::ParameterName, 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;bundle;import' {
            [CompletionResult]::new('--pin-root', '--pin-root', [CompletionResultType]::ParameterName, 'Trust only a root holding this key (the root key ID `dct inspect` shows, or the root key file''s ID); checked on every run, unlike trust on first use [repeatable]')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Check expiry when the bundle was saved (`saved`) or at an RFC 3339 time, never later than now, instead of now (freshness is then not proven) [default: now]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;bundle;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Save the verified trust data of repositories in one file, to verify offline later')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify every repository of a bundle offline and list its signed tags')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Verify a bundle offline and load it into the trust dir''s cache')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dct;bundle;help;create' {
            break
        }
        'dct;bundle;help;verify' {
            break
        }
        'dct;bundle;help;import' {
            break
        }
        'dct;bundle;help;help' {
            break
        }
        'dct;signer' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a signer (a delegation, as `docker trust signer add`) to repositories')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a signer from repositories')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dct;signer;add' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The signer''s public key or certificate (PEM), or its key on a PKCS#11 token (RFC 7512 URI: recorded in this trust dir for signing) [repeatable]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;signer;remove' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Do not ask when this signer signed the current releases')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask when this signer signed the current releases')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;signer;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a signer (a delegation, as `docker trust signer add`) to repositories')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a signer from repositories')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dct;signer;help;add' {
            break
        }
        'dct;signer;help;remove' {
            break
        }
        'dct;signer;help;help' {
            break
        }
        'dct;key' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate a signer key pair: the private key goes into the trust dir, NAME.pub into DIR')
            [CompletionResult]::new('load', 'load', [CompletionResultType]::ParameterValue, 'Load a private key file (encrypted or not) into the trust dir, re-encrypted')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys in the trust dir (key files and PKCS#11 token keys)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export keys as encrypted PEM (all keys, or the ones selected)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import keys from PEM files (as written by `key export`, notary or openssl)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a key from the trust dir (a token key: from its token)')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change the passphrase of a key')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Rotate a repository''s root, targets, snapshot or timestamp key and publish')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Back up every private key: a tar of <trust dir>/private, sealed with a passphrase')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore private keys from a backup (dct''s sealed format, a .tar.gz or a .tar)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dct;key;generate' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory for NAME.pub [default: current directory]')
            [CompletionResult]::new('--pkcs11', '--pkcs11', [CompletionResultType]::ParameterName, 'Generate the key on this PKCS#11 token (RFC 7512 URI, e.g. pkcs11:token=NAME): it never leaves the token; PIN from $DCT_PKCS11_PIN or a prompt')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;key;load' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Role (signer name) for a key file that names none')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;key;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;key;export' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Export the key with this ID (repeatable)')
            [CompletionResult]::new('--gun', '--gun', [CompletionResultType]::ParameterName, 'Export the keys of this GUN (repeatable)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Export only keys of this role')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (mode 0600) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (mode 0600) instead of stdout')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--reencrypt', '--reencrypt', [CompletionResultType]::ParameterName, 'Re-encrypt each key under a new passphrase ($DCT_NEW_PASSPHRASE or a prompt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;key;import' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Role for keys whose file names none')
            [CompletionResult]::new('--gun', '--gun', [CompletionResultType]::ParameterName, 'GUN for targets/snapshot/timestamp keys whose file names none')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;key;remove' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;key;passwd' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;key;rotate' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Use this private key instead of generating one (root, targets, snapshot): a PEM file, or a PKCS#11 URI (the key on the token, object ROLE when the URI names none, generated there if the token holds none)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--server-managed', '--server-managed', [CompletionResultType]::ParameterName, 'Let the server manage the new key (snapshot; timestamp always is)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before rotating the root key')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before rotating the root key')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;key;backup' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--plain', '--plain', [CompletionResultType]::ParameterName, 'Write an unencrypted .tar.gz (like `tar -zcf FILE ~/.docker/trust/private`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;key;restore' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace keys in the trust dir that differ from the backup''s key with the same ID')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace keys in the trust dir that differ from the backup''s key with the same ID')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be restored, skipped or refused, and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;key;help' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate a signer key pair: the private key goes into the trust dir, NAME.pub into DIR')
            [CompletionResult]::new('load', 'load', [CompletionResultType]::ParameterValue, 'Load a private key file (encrypted or not) into the trust dir, re-encrypted')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys in the trust dir (key files and PKCS#11 token keys)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export keys as encrypted PEM (all keys, or the ones selected)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import keys from PEM files (as written by `key export`, notary or openssl)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a key from the trust dir (a token key: from its token)')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change the passphrase of a key')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Rotate a repository''s root, targets, snapshot or timestamp key and publish')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Back up every private key: a tar of <trust dir>/private, sealed with a passphrase')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore private keys from a backup (dct''s sealed format, a .tar.gz or a .tar)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dct;key;help;generate' {
            break
        }
        'dct;key;help;load' {
            break
        }
        'dct;key;help;list' {
            break
        }
        'dct;key;help;export' {
            break
        }
        'dct;key;help;import' {
            break
        }
        'dct;key;help;remove' {
            break
        }
        'dct;key;help;passwd' {
            break
        }
        'dct;key;help;rotate' {
            break
        }
        'dct;key;help;backup' {
            break
        }
        'dct;key;help;restore' {
            break
        }
        'dct;key;help;help' {
            break
        }
        'dct;login' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Username [default: asked on the terminal]')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Username [default: asked on the terminal]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin (it is never accepted as an argument)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;logout' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;env' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;version' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Docker config dir [default: $DOCKER_CONFIG or ~/.docker]')
            [CompletionResult]::new('--trust-dir', '--trust-dir', [CompletionResultType]::ParameterName, 'Trust dir [default: <config dir>/trust]')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Trust server URL [default: https://notary.docker.io for docker.io, else https://<registry>]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Abandon a request that makes no progress for SECONDS (with its retries: twice that) [default: 30]')
            [CompletionResult]::new('--tlscacert', '--tlscacert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) for the trust server and registry')
            [CompletionResult]::new('--insecure-registry', '--insecure-registry', [CompletionResultType]::ParameterName, 'Do not verify TLS (or allow plain http) for this registry host[:port] [repeatable]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr (no progress messages)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more on stderr (and every HTTP request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dct;help' {
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign tags (digest and size from the registry, or --digest/--size) and publish')
            [CompletionResult]::new('lookup', 'lookup', [CompletionResultType]::ParameterValue, 'Resolve IMAGE:TAG… to signed digests through verified trust data')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Pull a signed image by its verified digest: to an OCI layout, a docker-archive or the Docker engine')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Upload an image (OCI layout or docker-archive) and sign the digest the registry holds')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show signed tags, signers and keys, exactly as `docker trust inspect` prints them')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin the images of Compose files, Kubernetes manifests and Dockerfiles to their signed digests')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a repository''s trust data (root and targets keys local, snapshot and timestamp on the server)')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish the changes staged for a repository (`dct sign --local`)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List the changes staged for a repository')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Remove the signature of a tag, or of every tag of a repository')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a repository''s local trust data, and with --remote the server''s')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Carry verified DCT signatures over to cosign and Notation signatures')
            [CompletionResult]::new('bundle', 'bundle', [CompletionResultType]::ParameterValue, 'Keep trust data in a file and verify from it offline (server shutdown, air gap, audit)')
            [CompletionResult]::new('signer', 'signer', [CompletionResultType]::ParameterValue, 'Manage signers (delegations), as `docker trust signer`')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Manage signing keys (Docker- and notary-compatible key store)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to a registry: store credentials in Docker''s config.json or credential helper')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Log out from a registry: remove its stored credentials')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'List the environment variables dct reads and whether they are set')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version, the commit it was built from and the TLS backend')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dct;help;sign' {
            break
        }
        'dct;help;lookup' {
            break
        }
        'dct;help;pull' {
            break
        }
        'dct;help;push' {
            break
        }
        'dct;help;inspect' {
            break
        }
        'dct;help;pin' {
            break
        }
        'dct;help;init' {
            break
        }
        'dct;help;publish' {
            break
        }
        'dct;help;status' {
            break
        }
        'dct;help;revoke' {
            break
        }
        'dct;help;delete' {
            break
        }
        'dct;help;migrate' {
            break
        }
        'dct;help;bundle' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Save the verified trust data of repositories in one file, to verify offline later')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify every repository of a bundle offline and list its signed tags')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Verify a bundle offline and load it into the trust dir''s cache')
            break
        }
        'dct;help;bundle;create' {
            break
        }
        'dct;help;bundle;verify' {
            break
        }
        'dct;help;bundle;import' {
            break
        }
        'dct;help;signer' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a signer (a delegation, as `docker trust signer add`) to repositories')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a signer from repositories')
            break
        }
        'dct;help;signer;add' {
            break
        }
        'dct;help;signer;remove' {
            break
        }
        'dct;help;key' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate a signer key pair: the private key goes into the trust dir, NAME.pub into DIR')
            [CompletionResult]::new('load', 'load', [CompletionResultType]::ParameterValue, 'Load a private key file (encrypted or not) into the trust dir, re-encrypted')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys in the trust dir (key files and PKCS#11 token keys)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export keys as encrypted PEM (all keys, or the ones selected)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import keys from PEM files (as written by `key export`, notary or openssl)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a key from the trust dir (a token key: from its token)')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change the passphrase of a key')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Rotate a repository''s root, targets, snapshot or timestamp key and publish')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Back up every private key: a tar of <trust dir>/private, sealed with a passphrase')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore private keys from a backup (dct''s sealed format, a .tar.gz or a .tar)')
            break
        }
        'dct;help;key;generate' {
            break
        }
        'dct;help;key;load' {
            break
        }
        'dct;help;key;list' {
            break
        }
        'dct;help;key;export' {
            break
        }
        'dct;help;key;import' {
            break
        }
        'dct;help;key;remove' {
            break
        }
        'dct;help;key;passwd' {
            break
        }
        'dct;help;key;rotate' {
            break
        }
        'dct;help;key;backup' {
            break
        }
        'dct;help;key;restore' {
            break
        }
        'dct;help;login' {
            break
        }
        'dct;help;logout' {
            break
        }
        'dct;help;env' {
            break
        }
        'dct;help;completions' {
            break
        }
        'dct;help;version' {
            break
        }
        'dct;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
