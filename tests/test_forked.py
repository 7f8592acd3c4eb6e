"""pipeline/forked.py: a function's result or exception comes back from a forked process, and the
same where there is no fork (it is then called when waited for)."""
from __future__ import annotations

import os

import pytest

from pipeline.forked import Forked


def _pid_and_sum(numbers):
    return os.getpid(), sum(numbers)


@pytest.mark.parametrize("fork", [True, False])
def test_a_result_and_an_exception_come_back_with_or_without_fork(fork, monkeypatch):
    if not fork:
        monkeypatch.delattr(os, "fork")
    pid, total = Forked(_pid_and_sum, [1, 2, 3]).wait()
    assert total == 6 and (pid != os.getpid()) == fork
    with pytest.raises(ValueError, match="invalid literal"):
        Forked(int, "x").wait()
    stopped = Forked(sum, [1])
    stopped.stop()  # ended unasked: nothing left running, nothing raised
