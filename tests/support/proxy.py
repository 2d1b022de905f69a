"""A small round-robin HTTP reverse proxy (standard library only), as a load balancer
in front of several web nodes: each request goes to the next node in turn, with its
method, path, headers and body, and ``X-Forwarded-For`` / ``X-Forwarded-Proto`` /
``X-Forwarded-Host`` set as a proxy sets them. The answer comes back as the node gave
it, every ``Set-Cookie`` included. One thread per connection."""

from __future__ import annotations

import http.client
import itertools
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Headers of one connection, not of the message (RFC 9110 7.6.1): never forwarded.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


class RoundRobinProxy:
    """Listens on 127.0.0.1 (a free port) and forwards to ``backends`` in turn;
    ``served`` counts the requests each backend answered."""

    def __init__(self, backends: list[tuple[str, int]], *, timeout: float = 60) -> None:
        if not backends:
            raise ValueError("a proxy needs at least one backend")
        self.backends = list(backends)
        self.timeout = timeout
        self.served: Counter[tuple[str, int]] = Counter()
        self._next = itertools.cycle(self.backends)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> RoundRobinProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def _pick(self) -> tuple[str, int]:
        with self._lock:
            backend = next(self._next)
            self.served[backend] += 1
            return backend

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {
                    name: value
                    for name, value in self.headers.items()
                    if name.lower() not in HOP_BY_HOP
                    and not name.lower().startswith("x-forwarded-")
                }
                client = self.client_address[0]
                earlier = self.headers.get("X-Forwarded-For")
                headers["X-Forwarded-For"] = f"{earlier}, {client}" if earlier else client
                headers["X-Forwarded-Proto"] = "http"
                headers["X-Forwarded-Host"] = self.headers.get("Host", "")
                host, port = proxy._pick()
                upstream = http.client.HTTPConnection(host, port, timeout=proxy.timeout)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    content = answer.read()
                    self.send_response_only(answer.status, answer.reason)
                    for name, value in answer.getheaders():
                        if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(content)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(content)
                except OSError as exc:
                    self.send_error(502, f"backend {host}:{port} did not answer: {exc}")
                finally:
                    upstream.close()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _forward  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the nodes keep their own access logs."""

        return Handler
