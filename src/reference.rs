//! Docker image references (`alpine`, `user/app:v1`, `127.0.0.1:5000/demo/app@sha256:…`), parsed
//! and normalised exactly as Docker's `ParseNormalizedNamed` (github.com/distribution/reference, as
//! vendored by docker CLI 28) does, because the normalised name is the trust collection name (GUN):
//! one character of difference and we would read or sign another collection than Docker does.
//!
//! Quirks kept on purpose, since Docker has them too:
//! * the first path component is a registry when it contains `.` or `:`, is `localhost`, or has an
//!   upper-case letter (`Foo/bar` is registry `Foo`); `index.docker.io` becomes `docker.io`;
//! * such a "registry" that is not a valid host name (`foo_bar.com/x`) silently becomes part of
//!   the repository path, with no registry at all ([`Reference::domain`] is then empty);
//! * only the repository path (not the registry) counts towards the 255-character limit;
//! * the lower-case check looks at the text before the first `:`, so `alpine@SHA256:…` is
//!   reported as an upper-case repository name.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Docker's default registry, and the one `index.docker.io` is folded into.
const DEFAULT_DOMAIN: &str = "docker.io";
const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
const OFFICIAL_REPO_PREFIX: &str = "library/";
/// `RepositoryNameTotalLengthMax`: applies to the path only, not the registry.
const NAME_TOTAL_LENGTH_MAX: usize = 255;
/// The tag grammar `[\w][\w.-]{0,127}`.
const TAG_MAX: usize = 128;

/// Why a reference was refused; `Display` is Docker's exact text, so `dct inspect` can print
/// the same error as `docker trust inspect`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceError {
    /// `invalid reference format`
    InvalidFormat,
    /// `invalid reference format: repository name (<name>) must be lowercase`
    UppercaseName(String),
    /// `repository name must be lowercase` (the whole reference only parses once lower-cased)
    ContainsUppercase,
    /// `invalid repository name (<arg>), cannot specify 64-byte hexadecimal strings`
    HexIdentifier(String),
    /// `repository name must not be more than 255 characters`
    NameTooLong,
    /// `invalid checksum digest format`
    DigestFormat,
    /// `invalid checksum digest length`
    DigestLength,
    /// `unsupported digest algorithm`
    DigestUnsupported,
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReferenceError::InvalidFormat => f.write_str("invalid reference format"),
            ReferenceError::UppercaseName(name) => write!(
                f,
                "invalid reference format: repository name ({name}) must be lowercase"
            ),
            ReferenceError::ContainsUppercase => f.write_str("repository name must be lowercase"),
            ReferenceError::HexIdentifier(s) => write!(
                f,
                "invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"
            ),
            ReferenceError::NameTooLong => write!(
                f,
                "repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
            ),
            ReferenceError::DigestFormat => f.write_str("invalid checksum digest format"),
            ReferenceError::DigestLength => f.write_str("invalid checksum digest length"),
            ReferenceError::DigestUnsupported => f.write_str("unsupported digest algorithm"),
        }
    }
}

impl std::error::Error for ReferenceError {}

/// A parsed, normalised image reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    domain: String,
    path: String,
    tag: Option<String>,
    digest: Option<String>,
}

impl Reference {
    /// Parses `s` as Docker does; the error is [`Error::Invalid`] (exit 2) naming the argument,
    /// in the words `docker pull` uses.
    pub fn parse(s: &str) -> crate::Result<Self> {
        Self::parse_docker(s).map_err(|e| {
            Error::Invalid(format!(
                "error parsing reference: {s:?} is not a valid repository/tag: {e}"
            ))
        })
    }

    /// Parses `s` as Docker's `ParseNormalizedNamed`, keeping Docker's own error.
    pub fn parse_docker(s: &str) -> Result<Self, ReferenceError> {
        if s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(ReferenceError::HexIdentifier(s.to_string()));
        }
        let (domain, remainder) = split_docker_domain(s);
        let remote = remainder.split(':').next().unwrap_or_default();
        if remote.to_lowercase() != remote {
            return Err(ReferenceError::UppercaseName(remote.to_string()));
        }
        parse_full(&format!("{domain}/{remainder}"))
    }

    /// The full normalised repository name, e.g. `docker.io/library/alpine`: the GUN.
    pub fn name(&self) -> String {
        if self.domain.is_empty() {
            self.path.clone()
        } else {
            format!("{}/{}", self.domain, self.path)
        }
    }

    /// The name as users write it: `alpine`, `user/app`, `127.0.0.1:5000/demo/app`.
    pub fn familiar_name(&self) -> String {
        if self.domain != DEFAULT_DOMAIN {
            return self.name();
        }
        match self.path.strip_prefix(OFFICIAL_REPO_PREFIX) {
            Some(rest) if !rest.contains('/') => rest.to_string(),
            _ => self.path.clone(),
        }
    }

    /// The registry, `host[:port]` (`docker.io` by default).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The repository path on the registry, e.g. `library/alpine`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The tag, if one is written.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest as written (`sha256:<hex>`), already validated.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// The familiar form with tag and digest, e.g. `alpine:3.20`.
    pub fn familiar_string(&self) -> String {
        self.with_suffixes(self.familiar_name())
    }

    fn with_suffixes(&self, mut s: String) -> String {
        if let Some(tag) = &self.tag {
            s.push(':');
            s.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            s.push('@');
            s.push_str(digest);
        }
        s
    }
}

impl fmt::Display for Reference {
    /// The fully normalised form, e.g. `docker.io/library/alpine:3.20` (no tag is added).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.with_suffixes(self.name()))
    }
}

impl FromStr for Reference {
    type Err = Error;

    fn from_str(s: &str) -> crate::Result<Self> {
        Self::parse(s)
    }
}

/// A repository as the write commands take it (`dct init IMAGE`, `dct publish IMAGE`…): a
/// reference without a digest (a tag is allowed and ignored by commands that do not use it),
/// with the text as typed for messages. Its [`RepoRef::gun`] is the trust collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoRef {
    reference: Reference,
    typed: String,
}

impl RepoRef {
    /// Parses `s`, refusing a digest reference (exit 2) in Docker's words.
    pub fn parse(s: &str) -> crate::Result<RepoRef> {
        let reference = Reference::parse(s)?;
        if reference.digest().is_some() {
            return Err(Error::Invalid(format!(
                "cannot use a digest reference for IMAGE:TAG: {s}"
            )));
        }
        Ok(RepoRef {
            reference,
            typed: s.to_string(),
        })
    }

    /// The trust collection name (GUN), e.g. `docker.io/library/alpine`.
    pub fn gun(&self) -> String {
        self.reference.name()
    }

    /// The parsed reference.
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// The argument as the user typed it.
    pub fn as_typed(&self) -> &str {
        &self.typed
    }

    /// The tag given with the repository, if any.
    pub fn tag(&self) -> Option<&str> {
        self.reference.tag()
    }
}

/// A tag of a repository (`NAME:TAG`), as `dct sign`, `lookup` and `pull` take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRef {
    repo: RepoRef,
    tag: String,
}

impl TagRef {
    /// Parses `s`, which must name a tag (exit 2 otherwise: `no tag specified for …`).
    pub fn parse(s: &str) -> crate::Result<TagRef> {
        let repo = RepoRef::parse(s)?;
        let tag = repo
            .tag()
            .ok_or_else(|| Error::Invalid(format!("no tag specified for {s}")))?
            .to_string();
        Ok(TagRef { repo, tag })
    }

    /// Parses `s`, defaulting the tag to `latest` as `docker pull` does; the flag says whether
    /// the default was used (Docker then prints `Using default tag: latest`).
    pub fn parse_or_latest(s: &str) -> crate::Result<(TagRef, bool)> {
        let repo = RepoRef::parse(s)?;
        let (tag, defaulted) = match repo.tag() {
            Some(t) => (t.to_string(), false),
            None => ("latest".to_string(), true),
        };
        Ok((TagRef { repo, tag }, defaulted))
    }

    /// Parses `NAME:TAG` or `NAME:TAG@sha256:HEX` (a tag pinned to a digest, for `dct sign`):
    /// the tag, and the digest when one is given.
    pub fn parse_pinned(s: &str) -> crate::Result<(TagRef, Option<String>)> {
        let reference = Reference::parse(s)?;
        let Some(digest) = reference.digest.clone() else {
            return TagRef::parse(s).map(|t| (t, None));
        };
        let tag = reference
            .tag()
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "cannot use a digest reference for IMAGE:TAG: {s} (to sign a tag as that \
                     digest: NAME:TAG@sha256:HEX)"
                ))
            })?
            .to_string();
        let reference = Reference {
            digest: None,
            ..reference
        };
        let repo = RepoRef {
            reference,
            typed: s.to_string(),
        };
        Ok((TagRef { repo, tag }, Some(digest)))
    }

    /// The tag.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The repository.
    pub fn repo(&self) -> &RepoRef {
        &self.repo
    }

    /// The trust collection name (GUN).
    pub fn gun(&self) -> String {
        self.repo.gun()
    }

    /// The parsed reference.
    pub fn reference(&self) -> &Reference {
        &self.repo.reference
    }

    /// The argument as the user typed it.
    pub fn as_typed(&self) -> &str {
        &self.repo.typed
    }
}

/// Docker's `splitDockerDomain`: decides by simple rules whether the first component is a
/// registry; the grammar is only checked afterwards.
fn split_docker_domain(name: &str) -> (&str, String) {
    let Some((first, rest)) = name.split_once('/') else {
        return (DEFAULT_DOMAIN, format!("{OFFICIAL_REPO_PREFIX}{name}"));
    };
    let (domain, remainder) = if first == "localhost" {
        (first, rest)
    } else if first == LEGACY_DEFAULT_DOMAIN {
        (DEFAULT_DOMAIN, rest)
    } else if first.contains(['.', ':']) || first.to_lowercase() != first {
        (first, rest)
    } else {
        (DEFAULT_DOMAIN, name)
    };
    if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        (domain, format!("{OFFICIAL_REPO_PREFIX}{remainder}"))
    } else {
        (domain, remainder.to_string())
    }
}

/// Docker's `Parse` of `name[:tag][@digest]` (the reference grammar), then the name length and
/// digest checks, in Docker's order.
fn parse_full(s: &str) -> Result<Reference, ReferenceError> {
    let Some((name, tag, digest)) = match_reference(s) else {
        if s.is_empty() {
            return Err(ReferenceError::InvalidFormat);
        }
        return Err(if match_reference(&s.to_lowercase()).is_some() {
            ReferenceError::ContainsUppercase
        } else {
            ReferenceError::InvalidFormat
        });
    };
    let (domain, path) = split_name(name).unwrap_or(("", name));
    if path.len() > NAME_TOTAL_LENGTH_MAX {
        return Err(ReferenceError::NameTooLong);
    }
    if let Some(d) = digest {
        validate_digest(d)?;
    }
    Ok(Reference {
        domain: domain.to_string(),
        path: path.to_string(),
        tag: tag.map(str::to_string),
        digest: digest.map(str::to_string),
    })
}

/// Matches the anchored reference grammar; returns (name, tag, digest). The split is unique:
/// no part but the digest holds `@`, and a tag (no `/`, no `:`) can only follow the last `/`.
fn match_reference(s: &str) -> Option<(&str, Option<&str>, Option<&str>)> {
    let (left, digest) = match s.split_once('@') {
        Some((l, d)) => (l, Some(d)),
        None => (s, None),
    };
    if digest.is_some_and(|d| !is_digest_grammar(d)) {
        return None;
    }
    let last_slash = left.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match left[last_slash..].find(':') {
        Some(i) => (&left[..last_slash + i], Some(&left[last_slash + i + 1..])),
        None => (left, None),
    };
    if tag.is_some_and(|t| !is_tag(t)) {
        return None;
    }
    if split_name(name).is_none() && !is_remote_name(name) {
        return None;
    }
    Some((name, tag, digest))
}

/// `domain/path` when the first component is a valid `host[:port]` and the rest a valid path;
/// the regular expression prefers that reading over a path-only one.
fn split_name(name: &str) -> Option<(&str, &str)> {
    let (domain, path) = name.split_once('/')?;
    (is_domain_and_port(domain) && is_remote_name(path)).then_some((domain, path))
}

fn is_alnum_lower(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn is_path_component(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && is_alnum_lower(b[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if i == b.len() {
            return true;
        }
        let sep = i;
        while i < b.len() && !is_alnum_lower(b[i]) {
            i += 1;
        }
        match &s[sep..i] {
            "." | "_" | "__" => {}
            dashes if dashes.bytes().all(|c| c == b'-') => {}
            _ => return false,
        }
    }
}

fn is_remote_name(s: &str) -> bool {
    s.split('/').all(is_path_component)
}

/// `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
fn is_domain_component(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// `(?:domainName|\[[a-fA-F0-9:]+\])(?::[0-9]+)?`
fn is_domain_and_port(s: &str) -> bool {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return false;
        };
        let inner = &rest[..end];
        if inner.is_empty() || !inner.bytes().all(|c| c.is_ascii_hexdigit() || c == b':') {
            return false;
        }
        match &rest[end + 1..] {
            "" => return true,
            p => match p.strip_prefix(':') {
                Some(port) => ("", port),
                None => return false,
            },
        }
    } else {
        match s.split_once(':') {
            Some((h, p)) => (h, p),
            None => (s, "0"),
        }
    };
    let host_ok = s.starts_with('[') || host.split('.').all(is_domain_component);
    host_ok && !port.is_empty() && port.bytes().all(|c| c.is_ascii_digit())
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `[\w][\w.-]{0,127}`
fn is_tag(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= TAG_MAX
        && is_word(b[0])
        && b.iter().all(|&c| is_word(c) || c == b'.' || c == b'-')
}

/// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`
fn is_digest_grammar(s: &str) -> bool {
    let Some((alg, hex)) = s.split_once(':') else {
        return false;
    };
    let alg_ok = alg.split(['-', '_', '+', '.']).all(|part| {
        let b = part.as_bytes();
        !b.is_empty() && b[0].is_ascii_alphabetic() && b.iter().all(u8::is_ascii_alphanumeric)
    });
    alg_ok && hex.len() >= 32 && hex.bytes().all(|c| c.is_ascii_hexdigit())
}

/// go-digest's `Digest.Validate`: the algorithms Docker links in, lower-case hex of the exact
/// length.
fn validate_digest(d: &str) -> Result<(), ReferenceError> {
    let (alg, hex) = d.split_once(':').ok_or(ReferenceError::DigestFormat)?;
    let size = match alg {
        "sha256" => 32,
        "sha384" => 48,
        "sha512" => 64,
        _ => {
            return Err(if is_go_digest_grammar(d) {
                ReferenceError::DigestUnsupported
            } else {
                ReferenceError::DigestFormat
            });
        }
    };
    if hex.len() != size * 2 {
        return Err(ReferenceError::DigestLength);
    }
    if !hex.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(ReferenceError::DigestFormat);
    }
    Ok(())
}

/// go-digest's own `[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+`, which decides between
/// "unsupported" and "invalid format" for unknown algorithms.
fn is_go_digest_grammar(d: &str) -> bool {
    let Some((alg, enc)) = d.split_once(':') else {
        return false;
    };
    alg.split(['.', '+', '_', '-'])
        .all(|p| !p.is_empty() && p.bytes().all(is_alnum_lower))
        && !enc.is_empty()
        && enc
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'=' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

    fn ok(s: &str) -> Reference {
        Reference::parse_docker(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn err(s: &str) -> String {
        match Reference::parse_docker(s) {
            Ok(r) => panic!("{s} parsed as {r:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// input, name (GUN), familiar name, domain, path, tag, digest
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
    );

    #[test]
    #[rustfmt::skip]
    fn normalises_like_docker() {
        let d = format!("sha256:{H}");
        let cases: &[Case] = &[
            ("alpine", "docker.io/library/alpine", "alpine", "docker.io", "library/alpine", None, None),
            ("alpine:3.20", "docker.io/library/alpine", "alpine", "docker.io", "library/alpine", Some("3.20"), None),
            ("alpine:V1", "docker.io/library/alpine", "alpine", "docker.io", "library/alpine", Some("V1"), None),
            ("user/app", "docker.io/user/app", "user/app", "docker.io", "user/app", None, None),
            ("docker.io/alpine", "docker.io/library/alpine", "alpine", "docker.io", "library/alpine", None, None),
            ("docker.io/library/alpine", "docker.io/library/alpine", "alpine", "docker.io", "library/alpine", None, None),
            ("index.docker.io/foo", "docker.io/library/foo", "foo", "docker.io", "library/foo", None, None),
            ("index.docker.io/u/foo", "docker.io/u/foo", "u/foo", "docker.io", "u/foo", None, None),
            ("docker.io/library/a/b", "docker.io/library/a/b", "library/a/b", "docker.io", "library/a/b", None, None),
            ("a/b/c/d", "docker.io/a/b/c/d", "a/b/c/d", "docker.io", "a/b/c/d", None, None),
            ("myregistry.azurecr.io/app:v1", "myregistry.azurecr.io/app", "myregistry.azurecr.io/app", "myregistry.azurecr.io", "app", Some("v1"), None),
            ("127.0.0.1:5000/demo/app:v1", "127.0.0.1:5000/demo/app", "127.0.0.1:5000/demo/app", "127.0.0.1:5000", "demo/app", Some("v1"), None),
            ("localhost/foo", "localhost/foo", "localhost/foo", "localhost", "foo", None, None),
            ("localhost:5000/foo/bar:t", "localhost:5000/foo/bar", "localhost:5000/foo/bar", "localhost:5000", "foo/bar", Some("t"), None),
            ("LOCALHOST/foo", "LOCALHOST/foo", "LOCALHOST/foo", "LOCALHOST", "foo", None, None),
            ("Foo/bar", "Foo/bar", "Foo/bar", "Foo", "bar", None, None),
            ("UPPER.com/x", "UPPER.com/x", "UPPER.com/x", "UPPER.com", "x", None, None),
            ("[::1]:5000/foo", "[::1]:5000/foo", "[::1]:5000/foo", "[::1]:5000", "foo", None, None),
            ("[::1]/x", "[::1]/x", "[::1]/x", "[::1]", "x", None, None),
            ("a.b/c", "a.b/c", "a.b/c", "a.b", "c", None, None),
            // Not a valid host: Docker keeps it as part of the path, with no registry.
            ("foo_bar.com/x", "foo_bar.com/x", "foo_bar.com/x", "", "foo_bar.com/x", None, None),
            // No `/`: `localhost:5000` is repository `localhost` with tag `5000`.
            ("localhost:5000", "docker.io/library/localhost", "localhost", "docker.io", "library/localhost", Some("5000"), None),
            ("a__b", "docker.io/library/a__b", "a__b", "docker.io", "library/a__b", None, None),
            ("a--b", "docker.io/library/a--b", "a--b", "docker.io", "library/a--b", None, None),
            ("a.b_c-d", "docker.io/library/a.b_c-d", "a.b_c-d", "docker.io", "library/a.b_c-d", None, None),
            ("a:_x", "docker.io/library/a", "a", "docker.io", "library/a", Some("_x"), None),
        ];
        for (input, name, familiar, domain, path, tag, digest) in cases {
            let r = ok(input);
            assert_eq!(r.name(), *name, "{input}");
            assert_eq!(r.familiar_name(), *familiar, "{input}");
            assert_eq!(r.domain(), *domain, "{input}");
            assert_eq!(r.path(), *path, "{input}");
            assert_eq!(r.tag(), *tag, "{input}");
            assert_eq!(r.digest(), *digest, "{input}");
        }
        let r = ok(&format!("alpine@{d}"));
        assert_eq!((r.tag(), r.digest()), (None, Some(d.as_str())));
        let r = ok(&format!("docker.io/library/foo:v1@{d}"));
        assert_eq!((r.tag(), r.digest()), (Some("v1"), Some(d.as_str())));
        assert_eq!(r.to_string(), format!("docker.io/library/foo:v1@{d}"));
        assert_eq!(r.familiar_string(), format!("foo:v1@{d}"));
        let long = format!("a@sha384:{}", "ab".repeat(48));
        assert!(ok(&long).digest().unwrap().starts_with("sha384:"));
        let long = format!("a@sha512:{}", "ab".repeat(64));
        assert!(ok(&long).digest().unwrap().starts_with("sha512:"));
    }

    #[test]
    fn display_is_normalised_without_default_tag() {
        assert_eq!(ok("alpine").to_string(), "docker.io/library/alpine");
        assert_eq!(ok("user/app:v1").to_string(), "docker.io/user/app:v1");
        assert_eq!(ok("user/app:v1").familiar_string(), "user/app:v1");
        assert_eq!(
            ok("127.0.0.1:5000/demo/app:v1").to_string(),
            "127.0.0.1:5000/demo/app:v1"
        );
    }

    #[test]
    fn tags_up_to_128_characters() {
        assert_eq!(
            ok(&format!("a:{}", "x".repeat(128))).tag().unwrap().len(),
            128
        );
        assert_eq!(
            err(&format!("a:{}", "x".repeat(129))),
            "invalid reference format"
        );
    }

    #[test]
    fn path_up_to_255_characters() {
        // "x/" + 253 = 255 characters of path: accepted; the registry does not count.
        ok(&format!("x/{}", "a".repeat(253)));
        ok(&format!("{}.com/{}", "d".repeat(60), "a".repeat(255)));
        assert_eq!(
            err(&format!("x/{}", "a".repeat(254))),
            "repository name must not be more than 255 characters"
        );
    }

    /// Every text here was printed by `docker trust inspect <input>` (docker 28.2.2).
    #[test]
    #[rustfmt::skip]
    fn errors_are_dockers() {
        let long_tag = format!("a:{}", "x".repeat(129));
        let cases: &[(&str, &str)] = &[
            ("Alpine", "invalid reference format: repository name (library/Alpine) must be lowercase"),
            ("docker.io/Foo", "invalid reference format: repository name (library/Foo) must be lowercase"),
            ("localhost:5000/Foo", "invalid reference format: repository name (Foo) must be lowercase"),
            ("Foo_bar/x", "repository name must be lowercase"),
            ("", "invalid reference format"),
            ("a//b", "invalid reference format"),
            ("a:", "invalid reference format"),
            (":tag", "invalid reference format"),
            ("a:b:c", "invalid reference format"),
            ("a b", "invalid reference format"),
            ("a___b", "invalid reference format"),
            ("a.-b", "invalid reference format"),
            ("-a", "invalid reference format"),
            ("a:.x", "invalid reference format"),
            ("a:x+", "invalid reference format"),
            ("ab-.com/x", "invalid reference format"),
            ("a-b.com:/x", "invalid reference format"),
            ("a-b.com:80x/x", "invalid reference format"),
            ("[fe80::1%eth0]/x", "invalid reference format"),
            ("alpine@sha256:abc", "invalid reference format"),
            ("alpine:tag@sha256:", "invalid reference format"),
            (&long_tag, "invalid reference format"),
            ("alpine@sha256:abcdef0123456789abcdef0123456789ab", "invalid checksum digest length"),
            ("alpine@sha512:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789", "invalid checksum digest length"),
            ("alpine@md5:abcdef0123456789abcdef0123456789", "unsupported digest algorithm"),
            ("a@foo+bar:abcdef0123456789abcdef0123456789", "unsupported digest algorithm"),
            ("a@sha256+x:abcdef0123456789abcdef0123456789", "unsupported digest algorithm"),
            ("a:t@Foo:abcdef0123456789abcdef0123456789", "invalid checksum digest format"),
        ];
        for (input, want) in cases {
            assert_eq!(err(input), *want, "{input:?}");
        }
        assert_eq!(
            err(&format!("alpine@sha256:{}", H.to_uppercase())),
            "invalid checksum digest format"
        );
        assert_eq!(
            err(&format!("alpine@SHA256:{H}")),
            "invalid reference format: repository name (library/alpine@SHA256) must be lowercase"
        );
        assert_eq!(
            err(H),
            format!("invalid repository name ({H}), cannot specify 64-byte hexadecimal strings")
        );
    }

    #[test]
    fn parse_maps_to_invalid_with_the_argument() {
        let e = Reference::parse("Alpine").unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Usage);
        assert_eq!(
            e.to_string(),
            "error parsing reference: \"Alpine\" is not a valid repository/tag: invalid reference \
             format: repository name (library/Alpine) must be lowercase"
        );
        assert_eq!(
            "alpine".parse::<Reference>().unwrap().name(),
            "docker.io/library/alpine"
        );
    }
}
