"""Accounts, roles and the rules on them: plain values, no I/O."""
from __future__ import annotations

import dataclasses
import re

from spplus.chassis.auth import ROLES

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLE_LABELS = {"admin": "Administrateur", "moderator": "Modérateur", "agent": "Agent"}


@dataclasses.dataclass
class Account:
    id: str
    email: str
    name: str
    roles: frozenset[str]
    structures: frozenset[str]
    active: bool = True
    totp_enabled: bool = False

    def landing_page(self) -> str:
        """Where a freshly signed-in user goes when no page was asked for."""
        if "admin" in self.roles:
            return "/admin"
        if "moderator" in self.roles:
            return "/moderation"
        return "/espace-agent"


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def password_problems(password: str, email: str = "") -> list[str]:
    """French messages for a password that breaks the policy (empty list when it is fine)."""
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"Le mot de passe doit contenir au moins {PASSWORD_MIN_LENGTH} caractères.")
    if len(password) > PASSWORD_MAX_LENGTH:
        problems.append(f"Le mot de passe ne doit pas dépasser {PASSWORD_MAX_LENGTH} caractères.")
    if email and normalize_email(password) == normalize_email(email):
        problems.append("Le mot de passe ne doit pas être votre adresse e-mail.")
    return problems


def role_problems(roles: set[str], structures: set[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    unknown = roles - set(ROLES)
    if unknown:
        errors["roles"] = [f"Rôle inconnu : {', '.join(sorted(unknown))}."]
    elif not roles:
        errors["roles"] = ["Choisissez au moins un rôle."]
    if "agent" in roles and not structures:
        errors["structures"] = ["Un agent doit être rattaché à au moins une structure."]
    return errors


class AccountError(Exception):
    """A rule broken by an account operation; ``errors`` maps fields to French messages."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None, status: int = 422):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.status = status
