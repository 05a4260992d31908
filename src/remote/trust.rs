//! The notary (trust) server's metadata API (notary-spec §4): which server, and fetching
//! `<server>/v2/<GUN>/_trust/tuf/<name>` with notary's status mapping and download limits.

use serde::Deserialize;
use url::Url;

use reqwest::Method;

use super::{AuthScope, ERROR_BODY_LIMIT, Http, Request, host_port};
use crate::error::{Error, Result};

/// notary's limit for `<role>.key` answers.
pub const KEY_LIMIT: u64 = 256 << 10;
/// notary's limit for `timestamp.json`.
pub const TIMESTAMP_LIMIT: u64 = 1 << 20;
/// notary's limit for a root fetched without a known checksum (`root.json`, `<v>.root.json`).
pub const ROOT_LIMIT: u64 = 100 << 20;

/// Docker's choice of trust server: `-s/--server`, else `DOCKER_CONTENT_TRUST_SERVER`, else
/// Docker Hub's notary for Hub images, else the registry itself over https.
///
/// A given URL must be `https://HOST[:PORT][/PATH]`: only https (trust data over plain http
/// would let anyone on the path freeze updates), and no `?query` or `#fragment` (the metadata
/// paths are joined below the URL's path, and a query or fragment would make them replace it).
/// An empty `--server ''` is refused like any other bad URL; an empty variable counts as unset,
/// as in Docker. Errors are [`Error::Invalid`] (exit 2).
pub fn trust_server_url(flag: Option<&str>, env: Option<&str>, registry_host: &str) -> Result<Url> {
    let given = match flag {
        Some(f) => Some(f),
        None => env.filter(|s| !s.is_empty()),
    };
    let value = match given {
        Some(v) => v.to_string(),
        None if matches!(registry_host, "docker.io" | "index.docker.io") => {
            "https://notary.docker.io".to_string()
        }
        None => format!("https://{registry_host}"),
    };
    let invalid = |why: &str| {
        Error::invalid(format!(
            "valid https URL required for trust server, got {value:?}: {why}; give \
             https://HOST[:PORT][/PATH] (without query or fragment) with -s/--server or \
             DOCKER_CONTENT_TRUST_SERVER"
        ))
    };
    if value.is_empty() {
        return Err(invalid("the URL is empty"));
    }
    let url = Url::parse(&value).map_err(|e| invalid(&format!("not a URL ({e})")))?;
    if url.scheme() != "https" {
        return Err(invalid(&format!(
            "the scheme is {}, not https",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("no host"));
    }
    if url.query().is_some() {
        return Err(invalid("a query (?…) is not allowed"));
    }
    if url.fragment().is_some() {
        return Err(invalid("a fragment (#…) is not allowed"));
    }
    Ok(url)
}

/// The trust data of one collection (GUN) on one trust server.
#[derive(Debug)]
pub struct TrustServer<'a> {
    http: &'a Http,
    base: Url,
    host: String,
    gun: String,
    auth: AuthScope,
}

impl<'a> TrustServer<'a> {
    /// `server` is the trust server URL (a path in it is kept), `gun` the collection
    /// (`127.0.0.1:5000/demo/app`), `actions` the token actions asked for: `pull` to read,
    /// `push,pull` to publish. Credentials are those of the GUN's registry, as Docker does.
    pub fn new(http: &'a Http, server: &Url, gun: &str, actions: &str) -> Result<Self> {
        if gun.is_empty() || gun.contains(['*', '?', '#']) || gun.split('/').any(|s| s == "..") {
            return Err(Error::invalid(format!(
                "invalid trust collection name {gun:?}"
            )));
        }
        let mut root = server.as_str().to_string();
        if !root.ends_with('/') {
            root.push('/');
        }
        let base = Url::parse(&format!("{root}v2/{gun}/_trust/tuf/"))
            .map_err(|e| Error::invalid(format!("invalid trust collection name {gun:?}: {e}")))?;
        let registry = gun.split('/').next().unwrap_or(gun);
        Ok(TrustServer {
            http,
            host: host_port(server),
            gun: gun.to_string(),
            base,
            auth: AuthScope::repository(registry, gun, actions),
        })
    }

    /// `<server>/v2/<GUN>/_trust/tuf/`.
    pub fn base(&self) -> &Url {
        &self.base
    }

    #[cfg(test)]
    fn auth_scope(&self) -> &AuthScope {
        &self.auth
    }

    fn url(&self, name: &str) -> Result<Url> {
        if name.is_empty()
            || name.starts_with('/')
            || name.contains(['?', '#', '\\'])
            || name.split('/').any(|s| s == ".." || s == ".")
        {
            return Err(Error::invalid(format!("invalid metadata name {name:?}")));
        }
        self.base
            .join(name)
            .map_err(|e| Error::invalid(format!("invalid metadata name {name:?}: {e}")))
    }

    /// Fetches `<base><name>` (`timestamp.json`, `snapshot.<hex>.json`, `2.root.json`,
    /// `targets/releases.<hex>.json`), at most `limit` bytes. `Ok(None)`: the server has no such
    /// file (404).
    pub fn get(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>> {
        self.http.block_on(self.get_async(name, limit))
    }

    pub(crate) async fn get_async(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>> {
        let req = Request::get(self.url(name)?, limit)
            .auth(Some(self.auth.clone()))
            .what(name);
        let fetched = self.http.fetch_async(&req).await?;
        match fetched.status.as_u16() {
            200..=299 => Ok(Some(fetched.body)),
            404 => Ok(None),
            400 => Err(Error::Other(rejected(&fetched.body))),
            code => Err(Error::Network(format!(
                "unable to reach trust server {} at this time: {code}",
                self.host
            ))),
        }
    }

    /// The server-managed public key of `role` (`timestamp`, `snapshot`): the server creates it
    /// on first request. Needs push access.
    pub fn get_key(&self, role: &str) -> Result<Vec<u8>> {
        let name = format!("{role}.key");
        self.get(&name, KEY_LIMIT)?.ok_or_else(|| {
            Error::Network(format!(
                "trust server {} has no {role} key for {} (GET {} answered 404): it is not a \
                 notary server, or not the one for this registry",
                self.host,
                self.gun,
                self.url(&name)
                    .map(|u| u.to_string())
                    .unwrap_or(name.clone())
            ))
        })
    }
}

impl TrustServer<'_> {
    /// The scope for writes: the one this client was made with when it includes `push` (Docker's
    /// `pull,push` and notary's `push,pull` are both fine), else `push,pull`.
    fn push_scope(&self) -> AuthScope {
        let actions = self.auth.scope.rsplit(':').next().unwrap_or_default();
        if actions.split(',').any(|a| a == "push" || a == "*") {
            self.auth.clone()
        } else {
            AuthScope::repository(&self.auth.registry, &self.gun, "push,pull")
        }
    }

    /// Publishes `files` (role name, exact bytes) in one atomic multipart `POST` to the base URL
    /// (notary-spec §4.3): one part per file, field `files`, filename = the role without `.json`
    /// (`root`, `targets`, `targets/releases`, `snapshot`). An empty list is legal (the server
    /// re-signs snapshot and timestamp). Never retried: a POST is not idempotent.
    ///
    /// Errors: 400 `VERSION` (another client published first) is [`Error::Conflict`], see
    /// [`is_conflict`]; any other 400 is [`Error::Other`] in notary's words ("The targets metadata
    /// is invalid: …"); 401/403 [`Error::Auth`]; anything else [`Error::Network`].
    pub fn publish(&self, files: &[(String, Vec<u8>)]) -> Result<()> {
        let mut parts = Vec::with_capacity(files.len());
        for (role, bytes) in files {
            let name = role.strip_suffix(".json").unwrap_or(role);
            if name.is_empty()
                || name == "timestamp"
                || name.starts_with('/')
                || name.contains(['"', '\r', '\n', '\\'])
                || name
                    .split('/')
                    .any(|s| s.is_empty() || s == ".." || s == ".")
            {
                return Err(Error::invalid(format!("cannot publish role {role:?}")));
            }
            parts.push((name, bytes.as_slice()));
        }
        let (content_type, body) = multipart(&parts)?;
        let req = Request::new(Method::POST, self.base.clone(), ERROR_BODY_LIMIT)
            .auth(Some(self.push_scope()))
            .what(format!("publish of {}", self.gun))
            .body(&content_type, body);
        let fetched = self.http.fetch(&req)?;
        match fetched.status.as_u16() {
            200..=299 => Ok(()),
            400 if error_codes(&fetched.body).iter().any(|c| c == "VERSION") => {
                Err(Error::Conflict(format!(
                    "trust server {} already holds newer trust data for {}: another client \
                     published first",
                    self.host, self.gun
                )))
            }
            400 => Err(Error::Other(rejected(&fetched.body))),
            code => Err(Error::Network(format!(
                "unable to reach trust server {} at this time: {code}",
                self.host
            ))),
        }
    }

    /// Rotates the server-managed key of `role` (`timestamp`, `snapshot`): `POST <role>.key`,
    /// which needs the `*` action; returns the new public key as the server sends it.
    pub fn rotate_key(&self, role: &str) -> Result<Vec<u8>> {
        let url = self.url(&format!("{role}.key"))?;
        let req = Request::new(Method::POST, url, KEY_LIMIT)
            .auth(Some(AuthScope::repository(
                &self.auth.registry,
                &self.gun,
                "*",
            )))
            .what(format!("{role}.key"));
        let fetched = self.http.fetch(&req)?;
        match fetched.status.as_u16() {
            200..=299 => Ok(fetched.body),
            400 => Err(Error::Other(rejected(&fetched.body))),
            code => Err(Error::Network(format!(
                "unable to reach trust server {} at this time: {code}",
                self.host
            ))),
        }
    }
}

impl TrustServer<'_> {
    /// Deletes all of the collection's trust data on the server (`DELETE <base>`, needs `*`):
    /// the way out when a root key is lost.
    pub fn delete(&self) -> Result<()> {
        let req = Request::new(Method::DELETE, self.base.clone(), KEY_LIMIT)
            .auth(Some(AuthScope::repository(
                &self.auth.registry,
                &self.gun,
                "*",
            )))
            .what("the collection");
        let fetched = self.http.fetch(&req)?;
        match fetched.status.as_u16() {
            200..=299 | 404 => Ok(()),
            400 => Err(Error::Other(rejected(&fetched.body))),
            code => Err(Error::Network(format!(
                "unable to reach trust server {} at this time: {code}",
                self.host
            ))),
        }
    }
}

/// Whether `err` is a publish refused because another client published first (400 `VERSION`):
/// the caller may update and publish once more.
pub fn is_conflict(err: &Error) -> bool {
    matches!(err, Error::Conflict(_))
}

/// A `multipart/form-data` body with one `files` part per (filename, bytes), and its
/// `Content-Type`. The boundary is random and checked not to occur in any file.
pub fn multipart(parts: &[(&str, &[u8])]) -> Result<(String, Vec<u8>)> {
    let boundary = loop {
        let mut raw = [0u8; 16];
        getrandom::fill(&mut raw)
            .map_err(|e| Error::Other(format!("no randomness for a boundary: {e}")))?;
        let b = format!("dct{}", hex::encode(raw));
        let delimiter = format!("--{b}");
        if !parts.iter().any(|(_, bytes)| {
            bytes
                .windows(delimiter.len())
                .any(|w| w == delimiter.as_bytes())
        }) {
            break b;
        }
    };
    let mut body = Vec::with_capacity(parts.iter().map(|(_, b)| b.len() + 200).sum::<usize>() + 64);
    for (name, bytes) in parts {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; \
                 filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok((format!("multipart/form-data; boundary={boundary}"), body))
}

/// The `code`s of an errcode body.
fn error_codes(body: &[u8]) -> Vec<String> {
    serde_json::from_slice::<ErrorBody>(body)
        .map(|b| b.errors.into_iter().map(|e| e.code).collect())
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errors: Vec<ErrorItem>,
}

#[derive(Deserialize)]
struct ErrorItem {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    detail: Option<serde_json::Value>,
}

/// notary's wording for a 400 (spec §4.4): a single validation error is decoded into its
/// message; anything else is "trust server rejected operation".
pub fn rejected(body: &[u8]) -> String {
    let Ok(parsed) = serde_json::from_slice::<ErrorBody>(body) else {
        return "trust server rejected operation.".to_string();
    };
    if let [item] = parsed.errors.as_slice() {
        if let Some(detail) = &item.detail
            && let (Some(name), Some(msg)) = (
                detail.get("Name").and_then(|v| v.as_str()),
                detail
                    .get("Error")
                    .and_then(|e| e.get("Msg"))
                    .and_then(|v| v.as_str()),
            )
        {
            let prefix = match name {
                "ErrValidation" => "An error occurred during validation",
                "ErrBadHierarchy" => "Metadata hierarchy is incomplete",
                "ErrBadRoot" => "The root metadata is invalid",
                "ErrBadTargets" => "The targets metadata is invalid",
                "ErrBadSnapshot" => "The snapshot metadata is invalid",
                _ => "",
            };
            if !prefix.is_empty() {
                return format!("{prefix}: {msg}");
            }
        }
        if !item.message.is_empty() {
            return format!(
                "trust server rejected operation: {} ({})",
                item.message, item.code
            );
        }
    }
    "trust server rejected operation.".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ExitCode;

    #[test]
    fn server_url_rules() {
        let u = |f, e, r| trust_server_url(f, e, r).map(|u| u.to_string());
        assert_eq!(
            u(
                Some("https://flag.example:4443"),
                Some("https://env.example"),
                "r.example"
            )
            .unwrap(),
            "https://flag.example:4443/"
        );
        assert_eq!(
            u(None, Some("https://env.example/notary"), "r.example").unwrap(),
            "https://env.example/notary"
        );
        // An empty variable is unset (Docker's os.Getenv(…) != ""); an empty flag is an error.
        assert_eq!(
            u(None, Some(""), "docker.io").unwrap(),
            "https://notary.docker.io/"
        );
        assert_eq!(
            u(None, None, "index.docker.io").unwrap(),
            "https://notary.docker.io/"
        );
        assert_eq!(
            u(None, None, "127.0.0.1:5000").unwrap(),
            "https://127.0.0.1:5000/"
        );
        for (bad, why) in [
            ("http://plain.example", "the scheme is http, not https"),
            ("notaurl", "not a URL (relative URL without a base)"),
            ("https://", "not a URL (empty host)"),
            ("ftp://x", "the scheme is ftp, not https"),
            ("", "the URL is empty"),
            ("https://h/?x", "a query (?…) is not allowed"),
            ("https://h:4443/notary?", "a query (?…) is not allowed"),
            ("https://h/#frag", "a fragment (#…) is not allowed"),
            ("https://h#", "a fragment (#…) is not allowed"),
        ] {
            let err = trust_server_url(Some(bad), None, "r").unwrap_err();
            assert_eq!(err.exit_code(), ExitCode::Usage);
            assert_eq!(
                err.to_string(),
                format!(
                    "valid https URL required for trust server, got {bad:?}: {why}; give \
                     https://HOST[:PORT][/PATH] (without query or fragment) with -s/--server or \
                     DOCKER_CONTENT_TRUST_SERVER"
                )
            );
        }
        let err = trust_server_url(None, Some("http://env.example"), "r").unwrap_err();
        assert!(err.to_string().contains("got \"http://env.example\""));
        let err = trust_server_url(None, Some("https://env.example/?q"), "r").unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
    }

    #[test]
    fn base_url_keeps_a_server_path_and_names_join_below_it() {
        let http = Http::new(crate::remote::HttpOptions::new("/nonexistent")).unwrap();
        let server = Url::parse("https://n.example:4443/prefix").unwrap();
        let ts = TrustServer::new(&http, &server, "127.0.0.1:5000/demo/app", "pull").unwrap();
        assert_eq!(
            ts.base().as_str(),
            "https://n.example:4443/prefix/v2/127.0.0.1:5000/demo/app/_trust/tuf/"
        );
        assert_eq!(
            ts.url("targets/releases.ab.json").unwrap().as_str(),
            "https://n.example:4443/prefix/v2/127.0.0.1:5000/demo/app/_trust/tuf/targets/releases.ab.json"
        );
        assert_eq!(
            ts.auth_scope(),
            &AuthScope::repository("127.0.0.1:5000", "127.0.0.1:5000/demo/app", "pull")
        );
        for bad in ["../x.json", "/root.json", "a?b", ""] {
            assert!(ts.url(bad).is_err(), "{bad}");
        }
        assert!(TrustServer::new(&http, &server, "a/*", "pull").is_err());
    }

    #[test]
    fn error_bodies_map_like_notary() {
        let one = br#"{"errors":[{"code":"INVALID_UPDATE","message":"Update sent by the client is invalid.","detail":{"Name":"ErrBadTargets","Error":{"Msg":"valid signatures did not meet threshold for targets"}}}]}"#;
        assert_eq!(
            rejected(one),
            "The targets metadata is invalid: valid signatures did not meet threshold for targets"
        );
        let plain = br#"{"errors":[{"code":"VERSION","message":"version conflict"}]}"#;
        assert_eq!(
            rejected(plain),
            "trust server rejected operation: version conflict (VERSION)"
        );
        assert_eq!(rejected(b"garbage"), "trust server rejected operation.");
    }

    #[test]
    fn multipart_body_is_notarys_publish_format() {
        let (ct, body) = multipart(&[("root", b"{\"r\":1}"), ("targets/releases", b"T")]).unwrap();
        let b = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        assert_eq!(b.len(), 35);
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"root\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n{{\"r\":1}}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"targets/releases\"\r\n\
             Content-Type: application/octet-stream\r\n\r\nT\r\n--{b}--\r\n"
        );
        assert_eq!(String::from_utf8(body).unwrap(), expected);
        let (ct2, empty) = multipart(&[]).unwrap();
        assert_ne!(ct, ct2, "boundaries are random");
        let b2 = ct2.rsplit('=').next().unwrap();
        assert_eq!(empty, format!("--{b2}--\r\n").into_bytes());
    }

    #[test]
    fn bad_role_names_are_refused_before_sending() {
        let http = Http::new(crate::remote::HttpOptions::new("/nonexistent")).unwrap();
        let server = Url::parse("https://n.example:4443").unwrap();
        let ts = TrustServer::new(&http, &server, "r.example/a", "pull").unwrap();
        for bad in [
            "",
            "timestamp",
            "timestamp.json",
            "a\"b",
            "x\r\ny",
            "../root",
            "/root",
            "targets//x",
        ] {
            let err = ts.publish(&[(bad.to_string(), vec![])]).unwrap_err();
            assert!(matches!(err, Error::Invalid(_)), "{bad:?}: {err}");
        }
        assert_eq!(http.request_count(), 0);
        assert_eq!(ts.push_scope().scope, "repository:r.example/a:push,pull");
        let ts = TrustServer::new(&http, &server, "r.example/a", "pull,push").unwrap();
        assert_eq!(ts.push_scope().scope, "repository:r.example/a:pull,push");
    }
}
