"""The vocabulary and rules of an answer, with no I/O.

An *item* is one structure's duty to answer one published experience ("to answer" in the
agents' inbox). Its *response* is a working copy that agents save as a draft, may send for
validation, and publish; every publication is a new numbered version, so history is kept.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

GREETINGS = ("Madame, Monsieur,", "Bonjour,", "Bonjour Madame, Monsieur,", "Chère usagère, cher usager,")

STATUSES = {
    "traitee": "Traitée",
    "en_cours": "En cours de traitement",
    "amelioration_envisagee": "Amélioration envisagée",
    "amelioration_realisee": "Amélioration réalisée",
}

GENERAL_TAGS = {
    "accessibilite": "Accessibilité",
    "information": "Information/explication",
    "relation": "Relation",
    "reactivite": "Réactivité",
    "simplicite": "Simplicité",
}

FEELINGS = {"positive": "Positif", "neutral": "Neutre", "negative": "Négatif"}

ACTION_KINDS = {"considered": "Envisagée", "made": "Réalisée"}

# Inbox states of an item, in the order the inbox shows them.
ITEM_STATES = {
    "a_traiter": "À traiter",
    "brouillon": "Brouillon",
    "en_validation": "En attente de validation",
    "repondu": "Répondu",
    "reaffecte": "Réaffecté",
    "clos": "Clos (expérience retirée)",
}
OPEN_STATES = ("a_traiter", "brouillon", "en_validation")

BODY_MIN, BODY_MAX = 20, 3000
SIGNATURE_MAX = 300
ACTION_MAX = 1000
TAG_MAX, TAGS_MAX = 50, 20


class ResponseError(Exception):
    """A rule of the domain refuses the action; ``message`` is French, for the agent."""

    def __init__(self, message: str, code: int = 409, errors: dict | None = None):
        super().__init__(message)
        self.message, self.code, self.errors = message, code, errors


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """The moderation assistants' reading of a body: a warning for the agent, never a block."""

    ran: bool
    findings: list[dict]
    note: str | None = None

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Content:
    greeting: str | None = None
    body: str = ""
    signature: str = ""
    status: str | None = None
    actions: list[dict] = dataclasses.field(default_factory=list)
    tags: list[str] = dataclasses.field(default_factory=list)
    general_tags: dict[str, str] = dataclasses.field(default_factory=dict)

    def merged(self, changes: dict) -> Content:
        """A copy with the given fields replaced (fields absent or None keep their value)."""
        values = dataclasses.asdict(self)
        values.update({key: value for key, value in changes.items() if key in values and value is not None})
        values["tags"] = normalise_tags(values["tags"])
        values["body"], values["signature"] = values["body"].strip(), values["signature"].strip()
        return Content(**values)

    def publication_errors(self) -> dict[str, list[str]]:
        """What stops this content from being published, per field, in French."""
        errors: dict[str, list[str]] = {}
        if self.greeting not in GREETINGS:
            errors["greeting"] = ["Choisissez une formule de politesse dans la liste."]
        if not BODY_MIN <= len(self.body) <= BODY_MAX:
            errors["body"] = [(f"La réponse doit contenir entre {BODY_MIN} et {BODY_MAX} caractères "
                               f"(actuellement {len(self.body)}).")]
        if not self.signature:
            errors["signature"] = ["Indiquez la signature (service et fonction)."]
        elif len(self.signature) > SIGNATURE_MAX:
            errors["signature"] = [f"La signature ne doit pas dépasser {SIGNATURE_MAX} caractères."]
        if self.status not in STATUSES:
            errors["status"] = ["Choisissez le statut de la réponse."]
        if self.status == "amelioration_realisee" and not any(a["kind"] == "made" for a in self.actions):
            errors["actions"] = ["Décrivez l'amélioration réalisée (action de type « Réalisée »)."]
        elif self.status == "amelioration_envisagee" and not self.actions:
            errors["actions"] = ["Décrivez l'amélioration envisagée."]
        return errors

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def normalise_tags(tags: list[str]) -> list[str]:
    """Business tags: trimmed, case-insensitively unique, order kept."""
    seen, result = set(), []
    for tag in tags:
        tag = " ".join(tag.split())
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            result.append(tag)
    return result


def item_state(closed: bool, reassigned: bool, response_state: str | None) -> str:
    """The inbox state of an item from its own flags and its response's state."""
    if response_state == "published":
        return "repondu"
    if closed:
        return "clos"
    if reassigned:
        return "reaffecte"
    return {"draft": "brouillon", "pending_validation": "en_validation"}.get(response_state or "", "a_traiter")


def is_overdue(state: str, received_at: dt.datetime, now: dt.datetime, target_days: int) -> bool:
    return state in OPEN_STATES and now - received_at > dt.timedelta(days=target_days)


def can_publish(two_step: bool, is_validator: bool) -> bool:
    """With two-step validation on the structure, only its validators publish."""
    return is_validator or not two_step
