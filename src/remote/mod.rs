//! dct's HTTP layer: one [`Http`] per run, shared by the trust-server client ([`trust`]) and
//! the registry client ([`registry`]).
//!
//! The rest of dct is synchronous, so [`Http`] is a blocking facade: it owns a current-thread
//! tokio runtime and `block_on`s async internals (kept async so parallel blob downloads can use
//! them). It keeps one reqwest client per `host[:port]`, because TLS trust is per host (Docker's
//! `<config>/tls/<host:port>/` CAs and client certificates), and every client keeps its
//! connections alive (HTTP/2 where the server offers it), so a run pays each handshake once.
//!
//! Authentication is lazy: no `/v2/` ping. The first 401 from a server brings its
//! `WWW-Authenticate` challenge, which is remembered for that server, so later requests send the
//! (cached) token right away.

pub mod auth;
pub mod credstore;
pub mod deadline;
pub mod registry;
pub mod tls;
pub mod trust;
pub mod upload;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::error::{Error, Result};
use auth::{Challenge, Credentials, Token};
use deadline::{Budget, Counted, Meter, Stall, seconds, watch};

/// How much of an error body is read (notary's limit): enough for an errcode JSON message.
pub const ERROR_BODY_LIMIT: u64 = 1024;

/// What [`Http`] needs from the command line and the environment.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Docker config dir: `config.json` credentials and `tls/<host:port>/` certificates.
    pub config_dir: PathBuf,
    /// `--tlscacert`: an extra CA for every server.
    pub tls_ca_cert: Option<PathBuf>,
    /// `--insecure-registry` entries (`host` or `host:port`): their certificates are not verified.
    pub insecure_registries: Vec<String>,
    /// `--timeout`: a try that makes no progress for this long is abandoned, and one logical
    /// request (retries and fallbacks included) waits at most twice this long for answers.
    /// See [`deadline`].
    pub timeout: Duration,
    /// Log each request on stderr (`-v`).
    pub verbose: bool,
    /// The `User-Agent` header of every request.
    pub user_agent: String,
    /// Where `docker-credential-*` helpers are looked up (PATH syntax); `None` = `$PATH`.
    /// Injectable so tests need not change the process-wide PATH.
    pub helper_path: Option<OsString>,
    /// Pauses between tries of an idempotent request; one more try than entries.
    pub retry_delays: Vec<Duration>,
}

impl HttpOptions {
    /// Docker's defaults (30 s timeout, two retries), credentials from `config_dir`.
    pub fn new(config_dir: impl Into<PathBuf>) -> Self {
        HttpOptions {
            config_dir: config_dir.into(),
            tls_ca_cert: None,
            insecure_registries: Vec::new(),
            timeout: Duration::from_secs(30),
            verbose: false,
            user_agent: format!(
                "dct/{} ({})",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS
            ),
            helper_path: None,
            retry_delays: vec![Duration::from_millis(200), Duration::from_millis(800)],
        }
    }
}

/// Whose credentials a request may use and for what: `registry` is the registry the
/// credentials are filed under (`host[:port]`, `docker.io`), `scope` the token scope
/// (`repository:<name>:pull` or `…:push,pull`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScope {
    /// The registry the credentials are filed under (`host[:port]`, `docker.io`).
    pub registry: String,
    /// The token scope (`repository:<name>:pull` or `…:push,pull`).
    pub scope: String,
}

impl AuthScope {
    /// `repository:<name>:<actions>` for `registry`'s credentials.
    pub fn repository(registry: &str, name: &str, actions: &str) -> Self {
        AuthScope {
            registry: registry.to_string(),
            scope: format!("repository:{name}:{actions}"),
        }
    }
}

/// One HTTP request as the layer sees it. `Debug` leaves out the body (it may hold a token).
#[derive(Clone)]
pub struct Request {
    /// The method; only `GET` and `HEAD` are retried.
    pub method: Method,
    /// The URL; messages show it without credentials.
    pub url: Url,
    /// `None`: a 401 is an error straight away.
    pub auth: Option<AuthScope>,
    /// Headers to send; the layer adds authorization and the user agent.
    pub headers: HeaderMap,
    /// A body sent whole with every try (shared with each try, not copied: a publish's body
    /// is as large as its targets file).
    pub body: Option<bytes::Bytes>,
    /// A streamed body (uploads): called for every try, so a request re-sent after an
    /// authentication challenge reads its source again. Takes precedence over `body`.
    pub stream: Option<BodySource>,
    /// Most bytes accepted in a successful body; more is an error (endless-data attack).
    pub limit: u64,
    /// What is fetched, for messages (`timestamp.json`, `manifest v1`).
    pub what: String,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &loggable(&self.url))
            .field("auth", &self.auth)
            .field(
                "body",
                &self.body.as_ref().map(|b| format!("<{} bytes>", b.len())),
            )
            .field("limit", &self.limit)
            .field("what", &self.what)
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request without authentication or body that reads at most `limit` bytes of a successful
    /// answer; messages name it by the last segment of its URL path.
    pub fn new(method: Method, url: Url, limit: u64) -> Self {
        let what = url
            .path()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        Request {
            method,
            url,
            auth: None,
            headers: HeaderMap::new(),
            body: None,
            stream: None,
            limit,
            what,
        }
    }

    /// A `GET` of `url` ([`Request::new`]).
    pub fn get(url: Url, limit: u64) -> Self {
        Request::new(Method::GET, url, limit)
    }

    /// The credentials and scope to answer a 401 with.
    pub fn auth(mut self, auth: Option<AuthScope>) -> Self {
        self.auth = auth;
        self
    }

    /// What the request is for, as messages name it.
    pub fn what(mut self, what: impl Into<String>) -> Self {
        self.what = what.into();
        self
    }

    /// The body to send, with its `Content-Type`.
    pub fn body(mut self, content_type: &str, body: Vec<u8>) -> Self {
        if let Ok(v) = HeaderValue::from_str(content_type) {
            self.headers.insert(CONTENT_TYPE, v);
        }
        self.body = Some(bytes::Bytes::from(body));
        self
    }
}

/// A streamed request body: its chunks, as they are read.
pub type BodyStream = std::pin::Pin<
    Box<dyn futures_core::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static>,
>;

/// Makes a fresh streamed request body (see [`Request::stream`]).
pub type BodySource = std::sync::Arc<dyn Fn() -> Result<BodyStream> + Send + Sync>;

/// A response read to the end (successful bodies up to the request's limit, others up to
/// [`ERROR_BODY_LIMIT`]). 401 and 403 never get here: they are [`Error::Auth`].
#[derive(Debug)]
pub struct Fetched {
    /// The status: a success, or an error status for the caller to map (404: no such file).
    pub status: StatusCode,
    /// HTTP/2 when the server offered it in the TLS handshake (ALPN).
    pub version: reqwest::Version,
    /// The headers (`Docker-Content-Digest`, `Content-Type`…).
    pub headers: HeaderMap,
    /// The whole body, within the request's limit.
    pub body: Vec<u8>,
}

/// The HTTP client of one dct run. See the module docs.
pub struct Http {
    opts: HttpOptions,
    rt: tokio::runtime::Runtime,
    count: AtomicUsize,
    clients: Mutex<HashMap<String, reqwest::Client>>,
    /// Hosts whose client trusts their own CAs only, so far (see [`Http::client`]).
    own_ca_only: Mutex<std::collections::HashSet<String>>,
    /// The last challenge of each origin (`scheme://host:port`).
    challenges: Mutex<HashMap<String, Challenge>>,
    /// Tokens by (realm, service, scope).
    tokens: Mutex<HashMap<(String, String, String), Token>>,
    /// Credentials by registry, looked up once (a helper may prompt or be slow).
    creds: Mutex<HashMap<String, Option<Credentials>>>,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http")
            .field("opts", &self.opts)
            .field("requests", &self.request_count())
            .finish_non_exhaustive()
    }
}

/// `host[:port]` as Docker names per-host config dirs: the port only when the URL has one.
pub fn host_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// The URL as logged: never with user info.
fn loggable(url: &Url) -> String {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}

/// Whether a TLS (handshake or certificate) failure is somewhere in the error's causes. io::Error
/// hides its inner error from `source()`, so look inside it explicitly.
fn is_tls_error(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && is_tls_error(inner)
        {
            return true;
        }
        cur = err.source();
    }
    false
}

/// The most specific cause in an error chain (reqwest's own message is just "error sending
/// request").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e.to_string();
    let mut cur = e.source();
    while let Some(err) = cur {
        let text = err.to_string();
        if !text.is_empty() {
            last = text;
        }
        cur = match err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    plain_cause(&last)
}

/// Library texts made readable: rustls appends a docs.rs link to some errors, and a server
/// that drops the connection shows up as a missing TLS close_notify.
fn plain_cause(text: &str) -> String {
    let text = text.split(": https://docs.rs/").next().unwrap_or(text);
    if text.contains("without sending TLS close_notify") {
        return "the server closed the connection before answering".to_string();
    }
    text.to_string()
}

impl Http {
    /// A client for `opts` with its own network runtime; connections, tokens and credentials are
    /// kept for its life.
    pub fn new(opts: HttpOptions) -> Result<Http> {
        // reqwest is built without a crypto provider; ring is ours. A second Http finds it
        // installed already, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Other(format!("cannot start the network runtime: {e}")))?;
        Ok(Http {
            opts,
            rt,
            count: AtomicUsize::new(0),
            clients: Mutex::new(HashMap::new()),
            own_ca_only: Mutex::new(std::collections::HashSet::new()),
            challenges: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            creds: Mutex::new(HashMap::new()),
        })
    }

    pub(crate) fn options(&self) -> &HttpOptions {
        &self.opts
    }

    /// HTTP requests sent so far (every try, token requests included).
    pub fn request_count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Number of distinct per-host clients (connection pools) created so far.
    pub fn client_count(&self) -> usize {
        self.clients.lock().unwrap().len()
    }

    /// Runs `fut` on this run's runtime: the bridge from dct's synchronous code.
    pub fn block_on<F: std::future::Future>(&self, fut: F) -> F::Output {
        self.rt.block_on(fut)
    }

    /// Sends `req` (authenticating and retrying as needed) and reads the whole body.
    pub fn fetch(&self, req: &Request) -> Result<Fetched> {
        self.block_on(self.fetch_async(req))
    }

    /// `GET url` with at most `limit` body bytes, authenticated as `auth` when challenged.
    pub fn get_url(&self, url: &Url, auth: Option<&AuthScope>, limit: u64) -> Result<Fetched> {
        self.fetch(&Request::get(url.clone(), limit).auth(auth.cloned()))
    }

    /// The async core of [`Http::fetch`].
    pub async fn fetch_async(&self, req: &Request) -> Result<Fetched> {
        self.fetch_within_async(req, &self.budget()).await
    }

    /// [`Http::fetch`] as part of a logical request that already began (a fallback to another
    /// URL): tries are started only while `budget` lasts.
    pub fn fetch_within(&self, req: &Request, budget: &Budget) -> Result<Fetched> {
        self.block_on(self.fetch_within_async(req, budget))
    }

    pub(crate) async fn fetch_within_async(
        &self,
        req: &Request,
        budget: &Budget,
    ) -> Result<Fetched> {
        let (resp, started, meter) = self.send(req, budget).await?;
        self.read(req, resp, started, &meter).await
    }

    /// A fresh budget for one logical request (see [`deadline`]).
    pub fn budget(&self) -> Budget {
        Budget::new(self.opts.timeout)
    }

    /// Whether `url`'s host is one of the `--insecure-registry` entries.
    pub fn is_insecure(&self, url: &Url) -> bool {
        let hp = host_port(url);
        let host = url.host_str().unwrap_or_default();
        self.opts
            .insecure_registries
            .iter()
            .any(|r| r == &hp || r == host)
    }

    /// The client (connection pool) for `url`'s host, built on first use with that host's CAs.
    ///
    /// A host with CAs of its own (`--tlscacert`, `<config>/tls/<host>/`…) is first tried with
    /// those alone: loading the OS root store costs more than the rest of a warm lookup. Only if
    /// its certificate does not chain to them is the client rebuilt with the system roots too
    /// (see [`Http::widen_trust`]), so the accepted set is still Docker's "system + extra CAs".
    fn client(&self, url: &Url) -> Result<reqwest::Client> {
        let key = host_port(url);
        if let Some(c) = self.clients.lock().unwrap().get(&key) {
            return Ok(c.clone());
        }
        let (client, own_only) = self.build_client(url, None)?;
        if own_only {
            self.own_ca_only.lock().unwrap().insert(key.clone());
        }
        self.clients.lock().unwrap().insert(key, client.clone());
        Ok(client)
    }

    /// After a TLS failure with a host's own CAs only: rebuilds its client with the system
    /// roots as well. Returns false when that was already the case (nothing to retry).
    fn widen_trust(&self, url: &Url) -> Result<bool> {
        let key = host_port(url);
        if !self.own_ca_only.lock().unwrap().remove(&key) {
            return Ok(false);
        }
        let (client, _) = self.build_client(url, Some(true))?;
        self.clients.lock().unwrap().insert(key, client);
        Ok(true)
    }

    /// Builds a client for `url`'s host. `system`: `None` = the host's own CAs alone when it
    /// has some, else the system roots; `Some(true)` = system roots plus its CAs. Returns the
    /// client and whether it trusts the host's own CAs only.
    fn build_client(&self, url: &Url, system: Option<bool>) -> Result<(reqwest::Client, bool)> {
        let key = host_port(url);
        let dirs = tls::host_dirs(&self.opts.config_dir, &key);
        let found = tls::discover(self.opts.tls_ca_cert.as_deref(), &dirs)?;
        let cas = found
            .cas
            .iter()
            .map(|c| reqwest::Certificate::from_der(c.as_ref()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::invalid(format!("invalid CA certificate for {key}: {e}")))?;
        let identity = match &found.identity {
            Some((path, pem)) => Some(reqwest::Identity::from_pem(pem).map_err(|e| {
                Error::invalid(format!(
                    "invalid client certificate or key {}: {}",
                    path.display(),
                    root_cause(&e)
                ))
            })?),
            None => None,
        };
        // `system`: the platform verifier, which loads the OS roots when the client is built.
        let build = |system: bool| {
            let mut b = reqwest::Client::builder()
                .user_agent(self.opts.user_agent.clone())
                .connect_timeout(self.opts.timeout);
            b = if system {
                b.tls_certs_merge(cas.clone())
            } else {
                b.tls_certs_only(cas.clone())
            };
            if let Some(id) = &identity {
                b = b.identity(id.clone());
            }
            if self.is_insecure(url) {
                b = b.tls_danger_accept_invalid_certs(true);
            }
            b.build()
        };
        let own_only = system.is_none() && !cas.is_empty();
        if own_only {
            let client = build(false).map_err(|e| {
                Error::invalid(format!(
                    "cannot set up TLS for {key} (CA files: {:?}): {}",
                    found.ca_files,
                    root_cause(&e)
                ))
            })?;
            self.log_cas(&key, &found.ca_files, false);
            return Ok((client, true));
        }
        // A machine without any system CA bundle makes the platform verifier fail up front; plain
        // http and hosts with our own CAs must still work there, so fall back to our CAs only (an
        // https host then fails its handshake with the usual advice).
        let client = build(true).or_else(|first| {
            build(false).map_err(|_| {
                Error::invalid(format!(
                    "cannot set up TLS for {key} (CA files: {:?}): {}",
                    found.ca_files,
                    root_cause(&first)
                ))
            })
        })?;
        self.log_cas(&key, &found.ca_files, true);
        Ok((client, false))
    }

    fn log_cas(&self, key: &str, files: &[PathBuf], system: bool) {
        if self.opts.verbose && !files.is_empty() {
            let files: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
            let roots = if system {
                "system roots + "
            } else {
                "(system roots only if these fail) "
            };
            eprintln!("dct: CAs for {key}: {roots}{}", files.join(", "));
        }
    }

    /// One `-v` line per request: `dct: GET URL → 200 (1234 bytes, 12 ms)`. Never credentials:
    /// the URL loses its user info and headers are not logged.
    fn log(
        &self,
        method: &Method,
        url: &Url,
        outcome: &str,
        bytes: Option<usize>,
        started: Instant,
    ) {
        if self.opts.verbose {
            let ms = started.elapsed().as_millis();
            let size = bytes.map(|n| format!("{n} bytes, ")).unwrap_or_default();
            eprintln!(
                "dct: {method} {} → {outcome} ({size}{ms} ms)",
                loggable(url)
            );
        }
    }

    fn network_error(
        &self,
        req: &Request,
        e: &reqwest::Error,
        budget: &Budget,
        tries: usize,
    ) -> Error {
        let host = host_port(&req.url);
        let cause = root_cause(e);
        if is_tls_error(e) {
            Error::Network(format!(
                "TLS connection to {host} failed: {cause}: if {host} uses a private CA, pass \
                 --tlscacert FILE or put the CA certificate at {}",
                self.opts
                    .config_dir
                    .join("tls")
                    .join(&host)
                    .join("ca.crt")
                    .display()
            ))
        } else if e.is_timeout() {
            self.no_answer(req, budget, tries)
        } else if e.is_connect() {
            Error::Network(format!(
                "cannot connect to {host}: {cause}: check the server URL and your network"
            ))
        } else {
            Error::Network(format!(
                "{} {} failed: {cause}",
                req.method,
                loggable(&req.url)
            ))
        }
    }

    /// `HOST did not answer within <real time waited> (…)`.
    fn no_answer(&self, req: &Request, budget: &Budget, tries: usize) -> Error {
        let attempts = if tries > 1 {
            format!("{tries} tries of ")
        } else {
            String::new()
        };
        Error::Network(format!(
            "{} did not answer within {} ({attempts}{} {}; --timeout/DCT_TIMEOUT is {}): check \
             the server URL and your network",
            host_port(&req.url),
            seconds(budget.waited()),
            req.method,
            loggable(&req.url),
            seconds(self.opts.timeout)
        ))
    }

    /// The error for a try abandoned by its [`Meter`].
    fn stall_error(&self, req: &Request, stall: Stall, budget: &Budget, tries: usize) -> Error {
        let host = host_port(&req.url);
        let limit = seconds(self.opts.timeout);
        match stall {
            Stall::NoAnswer { .. } => self.no_answer(req, budget, tries),
            Stall::Idle { idle } => Error::Network(format!(
                "{host} stopped sending {} for {} ({} {}; --timeout/DCT_TIMEOUT is {limit}): \
                 check your network or try again later",
                req.what,
                seconds(idle),
                req.method,
                loggable(&req.url)
            )),
            Stall::Slow { bytes, over } => Error::Network(format!(
                "the transfer of {} with {host} was too slow: {bytes} bytes in {}, below the \
                 floor of {} KiB/s ({} {}; --timeout/DCT_TIMEOUT is {limit}): check your \
                 network or try again later",
                req.what,
                seconds(over),
                deadline::FLOOR / 1024,
                req.method,
                loggable(&req.url)
            )),
        }
    }

    /// One request, retried with backoff when idempotent (GET, HEAD) and the failure may be
    /// transient: connection errors, stalls, 502/503/504 — while `budget` lasts. TLS failures
    /// are not transient. Returns the response (headers read) with its try's [`Meter`], which
    /// goes on watching the body.
    async fn send_retrying(
        &self,
        req: &Request,
        authz: Option<&HeaderValue>,
        budget: &Budget,
    ) -> Result<(reqwest::Response, Instant, Meter)> {
        let mut client = self.client(&req.url)?;
        let idempotent = req.method == Method::GET || req.method == Method::HEAD;
        let mut attempt = 0;
        loop {
            let started = Instant::now();
            let meter = Meter::new(budget);
            let mut rb = client
                .request(req.method.clone(), req.url.clone())
                .headers(req.headers.clone());
            if let Some(a) = authz {
                rb = rb.header(AUTHORIZATION, a.clone());
            }
            if let Some(make) = &req.stream {
                rb = rb.body(reqwest::Body::wrap_stream(Counted {
                    inner: make()?,
                    meter: meter.clone(),
                }));
            } else if let Some(b) = &req.body {
                rb = rb.body(b.clone());
            }
            self.count.fetch_add(1, Ordering::SeqCst);
            let result = watch(&meter, rb.send()).await;
            // Another try only for idempotent requests, while tries are left and the budget
            // outlasts the pause.
            let delay = idempotent
                .then(|| self.opts.retry_delays.get(attempt).copied())
                .flatten()
                .filter(|d| budget.remaining() > *d);
            let tries = attempt + 1;
            match result {
                Ok(Ok(resp)) => {
                    meter.answered();
                    let code = resp.status().as_u16();
                    match delay {
                        Some(d) if matches!(code, 502..=504) => self.log(
                            &req.method,
                            &req.url,
                            &format!("{code}, retrying in {} ms", d.as_millis()),
                            None,
                            started,
                        ),
                        _ => return Ok((resp, started, meter)),
                    }
                }
                // Not signed by the host's own CAs: try again with the system roots as well.
                Ok(Err(e)) if is_tls_error(&e) && self.widen_trust(&req.url)? => {
                    self.log(
                        &req.method,
                        &req.url,
                        "not signed by the configured CAs; retrying with the system roots",
                        None,
                        started,
                    );
                    client = self.client(&req.url)?;
                    continue;
                }
                Ok(Err(e)) => {
                    let err = self.network_error(req, &e, budget, tries);
                    let transient =
                        !is_tls_error(&e) && (e.is_connect() || e.is_timeout() || e.is_request());
                    match delay {
                        Some(d) if transient => self.log(
                            &req.method,
                            &req.url,
                            &format!("{err}; retrying in {} ms", d.as_millis()),
                            None,
                            started,
                        ),
                        _ => {
                            self.log(&req.method, &req.url, &format!("{err}"), None, started);
                            return Err(err);
                        }
                    }
                }
                Err(stall) => {
                    let err = self.stall_error(req, stall, budget, tries);
                    match delay {
                        Some(d) => self.log(
                            &req.method,
                            &req.url,
                            &format!("{err}; retrying in {} ms", d.as_millis()),
                            None,
                            started,
                        ),
                        None => {
                            self.log(&req.method, &req.url, &format!("{err}"), None, started);
                            return Err(err);
                        }
                    }
                }
            }
            tokio::time::sleep(delay.unwrap_or_default()).await;
            attempt += 1;
        }
    }

    /// Sends `req` within `budget`, answering an authentication challenge once. 401 and 403
    /// end as [`Error::Auth`]. Returns the response (headers read), when it was sent and the
    /// [`Meter`] that watches its body.
    async fn send(
        &self,
        req: &Request,
        budget: &Budget,
    ) -> Result<(reqwest::Response, Instant, Meter)> {
        let origin = origin(&req.url);
        let known = self.challenges.lock().unwrap().get(&origin).cloned();
        let mut authz = None;
        if let (Some(ch), Some(scope)) = (&known, &req.auth) {
            authz = Some(self.authorization(ch, scope, &req.url, budget).await?);
        }
        let (resp, started, meter) = self
            .send_retrying(req, authz.as_ref().map(|(h, _)| h), budget)
            .await?;
        let status = resp.status();
        if status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN {
            return Ok((resp, started, meter));
        }
        self.log(&req.method, &req.url, status.as_str(), None, started);
        let host = host_port(&req.url);
        let Some(scope) = &req.auth else {
            return Err(Error::Auth(format!(
                "{host} requires authentication for {} ({status})",
                req.what
            )));
        };
        // A fresh token or password that is refused, or a 403: more tries will not help.
        if status == StatusCode::FORBIDDEN || authz.as_ref().is_some_and(|(_, fresh)| *fresh) {
            return Err(self.refused(scope, &req.url, known.as_ref()).await);
        }
        let challenge = pick_challenge(resp.headers()).ok_or_else(|| {
            Error::Auth(format!(
                "{host} answered {status} without a usable WWW-Authenticate challenge"
            ))
        })?;
        if authz.is_some() {
            // A cached token that no longer works (expired early, revoked): forget it.
            self.tokens
                .lock()
                .unwrap()
                .remove(&token_key(&challenge, scope));
        }
        self.challenges
            .lock()
            .unwrap()
            .insert(origin, challenge.clone());
        let (h, _) = self
            .authorization(&challenge, scope, &req.url, budget)
            .await?;
        let (resp, started, meter) = self.send_retrying(req, Some(&h), budget).await?;
        let status = resp.status();
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            self.log(&req.method, &req.url, status.as_str(), None, started);
            return Err(self.refused(scope, &req.url, Some(&challenge)).await);
        }
        Ok((resp, started, meter))
    }

    /// The error for a request refused although we answered the challenge.
    async fn refused(&self, scope: &AuthScope, url: &Url, challenge: Option<&Challenge>) -> Error {
        let host = host_port(url);
        let creds = self.credentials(&scope.registry).ok().flatten();
        match (creds, challenge.map(|c| c.scheme.as_str())) {
            (Some(c), Some("basic")) => Error::Auth(format!(
                "authentication failed for {} at {host}: check the credentials in {} or run \
                 `dct login {}`",
                c.username, c.source, scope.registry
            )),
            (Some(c), _) => Error::Auth(format!(
                "{} is not authorised for {} on {host}",
                if c.username.is_empty() {
                    "the identity token".to_string()
                } else {
                    c.username.clone()
                },
                scope.scope
            )),
            (None, _) => Error::Auth(format!(
                "not authorised for {} on {host} without credentials: run `dct login {}`",
                scope.scope, scope.registry
            )),
        }
    }

    /// Uses `creds` for `registry` for the rest of the run instead of looking them up (`dct
    /// login` checks the credentials it was given before storing them).
    pub fn set_credentials(&self, registry: &str, creds: Option<Credentials>) {
        let key = auth::credentials_key(registry);
        self.creds.lock().unwrap().insert(key, creds);
    }

    /// Credentials for `registry`, looked up once per run.
    pub fn credentials(&self, registry: &str) -> Result<Option<Credentials>> {
        let key = auth::credentials_key(registry);
        if let Some(c) = self.creds.lock().unwrap().get(&key) {
            return Ok(c.clone());
        }
        let found = auth::lookup(
            &self.opts.config_dir,
            registry,
            self.opts.helper_path.as_ref(),
        )?;
        self.creds.lock().unwrap().insert(key, found.clone());
        Ok(found)
    }

    /// The `Authorization` header answering `ch` for `scope`, and whether it was just obtained.
    async fn authorization(
        &self,
        ch: &Challenge,
        scope: &AuthScope,
        url: &Url,
        budget: &Budget,
    ) -> Result<(HeaderValue, bool)> {
        let host = host_port(url);
        let sensitive = |s: &str| {
            let mut v = HeaderValue::from_str(s)
                .map_err(|_| Error::Auth(format!("unusable credentials for {host}")))?;
            v.set_sensitive(true);
            Ok::<_, Error>(v)
        };
        match ch.scheme.as_str() {
            "bearer" => {
                let key = token_key(ch, scope);
                let cached = self.tokens.lock().unwrap().get(&key).cloned();
                if let Some(t) = cached.filter(|t| t.expires > Instant::now()) {
                    return Ok((sensitive(&format!("Bearer {}", t.value.as_str()))?, false));
                }
                let token = self.fetch_token(ch, &key.2, scope, &host, budget).await?;
                let header = sensitive(&format!("Bearer {}", token.value.as_str()))?;
                self.tokens.lock().unwrap().insert(key, token);
                Ok((header, true))
            }
            "basic" => {
                let creds = self.credentials(&scope.registry)?.ok_or_else(|| {
                    Error::Auth(format!(
                        "{host} requires authentication: run `dct login {}`",
                        scope.registry
                    ))
                })?;
                let value = auth::basic_header(&creds).ok_or_else(|| {
                    Error::Auth(format!(
                        "{host} wants a username and password, but the credentials for {} in {} \
                         have none",
                        scope.registry, creds.source
                    ))
                })?;
                Ok((sensitive(&value)?, true))
            }
            other => Err(Error::Auth(format!(
                "{host} asks for an unsupported authentication scheme: {other}"
            ))),
        }
    }

    /// Trades the registry's credentials (or none: anonymous) for a token at the challenge's
    /// realm.
    async fn fetch_token(
        &self,
        ch: &Challenge,
        token_scope: &str,
        scope: &AuthScope,
        host: &str,
        budget: &Budget,
    ) -> Result<Token> {
        let realm = ch.param("realm").ok_or_else(|| {
            Error::Auth(format!("{host} sent a Bearer challenge without a realm"))
        })?;
        let creds = self.credentials(&scope.registry)?;
        let mut req =
            match auth::token_request(realm, ch.param("service"), token_scope, creds.as_ref())? {
                auth::TokenRequest::Get(url) => {
                    let mut r = Request::get(url, 1 << 20);
                    if let Some(value) = creds.as_ref().and_then(auth::basic_header) {
                        let mut v = HeaderValue::from_str(&value).map_err(|_| {
                            Error::Auth(format!("unusable credentials for {}", scope.registry))
                        })?;
                        v.set_sensitive(true);
                        r.headers.insert(AUTHORIZATION, v);
                    }
                    r
                }
                auth::TokenRequest::Post(url, form) => Request::new(Method::POST, url, 1 << 20)
                    .body(
                        "application/x-www-form-urlencoded",
                        form.as_bytes().to_vec(),
                    ),
            };
        req.what = "token".into();
        let fetched = match self.send_retrying(&req, None, budget).await {
            Ok((resp, started, meter)) => self.read(&req, resp, started, &meter).await,
            Err(e) => Err(e),
        };
        // The request held the password or refresh token: wipe our copy.
        // Each try shared this buffer and has let go of it, so it is ours alone again.
        if let Some(Ok(mut b)) = req.body.take().map(bytes::Bytes::try_into_mut) {
            zeroize::Zeroize::zeroize(b.as_mut());
        }
        let fetched = fetched?;
        match fetched.status.as_u16() {
            200 => auth::parse_token_reply(&fetched.body, Instant::now()).ok_or_else(|| {
                Error::Network(format!(
                    "the token server {realm} sent an answer without a token"
                ))
            }),
            401 | 403 => Err(match &creds {
                Some(c) => Error::Auth(format!(
                    "authentication failed for {} at {realm}: check the credentials in {} or run \
                     `dct login {}`",
                    if c.username.is_empty() {
                        "the identity token"
                    } else {
                        &c.username
                    },
                    c.source,
                    scope.registry
                )),
                None => Error::Auth(format!(
                    "{host} requires authentication: run `dct login {}` (no credentials for it \
                     in {})",
                    scope.registry,
                    self.opts.config_dir.join("config.json").display()
                )),
            }),
            code => Err(Error::Network(format!(
                "the token server {realm} failed: {code}"
            ))),
        }
    }

    /// Reads the body of `resp`: successful ones up to `req.limit` (more is
    /// [`Error::Verification`], checked against Content-Length first and again while streaming,
    /// since a server may lie or send none), others up to [`ERROR_BODY_LIMIT`]. The answer to a
    /// `HEAD` is headers only: its Content-Length is the length of what a GET would send (a
    /// blob's, a manifest's), no body follows, and no limit applies. `meter` abandons a body
    /// that stalls.
    async fn read(
        &self,
        req: &Request,
        mut resp: reqwest::Response,
        started: Instant,
        meter: &Meter,
    ) -> Result<Fetched> {
        let status = resp.status();
        let version = resp.version();
        let headers = resp.headers().clone();
        if req.method == Method::HEAD {
            self.log(&req.method, &req.url, status.as_str(), None, started);
            return Ok(Fetched {
                status,
                version,
                headers,
                body: Vec::new(),
            });
        }
        let strict = status.is_success();
        let limit = if strict { req.limit } else { ERROR_BODY_LIMIT };
        let host = host_port(&req.url);
        let too_big = |n: String| {
            Error::Verification(format!(
                "{host} sent {n} bytes for {}, more than the {limit} allowed: possible \
                 endless-data attack or a misbehaving server",
                req.what
            ))
        };
        if strict && let Some(n) = resp.content_length().filter(|n| *n > limit) {
            self.log(
                &req.method,
                &req.url,
                &format!("{} (too big)", status.as_u16()),
                Some(n as usize),
                started,
            );
            return Err(too_big(n.to_string()));
        }
        let mut body = Vec::new();
        loop {
            let chunk = match watch(meter, resp.chunk()).await {
                Ok(Ok(Some(c))) => c,
                Ok(Ok(None)) => break,
                Err(stall) => {
                    let err = self.stall_error(req, stall, &meter.budget(), 1);
                    self.log(
                        &req.method,
                        &req.url,
                        &format!("{} then {err}", status.as_u16()),
                        Some(body.len()),
                        started,
                    );
                    return Err(err);
                }
                Ok(Err(e)) => {
                    let err = self.network_error(req, &e, &meter.budget(), 1);
                    self.log(
                        &req.method,
                        &req.url,
                        &format!("{} then {err}", status.as_u16()),
                        None,
                        started,
                    );
                    return Err(err);
                }
            };
            if (body.len() + chunk.len()) as u64 > limit {
                if strict {
                    let n = body.len() + chunk.len();
                    self.log(
                        &req.method,
                        &req.url,
                        &format!("{} (too big)", status.as_u16()),
                        Some(n),
                        started,
                    );
                    return Err(too_big(format!("at least {n}")));
                }
                body.extend_from_slice(&chunk[..limit as usize - body.len()]);
                break;
            }
            meter.moved(chunk.len());
            body.extend_from_slice(&chunk);
        }
        self.log(
            &req.method,
            &req.url,
            status.as_str(),
            Some(body.len()),
            started,
        );
        Ok(Fetched {
            status,
            version,
            headers,
            body,
        })
    }
}

fn token_key(ch: &Challenge, scope: &AuthScope) -> (String, String, String) {
    let token_scope = if scope.scope.is_empty() {
        ch.param("scope").unwrap_or_default()
    } else {
        &scope.scope
    };
    (
        ch.param("realm").unwrap_or_default().to_string(),
        ch.param("service").unwrap_or_default().to_string(),
        token_scope.to_string(),
    )
}

/// The challenge to answer: Bearer if offered, else Basic, else the first.
fn pick_challenge(headers: &HeaderMap) -> Option<Challenge> {
    let all: Vec<Challenge> = headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(auth::parse_challenges)
        .collect();
    let by = |s: &str| all.iter().find(|c| c.scheme == s).cloned();
    by("bearer")
        .or_else(|| by("basic"))
        .or_else(|| all.first().cloned())
}

#[cfg(test)]
mod plain_cause_tests {
    #[test]
    fn library_texts_are_made_readable() {
        assert_eq!(
            super::plain_cause(
                "peer closed connection without sending TLS close_notify: https://docs.rs/rustls/latest/rustls/manual/_03_howto/index.html#unexpected-eof"
            ),
            "the server closed the connection before answering"
        );
        assert_eq!(
            super::plain_cause("Connection refused (os error 111)"),
            "Connection refused (os error 111)"
        );
    }
}
