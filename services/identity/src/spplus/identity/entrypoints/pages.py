"""Pages of identity for everyone with an account: sign in and out, forgotten password, second factor."""
from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from spplus.chassis.auth import token_from_request

from ..domain.accounts import AccountError
from ..service_layer import auth, resets
from .web import (clear_session_cookie, client_ip, config, current_account, database, require_page_account,
                  safe_next, set_session_cookie)

bp = Blueprint("pages", __name__)

NOTICES = {
    "deconnecte": "Vous êtes déconnecté.",
    "mot-de-passe-change": "Votre mot de passe a été changé. Vous pouvez vous connecter.",
}
TICKET_MAX_AGE = 300


def _ticket_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(config().secret, salt="spplus-identity-second-factor")


def _page(template: str, status: int = 200, **context):
    return make_response(render_template(template, account=current_account(), **context), status)


def _signed_in(issued: auth.Issued, next_path: str | None):
    response = redirect(safe_next(next_path, issued.account.landing_page()), code=303)
    return set_session_cookie(response, issued)


@bp.get("/connexion")
def login_form():
    next_path = request.args.get("suivant", "")
    token = token_from_request()
    if token:
        # A session still open (its short token may have expired): renew it instead of asking again.
        with database().unit_of_work() as session:
            issued = auth.refresh(session, config(), token)
        if issued is not None:
            return _signed_in(issued, next_path)
    return _page("identity/login.html", next_path=safe_next(next_path, ""), errors={}, email="",
                 notice=NOTICES.get(request.args.get("message", "")))


@bp.post("/connexion")
def login():
    form = request.form
    next_path = safe_next(form.get("suivant"), "")
    email, password = form.get("email", "").strip()[:254], form.get("password", "")[:1024]
    errors = {}
    if not email:
        errors["email"] = ["Saisissez votre adresse e-mail."]
    if not password:
        errors["password"] = ["Saisissez votre mot de passe."]
    if errors:
        return _page("identity/login.html", 422, next_path=next_path, errors=errors, email=email)
    refused, issued = None, None
    with database().unit_of_work() as session:
        try:
            account = auth.authenticate(session, config(), email, password, client_ip())
            issued = auth.open_session(session, config(), account)
        except auth.LoginRefused as error:
            refused = error
    if refused is None:
        return _signed_in(issued, next_path)
    if refused.second_factor_for:
        ticket = _ticket_serializer().dumps(refused.second_factor_for)
        return _page("identity/login_totp.html", next_path=next_path, ticket=ticket, errors={})
    status = refused.status if refused.status == 429 else 401
    response = _page("identity/login.html", status, next_path=next_path, email=email, message=refused.message,
                     errors={})
    if refused.retry_after:
        response.headers["Retry-After"] = str(refused.retry_after)
    return response


@bp.post("/connexion/verification")
def login_second_factor():
    form = request.form
    next_path = safe_next(form.get("suivant"), "")
    try:
        account_id = _ticket_serializer().loads(form.get("ticket", ""), max_age=TICKET_MAX_AGE)
    except BadSignature:
        return _page("identity/login.html", 401, next_path=next_path, email="", errors={},
                     message="Le délai pour saisir le code est dépassé. Merci de vous reconnecter.")
    refused, issued = None, None
    with database().unit_of_work() as session:
        try:
            account = auth.second_factor(session, config(), account_id, form.get("totp", "")[:12], client_ip())
            issued = auth.open_session(session, config(), account)
        except auth.LoginRefused as error:
            refused = error
    if refused is None:
        return _signed_in(issued, next_path)
    if refused.status == 429 or not refused.second_factor_for:
        return _page("identity/login.html", refused.status, next_path=next_path, email="", errors={},
                     message=refused.message)
    return _page("identity/login_totp.html", 401, next_path=next_path, ticket=form.get("ticket"),
                 errors=refused.errors)


@bp.post("/deconnexion")
def logout():
    with database().unit_of_work() as session:
        auth.logout(session, config(), token_from_request())
    return clear_session_cookie(redirect("/connexion?message=deconnecte", code=303))


@bp.route("/connexion/mot-de-passe-oublie", methods=["GET", "POST"])
def forgotten_password():
    if request.method == "GET":
        return _page("identity/forgot.html", errors={}, email="")
    email = request.form.get("email", "").strip()[:254]
    if not email or "@" not in email:
        return _page("identity/forgot.html", 422, errors={"email": ["Saisissez une adresse e-mail valide."]},
                     email=email)
    with database().unit_of_work() as session:
        resets.request_reset(session, config(), email)
    return _page("identity/forgot.html", errors={}, email="",
                 notice="Si un compte correspond à cette adresse, un e-mail vient de vous être envoyé.")


@bp.route("/connexion/reinitialisation/<token>", methods=["GET", "POST"])
def reset_password(token):
    with database().unit_of_work() as session:
        valid = resets.check(session, config(), token)
    if not valid:
        return _page("identity/message.html", 410, title="Lien expiré", kind="error", text=resets.LINK_INVALID,
                     link=("/connexion/mot-de-passe-oublie", "Demander un nouveau lien"))
    if request.method == "GET":
        return _page("identity/reset.html", errors={})
    password, confirmation = request.form.get("password", "")[:1024], request.form.get("confirmation", "")[:1024]
    if password != confirmation:
        return _page("identity/reset.html", 422,
                     errors={"confirmation": ["Les deux mots de passe ne sont pas identiques."]})
    try:
        with database().unit_of_work() as session:
            resets.complete(session, config(), token, password)
    except AccountError as error:
        if error.status == 410:
            return _page("identity/message.html", 410, title="Lien expiré", kind="error", text=error.message)
        return _page("identity/reset.html", 422, errors=error.errors)
    return redirect("/connexion?message=mot-de-passe-change", code=303)


@bp.get("/compte/double-authentification")
def totp_page():
    require_page_account()
    return _page("identity/totp.html", errors={}, secret=None)


@bp.post("/compte/double-authentification")
def totp_start():
    account = require_page_account()
    with database().unit_of_work() as session:
        secret, uri = auth.start_totp(session, account)
    return _page("identity/totp.html", errors={}, secret=secret, uri=uri)


@bp.post("/compte/double-authentification/confirmer")
def totp_confirm():
    account = require_page_account()
    try:
        with database().unit_of_work() as session:
            auth.confirm_totp(session, account, request.form.get("code", "")[:12])
    except AccountError as error:
        # Show the same key again, so the user can retry with the next code.
        with database().unit_of_work() as session:
            secret, uri = auth.pending_totp(session, account)
        return _page("identity/totp.html", 422, errors={"code": error.errors.get("code", [error.message])},
                     secret=secret, uri=uri)
    account.totp_enabled = True
    return _page("identity/totp.html", errors={}, secret=None, notice="La double authentification est activée.")
