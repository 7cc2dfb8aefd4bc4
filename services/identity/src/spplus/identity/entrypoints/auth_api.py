"""Sign-in API: login, logout, me, refresh, JWKS, password reset, second factor, and admin of accounts."""
from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from spplus.chassis.auth import token_from_request

from ..adapters import accounts_repository as accounts_repo
from ..domain.accounts import Account, AccountError
from ..service_layer import accounts as accounts_service, auth, resets
from . import schemas
from .web import clear_session_cookie, client_ip, config, database, require_account, set_session_cookie

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Connexion des agents")
admin_blp = Blueprint("accounts", __name__, url_prefix="/api/v1/admin/accounts",
                      description="Comptes (administrateurs)")

RESET_SENT = ("Si un compte correspond à cette adresse, un e-mail vient d'être envoyé avec un lien "
              "pour choisir un nouveau mot de passe.")


def token_body(issued: auth.Issued) -> dict:
    return {"token": issued.token, "roles": sorted(issued.account.roles),
            "structures": sorted(issued.account.structures), "expires_at": issued.expires_at}


def account_body(account: Account) -> dict:
    return {"id": account.id, "email": account.email, "name": account.name, "roles": sorted(account.roles),
            "structures": sorted(account.structures), "totp_enabled": account.totp_enabled,
            "active": account.active}


def abort_account_error(error: AccountError):
    abort(error.status, message=error.message, errors={"json": error.errors} if error.errors else None)


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(schemas.LoginSchema)
    @blp.response(200, schemas.TokenSchema)
    @blp.alt_response(401, description="Identifiants incorrects (même message pour un compte inconnu)")
    @blp.alt_response(429, description="Trop de tentatives")
    def post(self, payload):
        cfg, refused = config(), None
        with database().unit_of_work() as session:
            try:
                account = auth.authenticate(session, cfg, payload["email"], payload["password"], client_ip(),
                                            payload.get("totp"))
                issued = auth.open_session(session, cfg, account)
            except auth.LoginRefused as error:
                refused = error  # the failure is committed (throttling) before the refusal is answered
        if refused is not None:
            headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
            abort(refused.status, message=refused.message,
                  errors={"json": refused.errors} if refused.errors else None, headers=headers)
        response = jsonify(schemas.TokenSchema().dump(token_body(issued)))
        return set_session_cookie(response, issued)


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.response(200, schemas.TokenSchema)
    def post(self):
        """A fresh token for an open session (the old one may have expired)."""
        with database().unit_of_work() as session:
            issued = auth.refresh(session, config(), token_from_request())
        if issued is None:
            abort(401, message="Votre session a expiré. Merci de vous reconnecter.")
        return set_session_cookie(jsonify(schemas.TokenSchema().dump(token_body(issued))), issued)


@blp.route("/logout")
class Logout(MethodView):
    @blp.response(200, schemas.MessageSchema)
    def post(self):
        """End the session: every token of it stops being accepted by identity and cannot be refreshed."""
        with database().unit_of_work() as session:
            auth.logout(session, config(), token_from_request())
        return clear_session_cookie(jsonify({"message": "Vous êtes déconnecté."}))


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, schemas.MeSchema)
    def get(self):
        return account_body(require_account())


@blp.route("/jwks")
class Jwks(MethodView):
    def get(self):
        """Public keys that verify identity's tokens (JWKS, EdDSA)."""
        response = jsonify(config().key.jwks())
        response.headers["Cache-Control"] = "public, max-age=300"
        return response


@blp.route("/password-reset")
class PasswordResetRequest(MethodView):
    @blp.arguments(schemas.ResetRequestSchema)
    @blp.response(202, schemas.MessageSchema)
    def post(self, payload):
        with database().unit_of_work() as session:
            resets.request_reset(session, config(), payload["email"])
        return {"message": RESET_SENT}


@blp.route("/password-reset/<token>")
class PasswordResetComplete(MethodView):
    @blp.arguments(schemas.ResetCompleteSchema)
    @blp.response(200, schemas.MessageSchema)
    def post(self, payload, token):
        try:
            with database().unit_of_work() as session:
                resets.complete(session, config(), token, payload["password"])
        except AccountError as error:
            abort_account_error(error)
        return {"message": "Votre mot de passe a été changé. Vous pouvez vous connecter."}


@blp.route("/totp")
class Totp(MethodView):
    @blp.response(201, schemas.TotpSetupSchema)
    def post(self):
        """Generate a new second-factor secret for the signed-in account (active once confirmed)."""
        account = require_account()
        with database().unit_of_work() as session:
            secret, uri = auth.start_totp(session, account)
        return {"secret": secret, "uri": uri}


@blp.route("/totp/confirm")
class TotpConfirm(MethodView):
    @blp.arguments(schemas.TotpCodeSchema)
    @blp.response(200, schemas.MessageSchema)
    def post(self, payload):
        account = require_account()
        try:
            with database().unit_of_work() as session:
                auth.confirm_totp(session, account, payload["code"])
        except AccountError as error:
            abort_account_error(error)
        return {"message": "La double authentification est activée."}


@admin_blp.route("")
class Accounts(MethodView):
    @admin_blp.arguments(schemas.AccountQuerySchema, location="query")
    @admin_blp.response(200, schemas.AccountPageSchema)
    def get(self, args):
        require_account("admin")
        with database().unit_of_work() as session:
            items, total = accounts_repo.listing(session, args["q"], args["page"])
        return {"items": [account_body(a) for a in items], "total": total, "page": args["page"]}

    @admin_blp.arguments(schemas.AccountCreateSchema)
    @admin_blp.response(201, schemas.AccountSchema)
    def post(self, payload):
        require_account("admin")
        try:
            with database().unit_of_work() as session:
                account = accounts_service.create(session, payload["email"], payload["name"], set(payload["roles"]),
                                                  {code.upper() for code in payload["structures"]},
                                                  payload["password"])
        except AccountError as error:
            abort_account_error(error)
        return account_body(account)


@admin_blp.route("/<account_id>")
class AccountDetail(MethodView):
    @admin_blp.arguments(schemas.AccountUpdateSchema)
    @admin_blp.response(200, schemas.AccountSchema)
    def patch(self, payload, account_id):
        admin = require_account("admin")
        if account_id == admin.id and (payload.get("active") is False or
                                       ("roles" in payload and "admin" not in payload["roles"])):
            abort(409, message="Vous ne pouvez pas retirer vos propres droits d'administration.")
        structures = payload.get("structures")
        try:
            with database().unit_of_work() as session:
                account = accounts_service.update_account(
                    session, account_id, payload.get("name"),
                    set(payload["roles"]) if "roles" in payload else None,
                    {code.upper() for code in structures} if structures is not None else None,
                    payload.get("active"))
        except AccountError as error:
            abort_account_error(error)
        return account_body(account)
