"""A real HTTP server on 127.0.0.1 for the link check's tests: pages that answer,
are missing, refuse HEAD, redirect, answer slowly, or never end."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BIG = 100 * 1024 * 1024  # what /big claims to send


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self._answer()

    def do_GET(self):
        self._answer()

    def _send(self, status, headers=(), body=b""):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def _answer(self):
        server = self.server
        server.requests.append((self.command, self.path))
        path = self.path
        if path == "/ok" or path.startswith("/%E0%B9%80"):
            return self._send(200, body=b"<p>ok</p>")
        if path == "/missing":
            return self._send(404)
        if path == "/forbidden":
            return self._send(403)
        if path == "/error":
            return self._send(503)
        if path == "/flaky":  # down for its first two requests
            server.flaky += 1
            return self._send(503 if server.flaky <= 2 else 200)
        if path == "/nohead":
            return self._send(405 if self.command == "HEAD" else 200, body=b"ok")
        if path in server.redirects:
            return self._send(302, [("Location", server.redirects[path])])
        if path == "/slow":
            time.sleep(3)
            return self._send(200)
        if path == "/trickle":
            try:
                self.wfile.write(b"HTTP/1.0 200 OK\r\n")
                for _ in range(60):
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            return None
        if path == "/big":
            return self._big()
        return self._send(500)

    def _big(self):
        if self.command == "HEAD":  # so that the check asks by GET, for the body
            return self._send(405)
        self.send_response(200)
        self.send_header("Content-Length", str(BIG))
        self.end_headers()
        chunk = b"x" * 65536
        try:
            while self.server.big_sent < BIG:
                self.wfile.write(chunk)
                self.server.big_sent += len(chunk)
        except OSError:
            self.server.big_closed = True


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, str]] = []
        self.redirects: dict[str, str] = {}
        self.big_sent = 0
        self.big_closed = False
        self.flaky = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def paths(self) -> list[str]:
        return [path for _method, path in self.requests]


def start() -> LocalServer:
    server = LocalServer()
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    return server
