"""`mkdocs serve` (what `make serve` runs) in a project copy on a free port, for the live-edit
tests (tests/test_live_edits.py) and the benchmark's serve timing (scripts/benchmark.py)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from browser_support import site_path


def get(url: str) -> str:
    """The page's text, or "" while the server cannot answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """The server's output goes to a file (a pipe nobody reads while waiting could fill and block
    the server); `said()` gives its end."""

    def __init__(self, root: Path):
        self.root, port = Path(root), _free_port()
        self.page = f"http://127.0.0.1:{port}{site_path(self.root / 'mkdocs.yml')}essay/"  # under site_url's path
        self.log = self.root / "serve.log"
        mkdocs = os.path.join(os.path.dirname(sys.executable), "mkdocs")
        with self.log.open("w") as err:
            self.server = subprocess.Popen([mkdocs, "serve", "-a", f"127.0.0.1:{port}"], cwd=self.root,
                                           stdout=subprocess.DEVNULL, stderr=err, text=True, start_new_session=True,
                                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})

    def said(self) -> str:
        return "\nmkdocs serve said:\n" + self.log.read_text()[-3000:]

    def wait_for(self, text: str, seconds: float, what: str, poll: float = 0.2) -> float:
        """Seconds until the page shows `text`; AssertionError(what) after `seconds` or if the server stopped."""
        started = time.monotonic()
        while text not in get(self.page):
            if self.server.poll() is not None:  # raised, not asserted: the benchmark may run under -O
                raise AssertionError("mkdocs serve stopped" + self.said())
            if time.monotonic() - started >= seconds:
                raise AssertionError(what + self.said())
            time.sleep(poll)
        return time.monotonic() - started

    def stop(self) -> None:
        if self.server.poll() is None:  # a server that already died has no process group to signal
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=20)
