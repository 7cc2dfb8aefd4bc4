"""The public GET, forwarded without Flask.

Most of the traffic is anonymous pages and API reads: GET or HEAD, no body, a route without a
role. For those, this WSGI layer (inside ``ProxyFix``, in front of Flask) does what the Flask view
would do — request id, rate limit, forwarding headers, breaker, security headers, metrics and
access log — with the same functions, and skips Flask's request context, routing and hooks,
which cost as much as the forwarding itself; the service is called with libcurl (``curl.py``)
and its answer streamed to the server's ``write`` as it arrives. Everything else goes to Flask
unchanged: back-office routes (role check), unsafe methods (CSRF, body limits), the gateway's
own pages, and every error answer (a refusal or an unavailable service is handed to the Flask
view, which renders the French page or JSON without counting or calling the service again).
"""
from __future__ import annotations

import http
import logging
import time

from spplus.chassis.logs import reset_correlation_id, set_correlation_id
from spplus.chassis.fastroute import SAFE
from spplus.chassis.web import SECURITY_HEADERS, request_id_from
from werkzeug.exceptions import HTTPException

from . import observability
from .curl import AfterAnswer
from .proxy import Upstreams, UpstreamUnavailable, forwarded_headers, response_headers
from .ratelimit import RouteLimiter
from .routing import RoutingTable

log = logging.getLogger(__name__)

# Set in the environ when the fast path hands a request to Flask for its error answer.
REFUSAL = "spplus.gateway.refusal"
UNAVAILABLE = "spplus.gateway.unavailable"


class FastForward:
    def __init__(self, flask_app, table: RoutingTable, upstreams: Upstreams, limiter: RouteLimiter,
                 hsts_seconds: int):
        self.next = flask_app.wsgi_app       # Flask's WSGI entry
        self.table, self.upstreams, self.limiter = table, upstreams, limiter
        self.hsts = f"max-age={hsts_seconds}; includeSubDomains" if hsts_seconds else None
        self.url_map = flask_app.url_map

    def _route(self, environ):
        """The table's route when this request may take the fast path, else None."""
        if environ["REQUEST_METHOD"] not in SAFE or environ.get("CONTENT_LENGTH") not in (None, "", "0") \
                or "HTTP_TRANSFER_ENCODING" in environ:
            return None
        try:
            endpoint, _arguments = self.url_map.bind_to_environ(environ).match()
        except HTTPException:
            return None
        if endpoint != "proxy":  # the gateway's own pages
            return None
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        route = self.table.match(environ["REQUEST_METHOD"], path)
        if route is None or route.role is not None:
            return None
        return route, path

    def __call__(self, environ, start_response):
        found = self._route(environ)
        if found is None:
            return self.next(environ, start_response)
        route, path = found
        started = time.perf_counter()
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        token = set_correlation_id(request_id)
        method = environ["REQUEST_METHOD"]
        try:
            client = environ.get("REMOTE_ADDR")
            refusal = self.limiter.hit(route.rate_limit, route.name, client or "unknown")
            if refusal is not None:
                environ[REFUSAL] = refusal
                return self.next(environ, start_response)

            def on_answer(status: int, service_headers: list[tuple[str, str]]):
                # The gateway's own request id and security headers replace whatever the service sent.
                headers = [(key, value) for key, value in response_headers(service_headers)
                           if key.lower() != "x-request-id"]
                headers.extend(SECURITY_HEADERS)
                if self.hsts and environ["wsgi.url_scheme"] == "https":
                    headers.append(("Strict-Transport-Security", self.hsts))
                headers.append(("X-Request-ID", request_id))
                observability.record(route.name, route.upstream, method, status, time.perf_counter() - started)
                # Last: until it is called, a failure here still lets Flask answer the request.
                return start_response(f"{status} {_phrase(status)}", headers)

            try:
                self.upstreams.forward_bodiless(
                    self.table.upstream_for(route), method, path, environ.get("QUERY_STRING", "").encode("latin-1"),
                    forwarded_headers(environ, client, request_id), on_answer)
            except UpstreamUnavailable as error:
                environ[UNAVAILABLE] = error
                return self.next(environ, start_response)
            except AfterAnswer as failure:
                if failure.started:  # the status line is gone: the server can only cut the answer short
                    if not isinstance(failure.error, OSError):
                        log.warning("answer cut short", extra={"upstream": route.upstream,
                                                               "error": type(failure.error).__name__})
                    raise failure.error from None
                log.error("fast path could not pass the answer on; the request goes through Flask",
                          exc_info=failure.error)
                return self.next(environ, start_response)
        finally:
            reset_correlation_id(token)
        return ()


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""
