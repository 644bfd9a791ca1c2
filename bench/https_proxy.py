"""The proxy in front of gunicorn for `bench/lighthouse.py`, as a load balancer
would stand in front of production: it terminates "TLS" (says X-Forwarded-Proto:
https and appends the client to X-Forwarded-For), compresses HTML and other text
that the app sent uncompressed (gzip, only for clients that accept it, with
`Vary: Accept-Encoding` added here, after the page cache has stored the page:
the cache still varies on the cookie only), and serves /media/ from the disk with
the object store's Cache-Control (production keeps media in an object store or
behind the web server, never in Django).
"""

import gzip
import http.client
import mimetypes
import posixpath
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/rss+xml")
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection"}


def accepts_gzip(header):
    """Whether an Accept-Encoding header accepts gzip (not refused with q=0)."""
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


def compress(headers, body, accept_encoding):
    """(headers, body) as the proxy sends them: gzip for text the app left plain."""
    names = {name.lower(): value for name, value in headers}
    kind = names.get("content-type", "").lower()
    if "content-encoding" in names or not kind.startswith(COMPRESSIBLE) or len(body) < 256:
        return headers, body
    # Vary whether or not this client gets gzip: a shared cache must keep both.
    vary = [v.strip() for v in names.get("vary", "").split(",") if v.strip()]
    headers = [(n, v) for n, v in headers if n.lower() != "vary"]
    headers.append(("Vary", ", ".join([*vary, "Accept-Encoding"])))
    if not accepts_gzip(accept_encoding):
        return headers, body
    headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
    return [*headers, ("Content-Encoding", "gzip")], gzip.compress(body, compresslevel=6)


def make_handler(upstream_port, media_root):
    media_root = Path(media_root).resolve()
    local = threading.local()

    def connection():
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
        return local.conn

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # no access log (see gunicorn.conf.py)
            pass

        def do_GET(self):
            self.handle_request()

        def do_HEAD(self):
            self.handle_request()

        def do_POST(self):
            self.handle_request()

        def handle_request(self):
            path = urlsplit(self.path).path
            if path.startswith("/media/"):
                return self.media(path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["X-Forwarded-Proto"] = "https"
            forwarded = headers.pop("X-Forwarded-For", None)
            client = self.client_address[0]
            headers["X-Forwarded-For"] = f"{forwarded}, {client}" if forwarded else client
            for attempt in (1, 2):  # a kept-alive connection gunicorn closed: once more
                try:
                    conn = connection()
                    conn.request(self.command, self.path, body=body, headers=headers)
                    answer = conn.getresponse()
                    content = answer.read()
                    break
                except (http.client.HTTPException, OSError):
                    local.conn = None
                    if attempt == 2:
                        return self.answer(502, [("Content-Type", "text/plain")], b"bad gateway")
            out = [(n, v) for n, v in answer.getheaders() if n.lower() not in HOP_BY_HOP]
            out, content = compress(out, content, self.headers.get("Accept-Encoding"))
            self.answer(answer.status, out, content)

        def media(self, path):
            relative = posixpath.normpath(unquote(path.removeprefix("/media/")))
            file = (media_root / relative).resolve()
            if not file.is_relative_to(media_root) or not file.is_file():
                return self.answer(404, [("Content-Type", "text/plain")], b"not found")
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            headers = [("Content-Type", kind), ("Cache-Control", MEDIA_CACHE_CONTROL)]
            self.answer(200, headers, file.read_bytes())

        def answer(self, status, headers, content):
            # gunicorn's Server and Date headers pass through: none of our own.
            self.send_response_only(status)
            for name, value in headers:
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)

    return Handler


def start(port, upstream_port, media_root):
    """Serve in a background thread; returns the server (call .shutdown())."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(upstream_port, media_root))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
