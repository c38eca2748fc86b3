"""``serve`` stops cleanly on a signal that arrives early: while the URL lines are printed.

A script that starts ``serve`` reads the first ``ID URL`` line and may send SIGINT at once;
the handlers must already be in place then (they used to be installed only after every line
and hint was printed, and such a signal surfaced as a ``KeyboardInterrupt`` traceback).
In-process, so the signal's moment is exact: the output stream sends it on the first write.
"""

from __future__ import annotations

import io
import os
import signal
import socket

import pytest

from crawler.miniportal.serve import serve


class SignalOnFirstWrite(io.StringIO):
    def __init__(self, sig: signal.Signals) -> None:
        super().__init__()
        self.sig = sig

    def write(self, text: str) -> int:
        if not self.getvalue():
            os.kill(os.getpid(), self.sig)
        return super().write(text)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_sent_while_the_urls_are_printed_stops_cleanly(sig: signal.Signals) -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    out, err = SignalOnFirstWrite(sig), io.StringIO()
    assert serve({"nd-giaothuy": 0, "nukeviet": 0}, out=out, err=err) == 0
    lines = out.getvalue().splitlines()
    assert [line.split(" ")[0] for line in lines] == ["nd-giaothuy", "nukeviet"]
    assert err.getvalue().splitlines()[-1] == f"serve: stopped ({sig.name})"
    assert {s: signal.getsignal(s) for s in before} == before  # the handlers are given back
    for line in lines:  # both ports released
        port = int(line.rsplit(":", 1)[1].rstrip("/"))
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
