"""A function run in a forked process, what it returned (or the exception it raised) sent back
through a pipe. The build sets the PDF in one while the site builds (pipeline/build.py); the figure
build validates data in one while it imports the drawing libraries, and draws one chart's two
layouts side by side (pipeline/figures/build.py)."""
from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys


class Forked:
    """function(*args) in a forked process. `wait()` returns what it returned or raises what it
    raised; `stop()` ends it unasked. Where there is no fork, `wait()` calls it in this process:
    the same result, one after the other."""

    def __init__(self, function, *args):
        self.pid = None
        if not hasattr(os, "fork"):
            self._later = (function, args)
            return
        self._later = None
        sys.stdout.flush()
        sys.stderr.flush()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            os.close(read)
            try:
                outcome = ("returned", function(*args))
            except BaseException as err:  # noqa: BLE001 - raised again in the parent
                outcome = ("raised", err)
            try:
                sent = pickle.dumps(outcome)
            except Exception:  # an exception (or a result) that does not pickle: its type and message
                sent = pickle.dumps(("raised", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(sent)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        os.close(write)
        self.pid, self._read = pid, read

    def wait(self):
        if self._later:
            function, args = self._later
            self._later = None
            return function(*args)
        with os.fdopen(self._read, "rb") as pipe:
            sent = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if not sent:
            raise RuntimeError(f"a forked process stopped (exit status {os.waitstatus_to_exitcode(status)})")
        kind, value = pickle.loads(sent)
        if kind == "raised":
            raise value
        return value

    def stop(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            os.close(self._read)
            self.pid = None
