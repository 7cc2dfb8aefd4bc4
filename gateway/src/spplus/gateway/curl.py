"""The public GET sent on with libcurl (``pycurl``): the fast path's transport.

A forwarded page costs the gateway about as much CPU as the service spends making it, and most
of the gateway's share was the Python HTTP client (``http.client`` parses every answer's
headers with the ``email`` package). libcurl does the same exchange in C: per request the
gateway keeps only a few callbacks (one per header line, one per body chunk), a third of the
CPU of ``urllib3`` for the same bytes on the wire.

Each thread has one libcurl handle per service, which keeps its connection alive when the
service allows it. The answer is passed on as it arrives: the header callback hands status
and headers to the WSGI server (``start_response``) at the end of the headers, and each body
chunk goes straight to the server's ``write``; a 10 MB download never sits in memory, and a
client that leaves stops the transfer (the connection is then closed, never reused half read).

Everything with a body, and every route with a role, still goes through Flask and
``requests`` (see ``proxy.py``).
"""
from __future__ import annotations

import math
import threading
from collections.abc import Callable

import pycurl

from .routing import Upstream

# (status, headers) -> the WSGI server's write callable
OnAnswer = Callable[[int, list[tuple[str, str]]], Callable[[bytes], object]]

_TIMEOUTS = frozenset({pycurl.E_OPERATION_TIMEDOUT})


class UpstreamError(Exception):
    """The service did not answer: refused, unreachable, timed out or broke off before its
    headers ended (libcurl's error code and message)."""

    def __init__(self, code: int, message: str):
        super().__init__(f"libcurl {code}: {message}")
        self.code = code


class UpstreamTimeout(UpstreamError):
    """The service did not answer in time."""


class AfterAnswer(Exception):
    """The exchange failed once the answer had started (client gone, service broke off
    mid-body) or for a reason that is not the service's: never counted against the service.
    ``started`` tells whether the status line already left for the client."""

    def __init__(self, error: BaseException, started: bool):
        super().__init__(repr(error))
        self.error, self.started = error, started


class _Exchange:
    """One libcurl handle, reused for one service by one thread."""

    def __init__(self, upstream: Upstream, buffer_size: int):
        self.curl = curl = pycurl.Curl()
        curl.setopt(pycurl.NOSIGNAL, 1)                 # several threads: no SIGALRM for timeouts
        curl.setopt(pycurl.PROXY, "")                   # never the environment's proxy variables
        curl.setopt(pycurl.HTTP_VERSION, pycurl.CURL_HTTP_VERSION_1_1)
        curl.setopt(pycurl.PATH_AS_IS, 1)               # the path as the gateway quoted it, no "../" squashing
        curl.setopt(pycurl.FOLLOWLOCATION, 0)
        curl.setopt(pycurl.BUFFERSIZE, buffer_size)
        curl.setopt(pycurl.CONNECTTIMEOUT_MS, max(1, int(upstream.connect_timeout * 1000)))
        # Read timeout as between two reads: less than one byte a second for that long (libcurl
        # counts it in whole seconds, so a sub-second read_timeout waits one second here).
        curl.setopt(pycurl.LOW_SPEED_LIMIT, 1)
        curl.setopt(pycurl.LOW_SPEED_TIME, max(1, math.ceil(upstream.read_timeout)))
        curl.setopt(pycurl.HEADERFUNCTION, self._header)
        curl.setopt(pycurl.WRITEFUNCTION, self._body)
        self._reset(None)

    def _reset(self, on_answer: OnAnswer | None) -> None:
        self.on_answer, self.write = on_answer, None
        self.status, self.headers, self.started, self.failure = 0, [], False, None

    def perform(self, method: str, url: str, header_lines: list[bytes], on_answer: OnAnswer) -> None:
        """Send the request; ``on_answer`` is called once the headers are in. Raises
        ``UpstreamError`` (before the answer: the service's failure) or ``AfterAnswer``."""
        curl = self.curl
        self._reset(on_answer)
        curl.setopt(pycurl.URL, url)
        curl.setopt(pycurl.HTTPHEADER, header_lines)
        if method == "HEAD":
            curl.setopt(pycurl.NOBODY, 1)
        else:
            curl.setopt(pycurl.HTTPGET, 1)
        try:
            curl.perform()
        except pycurl.error as error:
            if self.failure is not None:
                raise AfterAnswer(self.failure, self.started) from error
            if self.started:
                raise AfterAnswer(error, True) from error
            code, message = error.args
            raise (UpstreamTimeout if code in _TIMEOUTS else UpstreamError)(code, message) from error
        finally:
            self._reset(None)

    # libcurl's callbacks: an exception must not escape them (pycurl would print it and abort
    # with a generic error); it is kept, the transfer is aborted, and ``perform`` raises it.
    def _header(self, line: bytes):
        try:
            if line.startswith(b"HTTP/"):                   # a status line (several with 1xx answers)
                self.status, self.headers = int(line.split(None, 2)[1]), []
            elif line in (b"\r\n", b"\n"):
                if self.status >= 200:
                    self.write = self.on_answer(self.status, self.headers)
                    self.started = True
            elif line[:1] in (b" ", b"\t") and self.headers:   # an obsolete folded line
                name, value = self.headers[-1]
                self.headers[-1] = (name, value + " " + line.decode("latin-1").strip())
            else:
                name, _, value = line.decode("latin-1").partition(":")
                self.headers.append((name.strip(), value.strip()))
        except BaseException as error:  # noqa: BLE001 - see above
            self.failure = error
            return -1
        return None

    def _body(self, chunk: bytes):
        try:
            self.write(chunk)
        except BaseException as error:  # noqa: BLE001 - the client left, most often
            self.failure = error
            return -1
        return None


class CurlTransport:
    """libcurl handles per thread and service."""

    def __init__(self, buffer_size: int):
        self.buffer_size = buffer_size
        self._local = threading.local()

    def exchange(self, upstream: Upstream) -> _Exchange:
        handles = self._local.__dict__
        exchange = handles.get(upstream.name)
        if exchange is None:
            exchange = handles[upstream.name] = _Exchange(upstream, self.buffer_size)
        return exchange
