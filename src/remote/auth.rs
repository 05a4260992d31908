//! Docker registry credentials and the token-auth challenge flow.
//!
//! Credentials come from Docker's `config.json` with Docker's precedence: a per-registry
//! credential helper (`credHelpers`), else the global store (`credsStore`), else the inline
//! `auths` entry. Servers that want authentication answer 401 with a `WWW-Authenticate`
//! challenge; for `Bearer` we trade the credentials for a token scoped to one repository
//! (`repository:<name>:<actions>`) at the challenge's realm, for `Basic` we send them directly.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The `auths` key and credential-helper server URL Docker uses for Docker Hub.
pub const HUB_KEY: &str = "https://index.docker.io/v1/";

/// One registry's credentials. Either a password or an identity (refresh) token, never shown by
/// `Debug`.
#[derive(Clone)]
pub struct Credentials {
    /// The user name (empty with an identity token alone).
    pub username: String,
    /// The password; absent with an identity token.
    pub password: Option<Zeroizing<String>>,
    /// An identity token (OAuth2 refresh token), used instead of the password.
    pub identity_token: Option<Zeroizing<String>>,
    /// Where they came from (`<config>/config.json` or `docker-credential-<name>`), for messages.
    pub source: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hide = |s: &Option<Zeroizing<String>>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &hide(&self.password))
            .field("identity_token", &hide(&self.identity_token))
            .field("source", &self.source)
            .finish()
    }
}

/// The registry name Docker files credentials under: the Hub key for Docker Hub, else
/// `host[:port]`.
pub fn credentials_key(registry: &str) -> String {
    match registry {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" | HUB_KEY => HUB_KEY.to_string(),
        other => other.to_string(),
    }
}

/// Docker's `ConvertToHostname`: `https://host/v2/` → `host`, so `auths` keys written as URLs
/// match.
fn key_hostname(key: &str) -> &str {
    let k = key
        .strip_prefix("http://")
        .or_else(|| key.strip_prefix("https://"))
        .unwrap_or(key);
    k.split('/').next().unwrap_or(k)
}

#[derive(Deserialize, Default)]
struct ConfigFile {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(rename = "credsStore", default)]
    creds_store: Option<String>,
    #[serde(rename = "credHelpers", default)]
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
}

impl Drop for AuthEntry {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.auth.zeroize();
        self.password.zeroize();
        self.identitytoken.zeroize();
    }
}

/// Looks up the credentials for `registry` (`host[:port]`, or `docker.io` for Hub) in
/// `<config_dir>/config.json`. `helper_path` is the PATH-style list of directories searched for
/// `docker-credential-<name>` (`None` = `$PATH`). `Ok(None)`: no credentials (anonymous).
pub fn lookup(
    config_dir: &Path,
    registry: &str,
    helper_path: Option<&OsString>,
) -> Result<Option<Credentials>> {
    let file = config_dir.join("config.json");
    let bytes = match std::fs::read(&file) {
        Ok(b) => Zeroizing::new(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("cannot read", &file, e)),
    };
    let config: ConfigFile = serde_json::from_slice(&bytes)
        .map_err(|e| Error::invalid(format!("invalid Docker config {}: {e}", file.display())))?;
    let key = credentials_key(registry);
    let host = key_hostname(&key).to_string();

    let helper = config
        .cred_helpers
        .get(&key)
        .or_else(|| config.cred_helpers.get(&host))
        .map(|h| (h, "credHelpers"))
        .or_else(|| {
            config
                .creds_store
                .as_ref()
                .filter(|s| !s.is_empty())
                .map(|h| (h, "credsStore"))
        });
    if let Some((name, setting)) = helper {
        let origin = format!("{setting} in {}", file.display());
        return helper_get(name, &key, helper_path, &origin);
    }

    let entry = config.auths.get(&key).or_else(|| {
        config
            .auths
            .iter()
            .find(|(k, _)| key_hostname(k) == host)
            .map(|(_, v)| v)
    });
    let Some(entry) = entry else { return Ok(None) };
    let source = file.display().to_string();
    let mut username = entry.username.clone().unwrap_or_default();
    let mut password = entry.password.clone().map(Zeroizing::new);
    if let Some(auth) = entry.auth.as_deref().filter(|a| !a.is_empty()) {
        let decoded = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(auth.trim())
                .map_err(|_| {
                    Error::invalid(format!(
                        "invalid auth for {key} in {source}: not base64 of user:password"
                    ))
                })?,
        );
        let text = std::str::from_utf8(&decoded)
            .map_err(|_| Error::invalid(format!("invalid auth for {key} in {source}")))?;
        let (u, p) = text.split_once(':').ok_or_else(|| {
            Error::invalid(format!(
                "invalid auth for {key} in {source}: expected user:password"
            ))
        })?;
        username = u.to_string();
        password = Some(Zeroizing::new(p.to_string()));
    }
    let identity_token = entry
        .identitytoken
        .clone()
        .filter(|t| !t.is_empty())
        .map(Zeroizing::new);
    if username.is_empty() && identity_token.is_none() {
        // `docker login` with a store leaves `"host": {}` behind: that is not a credential.
        return Ok(None);
    }
    Ok(Some(Credentials {
        username,
        password: password.filter(|p| !p.is_empty()),
        identity_token,
        source,
    }))
}

/// The file a credential helper `name` is run from: the first `docker-credential-<name>` in
/// `helper_path` (or `$PATH`).
pub(crate) fn find_helper(name: &str, helper_path: Option<&OsString>) -> Option<PathBuf> {
    let path = helper_path.cloned().or_else(|| std::env::var_os("PATH"))?;
    let file = format!("docker-credential-{name}");
    std::env::split_paths(&path)
        .map(|d| d.join(&file))
        .find(|p| p.is_file())
}

#[derive(Deserialize)]
struct HelperReply {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: Zeroizing<String>,
}

/// `docker-credential-<name> get` with the server URL on stdin (docker-credential-helpers'
/// protocol). "credentials not found" is not an error: the user is anonymous there.
fn helper_get(
    name: &str,
    server: &str,
    helper_path: Option<&OsString>,
    origin: &str,
) -> Result<Option<Credentials>> {
    let program = format!("docker-credential-{name}");
    let exe = find_helper(name, helper_path).ok_or_else(|| {
        Error::Auth(format!(
            "credential helper {program} (set by {origin}) not found in PATH: install it or \
             remove the setting"
        ))
    })?;
    let mut child = Command::new(&exe)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::Auth(format!(
                "cannot run credential helper {}: {e}",
                exe.display()
            ))
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading stdin is judged by its exit status below.
        let _ = stdin.write_all(server.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| Error::Auth(format!("credential helper {program} failed: {e}")))?;
    let stdout = Zeroizing::new(out.stdout);
    if !out.status.success() {
        let text = String::from_utf8_lossy(&stdout);
        if text.contains("credentials not found") {
            return Ok(None);
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        let why = [text.trim(), stderr.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(": ");
        return Err(Error::Auth(format!(
            "credential helper {program} failed for {server} ({}): {}",
            out.status,
            if why.is_empty() { "no output" } else { &why }
        )));
    }
    let reply: HelperReply = serde_json::from_slice(&stdout).map_err(|e| {
        Error::Auth(format!(
            "credential helper {program} returned invalid JSON for {server}: {e}"
        ))
    })?;
    let source = format!("credential helper {program}");
    if reply.username == "<token>" {
        return Ok(Some(Credentials {
            username: String::new(),
            password: None,
            identity_token: Some(reply.secret),
            source,
        }));
    }
    if reply.username.is_empty() && reply.secret.is_empty() {
        return Ok(None);
    }
    Ok(Some(Credentials {
        username: reply.username,
        password: Some(reply.secret).filter(|s| !s.is_empty()),
        identity_token: None,
        source,
    }))
}

/// An authentication scheme offered in a `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// Lower-cased scheme: `bearer`, `basic`, …
    pub scheme: String,
    /// Parameters with lower-cased names and unquoted values.
    pub params: BTreeMap<String, String>,
}

impl Challenge {
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// Parses a `WWW-Authenticate` value (RFC 7235): one or more challenges, each a scheme and
/// comma-separated `name=value` / `name="quoted, value"` parameters.
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let s = header.as_bytes();
    let mut i = 0;
    let mut out: Vec<Challenge> = Vec::new();
    let is_tchar = |c: u8| !(c.is_ascii_whitespace() || c == b',' || c == b'=' || c == b'"');
    let skip_ws = |i: &mut usize| {
        while *i < s.len() && s[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    let token = |i: &mut usize| {
        let start = *i;
        while *i < s.len() && is_tchar(s[*i]) {
            *i += 1;
        }
        header[start..*i].to_string()
    };
    loop {
        while i < s.len() && (s[i].is_ascii_whitespace() || s[i] == b',') {
            i += 1;
        }
        let scheme = token(&mut i);
        if scheme.is_empty() {
            break;
        }
        let mut ch = Challenge {
            scheme: scheme.to_ascii_lowercase(),
            params: BTreeMap::new(),
        };
        // A token68 (`Negotiate abc==`) may follow the scheme directly, before any comma.
        skip_ws(&mut i);
        let save = i;
        let word = token(&mut i);
        let mut eq = 0;
        while i + eq < s.len() && s[i + eq] == b'=' {
            eq += 1;
        }
        let after = i + eq;
        if !word.is_empty() && (after >= s.len() || s[after] == b',') && eq != 1 {
            i = after;
        } else {
            i = save;
        }
        loop {
            while i < s.len() && (s[i].is_ascii_whitespace() || s[i] == b',') {
                i += 1;
            }
            let save = i;
            let name = token(&mut i);
            skip_ws(&mut i);
            if name.is_empty() || i >= s.len() || s[i] != b'=' {
                // Not a parameter: the next challenge's scheme.
                i = save;
                break;
            }
            i += 1;
            skip_ws(&mut i);
            let value = if i < s.len() && s[i] == b'"' {
                i += 1;
                let mut v = Vec::new();
                while i < s.len() && s[i] != b'"' {
                    if s[i] == b'\\' && i + 1 < s.len() {
                        i += 1;
                    }
                    v.push(s[i]);
                    i += 1;
                }
                i += 1;
                String::from_utf8_lossy(&v).into_owned()
            } else {
                token(&mut i)
            };
            ch.params.insert(name.to_ascii_lowercase(), value);
        }
        out.push(ch);
    }
    out
}

/// A bearer token from a token endpoint, valid until `expires`.
#[derive(Clone)]
pub struct Token {
    /// The token as sent in `Authorization: Bearer`.
    pub value: Zeroizing<String>,
    /// When it expires, by the server's `expires_in` (60 s at least, as docker/distribution).
    pub expires: Instant,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("value", &"<redacted>")
            .field("expires", &self.expires)
            .finish()
    }
}

#[derive(Deserialize)]
struct TokenReply {
    #[serde(default)]
    token: Option<Zeroizing<String>>,
    #[serde(default)]
    access_token: Option<Zeroizing<String>>,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// Parses a token endpoint's JSON answer (`token` or `access_token`, `expires_in` seconds with
/// docker/distribution's 60 s minimum).
pub fn parse_token_reply(body: &[u8], now: Instant) -> Option<Token> {
    let reply: TokenReply = serde_json::from_slice(body).ok()?;
    let value = reply
        .token
        .filter(|t| !t.is_empty())
        .or(reply.access_token.filter(|t| !t.is_empty()))?;
    let secs = reply.expires_in.unwrap_or(60).max(60);
    Some(Token {
        value,
        expires: now + Duration::from_secs(secs),
    })
}

/// The token request for a challenge: `GET realm?account&scope&service` (query keys sorted, as
/// docker/distribution does) or, with an identity token, the OAuth2 refresh-token form for a POST.
pub(crate) enum TokenRequest {
    Get(url::Url),
    Post(url::Url, Zeroizing<String>),
}

pub(crate) fn token_request(
    realm: &str,
    service: Option<&str>,
    scope: &str,
    creds: Option<&Credentials>,
) -> Result<TokenRequest> {
    let mut url = url::Url::parse(realm).map_err(|e| {
        Error::Network(format!(
            "the server's token realm {realm:?} is not a valid URL: {e}"
        ))
    })?;
    if let Some(token) = creds.and_then(|c| c.identity_token.as_ref()) {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("client_id", "dct")
            .append_pair("grant_type", "refresh_token")
            .append_pair("refresh_token", token);
        if !scope.is_empty() {
            form.append_pair("scope", scope);
        }
        if let Some(s) = service {
            form.append_pair("service", s);
        }
        return Ok(TokenRequest::Post(url, Zeroizing::new(form.finish())));
    }
    {
        let mut q = url.query_pairs_mut();
        if let Some(c) = creds.filter(|c| !c.username.is_empty() && c.password.is_some()) {
            q.append_pair("account", &c.username);
        }
        if !scope.is_empty() {
            q.append_pair("scope", scope);
        }
        if let Some(s) = service {
            q.append_pair("service", s);
        }
    }
    if url.query() == Some("") {
        url.set_query(None);
    }
    Ok(TokenRequest::Get(url))
}

/// `Basic <base64(user:password)>` for credentials that have a password.
pub fn basic_header(creds: &Credentials) -> Option<Zeroizing<String>> {
    let pass = creds.password.as_ref()?;
    let plain = Zeroizing::new(format!("{}:{}", creds.username, pass.as_str()));
    Some(Zeroizing::new(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(plain.as_bytes())
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    fn config(json: &str) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("config.json"), json).unwrap();
        d
    }

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    /// A fake `docker-credential-<name>` that answers `get` from a fixed table, in its own dir.
    fn helper(dir: &Path, name: &str, script_body: &str) -> OsString {
        let bin = dir.join("bin");
        fs::create_dir_all(&bin).unwrap();
        let path = bin.join(format!("docker-credential-{name}"));
        fs::write(&path, format!("#!/bin/sh\n{script_body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        bin.into_os_string()
    }

    const TABLE: &str = r#"[ "$1" = get ] || exit 2
read -r server
case "$server" in
  reg.example:5000) echo '{"ServerURL":"reg.example:5000","Username":"helperuser","Secret":"helperpass"}' ;;
  https://index.docker.io/v1/) echo '{"ServerURL":"x","Username":"<token>","Secret":"refresh-xyz"}' ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac"#;

    #[test]
    fn challenge_bearer_with_quoted_commas() {
        let h = r#"Bearer realm="https://auth.example/token",service="notary",scope="repository:a/b:push,pull""#;
        let ch = parse_challenges(h);
        assert_eq!(ch.len(), 1);
        assert_eq!(ch[0].scheme, "bearer");
        assert_eq!(ch[0].param("realm"), Some("https://auth.example/token"));
        assert_eq!(ch[0].param("service"), Some("notary"));
        assert_eq!(ch[0].param("scope"), Some("repository:a/b:push,pull"));
    }

    #[test]
    fn challenge_case_spaces_unquoted_and_escapes() {
        let ch = parse_challenges(
            r#"BEARER Realm = https://a/t , service="s\"x", error=insufficient_scope"#,
        );
        assert_eq!(ch.len(), 1);
        assert_eq!(ch[0].scheme, "bearer");
        assert_eq!(ch[0].param("realm"), Some("https://a/t"));
        assert_eq!(ch[0].param("service"), Some("s\"x"));
        assert_eq!(ch[0].param("error"), Some("insufficient_scope"));
    }

    #[test]
    fn challenge_several_schemes_and_basic() {
        let ch = parse_challenges(
            r#"Basic realm="Registry Realm", Bearer realm="https://a/t",service="x""#,
        );
        assert_eq!(ch.len(), 2);
        assert_eq!(ch[0].scheme, "basic");
        assert_eq!(ch[0].param("realm"), Some("Registry Realm"));
        assert_eq!(ch[1].scheme, "bearer");
        assert_eq!(ch[1].param("service"), Some("x"));

        let ch = parse_challenges("Basic");
        assert_eq!(ch.len(), 1);
        assert!(ch[0].params.is_empty());
        let ch = parse_challenges("Negotiate abc==, Basic realm=x");
        assert_eq!(ch.len(), 2, "{ch:?}");
        assert_eq!(ch[1].scheme, "basic");
        let ch = parse_challenges("Bearer, Basic");
        assert_eq!(
            ch.iter().map(|c| c.scheme.as_str()).collect::<Vec<_>>(),
            ["bearer", "basic"]
        );
        assert!(parse_challenges("").is_empty());
    }

    #[test]
    fn auths_forms_and_hub_key() {
        let d = config(&format!(
            r#"{{"auths": {{
                "reg.example:5000": {{"auth": "{}"}},
                "https://other.example/v2/": {{"username": "bob", "password": "pw"}},
                "http://plain.example": {{"auth": "{}"}},
                "https://index.docker.io/v1/": {{"identitytoken": "tok123"}},
                "empty.example": {{}}
            }}}}"#,
            b64("alice:s3cret:with:colons"),
            b64("carol:pw2")
        ));
        let c = lookup(d.path(), "reg.example:5000", None).unwrap().unwrap();
        assert_eq!(c.username, "alice");
        assert_eq!(
            c.password.as_deref().unwrap().as_str(),
            "s3cret:with:colons"
        );
        let c = lookup(d.path(), "other.example", None).unwrap().unwrap();
        assert_eq!(
            (c.username.as_str(), c.password.unwrap().as_str()),
            ("bob", "pw")
        );
        let c = lookup(d.path(), "plain.example", None).unwrap().unwrap();
        assert_eq!(c.username, "carol");
        for hub in ["docker.io", "index.docker.io"] {
            let c = lookup(d.path(), hub, None).unwrap().unwrap();
            assert_eq!(c.identity_token.unwrap().as_str(), "tok123");
        }
        assert!(lookup(d.path(), "empty.example", None).unwrap().is_none());
        assert!(lookup(d.path(), "unknown.example", None).unwrap().is_none());
        let none = tempfile::tempdir().unwrap();
        assert!(
            lookup(none.path(), "reg.example:5000", None)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn invalid_config_is_invalid_input() {
        let d = config("{not json");
        let err = lookup(d.path(), "x", None).unwrap_err();
        assert_eq!(err.exit_code(), crate::ExitCode::Usage);
        assert!(err.to_string().contains("config.json"), "{err}");
        let d = config(r#"{"auths": {"x": {"auth": "!!"}}}"#);
        let err = lookup(d.path(), "x", None).unwrap_err();
        assert!(err.to_string().contains("not base64"), "{err}");
    }

    #[test]
    fn precedence_cred_helpers_then_store_then_auths() {
        let d = config(&format!(
            r#"{{"auths": {{"reg.example:5000": {{"auth": "{}"}}, "file.example": {{"auth": "{}"}}}},
                "credsStore": "fake",
                "credHelpers": {{"reg.example:5000": "per"}}}}"#,
            b64("fileuser:filepass"),
            b64("fileuser:filepass")
        ));
        let bin = helper(d.path(), "per", TABLE);
        helper(
            d.path(),
            "fake",
            "read -r s; echo '{\"Username\":\"storeuser\",\"Secret\":\"storepass\"}'",
        );
        // credHelpers[host] wins over credsStore and auths.
        let c = lookup(d.path(), "reg.example:5000", Some(&bin))
            .unwrap()
            .unwrap();
        assert_eq!(c.username, "helperuser");
        assert_eq!(c.password.unwrap().as_str(), "helperpass");
        assert_eq!(c.source, "credential helper docker-credential-per");
        // credsStore wins over auths (Docker asks the store, not the file).
        let c = lookup(d.path(), "file.example", Some(&bin))
            .unwrap()
            .unwrap();
        assert_eq!(c.username, "storeuser");
    }

    #[test]
    fn helper_identity_token_and_not_found() {
        let d = config(r#"{"credsStore": "fake"}"#);
        let bin = helper(d.path(), "fake", TABLE);
        let c = lookup(d.path(), "docker.io", Some(&bin)).unwrap().unwrap();
        assert!(c.password.is_none());
        assert_eq!(c.identity_token.unwrap().as_str(), "refresh-xyz");
        assert!(
            lookup(d.path(), "nobody.example", Some(&bin))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn helper_missing_or_failing_is_an_auth_error_naming_it() {
        let d = config(r#"{"credHelpers": {"reg.example": "absent"}}"#);
        let empty = d.path().join("empty").into_os_string();
        let err = lookup(d.path(), "reg.example", Some(&empty)).unwrap_err();
        assert_eq!(err.exit_code(), crate::ExitCode::Auth);
        assert!(
            err.to_string().contains("docker-credential-absent"),
            "{err}"
        );
        assert!(err.to_string().contains("credHelpers"), "{err}");

        let d = config(r#"{"credsStore": "broken"}"#);
        let bin = helper(d.path(), "broken", "echo 'keychain locked' >&2; exit 3");
        let err = lookup(d.path(), "reg.example", Some(&bin)).unwrap_err();
        assert_eq!(err.exit_code(), crate::ExitCode::Auth);
        let msg = err.to_string();
        assert!(
            msg.contains("docker-credential-broken") && msg.contains("keychain locked"),
            "{msg}"
        );

        let bin = helper(d.path(), "broken", "echo 'not json'");
        let err = lookup(d.path(), "reg.example", Some(&bin)).unwrap_err();
        assert!(err.to_string().contains("invalid JSON"), "{err}");
    }

    #[test]
    fn secrets_are_not_in_debug() {
        let c = Credentials {
            username: "alice".into(),
            password: Some(Zeroizing::new("hunter2-pass".into())),
            identity_token: Some(Zeroizing::new("refresh-tok".into())),
            source: "x".into(),
        };
        let dbg = format!("{c:?}");
        assert!(dbg.contains("alice"));
        assert!(
            !dbg.contains("hunter2") && !dbg.contains("refresh-tok"),
            "{dbg}"
        );
        let t = parse_token_reply(
            br#"{"token":"tok-secret-1","expires_in":300}"#,
            Instant::now(),
        )
        .unwrap();
        assert!(!format!("{t:?}").contains("tok-secret-1"));
    }

    #[test]
    fn token_replies() {
        let now = Instant::now();
        let t = parse_token_reply(br#"{"access_token":"a","expires_in":10}"#, now).unwrap();
        assert_eq!(t.value.as_str(), "a");
        assert_eq!(t.expires, now + Duration::from_secs(60));
        let t = parse_token_reply(br#"{"token":"t","access_token":"a","expires_in":600}"#, now)
            .unwrap();
        assert_eq!(t.value.as_str(), "t");
        assert_eq!(t.expires, now + Duration::from_secs(600));
        assert!(parse_token_reply(br#"{"token":""}"#, now).is_none());
        assert!(parse_token_reply(b"<html>", now).is_none());
    }

    #[test]
    fn token_request_forms() {
        let creds = Credentials {
            username: "alice".into(),
            password: Some(Zeroizing::new("pw".into())),
            identity_token: None,
            source: String::new(),
        };
        let TokenRequest::Get(url) = token_request(
            "https://a/token",
            Some("svc"),
            "repository:x/y:pull",
            Some(&creds),
        )
        .unwrap() else {
            panic!("expected GET")
        };
        assert_eq!(
            url.as_str(),
            "https://a/token?account=alice&scope=repository%3Ax%2Fy%3Apull&service=svc"
        );
        let TokenRequest::Get(url) = token_request("https://a/token", None, "", None).unwrap()
        else {
            panic!("expected GET")
        };
        assert_eq!(url.as_str(), "https://a/token");

        let refresh = Credentials {
            username: String::new(),
            password: None,
            identity_token: Some(Zeroizing::new("rt".into())),
            source: String::new(),
        };
        let TokenRequest::Post(url, form) = token_request(
            "https://a/token",
            Some("svc"),
            "repository:x:push,pull",
            Some(&refresh),
        )
        .unwrap() else {
            panic!("expected POST")
        };
        assert_eq!(url.as_str(), "https://a/token");
        assert_eq!(
            form.as_str(),
            "client_id=dct&grant_type=refresh_token&refresh_token=rt&scope=repository%3Ax%3Apush%2Cpull&service=svc"
        );
        assert_eq!(
            basic_header(&creds).unwrap().as_str(),
            format!("Basic {}", b64("alice:pw"))
        );
        assert!(token_request("not a url", None, "", None).is_err());
    }
}
