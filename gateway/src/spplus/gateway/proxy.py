"""Forwarding to the services: pooled connections, bodies streamed both ways, a breaker per upstream.

The request body goes to the service as it arrives (``BodyStream`` reads the WSGI input in
64 KB chunks) and the answer comes back the same way (``urllib3`` raw stream, content left
encoded as the service sent it), so a 10 MB upload or download never sits whole in memory.
Public GETs without body take libcurl instead (``forward_bodiless``, ``curl.py``), through the
same breaker.
"""
from __future__ import annotations

import http.cookiejar
import logging
import re
from collections.abc import Iterator
from urllib.parse import quote

import requests
from flask import Request, Response
from prometheus_client import Counter, Gauge
from requests.adapters import HTTPAdapter
from werkzeug.datastructures import EnvironHeaders, Headers
from werkzeug.exceptions import HTTPException
from werkzeug.wsgi import get_host

from . import curl
from .breaker import OPEN, Breaker, CircuitOpen
from .routing import RoutingTable, Upstream

log = logging.getLogger(__name__)

CHUNK = 64 * 1024

# RFC 9110 section 7.6.1, plus the non-standard ones still seen in the wild.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
                        "trailers", "transfer-encoding", "upgrade", "proxy-connection"})
# What the outside may never assert: the gateway sets the forwarding headers itself, and any
# identity or internal header would otherwise be trusted by a careless service.
STRIPPED = frozenset({"host", "forwarded", "x-real-ip", "x-client-ip", "true-client-ip", "remote-user",
                      "x-remote-user", "x-user", "x-user-id", "x-user-email", "x-user-roles", "x-roles",
                      "x-principal", "x-authenticated-user", "x-request-id"})
STRIPPED_PREFIXES = ("x-spplus-", "x-forwarded-", "x-auth-", "x-original-", "x-internal-", "x-remote-")

UPSTREAM_ERRORS = Counter("spplus_gateway_upstream_errors_total", "Upstream failures", ["upstream", "kind"])
CIRCUIT_OPEN = Gauge("spplus_gateway_circuit_open", "1 while the upstream's circuit is open", ["upstream"],
                     multiprocess_mode="max")


class UpstreamUnavailable(Exception):
    """The service did not answer (refused, timed out, or its circuit is open)."""

    def __init__(self, upstream: str, reason: str, retry_after: int):
        super().__init__(f"{upstream}: {reason}")
        self.upstream, self.reason, self.retry_after = upstream, reason, retry_after


class ClientBodyError(Exception):
    """Reading the client's body failed (too large, client gone): not the upstream's fault."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


class _NoCookies(http.cookiejar.CookiePolicy):
    """The pooled session must never keep one client's cookies for the next."""

    netscape, rfc2965, hide_cookie2 = True, False, False

    def set_ok(self, cookie, request):
        return False

    def return_ok(self, cookie, request):
        return False

    def domain_return_ok(self, domain, request):
        return False

    def path_return_ok(self, path, request):
        return False


class BodyStream:
    """The client's body as an iterable with a length, read chunk by chunk while it is sent on."""

    def __init__(self, stream, length: int | None, prefix: bytes = b""):
        self.stream, self.length, self.prefix = stream, length, prefix
        self.error: Exception | None = None

    def __len__(self) -> int:
        # requests sends Content-Length when it knows the length, otherwise chunked encoding.
        return self.length or 0

    def __bool__(self) -> bool:
        # requests replaces a falsy body by {} (`data or {}`): an unknown length is not "empty".
        return True

    def __iter__(self) -> Iterator[bytes]:
        if self.prefix:
            yield self.prefix
        while True:
            try:
                chunk = self.stream.read(CHUNK)
            except (HTTPException, OSError, ValueError) as error:
                self.error = error
                raise
            if not chunk:
                return
            yield chunk


def outgoing_headers(request: Request, request_id: str) -> dict[str, str]:
    return forwarded_headers(request.environ, request.remote_addr, request_id)


def forwarded_headers(environ: dict, client: str | None, request_id: str) -> dict[str, str]:
    """The client's headers as the service receives them: identity, internal and hop-by-hop
    headers dropped, forwarding headers set by the gateway itself."""
    incoming = EnvironHeaders(environ)
    connection_tokens = {token.strip().lower() for token in incoming.get("Connection", "").split(",")}
    headers = {}
    for key, value in incoming.items():
        lower = key.lower()
        if (lower in HOP_BY_HOP or lower in STRIPPED or lower in connection_tokens
                or lower.startswith(STRIPPED_PREFIXES)):
            continue
        headers[key] = value
    headers["X-Forwarded-For"] = client or ""
    headers["X-Forwarded-Proto"] = environ["wsgi.url_scheme"]
    headers["X-Forwarded-Host"] = get_host(environ)
    headers["X-Request-ID"] = request_id
    return headers


# Set by the gateway on every answer (security.apply_headers), whatever the service sent.
REPLACED = frozenset({"content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options",
                      "permissions-policy"})


def response_headers(pairs) -> list[tuple[str, str]]:
    """The service's answer headers (name, value pairs) that go on to the client."""
    pairs = list(pairs)
    connection_tokens = {token.strip().lower() for key, value in pairs if key.lower() == "connection"
                         for token in value.split(",")}
    kept = []
    for key, value in pairs:
        lower = key.lower()
        if not (lower in HOP_BY_HOP or lower in REPLACED or lower in connection_tokens
                or lower.startswith("x-spplus-")):
            kept.append((key, value))
    return kept


_SAFE_PATH = "/:@!$&'()*+,;=-._~"
_UNSAFE_TARGET = re.compile(r"[\x00-\x20\x7f]")


def _target(path: str, query: bytes) -> str:
    """The request target as sent on to the service: the path quoted, the query passed as the
    client sent it but for characters that may not stand in a request line."""
    target = quote(path, safe=_SAFE_PATH)
    if query:
        target += "?" + _UNSAFE_TARGET.sub(lambda m: quote(m.group()), query.decode("latin-1"))
    return target


class Upstreams:
    """One pooled ``requests.Session``, libcurl handles per thread (``curl.py``) and one circuit
    breaker per service."""

    def __init__(self, table: RoutingTable, pool_size: int = 32, fail_max: int = 5, reset_seconds: float = 30.0):
        self.table = table
        self.reset_seconds = reset_seconds
        self.sessions: dict[str, requests.Session] = {}
        self.curl = curl.CurlTransport(CHUNK)  # the fast path's transport
        self.breakers: dict[str, Breaker] = {}
        for name in table.upstreams:
            session = requests.Session()
            session.trust_env = False          # no proxy variables or .netrc look-ups per request
            session.headers.clear()            # only what the client sent, filtered
            session.cookies.set_policy(_NoCookies())
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self.sessions[name] = session
            # Counted against the service: it could not be reached or did not answer in time.
            self.breakers[name] = Breaker(name, fail_max, reset_seconds,
                                          failures=(requests.RequestException, curl.UpstreamError),
                                          on_change=_circuit_changed)

    def send(self, upstream: Upstream, method: str, path: str, query: bytes, headers: dict,
             body: BodyStream | None, timeout: tuple[float, float] | None = None) -> requests.Response:
        """Send the request; raises ``UpstreamUnavailable`` or ``ClientBodyError``."""
        url = upstream.url + _target(path, query)
        session = self.sessions[upstream.name]
        adapter = session.get_adapter(url)
        prepared = requests.PreparedRequest()
        # Prepared by hand: the session's merging of cookies, auth, proxies and environment
        # settings is useless here (all disabled) and costs more than the forwarding itself.
        prepared.prepare(method=method, url=url, headers=headers, data=body)

        def call():
            try:
                return adapter.send(prepared, stream=True, timeout=timeout or (upstream.connect_timeout,
                                                                               upstream.read_timeout),
                                    verify=True, cert=None, proxies=None)
            except Exception as error:
                if body is not None and body.error is not None:
                    raise ClientBodyError(body.error) from error
                raise

        return self._guarded(upstream, call, requests.Timeout, requests.RequestException)

    def forward_bodiless(self, upstream: Upstream, method: str, path: str, query: bytes, headers: dict,
                         on_answer: curl.OnAnswer) -> None:
        """A GET or HEAD without body sent with libcurl (``curl.py``), its answer handed to
        ``on_answer`` and streamed to the returned ``write``; same breaker and errors as ``send``
        (``curl.AfterAnswer`` once the answer has started, never counted against the service)."""
        lines = [f"{key}: {value}".encode("latin-1") for key, value in headers.items()]
        if "Accept" not in headers:
            lines.append(b"Accept:")  # libcurl would add "Accept: */*"
        exchange = self.curl.exchange(upstream)
        url = upstream.url + _target(path, query)
        self._guarded(upstream, lambda: exchange.perform(method, url, lines, on_answer),
                      curl.UpstreamTimeout, curl.UpstreamError)

    def _guarded(self, upstream: Upstream, call, timeouts, failures):
        """``call()`` through the upstream's breaker; its failures become ``UpstreamUnavailable``."""
        try:
            return self.breakers[upstream.name].call(call)
        except CircuitOpen as error:
            UPSTREAM_ERRORS.labels(upstream.name, "circuit_open").inc()
            raise UpstreamUnavailable(upstream.name, "circuit open", int(self.reset_seconds)) from error
        except timeouts as error:
            UPSTREAM_ERRORS.labels(upstream.name, "timeout").inc()
            raise UpstreamUnavailable(upstream.name, "timeout", 5) from error
        except failures as error:
            UPSTREAM_ERRORS.labels(upstream.name, "connection").inc()
            raise UpstreamUnavailable(upstream.name, type(error).__name__, 5) from error

    def close(self) -> None:
        for session in self.sessions.values():
            session.close()


def _circuit_changed(upstream: str, state: str) -> None:
    CIRCUIT_OPEN.labels(upstream).set(1 if state == OPEN else 0)
    log.warning("circuit state changed", extra={"upstream": upstream, "state": state})


def stream_response(upstream_response: requests.Response, head: bool) -> Response:
    """The service's answer, passed on as it is read (content kept encoded as sent)."""
    raw = upstream_response.raw

    def body() -> Iterator[bytes]:
        try:
            if not head:
                yield from raw.stream(CHUNK, decode_content=False)
        finally:
            upstream_response.close()

    response = Response(body(), status=upstream_response.status_code, direct_passthrough=True)
    # Replaced whole, so no default Content-Type is added to an answer that had none.
    response.headers = Headers(response_headers(raw.headers.items()))
    response.spplus_forwarded = True
    # Also when the body is never iterated (client gone first): the connection goes back or is closed.
    response.call_on_close(upstream_response.close)
    return response
