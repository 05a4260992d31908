//! A scripted plain-http server on loopback, for what the real servers will not do: every
//! request is answered by a handler with raw response bytes (any status, header or body, true or
//! not), and every request is recorded. Connections are kept alive until a response says
//! `Connection: close`. A TLS ClientHello is answered like Go's http server does (400) and
//! recorded as `TLS`, so a client that tries https first can be seen falling back to http.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// One request as the server read it (`method` is `TLS` for a TLS ClientHello).
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub body: String,
}

/// Answers a request, given its index among all recorded so far (from 0).
pub type Handler = Arc<dyn Fn(&Seen, usize) -> Vec<u8> + Send + Sync>;

pub struct FakeHttp {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Connections accepted so far.
    pub connections: Arc<AtomicUsize>,
}

impl FakeHttp {
    pub fn start(handler: impl Fn(&Seen, usize) -> Vec<u8> + Send + Sync + 'static) -> FakeHttp {
        FakeHttp::start_at(|_| Arc::new(handler))
    }

    /// For handlers that need the server's own address (a token realm).
    pub fn start_at(make: impl FnOnce(SocketAddr) -> Handler) -> FakeHttp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let handler = make(addr);
        let (s, c) = (seen.clone(), connections.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                c.fetch_add(1, Ordering::SeqCst);
                let (s, h) = (s.clone(), handler.clone());
                std::thread::spawn(move || serve(stream, s, h));
            }
        });
        FakeHttp {
            addr,
            seen,
            connections,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://{}", self.addr)).unwrap()
    }

    /// The requests so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The requests so far as `METHOD PATH` lines (`TLS` for a ClientHello).
    pub fn seen_lines(&self) -> Vec<String> {
        self.seen()
            .into_iter()
            .map(|s| match s.method.as_str() {
                "TLS" => "TLS".to_string(),
                m => format!("{m} {}", s.path),
            })
            .collect()
    }
}

fn record(seen: &Mutex<Vec<Seen>>, req: Seen) -> usize {
    let mut s = seen.lock().unwrap();
    s.push(req);
    s.len() - 1
}

fn serve(stream: TcpStream, seen: Arc<Mutex<Vec<Seen>>>, handler: Handler) {
    let mut first = [0u8; 1];
    if stream.peek(&mut first).unwrap_or(0) == 1 && first[0] == 0x16 {
        record(
            &seen,
            Seen {
                method: "TLS".into(),
                path: String::new(),
                authorization: None,
                body: String::new(),
            },
        );
        let _ = (&stream).write_all(b"HTTP/1.0 400 Bad Request\r\n\r\n");
        return;
    }
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let (mut authorization, mut length) = (None, 0usize);
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').unwrap();
            match k.to_ascii_lowercase().as_str() {
                "authorization" => authorization = Some(v.trim().to_string()),
                "content-length" => length = v.trim().parse().unwrap(),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let req = Seen {
            method,
            path,
            authorization,
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        let n = record(&seen, req.clone());
        let resp = handler(&req, n);
        if out.write_all(&resp).is_err() {
            return;
        }
        if String::from_utf8_lossy(&resp).contains("Connection: close") {
            return;
        }
    }
}

/// An HTTP/1.1 response: `status`, `headers` (`Name: value`), a Content-Length and `body`.
pub fn response(status: u16, headers: &[&str], body: impl AsRef<[u8]>) -> Vec<u8> {
    let body = body.as_ref();
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("X");
    let mut r = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for h in headers {
        r.push_str(h);
        r.push_str("\r\n");
    }
    r.push_str("\r\n");
    let mut r = r.into_bytes();
    r.extend_from_slice(body);
    r
}
