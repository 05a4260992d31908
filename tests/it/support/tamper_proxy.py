#!/usr/bin/env python3
"""Test-only HTTPS reverse proxy in front of the harness registry that alters one blob's bytes.

  tamper_proxy.py UPSTREAM_URL CA CERT KEY DIGEST WATCH_PID

Listens on a free 127.0.0.1 port (printed on stdout once listening) and forwards every request
to UPSTREAM_URL, except that the body of any response whose path ends with DIGEST (a blob or a
manifest) has its last byte flipped. Exits when WATCH_PID is gone. Python standard library only.
"""
import http.client, http.server, os, socketserver, ssl, sys, threading, time, urllib.parse

UP, CA, CERT, KEY, DIGEST, WATCH = sys.argv[1:7]
up = urllib.parse.urlsplit(UP)
HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host",
       "content-length"}


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        ctx = ssl.create_default_context(cafile=CA)
        c = http.client.HTTPSConnection(up.hostname, up.port, context=ctx, timeout=30)
        hdrs = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        hdrs["Host"] = up.netloc
        c.request(self.command, self.path, body=body, headers=hdrs)
        r = c.getresponse()
        data = r.read()
        if self.path.split("?")[0].endswith(DIGEST) and data and self.command == "GET":
            data = data[:-1] + bytes([data[-1] ^ 1])
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in HOP:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = S(("127.0.0.1", 0), H)
sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
sctx.load_cert_chain(CERT, KEY)
srv.socket = sctx.wrap_socket(srv.socket, server_side=True)


def watch():
    while True:
        try:
            os.kill(int(WATCH), 0)
        except OSError:
            os._exit(0)
        time.sleep(0.5)


threading.Thread(target=watch, daemon=True).start()
print(srv.server_address[1], flush=True)
srv.serve_forever()
