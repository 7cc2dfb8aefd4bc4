"""App-factory helpers: every service's Flask app gets the same errors, ids, logs, health and metrics.

- errors: JSON ``{"code", "status", "message", "errors"}`` under ``/api/``, a French HTML page
  elsewhere; never a stack trace; unexpected exceptions are logged and answered 500;
- ``X-Request-ID``: taken from the caller or created, set as the correlation id of the request
  and of every event recorded while handling it, and sent back;
- ``/healthz`` (process alive), ``/readyz`` (database and broker reachable), ``/metrics``;
- security headers (the gateway sets them too; a service reached directly is just as strict).
"""
from __future__ import annotations

import logging
import os
import time
import uuid

import flask
import pika.exceptions
from flask import Flask, g, jsonify, render_template, request
from flask_smorest import Api
from jinja2 import ChoiceLoader, PackageLoader
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest, multiprocess
from werkzeug.exceptions import HTTPException, InternalServerError

from . import amqp, i18n  # noqa: F401 - i18n installs French validation messages
from .db import Database
from .logs import reset_correlation_id, set_correlation_id
from .settings import Settings

log = logging.getLogger(__name__)
access_log = logging.getLogger("spplus.access")

REQUESTS = Histogram("spplus_http_request_duration_seconds", "HTTP requests", ["service", "method", "endpoint", "status"])

FRENCH_STATUS = {
    400: ("Requête invalide", "La requête est mal formée (par exemple un JSON invalide)."),
    401: ("Authentification requise", "Vous devez être connecté pour accéder à cette page."),
    403: ("Accès refusé", "Vous n'avez pas les droits nécessaires pour cette action."),
    404: ("Page introuvable", "La page ou la ressource demandée n'existe pas."),
    405: ("Méthode non autorisée", "Cette méthode n'est pas acceptée à cette adresse."),
    409: ("Conflit", "Cette action n'est pas possible dans l'état actuel."),
    410: ("Lien expiré", "Ce lien n'est plus valable."),
    413: ("Requête trop volumineuse", "Les données envoyées dépassent la taille autorisée."),
    415: ("Type de contenu non pris en charge", "Envoyez les données au format JSON (application/json)."),
    422: ("Données invalides", "Certaines informations sont invalides ; voyez le détail par champ."),
    429: ("Trop de requêtes", "Vous avez fait trop de demandes. Merci de réessayer un peu plus tard."),
    500: ("Erreur interne", "Une erreur inattendue est survenue. Merci de réessayer plus tard."),
    503: ("Service indisponible", "Ce service est momentanément indisponible. Merci de réessayer plus tard."),
}


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(code: int, message: str | None = None, errors: dict | None = None, headers=None):
    """The one error shape of the platform, as JSON or as a French HTML page."""
    title, default_message = FRENCH_STATUS.get(code, (str(code), "Une erreur est survenue."))
    payload = {"code": code, "status": title, "message": message or default_message}
    if errors:
        payload["errors"] = errors
    if wants_json():
        response = jsonify(payload)
    else:
        response = flask.make_response(render_template("error.html", error=payload))
    response.status_code = code
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _handle_http_exception(error: HTTPException):
    data = getattr(error, "data", {}) or {}
    errors = data.get("messages") or data.get("errors")
    message = data.get("message")
    if message is None and error.description and error.code not in FRENCH_STATUS and error.code:
        message = error.description
    headers = dict(data.get("headers") or {})
    if error.code == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(error.code or 500, message, errors, headers)


def _handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _handle_http_exception(error)
    log.exception("unhandled error")
    return _handle_http_exception(InternalServerError())


class FrenchApi(Api):
    """flask-smorest Api whose errors use the platform's French shape."""

    def handle_http_exception(self, error):
        return _handle_http_exception(error)


def create_base_app(name: str, settings: Settings, database: Database, import_name: str,
                    title: str, max_content_length: int = 64 * 1024) -> tuple[Flask, FrenchApi]:
    app = Flask(import_name)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=max_content_length,
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
        SPPLUS_SETTINGS=settings,
        SPPLUS_DATABASE=database,
    )
    app.json.ensure_ascii = False
    app.jinja_loader = ChoiceLoader([app.jinja_loader, PackageLoader("spplus.chassis", "templates")])
    app.jinja_env.globals["public_base_url"] = settings.public_base_url
    app.register_blueprint(flask.Blueprint("spplus_static", __name__, static_folder="static",
                                           static_url_path="/static/spplus"))
    api = FrenchApi(app)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(Exception, _handle_unexpected)
    _install_request_hooks(app, name)
    _install_probes(app, name, settings, database)
    return app, api


def valid_request_id(value: str) -> bool:
    return 0 < len(value) <= 200 and value.isprintable() and value.isascii()


def request_id_from(incoming: str) -> str:
    """The caller's ``X-Request-ID`` when sane, else a new one."""
    return incoming if valid_request_id(incoming) else str(uuid.uuid4())


def record_request(service: str, method: str, route: str, status: int, elapsed: float) -> None:
    """The request metric and, except for probes, the access log line. The route, not the
    path: paths carry secret tokens (/suivi/<token>) and query strings search words; no
    personal data or secret is ever logged."""
    REQUESTS.labels(service, method, route, status).observe(elapsed)
    if route not in ("/healthz", "/readyz", "/metrics"):
        access_log.info("request", extra={"method": method, "route": route, "status": status,
                                          "duration_ms": round(elapsed * 1000, 2)})


def install_request_id(app: Flask) -> None:
    """``X-Request-ID`` taken from the caller (when sane) or created, made the correlation id of
    the request (logs, events recorded meanwhile) and sent back; ``g.started`` times the request."""

    @app.before_request
    def _start():
        g.request_id = request_id_from(request.headers.get("X-Request-ID", ""))
        g.correlation_token = set_correlation_id(g.request_id)
        g.started = time.perf_counter()

    @app.after_request
    def _send_back(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response

    @app.teardown_request
    def _reset(_exc):
        token = g.pop("correlation_token", None)
        if token is not None:
            reset_correlation_id(token)


def metrics_body() -> bytes:
    """Prometheus exposition of this process, or of every gunicorn worker in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest()


def _install_request_hooks(app: Flask, name: str) -> None:
    install_request_id(app)

    @app.after_request
    def _finish(response):
        apply_security_headers(response)
        if "started" in g:
            record_request(name, request.method, request.url_rule.rule if request.url_rule else "unmatched",
                           response.status_code, time.perf_counter() - g.started)
        return response


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'self'; object-src 'none'")


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
)


def apply_security_headers(response) -> None:
    headers = response.headers
    for name, value in SECURITY_HEADERS:
        headers.setdefault(name, value)


def _install_probes(app: Flask, name: str, settings: Settings, database: Database) -> None:
    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "service": name}

    @app.get("/readyz")
    def readyz():
        checks = {}
        try:
            database.ping()
            checks["database"] = "ok"
        except Exception as error:  # noqa: BLE001
            checks["database"] = f"error: {type(error).__name__}"
        try:
            amqp.connect(settings, "readyz").close()
            checks["broker"] = "ok"
        except (pika.exceptions.AMQPError, OSError) as error:
            checks["broker"] = f"error: {type(error).__name__}"
        ready = all(value == "ok" for value in checks.values())
        return {"status": "ok" if ready else "unavailable", "checks": checks}, 200 if ready else 503

    @app.get("/metrics")
    def metrics():
        return metrics_body(), 200, {"Content-Type": CONTENT_TYPE_LATEST}
