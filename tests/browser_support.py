"""Serve a built site on 127.0.0.1 the way GitHub Pages does, and start Debian's chromium.

Used by tests/test_browser.py and scripts/page_weight.py. The site is served under the path of
`site_url` (e.g. /future-of-open-models/), so the absolute links that MkDocs writes into the 404
page resolve as they will in production; an unknown path gets 404.html with status 404; text is
gzipped when the browser asks for it (GitHub Pages does, and Lighthouse measures it).
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import mimetypes
import os
import shutil
import socket
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.files import mkdocs_config  # noqa: F401 - the tests read mkdocs.yml through it

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Quiet and offline: no component updates, field trials, sync or QUIC probes to Google.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-features=Translate,OptimizationHints,MediaRouter",
]
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml",
                "application/xml", "application/atom+xml", "application/rss+xml")

mimetypes.add_type("image/svg+xml", ".svg")
mimetypes.add_type("text/csv", ".csv")
mimetypes.add_type("application/yaml", ".yaml")
mimetypes.add_type("application/manifest+json", ".webmanifest")


def site_path(mkdocs_yml: Path) -> str:
    """The path part of site_url ('/future-of-open-models/')."""
    path = urlsplit(mkdocs_config(mkdocs_yml).get("site_url") or "/").path or "/"
    return path if path.endswith("/") else path + "/"


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files from `root`, mounted at `prefix`, with GitHub Pages' 404 page and gzip."""

    root: Path
    prefix: str = "/"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def _file_for(self, url_path: str) -> Path | None:
        path = unquote(urlsplit(url_path).path)
        if not path.startswith(self.prefix):
            return None
        rel = path[len(self.prefix):]
        target = (self.root / rel).resolve()
        if self.root.resolve() not in (target, *target.parents):
            return None
        if target.is_dir():
            if not path.endswith("/"):
                return target  # redirected below, as GitHub Pages does
            target = target / "index.html"
        return target if target.is_file() else None

    def do_HEAD(self):
        self._respond(body=False)

    def do_GET(self):
        self._respond(body=True)

    def _respond(self, body: bool) -> None:
        target = self._file_for(self.path)
        if target is not None and target.is_dir():
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", urlsplit(self.path).path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = HTTPStatus.OK
        if target is None:
            status, target = HTTPStatus.NOT_FOUND, self.root / "404.html"
            if not target.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
        data = target.read_bytes()
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
            ctype += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        if ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = _gzipped(target, target.stat().st_mtime_ns)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the page was closed first
                self.wfile.write(data)


@functools.lru_cache(maxsize=512)
def _gzipped(path: Path, _mtime: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@contextlib.contextmanager
def serve(root: Path, prefix: str = "/"):
    """Serve `root` at http://127.0.0.1:<free port><prefix>; yields that base URL."""
    handler = type("Handler", (SiteHandler,), {"root": Path(root), "prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def chromium_available() -> str | None:
    """Why chromium cannot run here, or None when it can."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"{CHROMIUM} is missing: `make setup-test` installs Debian's chromium (as root)"
    return None


# Nothing leaves the machine: chromium sends every request for another host to a proxy at a port
# bound here and never listened on, so it fails at once (its "request" event still fires: tests
# record foreign requests from the events). Chromium would bypass the proxy for loopback and
# link-local addresses (169.254/16, fe80::/10); "<-loopback>" ends that, and 127.0.0.1, where the
# site is served, alone bypasses it. (Intercepting each request with Playwright's route instead
# cost 40% more CPU a page load, turned the HTTP cache off, and let WebSockets through.) A
# preconnect or dns-prefetch hint only ever reaches the dead proxy: no DNS lookup leaves either.
_no_proxy: list[socket.socket] = []  # bound for the life of the process, so the port stays dead


def offline_flags() -> list[str]:
    if not _no_proxy:
        dead = socket.socket()
        dead.bind(("127.0.0.1", 0))
        _no_proxy.append(dead)
    return [f"--proxy-server=http://127.0.0.1:{_no_proxy[0].getsockname()[1]}",
            "--proxy-bypass-list=<-loopback>;127.0.0.1"]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS + offline_flags())
