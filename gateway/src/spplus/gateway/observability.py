"""Request id, JSON access log and metrics per route and upstream.

The access log names the matched route (``"GET /experiences"``), never the real path or query
(they may carry a follow-up token or search words), nor the client's address.
"""
from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, Histogram
from spplus.chassis.web import install_request_id, metrics_body

access_log = logging.getLogger("spplus.access")

REQUESTS = Histogram("spplus_gateway_request_duration_seconds",
                     "Requests through the gateway, until the service's answer starts",
                     ["route", "upstream", "method", "status"],
                     buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30))


def record(route: str, upstream: str, method: str, status: int, elapsed: float) -> None:
    """The request metric and, except for probes, the access log line."""
    REQUESTS.labels(route, upstream, method, status).observe(elapsed)
    if route not in ("/healthz", "/readyz", "/metrics"):
        access_log.info("request", extra={"method": method, "route": route, "upstream": upstream,
                                          "status": status, "duration_ms": round(elapsed * 1000, 2)})


def install(app: Flask) -> None:
    install_request_id(app)

    @app.after_request
    def _finish(response: Response):
        if "started" not in g:
            return response
        elapsed = time.perf_counter() - g.started
        route = g.get("route")
        if route is not None:
            route_label, upstream = route.name, route.upstream
        else:
            route_label, upstream = (request.url_rule.rule if request.url_rule else "unmatched"), "gateway"
        record(route_label, upstream, request.method, response.status_code, elapsed)
        return response


def metrics_response() -> Response:
    return Response(metrics_body(), headers={"Content-Type": CONTENT_TYPE_LATEST})
