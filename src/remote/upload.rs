//! Uploads to one repository of a registry (distribution API v2), for `dct push`.
//!
//! * [`ping`]: `GET /v2/` with the repository's `pull,push` scope, choosing the scheme (https,
//!   then plain http for loopback and `--insecure-registry` hosts only) and answering the
//!   authentication challenge up front, so the streamed requests that follow carry a token.
//! * Blobs: `HEAD /v2/<path>/blobs/<digest>` (present: skipped), else `POST …/blobs/uploads/`
//!   → `Location`, then either one `PUT <location>?digest=<d>` with the whole blob (monolithic)
//!   or, above the chunk size, `PATCH <location>` per chunk with `Content-Range` (each answer
//!   gives the next `Location`) and a final empty `PUT ?digest=`. Relative Locations are
//!   resolved against the request URL; Locations that already carry a query (`_state=…`) keep
//!   it. Bodies are streamed from the file (never a whole blob in memory) and hashed while
//!   they are read: a blob that is not its digest aborts its body and ends as
//!   [`Error::Verification`]. Several blobs go at once ([`Uploader::jobs`]). Nothing is retried
//!   blindly by the HTTP layer (POST/PATCH/PUT are not idempotent); a failed blob upload is
//!   started again from scratch once, unless it failed verification or authentication.
//! * Manifests: `PUT /v2/<path>/manifests/<tag or digest>` with the manifest's media type; the
//!   registry's `Docker-Content-Digest` must be the sha256 of the bytes sent.

use std::collections::VecDeque;
use std::future::Future;
use std::io::{Read, Seek, SeekFrom};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;

use reqwest::Method;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};
use sha2::{Digest as _, Sha256};
use url::Url;

use super::registry::{api_host, is_loopback, registry_domain};
use super::{AuthScope, Fetched, Http, Request};
use crate::error::{Error, Result};
pub use crate::oci::BlobFile as Blob;
use crate::oci::Digest;
use crate::reference::Reference;

/// Default number of blobs uploaded at once.
pub const DEFAULT_JOBS: usize = 4;
/// Default chunk size: blobs larger than this are uploaded with `PATCH` in chunks of this size.
/// (No request has a whole-request time limit; a body that stops moving is abandoned, see
/// [`super::deadline`].)
pub const DEFAULT_CHUNK_SIZE: u64 = 64 << 20;
/// Bytes read from a file per body chunk.
const READ_SIZE: usize = 256 << 10;
/// Most bytes read from an answer to an upload request (they have no useful body).
const ANSWER_LIMIT: u64 = 64 << 10;

/// What happened to a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The registry had it already (`Layer already exists`).
    Exists,
    /// Uploaded (`Pushed`).
    Pushed,
}

/// `GET /v2/` on `host` authenticated as `auth` (token flow on a challenge); returns the base
/// URL (`https://host` or, for loopback and insecure hosts whose https failed, `http://host`).
pub fn ping(http: &Http, host: &str, auth: &AuthScope) -> Result<Url> {
    http.block_on(ping_async(http, host, auth))
}

async fn ping_async(http: &Http, host: &str, auth: &AuthScope) -> Result<Url> {
    let base = |scheme: &str| {
        Url::parse(&format!("{scheme}://{host}/"))
            .map_err(|e| Error::invalid(format!("invalid registry {host}: {e}")))
    };
    let request = |b: &Url| -> Result<Request> {
        let url = b
            .join("v2/")
            .map_err(|e| Error::invalid(format!("invalid registry {host}: {e}")))?;
        Ok(Request::get(url, ANSWER_LIMIT)
            .auth(Some(auth.clone()))
            .what("registry API"))
    };
    let https = base("https")?;
    // https and the plain-http fallback share one budget (a silent server ends within it).
    let budget = http.budget();
    let first = match http.fetch_within_async(&request(&https)?, &budget).await {
        Ok(f) => return check_ping(host, &https, f),
        Err(Error::Network(first))
            if (is_loopback(&https) || http.is_insecure(&https)) && !budget.spent() =>
        {
            first
        }
        Err(e) => return Err(e),
    };
    let plain = base("http")?;
    match http.fetch_within_async(&request(&plain)?, &budget).await {
        // A TLS server's answer to plain http: not a plain-http registry after all.
        Ok(f) if f.status == reqwest::StatusCode::BAD_REQUEST => Err(Error::Network(first)),
        Ok(f) => check_ping(host, &plain, f),
        Err(Error::Network(_)) => Err(Error::Network(first)),
        Err(e) => Err(e),
    }
}

fn check_ping(host: &str, base: &Url, f: Fetched) -> Result<Url> {
    match f.status.as_u16() {
        200..=299 => Ok(base.clone()),
        404 => Err(Error::Network(format!(
            "{host} is not a registry (GET /v2/ answered 404)"
        ))),
        code => Err(Error::Network(format!(
            "registry {host} failed: GET /v2/ answered {code}{}",
            error_words(&f.body)
        ))),
    }
}

/// `: <message> (<CODE>)…` from a registry's errcode body, or nothing.
fn error_words(body: &[u8]) -> String {
    super::registry::registry_error(body)
        .map(|w| format!(": {w}"))
        .unwrap_or_default()
}

/// Hashes a blob's bytes the first time each is read, so a body read again (a request re-sent
/// after an authentication challenge) is not hashed twice.
struct Verify {
    hasher: Sha256,
    hashed: u64,
    size: u64,
    expected: Digest,
    /// The sha256 actually read, once the whole blob was.
    got: Option<Digest>,
    /// Bytes of the blob read so far, for progress (`Uploader::upload_blobs`).
    sent: Arc<AtomicU64>,
}

impl Verify {
    /// Feeds the bytes at `pos`; false when they end the blob and the blob is not its digest.
    fn feed(&mut self, pos: u64, data: &[u8]) -> bool {
        if pos == self.hashed && self.got.is_none() {
            self.hasher.update(data);
            self.hashed += data.len() as u64;
            self.sent.store(self.hashed, Ordering::Relaxed);
            if self.hashed == self.size {
                self.got = Some(Digest(std::mem::take(&mut self.hasher).finalize().into()));
            }
        }
        let end = pos + data.len() as u64 == self.size;
        !(end && self.got.is_some_and(|g| g != self.expected))
    }

    fn mismatch(&self) -> Option<Digest> {
        self.got.filter(|g| *g != self.expected)
    }
}

/// A body streamed from `len` bytes of a file, hashed on the way.
struct FileStream {
    file: std::fs::File,
    /// Position in the blob of the next byte.
    pos: u64,
    remaining: u64,
    verify: Arc<Mutex<Verify>>,
    done: bool,
}

impl futures_core::Stream for FileStream {
    type Item = std::result::Result<bytes::Bytes, std::io::Error>;

    fn poll_next(
        self: Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done || this.remaining == 0 {
            return Poll::Ready(None);
        }
        let n = this.remaining.min(READ_SIZE as u64) as usize;
        let mut buf = vec![0u8; n];
        if let Err(e) = this.file.read_exact(&mut buf) {
            this.done = true;
            return Poll::Ready(Some(Err(e)));
        }
        if !this.verify.lock().unwrap().feed(this.pos, &buf) {
            this.done = true;
            return Poll::Ready(Some(Err(std::io::Error::other(
                "the blob does not match its digest",
            ))));
        }
        this.pos += n as u64;
        this.remaining -= n as u64;
        Poll::Ready(Some(Ok(bytes::Bytes::from(buf))))
    }
}

/// A boxed future of one upload, borrowing the uploader.
type Job<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Runs `futs` with at most `limit` at once on the current task; results in input order.
async fn bounded<'a, T>(futs: Vec<Pin<Box<dyn Future<Output = T> + 'a>>>, limit: usize) -> Vec<T> {
    let n = futs.len();
    let mut pending: VecDeque<(usize, Job<'a, T>)> = futs.into_iter().enumerate().collect();
    let mut active: Vec<(usize, Job<'a, T>)> = Vec::new();
    let mut results: Vec<Option<T>> = (0..n).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        loop {
            while active.len() < limit.max(1) {
                match pending.pop_front() {
                    Some(f) => active.push(f),
                    None => break,
                }
            }
            let mut finished = false;
            let mut i = 0;
            while i < active.len() {
                if let Poll::Ready(v) = active[i].1.as_mut().poll(cx) {
                    results[active[i].0] = Some(v);
                    drop(active.swap_remove(i));
                    finished = true;
                } else {
                    i += 1;
                }
            }
            if active.is_empty() && pending.is_empty() {
                return Poll::Ready(());
            }
            if !finished {
                return Poll::Pending;
            }
        }
    })
    .await;
    results
        .into_iter()
        .map(|r| r.expect("every future finished"))
        .collect()
}

/// Uploads to one repository.
pub struct Uploader<'a> {
    http: &'a Http,
    host: String,
    path: String,
    image: String,
    auth: AuthScope,
    base: Url,
    /// Blobs uploaded at once.
    pub jobs: usize,
    /// Blobs larger than this go in chunks of this size.
    pub chunk_size: u64,
}

impl std::fmt::Debug for Uploader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Uploader")
            .field("base", &self.base.as_str())
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl<'a> Uploader<'a> {
    /// Pings the registry of `reference` with `repository:<path>:pull,push` (so credentials
    /// are checked before anything is read or sent).
    pub fn new(http: &'a Http, reference: &Reference) -> Result<Self> {
        let domain = registry_domain(reference)?;
        let host = api_host(domain);
        let auth = AuthScope::repository(domain, reference.path(), "pull,push");
        let base = ping(http, &host, &auth)?;
        Ok(Uploader {
            http,
            host,
            path: reference.path().to_string(),
            image: reference.familiar_name(),
            auth,
            base,
            jobs: DEFAULT_JOBS,
            chunk_size: DEFAULT_CHUNK_SIZE,
        })
    }

    fn url(&self, tail: &str) -> Result<Url> {
        self.base
            .join(&format!("v2/{}/{tail}", self.path))
            .map_err(|e| Error::invalid(format!("invalid registry URL for {}: {e}", self.image)))
    }

    fn request(&self, method: Method, url: Url, what: &str) -> Request {
        Request::new(method, url, ANSWER_LIMIT)
            .auth(Some(self.auth.clone()))
            .what(what.to_string())
    }

    fn failed(&self, what: &str, f: &Fetched) -> Error {
        let code = f.status.as_u16();
        let text = format!(
            "registry {} refused {what} for {}: {code}{}",
            self.host,
            self.image,
            error_words(&f.body)
        );
        if (400..500).contains(&code) {
            Error::invalid(text)
        } else {
            Error::Network(text)
        }
    }

    /// Uploads the blobs the registry lacks, `jobs` at once: `progress(i, bytes)` reports blob
    /// `i`'s bytes sent so far (every 100 ms), `done(i, outcome)` each one that finished. Every
    /// blob is tried; the first error (in input order) is returned.
    pub fn upload_blobs(
        &self,
        blobs: &[Blob],
        progress: &dyn Fn(usize, u64),
        done: &dyn Fn(usize, Outcome),
    ) -> Result<Vec<Outcome>> {
        let sent: Vec<Arc<AtomicU64>> = blobs.iter().map(|_| Arc::default()).collect();
        let futs: Vec<Pin<Box<dyn Future<Output = Result<Outcome>> + '_>>> = blobs
            .iter()
            .zip(&sent)
            .enumerate()
            .map(|(i, (b, sent))| {
                Box::pin(async move {
                    let r = self.upload_blob(b, sent.clone()).await;
                    if let Ok(o) = &r {
                        done(i, *o);
                    }
                    r
                }) as Pin<Box<dyn Future<Output = Result<Outcome>> + '_>>
            })
            .collect();
        // The bodies are read on hyper's connection tasks: their counters are polled here.
        let ticker = async {
            let mut every = tokio::time::interval(std::time::Duration::from_millis(100));
            loop {
                every.tick().await;
                for (i, n) in sent.iter().enumerate() {
                    progress(i, n.load(Ordering::Relaxed));
                }
            }
        };
        let work = bounded(futs, self.jobs);
        self.http
            .block_on(async {
                tokio::select! {
                    results = work => results,
                    never = ticker => never,
                }
            })
            .into_iter()
            .collect()
    }

    /// One blob: skipped when present, else uploaded (again once after a failure that may be
    /// transient); `sent` counts the bytes read.
    pub async fn upload_blob(&self, blob: &Blob, sent: Arc<AtomicU64>) -> Result<Outcome> {
        let head = self
            .http
            .fetch_async(&self.request(
                Method::HEAD,
                self.url(&format!("blobs/{}", blob.digest))?,
                &format!("blob {}", blob.digest),
            ))
            .await?;
        if head.status.is_success() {
            return Ok(Outcome::Exists);
        }
        if head.status.as_u16() != 404 {
            return Err(self.failed(&format!("HEAD of blob {}", blob.digest), &head));
        }
        let verify = Arc::new(Mutex::new(Verify {
            hasher: Sha256::new(),
            hashed: 0,
            size: blob.size,
            expected: blob.digest,
            got: None,
            sent,
        }));
        let first = self.send_blob(blob, &verify).await;
        let result = match first {
            Err(e @ (Error::Network(_) | Error::Io { .. } | Error::Other(_)))
                if verify.lock().unwrap().mismatch().is_none() =>
            {
                if self.http.options().verbose {
                    eprintln!(
                        "dct: upload of {} failed ({e}); starting it again",
                        blob.digest
                    );
                }
                self.send_blob(blob, &verify).await
            }
            other => other,
        };
        if let Some(got) = verify.lock().unwrap().mismatch() {
            return Err(Error::Verification(format!(
                "blob {} in {} is {got}, not the digest it is listed under: corrupted or \
                 tampered; nothing was pushed for {}",
                blob.digest,
                blob.path.display(),
                self.image
            )));
        }
        result.map(|()| Outcome::Pushed)
    }

    /// The next upload URL from an answer's `Location`, resolved against `current`.
    fn location(&self, current: &Url, f: &Fetched) -> Result<Url> {
        let loc = f
            .headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                Error::Network(format!(
                    "registry {} answered an upload request without a Location",
                    self.host
                ))
            })?;
        current.join(loc).map_err(|e| {
            Error::Network(format!(
                "registry {} sent an invalid upload Location {loc:?}: {e}",
                self.host
            ))
        })
    }

    /// A streamed body of `len` bytes of `blob` from `start`.
    fn body(&self, blob: &Blob, start: u64, len: u64, verify: &Arc<Mutex<Verify>>) -> Request {
        let path = blob.path.clone();
        let offset = blob.offset;
        let verify = verify.clone();
        let mut r = Request::new(Method::PUT, self.base.clone(), ANSWER_LIMIT);
        r.stream = Some(Arc::new(move || {
            let mut file = std::fs::File::open(&path)
                .map_err(|e| Error::io("cannot open blob file", &path, e))?;
            file.seek(SeekFrom::Start(offset + start))
                .map_err(|e| Error::io("cannot read blob file", &path, e))?;
            Ok(Box::pin(FileStream {
                file,
                pos: start,
                remaining: len,
                verify: verify.clone(),
                done: false,
            }) as super::BodyStream)
        }));
        r.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        );
        r.headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
        r
    }

    async fn send_blob(&self, blob: &Blob, verify: &Arc<Mutex<Verify>>) -> Result<()> {
        let what = format!("blob {}", blob.digest);
        let start_url = self.url("blobs/uploads/")?;
        let started = self
            .http
            .fetch_async(&self.request(Method::POST, start_url.clone(), &what))
            .await?;
        if started.status.as_u16() != 202 {
            return Err(self.failed(&format!("the upload of {}", blob.digest), &started));
        }
        let mut at = self.location(&start_url, &started)?;
        let chunked = blob.size > self.chunk_size && self.chunk_size > 0;
        let mut finish = if chunked {
            let mut start = 0;
            while start < blob.size {
                let len = (blob.size - start).min(self.chunk_size);
                let mut r = self.body(blob, start, len, verify);
                r.method = Method::PATCH;
                r.url = at.clone();
                r.auth = Some(self.auth.clone());
                r.what = format!("{what} (bytes {start}-{})", start + len - 1);
                r.headers.insert(
                    "content-range",
                    HeaderValue::from_str(&format!("{start}-{}", start + len - 1)).expect("digits"),
                );
                let f = self.http.fetch_async(&r).await?;
                if f.status.as_u16() != 202 {
                    return Err(self.failed(&format!("a chunk of {}", blob.digest), &f));
                }
                at = self.location(&at, &f)?;
                start += len;
            }
            let mut r = self.request(Method::PUT, at.clone(), &what);
            r.body = Some(bytes::Bytes::new());
            r.headers.insert(CONTENT_LENGTH, HeaderValue::from(0u64));
            r
        } else {
            let mut r = self.body(blob, 0, blob.size, verify);
            r.url = at.clone();
            r.auth = Some(self.auth.clone());
            r.what = what.clone();
            r
        };
        finish
            .url
            .query_pairs_mut()
            .append_pair("digest", &blob.digest.to_string());
        let f = self.http.fetch_async(&finish).await?;
        if f.status.as_u16() != 201 {
            return Err(self.failed(&format!("blob {}", blob.digest), &f));
        }
        Ok(())
    }

    /// Uploads a small blob held in memory (a signature payload, a config) unless the
    /// registry has it: `HEAD`, else `POST` then one `PUT ?digest=`.
    pub fn put_blob_bytes(&self, bytes: &[u8]) -> Result<Outcome> {
        let digest = Digest::of(bytes);
        let what = format!("blob {digest}");
        let head = self.http.fetch(&self.request(
            Method::HEAD,
            self.url(&format!("blobs/{digest}"))?,
            &what,
        ))?;
        if head.status.is_success() {
            return Ok(Outcome::Exists);
        }
        if head.status.as_u16() != 404 {
            return Err(self.failed(&format!("HEAD of blob {digest}"), &head));
        }
        let start = self.url("blobs/uploads/")?;
        let started = self
            .http
            .fetch(&self.request(Method::POST, start.clone(), &what))?;
        if started.status.as_u16() != 202 {
            return Err(self.failed(&format!("the upload of {digest}"), &started));
        }
        let mut at = self.location(&start, &started)?;
        at.query_pairs_mut()
            .append_pair("digest", &digest.to_string());
        let put = self
            .request(Method::PUT, at, &what)
            .body("application/octet-stream", bytes.to_vec());
        let f = self.http.fetch(&put)?;
        if f.status.as_u16() != 201 {
            return Err(self.failed(&what, &f));
        }
        Ok(Outcome::Pushed)
    }

    /// Puts `bytes` as the manifest `reference` (a tag or `sha256:…`) with `media_type`;
    /// returns the digest the registry now holds, checked against the bytes sent.
    pub fn put_manifest(&self, reference: &str, media_type: &str, bytes: &[u8]) -> Result<Digest> {
        let ours = Digest::of(bytes);
        let what = format!("manifest {reference}");
        let r = self
            .request(
                Method::PUT,
                self.url(&format!("manifests/{reference}"))?,
                &what,
            )
            .body(media_type, bytes.to_vec());
        let f = self.http.fetch(&r)?;
        if f.status.as_u16() != 201 {
            return Err(self.failed(&what, &f));
        }
        if let Some(claimed) = digest_header(&f.headers)
            && Digest::parse(claimed) != Some(ours)
        {
            return Err(Error::Verification(format!(
                "registry {} stored the manifest {reference} of {} as {claimed}, but the \
                     bytes sent are {ours}: not signing it",
                self.host, self.image,
            )));
        }
        Ok(ours)
    }
}

fn digest_header(h: &HeaderMap) -> Option<&str> {
    h.get("docker-content-digest")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_hashes_each_byte_once_and_fails_at_the_end() {
        let data = b"hello world";
        let expected = Digest::of(data);
        let mut v = Verify {
            hasher: Sha256::new(),
            hashed: 0,
            size: data.len() as u64,
            expected,
            got: None,
            sent: Arc::default(),
        };
        assert!(v.feed(0, &data[..5]));
        assert!(v.feed(0, &data[..5])); // read again: not hashed twice
        assert!(v.feed(5, &data[5..]));
        assert!(v.mismatch().is_none());
        let mut bad = Verify {
            hasher: Sha256::new(),
            hashed: 0,
            size: 3,
            expected,
            got: None,
            sent: Arc::default(),
        };
        assert!(bad.feed(0, b"ab"));
        assert!(!bad.feed(2, b"c"));
        assert!(bad.mismatch().is_some());
    }

    #[test]
    fn bounded_keeps_order_and_limit() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let running = std::cell::Cell::new(0usize);
        let most = std::cell::Cell::new(0usize);
        let futs: Vec<Pin<Box<dyn Future<Output = usize> + '_>>> = (0..10usize)
            .map(|i| {
                let (running, most) = (&running, &most);
                Box::pin(async move {
                    running.set(running.get() + 1);
                    most.set(most.get().max(running.get()));
                    tokio::time::sleep(std::time::Duration::from_millis(10 - i as u64)).await;
                    running.set(running.get() - 1);
                    i
                }) as Pin<Box<dyn Future<Output = usize> + '_>>
            })
            .collect();
        let out = rt.block_on(bounded(futs, 3));
        assert_eq!(out, (0..10).collect::<Vec<_>>());
        assert_eq!(most.get(), 3);
    }

    #[test]
    fn error_bodies_in_words() {
        assert_eq!(
            error_words(br#"{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}"#),
            ": blob unknown (BLOB_UNKNOWN)"
        );
        assert_eq!(error_words(b"x"), "");
    }
}
