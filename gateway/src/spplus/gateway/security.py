"""What is checked before a request goes on, and the headers every answer leaves with.

- back-office routes: a valid session token with the route's role, else a redirect to
  ``/connexion?suivant=...`` (pages) or 401/403 JSON (API); the service checks again;
- CSRF: the chassis scheme (``spplus.chassis.csrf``, signed double-submit), checked here for
  unsafe requests that carry the session cookie and no ``Authorization: Bearer``;
- body size: the route's limit (``max_body``) → 413 before anything reaches the service;
- headers: the platform's CSP and companions forced on every answer, HSTS behind TLS.
"""
from __future__ import annotations

import hmac
import re
from urllib.parse import parse_qs, urlencode

from flask import Response, redirect, request
from spplus.chassis import csrf
from spplus.chassis.auth import SESSION_COOKIE, current_principal, is_bearer_request
from spplus.chassis.web import apply_security_headers, error_response, wants_json

from .routing import Route

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# How much of a form body the gateway reads to find the CSRF field; the rest streams untouched.
CSRF_PEEK = 64 * 1024
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
                    "Permissions-Policy")
_MULTIPART_FIELD = re.compile(
    rb'content-disposition:[^\r\n]*\bname="' + csrf.FIELD.encode() + rb'"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([^\r\n]*)\r\n',
    re.IGNORECASE)


def check_role(route: Route) -> Response | None:
    """None when the caller may go on; otherwise the answer to give instead."""
    if route.role is None:
        return None
    principal = current_principal()
    if principal is None:
        if wants_json():
            return error_response(401)
        target = request.path + (("?" + request.query_string.decode("latin-1")) if request.query_string else "")
        return redirect("/connexion?" + urlencode({"suivant": target}), code=303)
    if route.role != "authenticated" and not principal.has_role(route.role):
        return error_response(403)
    return None


def body_too_large(route: Route) -> bool:
    # Also bounds a chunked body while it streams (werkzeug answers 413 past the limit; +1 so a
    # body of exactly the limit reaches its end before werkzeug looks further).
    request.max_content_length = route.max_body + 1
    return request.content_length is not None and request.content_length > route.max_body


def check_csrf(secret: str) -> tuple[Response | None, bytes]:
    """(answer to give instead or None, bytes already read from the body to send first)."""
    if request.method not in UNSAFE_METHODS or is_bearer_request() or SESSION_COOKIE not in request.cookies:
        return None, b""
    cookie = request.cookies.get(csrf.COOKIE)
    sent = request.headers.get(csrf.HEADER)
    prefix, complete = b"", True
    if sent is None and request.mimetype in FORM_TYPES:
        prefix, complete = _peek(CSRF_PEEK)
        sent = _form_token(prefix)
        if sent is None and not complete:
            # The field lies beyond what we read (a form with its token after a large file):
            # the service, which parses the whole form, checks it with the same scheme.
            return None, prefix
    if not (csrf.is_valid(secret, cookie) and sent and hmac.compare_digest(sent, cookie)):
        return error_response(403, csrf.MESSAGE), prefix
    return None, prefix


def _peek(size: int) -> tuple[bytes, bool]:
    chunks, read = [], 0
    while read < size:
        chunk = request.stream.read(size - read)
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)
        read += len(chunk)
    data = b"".join(chunks)
    return data, request.content_length is not None and request.content_length <= len(data)


def _form_token(data: bytes) -> str | None:
    if request.mimetype == "multipart/form-data":
        match = _MULTIPART_FIELD.search(data)
        return match.group(1).decode("latin-1") if match else None
    values = parse_qs(data.decode("latin-1")).get(csrf.FIELD)
    return values[0] if values else None


def apply_headers(response: Response, hsts_seconds: int) -> Response:
    """The platform's security headers, whatever the service sent (a forwarded answer has had
    the service's own removed already, see ``proxy.response_headers``)."""
    if not getattr(response, "spplus_forwarded", False):
        for name in SECURITY_HEADERS:
            response.headers.pop(name, None)
    apply_security_headers(response)
    if request.is_secure and hsts_seconds:
        response.headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"
    return response
