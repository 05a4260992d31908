//! The registry's manifest API (docker/distribution `/v2/<name>/manifests/<reference>`), for
//! one repository: what signing needs from the registry is the digest and size of the manifest a
//! tag points to.
//!
//! * `HEAD` first, with an `Accept` listing Docker schema2, the Docker manifest list, the OCI
//!   manifest and the OCI index, so a multi-platform image resolves to its list/index (what
//!   `docker push` signs). The registry's `Docker-Content-Digest` and `Content-Length` are used
//!   as they are: the signature only says "this tag is that digest", and a registry lying about
//!   it produces a signature nobody can pull.
//! * When the HEAD lacks them (or the registry refuses HEAD), `GET` the manifest, at most
//!   [`MANIFEST_LIMIT`] bytes, and hash it ourselves; a `Docker-Content-Digest` that disagrees
//!   with the bytes, or bytes that are not the digest asked for, are [`Error::Verification`].
//! * Scheme: https. Plain http only for `--insecure-registry` hosts and loopback hosts (Docker's
//!   rule), and only after https failed; the choice is remembered for the run.

use std::net::IpAddr;
use std::sync::Mutex;

use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};
use url::{Host, Url};

use super::{AuthScope, Fetched, Http, Request};
use crate::error::{Error, Result};
use crate::oci::{Digest, MANIFEST_ACCEPT, MANIFEST_LIMIT, Manifest};
use crate::reference::Reference;

/// Docker Hub's registry API host, for references on `docker.io`.
pub const HUB_REGISTRY: &str = "registry-1.docker.io";

/// What the registry holds under a tag or digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestInfo {
    /// sha256 of the manifest bytes.
    pub digest: Digest,
    /// Length of the manifest bytes.
    pub size: u64,
    /// The manifest's media type (`Content-Type`, else its `mediaType` field); may be empty.
    pub media_type: String,
}

/// One repository on one registry.
#[derive(Debug)]
pub struct Registry<'a> {
    http: &'a Http,
    /// `host[:port]` the API is at (`registry-1.docker.io` for Docker Hub).
    host: String,
    /// Repository path (`library/alpine`).
    path: String,
    /// The image name for messages (`127.0.0.1:5000/demo/app`, `alpine`).
    image: String,
    auth: AuthScope,
    /// The scheme that worked (`https`, or `http` after the fallback), once known.
    scheme: Mutex<Option<&'static str>>,
}

fn valid_tag(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// Whether `url`'s host is a loopback address or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

fn media_type(headers: &HeaderMap) -> Option<String> {
    let ct = header(headers, CONTENT_TYPE.as_str())?;
    let mt = ct.split(';').next().unwrap_or_default().trim();
    (!mt.is_empty()).then(|| mt.to_string())
}

#[derive(Deserialize)]
struct MediaTypeField {
    #[serde(default, rename = "mediaType")]
    media_type: String,
}

#[derive(Deserialize)]
struct RegistryErrors {
    #[serde(default)]
    errors: Vec<RegistryError>,
}

#[derive(Deserialize)]
struct RegistryError {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// The registry's errcode body (`{"errors":[{"code":"TAG_INVALID","message":"…"}]}`) in words.
pub(crate) fn registry_error(body: &[u8]) -> Option<String> {
    let parsed: RegistryErrors = serde_json::from_slice(body).ok()?;
    let words: Vec<String> = parsed
        .errors
        .iter()
        .filter(|e| !e.message.is_empty() || !e.code.is_empty())
        .map(|e| format!("{} ({})", e.message, e.code))
        .collect();
    (!words.is_empty()).then(|| words.join("; "))
}

/// The digest a manifest reference asks for (`None` for a tag), refusing malformed ones
/// before any request.
fn wanted_digest(tag_or_digest: &str) -> Result<Option<Digest>> {
    if tag_or_digest.contains(':') {
        return Digest::parse(tag_or_digest).map(Some).ok_or_else(|| {
            Error::invalid(format!(
                "invalid manifest digest {tag_or_digest:?}: only sha256:<64 hex> is supported"
            ))
        });
    }
    if valid_tag(tag_or_digest) {
        Ok(None)
    } else {
        Err(Error::invalid(format!("invalid tag {tag_or_digest:?}")))
    }
}

/// The registry `reference` names (a name without one cannot be fetched or pushed).
pub(crate) fn registry_domain(reference: &Reference) -> Result<&str> {
    let domain = reference.domain();
    if domain.is_empty() {
        return Err(Error::invalid(format!(
            "{}: no registry in this name",
            reference.name()
        )));
    }
    Ok(domain)
}

/// The host serving `domain`'s registry API: Docker Hub's is [`HUB_REGISTRY`].
pub fn api_host(domain: &str) -> String {
    if domain == "docker.io" {
        HUB_REGISTRY.to_string()
    } else {
        domain.to_string()
    }
}

impl<'a> Registry<'a> {
    /// The registry and repository of `reference` (its tag and digest are ignored). Docker Hub
    /// (`docker.io`) is reached at [`HUB_REGISTRY`]; credentials are those filed under the
    /// reference's registry, scope `repository:<path>:pull`.
    pub fn new(http: &'a Http, reference: &Reference) -> Result<Self> {
        let domain = registry_domain(reference)?;
        let host = api_host(domain);
        Ok(Registry {
            http,
            host,
            path: reference.path().to_string(),
            image: reference.familiar_name(),
            auth: AuthScope::repository(domain, reference.path(), "pull"),
            scheme: Mutex::new(None),
        })
    }

    /// `host[:port]` of the registry API.
    pub fn host(&self) -> &str {
        &self.host
    }

    #[cfg(test)]
    fn auth_scope(&self) -> &AuthScope {
        &self.auth
    }

    fn url(&self, scheme: &str, reference: &str) -> Result<Url> {
        self.api_url(scheme, "manifests", reference)
    }

    /// `<scheme>://<host>/v2/<path>/<kind>/<reference>` (`kind`: `manifests` or `blobs`).
    fn api_url(&self, scheme: &str, kind: &str, reference: &str) -> Result<Url> {
        Url::parse(&format!(
            "{scheme}://{}/v2/{}/{kind}/{reference}",
            self.host, self.path
        ))
        .map_err(|e| Error::invalid(format!("invalid registry {}: {e}", self.host)))
    }

    /// Whether plain http may be tried after https failed: `--insecure-registry` hosts and
    /// loopback hosts.
    fn may_use_http(&self, url: &Url) -> bool {
        is_loopback(url) || self.http.is_insecure(url)
    }

    /// Sends a manifest request, choosing the scheme on first use: https, then http for a
    /// loopback or insecure registry whose https attempt failed at the network level. Both
    /// share one budget: the fallback is not tried once the https tries spent it (a silent
    /// server).
    fn send(&self, method: Method, reference: &str, limit: u64) -> Result<Fetched> {
        let known = *self.scheme.lock().unwrap();
        let request = |scheme: &str| -> Result<Request> {
            let mut r = Request::new(method.clone(), self.url(scheme, reference)?, limit)
                .auth(Some(self.auth.clone()))
                .what(format!("manifest {reference}"));
            r.headers
                .insert(ACCEPT, HeaderValue::from_static(MANIFEST_ACCEPT));
            Ok(r)
        };
        if let Some(scheme) = known {
            return self.http.fetch(&request(scheme)?);
        }
        let https = request("https")?;
        let budget = self.http.budget();
        match self.http.fetch_within(&https, &budget) {
            Err(Error::Network(first)) if self.may_use_http(&https.url) && !budget.spent() => {
                match self.http.fetch_within(&request("http")?, &budget) {
                    // A TLS server's answer to plain http (Go's servers say 400 "Client sent an
                    // HTTP request to an HTTPS server"): not a plain-http registry after all.
                    Ok(f) if f.status == reqwest::StatusCode::BAD_REQUEST => {
                        Err(Error::Network(first))
                    }
                    Ok(f) => {
                        *self.scheme.lock().unwrap() = Some("http");
                        Ok(f)
                    }
                    // Neither worked: the https failure says more (TLS advice, timeouts).
                    Err(Error::Network(_)) => Err(Error::Network(first)),
                    Err(other) => Err(other),
                }
            }
            result => {
                if result.is_ok() {
                    *self.scheme.lock().unwrap() = Some("https");
                }
                result
            }
        }
    }

    fn not_found(&self, reference: &str) -> Error {
        let sep = if reference.contains(':') { '@' } else { ':' };
        Error::invalid(format!(
            "{}{sep}{reference}: no such manifest on {}; push it first or pass --digest/--size",
            self.image, self.host
        ))
    }

    fn failed(&self, reference: &str, fetched: &Fetched) -> Error {
        let code = fetched.status.as_u16();
        let words = registry_error(&fetched.body)
            .map(|w| format!(": {w}"))
            .unwrap_or_default();
        let what = format!(
            "registry {} refused the manifest of {} {reference}: {code}{words}",
            self.host, self.image
        );
        if (400..500).contains(&code) {
            Error::invalid(what)
        } else {
            Error::Network(what)
        }
    }

    /// The digest, size and media type of the manifest `tag_or_digest` (`v1`, `sha256:<hex>`)
    /// names, for signing it. A missing manifest is [`Error::Invalid`] (exit 2): the user named
    /// an image that is not there, and no trust data is involved.
    pub fn manifest(&self, tag_or_digest: &str) -> Result<ManifestInfo> {
        self.find_manifest_info(tag_or_digest)?
            .ok_or_else(|| self.not_found(tag_or_digest))
    }

    /// [`Registry::manifest`], with `None` when the registry has no such manifest (404).
    pub fn find_manifest_info(&self, tag_or_digest: &str) -> Result<Option<ManifestInfo>> {
        let wanted = wanted_digest(tag_or_digest)?;

        let head = self.send(Method::HEAD, tag_or_digest, MANIFEST_LIMIT)?;
        match head.status.as_u16() {
            404 => return Ok(None),
            200..=299 => {
                let digest = header(&head.headers, "docker-content-digest").and_then(Digest::parse);
                let size = header(&head.headers, CONTENT_LENGTH.as_str())
                    .and_then(|s| s.parse::<u64>().ok())
                    .filter(|n| *n > 0 && *n <= MANIFEST_LIMIT);
                if let (Some(digest), Some(size)) = (digest, size) {
                    if let Some(w) = wanted
                        && w != digest
                    {
                        return Err(Error::Verification(format!(
                            "registry {} answered {digest} for {} {tag_or_digest}: not the digest \
                             asked for",
                            self.host, self.image
                        )));
                    }
                    return Ok(Some(ManifestInfo {
                        digest,
                        size,
                        media_type: media_type(&head.headers).unwrap_or_default(),
                    }));
                }
            }
            // No HEAD support (405, 501…) or a failure without a body: the GET says more.
            _ => {}
        }

        let got = self.send(Method::GET, tag_or_digest, MANIFEST_LIMIT)?;
        match got.status.as_u16() {
            200..=299 => {}
            404 => return Ok(None),
            _ => return Err(self.failed(tag_or_digest, &got)),
        }
        let digest = Digest::of(&got.body);
        let info = ManifestInfo {
            digest,
            size: got.body.len() as u64,
            media_type: media_type(&got.headers)
                .or_else(|| {
                    serde_json::from_slice::<MediaTypeField>(&got.body)
                        .ok()
                        .map(|m| m.media_type)
                })
                .unwrap_or_default(),
        };
        if let Some(claimed) = header(&got.headers, "docker-content-digest")
            && claimed.starts_with("sha256:")
            && Digest::parse(claimed) != Some(digest)
        {
            return Err(Error::Verification(format!(
                "registry {} sent a manifest for {} {tag_or_digest} whose sha256 is {digest}, not \
                 the {claimed} it claims: corrupted or tampered",
                self.host, self.image,
            )));
        }
        if let Some(w) = wanted
            && w != digest
        {
            return Err(Error::Verification(format!(
                "registry {} sent a manifest for {}@{tag_or_digest} whose sha256 is {digest}: \
                 corrupted or tampered",
                self.host, self.image,
            )));
        }
        Ok(Some(info))
    }
}

/// Tries of one blob download (the first and the resumptions after a broken transfer).
pub const BLOB_TRIES: u32 = 5;

/// Default number of blobs downloaded at once (`--jobs`).
pub const DEFAULT_JOBS: usize = 4;

/// One blob to download: its digest, its size (from the verified manifest) and where it goes.
#[derive(Debug, Clone)]
pub struct BlobJob {
    /// What the bytes must hash to.
    pub digest: Digest,
    /// How many bytes the manifest gives.
    pub size: u64,
    /// The new file to write.
    pub path: std::path::PathBuf,
}

impl Registry<'_> {
    /// The scheme found by the first manifest request (https until then).
    fn scheme(&self) -> &'static str {
        self.scheme.lock().unwrap().unwrap_or("https")
    }

    /// The manifest `tag_or_digest` names, as bytes (at most [`MANIFEST_LIMIT`]), every
    /// manifest media type accepted. A digest reference must hash to that digest (and be `size`
    /// bytes long when given), else [`Error::Verification`] (exit 4); a tag's bytes must match
    /// the `Docker-Content-Digest` the registry claims, when it sends one.
    pub fn manifest_bytes(&self, tag_or_digest: &str, size: Option<u64>) -> Result<Manifest> {
        self.find_manifest(tag_or_digest, size)?.ok_or_else(|| {
            let sep = if tag_or_digest.contains(':') {
                '@'
            } else {
                ':'
            };
            Error::Other(format!(
                "{}{sep}{tag_or_digest}: no such manifest on {}",
                self.image, self.host
            ))
        })
    }

    /// [`Registry::manifest_bytes`], with `None` when the registry has no such manifest (404).
    pub fn find_manifest(
        &self,
        tag_or_digest: &str,
        size: Option<u64>,
    ) -> Result<Option<Manifest>> {
        let wanted = wanted_digest(tag_or_digest)?;
        let got = self.send(Method::GET, tag_or_digest, MANIFEST_LIMIT)?;
        match got.status.as_u16() {
            200..=299 => {}
            404 => return Ok(None),
            _ => return Err(self.failed(tag_or_digest, &got)),
        }
        let digest = Digest::of(&got.body);
        let place = |sep: char| format!("{}{sep}{tag_or_digest}", self.image);
        if let Some(w) = wanted {
            if w != digest {
                return Err(Error::Verification(format!(
                    "registry {} sent a manifest for {} whose sha256 is {digest}: corrupted or \
                     tampered",
                    self.host,
                    place('@'),
                )));
            }
        } else if let Some(claimed) = header(&got.headers, "docker-content-digest")
            && claimed.starts_with("sha256:")
            && Digest::parse(claimed) != Some(digest)
        {
            return Err(Error::Verification(format!(
                "registry {} sent a manifest for {} whose sha256 is {digest}, not the {claimed} \
                 it claims: corrupted or tampered",
                self.host,
                place(':'),
            )));
        }
        if let Some(n) = size
            && n != got.body.len() as u64
        {
            return Err(Error::Verification(format!(
                "registry {} sent {} bytes for the manifest {}, not the {n} signed: corrupted or \
                 tampered",
                self.host,
                got.body.len(),
                place('@')
            )));
        }
        let media_type = serde_json::from_slice::<MediaTypeField>(&got.body)
            .ok()
            .map(|m| m.media_type)
            .filter(|m| !m.is_empty())
            .or_else(|| media_type(&got.headers))
            .unwrap_or_default();
        Ok(Some(Manifest {
            digest,
            media_type,
            bytes: got.body,
        }))
    }

    /// A small blob in memory (at most `limit` bytes), checked against its digest.
    pub fn blob_bytes(&self, digest: &Digest, limit: u64) -> Result<Vec<u8>> {
        let dg = digest.to_string();
        let url = self.api_url(self.scheme(), "blobs", &dg)?;
        let req = Request::get(url, limit)
            .auth(Some(self.auth.clone()))
            .what(format!("blob {dg}"));
        let got = self.http.fetch(&req)?;
        match got.status.as_u16() {
            200..=299 => {}
            404 => {
                return Err(Error::Other(format!(
                    "registry {} has no blob {dg} for {}",
                    self.host, self.image
                )));
            }
            _ => return Err(self.failed(&dg, &got)),
        }
        if Digest::of(&got.body) != *digest {
            return Err(Error::Verification(format!(
                "registry {} sent blob {dg} of {} with other contents: corrupted or tampered",
                self.host, self.image
            )));
        }
        Ok(got.body)
    }

    /// The referrers of `digest` from the OCI 1.1 referrers API
    /// (`GET /v2/<name>/referrers/<digest>`): the index when the registry has the API (200
    /// with an OCI index), `None` when it does not (registry 2.8 answers 404), so that the
    /// caller falls back to the referrers tag.
    pub fn referrers(&self, digest: &Digest) -> Result<Option<Vec<u8>>> {
        let dg = digest.to_string();
        let url = self.api_url(self.scheme(), "referrers", &dg)?;
        let mut req = Request::get(url, MANIFEST_LIMIT)
            .auth(Some(self.auth.clone()))
            .what(format!("referrers of {dg}"));
        req.headers
            .insert(ACCEPT, HeaderValue::from_static(crate::oci::OCI_INDEX));
        let got = self.http.fetch(&req)?;
        let index = got.status.as_u16() == 200
            && media_type(&got.headers).as_deref() == Some(crate::oci::OCI_INDEX);
        Ok(index.then_some(got.body))
    }

    /// Downloads blob `job.digest` into a new file at `job.path`, streaming (never the whole
    /// blob in memory) and hashing as it goes. A broken or stalled transfer (see
    /// [`super::deadline`]: nothing for the timeout, or below the floor over a window of it) is
    /// resumed with `Range: bytes=N-` (from the start when the registry ignores the range), up
    /// to [`BLOB_TRIES`] tries with backoff, while the download's budget lasts (twice the
    /// timeout, renewed by every window that met the floor); redirects (to a storage backend)
    /// are followed. More bytes than `job.size`, or a digest that differs at the end, is
    /// [`Error::Verification`].
    /// `progress` is called with the bytes received so far. On error the file may remain: the
    /// caller owns the path.
    pub async fn blob_to_file_async(&self, job: &BlobJob, progress: &dyn Fn(u64)) -> Result<()> {
        let dg = job.digest.to_string();
        let url = self.api_url(self.scheme(), "blobs", &dg)?;
        let file = std::fs::File::create(&job.path)
            .map_err(|e| Error::io("cannot create", &job.path, e))?;
        // Hashing and writing run on a thread of their own, so that TLS and the network stay on
        // the runtime's thread: one thread doing all three was the bottleneck (a 1 GiB pull used
        // one core of two).
        let mut sink = BlobSink::start(file, job.path.clone());
        let mut written: u64 = 0;
        let mut tries = 0u32;
        let mut last_error = String::new();
        let budget = self.http.budget();
        loop {
            let pause = std::time::Duration::from_millis(250u64 << tries.saturating_sub(1).min(5));
            if tries >= BLOB_TRIES || (tries > 0 && budget.remaining() <= pause) {
                return Err(Error::Network(format!(
                    "downloading blob {dg} of {} from {} failed {tries} times in {}: \
                     {last_error}",
                    self.image,
                    self.host,
                    super::deadline::seconds(budget.waited())
                )));
            }
            if tries > 0 {
                tokio::time::sleep(pause).await;
            }
            tries += 1;
            let mut t = BlobTry {
                url: &url,
                job,
                written: &mut written,
                sink: &mut sink,
                budget: &budget,
                progress,
            };
            match self.blob_try(&mut t).await? {
                None => break,
                Some(why) => last_error = why,
            }
        }
        let got = sink.finish()?;
        if got != job.digest {
            return Err(Error::Verification(format!(
                "registry {} sent blob {dg} of {} whose sha256 is {got}: corrupted or tampered",
                self.host, self.image,
            )));
        }
        Ok(())
    }

    /// One try of a blob download: asks for the bytes from `written` on (`Range`) and streams
    /// what comes into the sink. `Ok(None)`: the blob is complete; `Ok(Some(why))`: the
    /// transfer broke or stalled and may be resumed; an error ends the download.
    async fn blob_try(&self, t: &mut BlobTry<'_>) -> Result<Option<String>> {
        let dg = t.job.digest.to_string();
        let mut req = Request::get(t.url.clone(), t.job.size)
            .auth(Some(self.auth.clone()))
            .what(format!("blob {dg}"));
        if *t.written > 0
            && let Ok(v) = HeaderValue::from_str(&format!("bytes={}-", *t.written))
        {
            req.headers.insert(reqwest::header::RANGE, v);
        }
        let (mut resp, started, meter) = match self.http.send(&req, t.budget).await {
            Ok(r) => r,
            Err(Error::Network(e)) => return Ok(Some(e)),
            Err(e) => return Err(e),
        };
        let status = resp.status().as_u16();
        let log = |what: &str, bytes: Option<usize>| {
            self.http.log(&req.method, &req.url, what, bytes, started)
        };
        match status {
            206 if *t.written > 0 => {
                let start = header(resp.headers(), "content-range")
                    .and_then(|r| r.strip_prefix("bytes "))
                    .and_then(|r| r.split('-').next())
                    .and_then(|n| n.parse::<u64>().ok());
                if start != Some(*t.written) {
                    // Not the range asked for: start over without one.
                    log("206 (wrong range)", None);
                    *t.written = 0;
                    t.sink.restart()?;
                    return Ok(Some(
                        "the registry answered another range than asked".into(),
                    ));
                }
            }
            200..=299 => {
                if *t.written > 0 {
                    // The registry ignored the range: the whole blob again.
                    *t.written = 0;
                    t.sink.restart()?;
                }
            }
            404 => {
                log("404", None);
                return Err(Error::Other(format!(
                    "registry {} has no blob {dg} for {}, though its manifest lists it",
                    self.host, self.image
                )));
            }
            500..=599 => {
                log(&status.to_string(), None);
                return Ok(Some(format!("{status}")));
            }
            _ => {
                log(&status.to_string(), None);
                return Err(Error::Network(format!(
                    "registry {} refused blob {dg} of {}: {status}",
                    self.host, self.image
                )));
            }
        }
        let from = *t.written;
        loop {
            let got = (*t.written - from) as usize;
            let chunk = match super::deadline::watch(&meter, resp.chunk()).await {
                Ok(Ok(Some(c))) => c,
                Ok(Ok(None)) => break,
                Ok(Err(e)) => {
                    let err = self.http.network_error(&req, &e, t.budget, 1);
                    log(&format!("{status} then {err}"), Some(got));
                    return Ok(Some(err.to_string()));
                }
                Err(stall) => {
                    let why = self.http.stall_error(&req, stall, t.budget, 1).to_string();
                    log(&format!("{status} then {why}"), Some(got));
                    return Ok(Some(why));
                }
            };
            meter.moved(chunk.len());
            if *t.written + chunk.len() as u64 > t.job.size {
                log("(too big)", None);
                return Err(Error::Verification(format!(
                    "registry {} sent more than the {} bytes the manifest gives for blob {dg} \
                     of {}: corrupted or tampered",
                    self.host, t.job.size, self.image
                )));
            }
            *t.written += chunk.len() as u64;
            t.sink.push(chunk)?;
            (t.progress)(*t.written);
        }
        log(&status.to_string(), Some((*t.written - from) as usize));
        if *t.written < t.job.size {
            return Ok(Some(format!(
                "the transfer ended after {} of {} bytes",
                *t.written, t.job.size
            )));
        }
        Ok(None)
    }

    /// [`Registry::blob_to_file_async`] for one blob, on the run's runtime.
    pub fn blob_to_file(&self, job: &BlobJob, progress: &dyn Fn(u64)) -> Result<()> {
        self.http.block_on(self.blob_to_file_async(job, progress))
    }

    /// Downloads `jobs` with at most `parallel` at once; `progress(i, bytes)` reports blob `i`'s
    /// bytes so far. Stops at the first failure (the others are dropped) and returns it.
    pub async fn blobs_async(
        &self,
        jobs: &[BlobJob],
        parallel: usize,
        progress: &(dyn Fn(usize, u64) + Sync),
    ) -> Result<()> {
        use futures_util::stream::{self, TryStreamExt};
        stream::iter(jobs.iter().enumerate().map(Ok))
            .try_for_each_concurrent(parallel.max(1), |(i, job)| async move {
                self.blob_to_file_async(job, &|n| progress(i, n)).await
            })
            .await
    }

    /// [`Registry::blobs_async`], blocking.
    pub fn blobs(
        &self,
        jobs: &[BlobJob],
        parallel: usize,
        progress: &(dyn Fn(usize, u64) + Sync),
    ) -> Result<()> {
        self.http
            .block_on(self.blobs_async(jobs, parallel, progress))
    }
}

/// The state one try of a blob download works on.
struct BlobTry<'a> {
    url: &'a Url,
    job: &'a BlobJob,
    /// Bytes of the blob received so far (over every try).
    written: &'a mut u64,
    sink: &'a mut BlobSink,
    budget: &'a super::deadline::Budget,
    progress: &'a dyn Fn(u64),
}

/// What [`BlobSink`]'s thread is told.
enum SinkMsg {
    Data(bytes::Bytes),
    Restart,
}

/// A blob being written: a thread hashes and writes the chunks it is sent, in order. Not
/// fsynced: the pull's output appears only by an atomic rename once every digest checked, and
/// an interrupted pull is simply run again (skopeo does not sync either).
struct BlobSink {
    tx: Option<std::sync::mpsc::SyncSender<SinkMsg>>,
    thread: Option<std::thread::JoinHandle<Result<Digest>>>,
    path: std::path::PathBuf,
}

impl BlobSink {
    fn start(file: std::fs::File, path: std::path::PathBuf) -> BlobSink {
        // A few chunks in flight bound the memory whatever the blob size.
        let (tx, rx) = std::sync::mpsc::sync_channel::<SinkMsg>(32);
        let p = path.clone();
        let thread = std::thread::spawn(move || -> Result<Digest> {
            use std::io::{Seek, Write};
            let mut out = std::io::BufWriter::with_capacity(256 << 10, file);
            let mut hasher = Sha256::new();
            for msg in rx {
                match msg {
                    SinkMsg::Data(chunk) => {
                        hasher.update(&chunk);
                        out.write_all(&chunk)
                            .map_err(|e| Error::io("cannot write", &p, e))?;
                    }
                    SinkMsg::Restart => {
                        hasher = Sha256::new();
                        out.flush().map_err(|e| Error::io("cannot write", &p, e))?;
                        out.get_mut()
                            .set_len(0)
                            .map_err(|e| Error::io("cannot truncate", &p, e))?;
                        out.seek(std::io::SeekFrom::Start(0))
                            .map_err(|e| Error::io("cannot seek", &p, e))?;
                    }
                }
            }
            out.flush().map_err(|e| Error::io("cannot write", &p, e))?;
            Ok(Digest(hasher.finalize().into()))
        });
        BlobSink {
            tx: Some(tx),
            thread: Some(thread),
            path,
        }
    }

    fn send(&mut self, msg: SinkMsg) -> Result<()> {
        let sent = self.tx.as_ref().is_some_and(|tx| tx.send(msg).is_ok());
        if sent {
            return Ok(());
        }
        // The writer stopped: its error says why.
        Err(self
            .join()
            .err()
            .unwrap_or_else(|| Error::Other(format!("writing {} stopped", self.path.display()))))
    }

    fn push(&mut self, chunk: bytes::Bytes) -> Result<()> {
        self.send(SinkMsg::Data(chunk))
    }

    fn restart(&mut self) -> Result<()> {
        self.send(SinkMsg::Restart)
    }

    fn join(&mut self) -> Result<Digest> {
        self.tx.take();
        match self.thread.take() {
            Some(t) => t.join().unwrap_or_else(|_| {
                Err(Error::Other(format!(
                    "writing {} failed",
                    self.path.display()
                )))
            }),
            None => Err(Error::Other(format!(
                "{} already written",
                self.path.display()
            ))),
        }
    }

    /// Waits for every chunk to be written; the blob's SHA-256.
    fn finish(mut self) -> Result<Digest> {
        self.join()
    }
}

impl Drop for BlobSink {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::HttpOptions;

    #[test]
    fn hub_and_private_registries() {
        let http = Http::new(HttpOptions::new("/nonexistent")).unwrap();
        let r = Registry::new(&http, &Reference::parse("alpine:3").unwrap()).unwrap();
        assert_eq!(r.host(), HUB_REGISTRY);
        assert_eq!(
            r.auth_scope(),
            &AuthScope::repository("docker.io", "library/alpine", "pull")
        );
        assert_eq!(
            r.url("https", "3").unwrap().as_str(),
            "https://registry-1.docker.io/v2/library/alpine/manifests/3"
        );
        let r =
            Registry::new(&http, &Reference::parse("127.0.0.1:5000/demo/app").unwrap()).unwrap();
        assert_eq!(r.host(), "127.0.0.1:5000");
        assert_eq!(r.auth_scope().scope, "repository:demo/app:pull");
        assert!(r.may_use_http(&r.url("https", "v1").unwrap()));
        let r = Registry::new(&http, &Reference::parse("reg.example/a/b").unwrap()).unwrap();
        assert!(!r.may_use_http(&r.url("https", "v1").unwrap()));
        let r = Registry::new(&http, &Reference::parse("localhost/a").unwrap()).unwrap();
        assert!(r.may_use_http(&r.url("https", "v1").unwrap()));
    }

    #[test]
    fn references_are_checked_before_any_request() {
        let http = Http::new(HttpOptions::new("/nonexistent")).unwrap();
        let r = Registry::new(&http, &Reference::parse("reg.example/a").unwrap()).unwrap();
        for bad in ["", "-x", "a/b", "sha256:abc", "sha512:00", "sha256:ABCD"] {
            let err = r.manifest(bad).unwrap_err();
            assert!(matches!(err, Error::Invalid(_)), "{bad}: {err}");
        }
        assert_eq!(http.request_count(), 0);
        assert!(Digest::parse(&format!("sha256:{}", "ab".repeat(32))).is_some());
        assert!(
            valid_tag("v1.0-rc_2") && valid_tag(&"a".repeat(128)) && !valid_tag(&"a".repeat(129))
        );
    }

    #[test]
    fn registry_error_bodies() {
        assert_eq!(
            registry_error(br#"{"errors":[{"code":"TAG_INVALID","message":"manifest tag did not match URI"}]}"#)
                .unwrap(),
            "manifest tag did not match URI (TAG_INVALID)"
        );
        assert_eq!(registry_error(b"nope"), None);
    }
}
