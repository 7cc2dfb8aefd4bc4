"""The gateway's Flask app: its own few pages (probes, metrics, assets, API docs), then every other
request matched in the routing table, checked, and forwarded to its service.

Order for a forwarded request: request id → route → rate limit (``limits``) → role →
body size → CSRF → forward (breaker) → security headers and access log.
"""
from __future__ import annotations

import concurrent.futures
import logging
import os

import requests
from flask import Flask, Response, g, jsonify, render_template, request, send_from_directory
from flask.sessions import SessionInterface
from jinja2 import ChoiceLoader, PackageLoader
from spplus.chassis.auth import init_auth
from spplus.chassis.settings import Settings
from spplus.chassis.web import error_response
from swagger_ui_bundle import swagger_ui_path
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound
from werkzeug.middleware.proxy_fix import ProxyFix

from . import fastpath, observability, security
from .assets import Assets
from .config import load_routing
from .fastpath import FastForward
from .openapi import CombinedOpenApi
from .proxy import BodyStream, ClientBodyError, Upstreams, UpstreamUnavailable, outgoing_headers, stream_response
from .ratelimit import RouteLimiter
from .routing import RoutingTable

log = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = ("Ce service est momentanément indisponible. Le reste du site fonctionne : "
                       "merci de réessayer dans quelques instants.")
UNROUTED_LIMIT = "1000 per second"
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

# GATEWAY_* variables (read by load_settings("gateway", **DEFAULTS)).
DEFAULTS = {
    "ROUTES_FILE": "",
    "TRUSTED_PROXIES": 0,          # how many proxies in front set X-Forwarded-For/Proto/Host
    "POOL_SIZE": 64,               # kept-alive connections per service and process
    "BREAKER_FAIL_MAX": 5,         # consecutive failures that open a service's circuit
    "BREAKER_RESET_SECONDS": 30.0,  # how long it stays open before one trial request
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_PREFIX": "spplus-gateway",
    "OPENAPI_CACHE_SECONDS": 60.0,
    "HSTS_SECONDS": 63072000,
}


class _NoSessions(SessionInterface):
    def open_session(self, app, request):
        return None  # Flask then uses a null session

    def save_session(self, app, session, response):
        return None


def create_app(settings: Settings, database=None, *, routing: RoutingTable | None = None) -> Flask:
    """``create_app(settings, database)`` as every service; the database is not used."""
    extra = {**DEFAULTS, **settings.extra}
    table = routing or load_routing(extra["ROUTES_FILE"] or None)
    upstreams = Upstreams(table, pool_size=int(extra["POOL_SIZE"]), fail_max=int(extra["BREAKER_FAIL_MAX"]),
                          reset_seconds=float(extra["BREAKER_RESET_SECONDS"]))
    assets = Assets()
    docs = CombinedOpenApi(table, upstreams, cache_seconds=float(extra["OPENAPI_CACHE_SECONDS"]))

    app = Flask(__name__, static_folder=None)
    app.session_interface = _NoSessions()  # the gateway keeps no Flask session: skip its cookie work
    app.config.update(SECRET_KEY=settings.secret_key, SPPLUS_SETTINGS=settings, MAX_CONTENT_LENGTH=64 * 1024)
    app.json.ensure_ascii = False
    app.jinja_loader = ChoiceLoader([app.jinja_loader, PackageLoader("spplus.chassis", "templates")])
    app.jinja_env.globals.update(assets=assets, public_base_url=settings.public_base_url)
    app.extensions.update(spplus_gateway_table=table, spplus_gateway_upstreams=upstreams)
    init_auth(app, settings)

    observability.install(app)

    @app.before_request
    def _route():
        if request.endpoint == "proxy":
            g.route = table.match(request.method, request.path)

    # Counted per process, or in Redis (every replica together) when REDIS_URL is set.
    limiter = RouteLimiter(extra["RATELIMIT_PREFIX"], bool(extra["RATELIMIT_ENABLED"]),
                           os.environ.get("REDIS_URL") or None)
    app.extensions["spplus_gateway_limiter"] = limiter

    # Public GETs skip Flask (see fastpath.py); ProxyFix outside everything sets the client address.
    app.wsgi_app = FastForward(app, table, upstreams, limiter, int(extra["HSTS_SECONDS"]))
    trusted = int(extra["TRUSTED_PROXIES"])
    if trusted > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted, x_host=trusted)

    @app.after_request
    def _headers(response: Response):
        return security.apply_headers(response, int(extra["HSTS_SECONDS"]))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        headers = {}
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)
        return error_response(error.code or 500, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return _http_error(error)
        log.exception("unhandled error")
        return _http_error(InternalServerError())

    # -- the gateway's own pages ------------------------------------------------------------------
    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "service": "gateway"}

    @app.get("/readyz")
    def readyz():
        """Ready while at least one service answers: one service down must not take every
        gateway replica out of the load balancer; the detail says which one is down."""
        def probe(name: str) -> str:
            upstream = table.upstreams[name]
            if upstreams.breakers[name].current_state == "open":
                return "circuit ouvert"
            try:
                response = upstreams.sessions[name].get(upstream.url + "/healthz", timeout=(1, 2))
                response.close()
                return "ok" if response.status_code == 200 else f"erreur {response.status_code}"
            except requests.RequestException as error:
                return f"injoignable ({type(error).__name__})"

        names = sorted(table.upstreams)
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(names)) as pool:
            checks = dict(zip(names, pool.map(probe, names)))
        up = sum(value == "ok" for value in checks.values())
        status = "ok" if up == len(checks) else ("degraded" if up else "unavailable")
        return {"status": status, "checks": checks}, 200 if up else 503

    @app.get("/metrics")
    def metrics():
        return observability.metrics_response()

    @app.get("/static/spplus/<path:filename>")
    def shared_asset(filename):
        return assets.serve(filename)

    @app.get("/favicon.ico")
    def favicon():
        return assets.serve("favicon.svg")

    swagger_dir = swagger_ui_path
    swagger_version = swagger_dir.name  # e.g. swagger-ui-4.15.5: versioned, so cached for good

    @app.get(f"/api/docs/assets/{swagger_version}/<path:filename>", endpoint="swagger_asset")
    def swagger_asset(filename):
        if filename not in ("swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"):
            raise NotFound()
        response = send_from_directory(str(swagger_dir), filename, max_age=31536000)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    @app.get("/api/docs")
    @app.get("/api/docs/")
    def api_docs():
        return render_template("docs.html")

    @app.get("/api/docs/openapi.json", endpoint="openapi_json")
    def openapi_json():
        response = jsonify(docs.document())
        response.headers["Cache-Control"] = "public, max-age=60"
        return response

    # -- everything else goes to a service ----------------------------------------------------------
    @app.route("/", defaults={"path": ""}, methods=ALL_METHODS, endpoint="proxy")
    @app.route("/<path:path>", methods=ALL_METHODS, endpoint="proxy")
    def proxy(path):
        route = g.get("route")
        client = request.remote_addr or "unknown"
        # Handed over by the fast path, which already counted the request or called the service.
        refusal = request.environ.get(fastpath.REFUSAL) or limiter.hit(
            route.rate_limit if route else UNROUTED_LIMIT, route.name if route else "unrouted", client)
        if refusal is not None:
            return error_response(429, headers={"Retry-After": str(refusal.retry_after)})
        if route is None:
            raise NotFound()
        denied = security.check_role(route)
        if denied is not None:
            return denied
        if security.body_too_large(route):
            return error_response(413)
        try:
            denied, prefix = security.check_csrf(settings.secret_key)
        except HTTPException as error:  # body over the limit or client gone while reading it
            return _http_error(error)
        if denied is not None:
            return denied
        body = None
        if prefix or request.content_length or request.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = BodyStream(request.stream, request.content_length, prefix)
        upstream = table.upstream_for(route)
        try:
            if request.environ.get(fastpath.UNAVAILABLE) is not None:
                raise request.environ[fastpath.UNAVAILABLE]
            answer = upstreams.send(upstream, request.method, request.path, request.query_string,
                                    outgoing_headers(request, g.request_id), body)
        except ClientBodyError as error:
            if isinstance(error.error, HTTPException):
                return _http_error(error.error)
            return error_response(400)
        except UpstreamUnavailable as error:
            log.warning("upstream unavailable", extra={"upstream": error.upstream, "reason": error.reason})
            return error_response(503, UNAVAILABLE_MESSAGE, headers={"Retry-After": str(error.retry_after)})
        return stream_response(answer, head=request.method == "HEAD")

    return app
