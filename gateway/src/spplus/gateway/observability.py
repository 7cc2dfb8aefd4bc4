"""Request id, JSON access log and metrics per route and upstream.

The access log names the matched route (``"GET /experiences"``), never the real path or query
(they may carry a follow-up token or search words), nor the client's address.
"""
from __future__ import annotations

import logging
import os
import time
import uuid

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest, multiprocess
from spplus.chassis.logs import reset_correlation_id, set_correlation_id

access_log = logging.getLogger("spplus.access")

REQUESTS = Histogram("spplus_gateway_request_duration_seconds",
                     "Requests through the gateway, until the service's answer starts",
                     ["route", "upstream", "method", "status"],
                     buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30))


def valid_request_id(value: str) -> bool:
    return 0 < len(value) <= 200 and value.isprintable() and value.isascii()


def install(app: Flask) -> None:
    @app.before_request
    def _start():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if valid_request_id(incoming) else str(uuid.uuid4())
        g.correlation_token = set_correlation_id(g.request_id)
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response: Response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if "started" not in g:
            return response
        elapsed = time.perf_counter() - g.started
        route = g.get("route")
        if route is not None:
            route_label, upstream = route.name, route.upstream
        else:
            route_label, upstream = (request.url_rule.rule if request.url_rule else "unmatched"), "gateway"
        REQUESTS.labels(route_label, upstream, request.method, response.status_code).observe(elapsed)
        if route_label not in ("/healthz", "/readyz", "/metrics"):
            access_log.info("request", extra={"method": request.method, "route": route_label, "upstream": upstream,
                                              "status": response.status_code,
                                              "duration_ms": round(elapsed * 1000, 2)})
        return response

    @app.teardown_request
    def _reset(_exc):
        token = g.pop("correlation_token", None)
        if token is not None:
            reset_correlation_id(token)


def metrics_response() -> Response:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return Response(body, headers={"Content-Type": CONTENT_TYPE_LATEST})
