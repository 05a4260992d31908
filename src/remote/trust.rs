//! The notary (trust) server's metadata API (notary-spec §4): which server, and fetching
//! `<server>/v2/<GUN>/_trust/tuf/<name>` with notary's status mapping and download limits.

use serde::Deserialize;
use url::Url;

use super::{AuthScope, Http, Request, host_port};
use crate::error::{Error, Result};

/// notary's limit for `<role>.key` answers.
pub const KEY_LIMIT: u64 = 256 << 10;
/// notary's limit for `timestamp.json`.
pub const TIMESTAMP_LIMIT: u64 = 1 << 20;
/// notary's limit for a root fetched without a known checksum (`root.json`, `<v>.root.json`).
pub const ROOT_LIMIT: u64 = 100 << 20;

/// Docker's choice of trust server: `-s/--server`, else `DOCKER_CONTENT_TRUST_SERVER`, else
/// Docker Hub's notary for Hub images, else the registry itself over https. Only https is
/// accepted: trust data over plain http would let anyone on the path freeze updates.
pub fn trust_server_url(flag: Option<&str>, env: Option<&str>, registry_host: &str) -> Result<Url> {
    let given = flag
        .filter(|s| !s.is_empty())
        .or(env.filter(|s| !s.is_empty()));
    let value = match given {
        Some(v) => v.to_string(),
        None if matches!(registry_host, "docker.io" | "index.docker.io") => {
            "https://notary.docker.io".to_string()
        }
        None => format!("https://{registry_host}"),
    };
    let invalid = || {
        Error::invalid(format!(
            "valid https URL required for trust server, got {value}"
        ))
    };
    let url = Url::parse(&value).map_err(|_| invalid())?;
    if url.scheme() != "https" || url.host_str().is_none_or(str::is_empty) {
        return Err(invalid());
    }
    Ok(url)
}

/// The trust data of one collection (GUN) on one trust server.
#[derive(Debug)]
pub struct TrustServer<'a> {
    http: &'a Http,
    base: Url,
    host: String,
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
            base,
            auth: AuthScope::repository(registry, gun, actions),
        })
    }

    /// `<server>/v2/<GUN>/_trust/tuf/`.
    pub fn base(&self) -> &Url {
        &self.base
    }

    pub fn auth_scope(&self) -> &AuthScope {
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

    pub async fn get_async(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>> {
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
            Error::Other(format!(
                "trust server {} has no {role} key for this collection",
                self.host
            ))
        })
    }
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
        assert_eq!(
            u(Some(""), None, "docker.io").unwrap(),
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
        for bad in ["http://plain.example", "notaurl", "https://", "ftp://x"] {
            let err = trust_server_url(Some(bad), None, "r").unwrap_err();
            assert_eq!(err.exit_code(), ExitCode::Usage);
            assert_eq!(
                err.to_string(),
                format!("valid https URL required for trust server, got {bad}")
            );
        }
        let err = trust_server_url(None, Some("http://env.example"), "r").unwrap_err();
        assert!(err.to_string().ends_with("got http://env.example"));
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
}
