#!/usr/bin/env bash
# How tests/golden/inspect/*.txt were made: real notary 0.7.0 CLI + notary-server (scripts/trust-env)
# and the real docker 28.2.2 CLI. Key IDs are random per run, so re-running changes them and the
# unit tests in src/inspect.rs (which copy the IDs) must be updated with the new ones.
#   out=$(scripts/trust-env start /tmp/te-ref) && eval "$out"; tests/golden/inspect/make-golden.sh WORKDIR
set -euo pipefail
W=${1:?work dir}; G=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$W/keys"
export DOCKER_CONFIG=$W/cfg DOCKER_CONTENT_TRUST_SERVER=$TRUST_SERVER_URL
export NOTARY_ROOT_PASSPHRASE=rootpass123 NOTARY_TARGETS_PASSPHRASE=repopass123 \
  NOTARY_SNAPSHOT_PASSPHRASE=repopass123 NOTARY_DELEGATION_PASSPHRASE=repopass123 \
  DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE=rootpass123 DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=repopass123
mkdir -p "$DOCKER_CONFIG/tls/$TRUST_SERVER_HOST"; cp "$TRUST_CA_CERT" "$DOCKER_CONFIG/tls/$TRUST_SERVER_HOST/ca.crt"
N() { notary -s "$TRUST_SERVER_URL" --tlscacert "$TRUST_CA_CERT" -d "$DOCKER_CONFIG/trust" "$@" </dev/null; }
h() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }   # digest of a short string
for k in alice bob alice10 alice2; do (cd "$W/keys" && docker trust key generate "$k" >/dev/null); done

# 1. registry.example.com/ref/app: tags in targets only, releases + signers, natural sort, escaping.
A=registry.example.com/ref/app
N init -p $A >/dev/null
for t in v10 v2 v1 v01 latest 'x<y>&z'; do N addhash -p $A "$t" 10 --sha256 "$(h "$t")" >/dev/null; done
docker trust signer add --key "$W/keys/alice.pub" alice $A >/dev/null
docker trust signer add --key "$W/keys/bob.pub" bob $A >/dev/null
docker trust signer add --key "$W/keys/alice10.pub" alice10 $A >/dev/null
docker trust signer add --key "$W/keys/alice2.pub" alice2 $A >/dev/null
# rel1: releases + alice + bob (same digest) -> two signers
N addhash -p $A rel1 10 --sha256 "$(h rel1)" -r targets/releases -r targets/alice -r targets/bob >/dev/null
# rel2: releases + bob, alice holds a different digest -> only bob
N addhash -p $A rel2 10 --sha256 "$(h rel2)" -r targets/releases -r targets/bob >/dev/null
N addhash -p $A rel2 10 --sha256 "$(h rel2-other)" -r targets/alice >/dev/null
# v2: also in releases with another digest than in targets -> two rows
N addhash -p $A v2 10 --sha256 "$(h v2-release)" -r targets/releases -r targets/alice10 >/dev/null
# v1: same digest in releases as in targets -> one row, signer alice2
N addhash -p $A v1 10 --sha256 "$(h v1)" -r targets/releases -r targets/alice2 >/dev/null
# only in a signer's role (not released) -> not listed
N addhash -p $A alice-only 10 --sha256 "$(h alice-only)" -r targets/alice >/dev/null
# 2. registry.example.com/ref/empty: initialised, no targets
N init -p registry.example.com/ref/empty >/dev/null
# 3. registry.example.com/ref/plain: targets only, no delegations
N init -p registry.example.com/ref/plain >/dev/null
N addhash -p registry.example.com/ref/plain v1 10 --sha256 "$(h plain-v1)" >/dev/null

run() { # name args...
  local name=$1; shift
  { printf '$ docker trust inspect'; printf ' %q' "$@"; printf '\n'; } >"$G/$name.cmd"
  set +e; docker trust inspect "$@" >"$G/$name.out" 2>"$G/$name.err"; echo $? >"$G/$name.rc"; set -e
}
# Docker orders the two v2 rows (one per digest) at random; dct prints the targets/releases row
# first, so those captures are retried until docker happens to print that order too.
run_rf() {
  for _ in $(seq 40); do
    run "$@"
    grep -n "$(h v2-release)\|$(h v2)" "$G/$1.out" | head -1 | grep -q "$(h v2-release)" && return 0
  done
  echo "no releases-first order for $1" >&2; return 1
}
D="sha256:$(h v1)"
run_rf app-json $A
run_rf app-pretty --pretty $A
run_rf app-tag-json $A:v2
run_rf app-tag-pretty --pretty $A:v2
run_rf app-digest-json "$A@$D"
run_rf app-tagdigest-json "$A:v1@$D"
run app-missing-tag-json $A:nope
run app-missing-tag-pretty --pretty $A:nope
run app-unreleased-tag-pretty --pretty $A:alice-only
run empty-json registry.example.com/ref/empty
run empty-pretty --pretty registry.example.com/ref/empty
run plain-json registry.example.com/ref/plain
run plain-pretty --pretty registry.example.com/ref/plain
run multi-json registry.example.com/ref/plain:v1 registry.example.com/ref/empty
run multi-pretty --pretty registry.example.com/ref/plain:v1 registry.example.com/ref/empty
run unknown-json registry.example.com/ref/unknown
run mixed-json registry.example.com/ref/plain registry.example.com/ref/unknown
