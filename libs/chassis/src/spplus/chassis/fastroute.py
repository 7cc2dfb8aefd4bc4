"""A busy public read answered in front of Flask.

For a GET whose answer depends on its query string alone (no cookie, session or body), Flask's
request context, routing, hooks and argument parsing cost as much as the work itself. A
``FastRoute`` answers such a route with what Flask's hooks would add — the request id
(``X-Request-ID`` taken or created, made the correlation id of the logs), the security headers,
the request metric and the access log line — and hands Flask, unchanged, every other request and
every request its handler declines: invalid arguments get the documented French error from the
Flask view, which validates the same way; an unexpected error gets Flask's logged 500.
"""
from __future__ import annotations

import logging
import time
import urllib.parse
from collections.abc import Callable

from .logs import reset_correlation_id, set_correlation_id
from .web import SECURITY_HEADERS, record_request, request_id_from

log = logging.getLogger(__name__)

SAFE = frozenset({"GET", "HEAD"})


def first_values(query_string: str) -> dict[str, str]:
    """Query arguments as Flask reads them for a single-valued field: the first value of each
    name, blanks kept. ``query_string`` is the WSGI ``QUERY_STRING`` (bytes read as latin-1)."""
    decoded = query_string.encode("latin-1").decode("utf-8", "replace")
    arguments: dict[str, str] = {}
    for name, value in urllib.parse.parse_qsl(decoded, keep_blank_values=True, errors="replace"):
        arguments.setdefault(name, value)
    return arguments


class FastRoute:
    """WSGI middleware: ``handler(query_string)`` returns the JSON body of a 200, or None to let
    Flask answer (for instance an invalid argument)."""

    def __init__(self, wsgi_app, service: str, path: str, handler: Callable[[str], bytes | None],
                 content_type: str = "application/json"):
        self.next, self.service, self.path, self.handler = wsgi_app, service, path, handler
        self.content_type = content_type

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        if method not in SAFE or environ.get("PATH_INFO") != self.path:
            return self.next(environ, start_response)
        started = time.perf_counter()
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        token = set_correlation_id(request_id)
        try:
            try:
                body = self.handler(environ.get("QUERY_STRING", ""))
            except Exception:  # noqa: BLE001 - Flask's view tries again, or answers the French 500
                log.exception("fast route failed; Flask answers instead")
                body = None
            if body is None:
                return self.next(environ, start_response)
            start_response("200 OK", [("Content-Type", self.content_type), ("Content-Length", str(len(body))),
                                      *SECURITY_HEADERS, ("X-Request-ID", request_id)])
            record_request(self.service, method, self.path, 200, time.perf_counter() - started)
        finally:
            reset_correlation_id(token)
        return [b"" if method == "HEAD" else body]
