"""The rules of a submission, shared by the API and the form: normalise, then check every field.

``check(draft, structures, today)`` returns the normalised ``Submission`` and a dict of French
messages per field (nested for the path: ``{"path": {0: {"channels": ...}}}``), empty when valid.
Pure: the caller loads the structures the draft names from the replica.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Mapping

from marshmallow import ValidationError, validate

from .text import normalise_line, normalise_text, visible_length
from .vocabulary import (CHANNELS, CITY_MAX, DESCRIPTION_MAX, DESCRIPTION_MIN, EMAIL_MAX, FEELING_LABELS, PATH_MAX,
                         PSEUDONYM_MAX, TITLE_MAX, TITLE_MIN)

POSTAL_CODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_EMAIL = validate.Email()

FEELING_CHOICES = "positif (positive), neutre (neutral) ou négatif (negative)"
CHANNEL_CHOICES = ", ".join(CHANNELS)


@dataclasses.dataclass(frozen=True)
class StructureInfo:
    code: str
    name: str
    active: bool


@dataclasses.dataclass(frozen=True)
class ChannelUse:
    channel: str
    feeling: str | None


@dataclasses.dataclass(frozen=True)
class PathStep:
    structure_code: str
    structure_name: str
    channels: tuple[ChannelUse, ...]


@dataclasses.dataclass(frozen=True)
class Submission:
    """A valid, normalised story with its author's contact data."""

    title: str
    description: str
    feeling: str | None
    experienced_on: str | None
    path: tuple[PathStep, ...]
    email: str
    postal_code: str | None
    city: str | None
    pseudonym: str | None

    def path_data(self) -> list[dict]:
        return [{"structure_code": step.structure_code, "structure_name": step.structure_name,
                 "channels": [{"channel": use.channel, "feeling": use.feeling} for use in step.channels]}
                for step in self.path]


class InvalidSubmission(Exception):
    def __init__(self, errors: dict):
        super().__init__("invalid submission")
        self.errors = errors


def structure_codes(draft: Mapping) -> list[str]:
    """Codes the draft names, for the caller to load from the replica."""
    return [normalise_line(str(step.get("structure") or "")) for step in (draft.get("path") or [])
            if isinstance(step, Mapping)]


def check(draft: Mapping, structures: Mapping[str, StructureInfo], today: dt.date) -> tuple[Submission | None, dict]:
    errors: dict = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    title = normalise_line(draft.get("title"))
    if not title:
        fail("title", "Indiquez un titre.")
    elif not TITLE_MIN <= visible_length(title) <= TITLE_MAX or len(title) > TITLE_MAX:
        fail("title", f"Le titre doit contenir entre {TITLE_MIN} et {TITLE_MAX} caractères "
                      f"(actuellement {visible_length(title)}).")

    description = normalise_text(draft.get("description"))
    length = visible_length(description)
    if not description:
        fail("description", "Racontez votre expérience.")
    elif length < DESCRIPTION_MIN:
        fail("description", f"La description doit contenir au moins {DESCRIPTION_MIN} caractères "
                            f"(actuellement {length}).")
    elif length > DESCRIPTION_MAX:
        fail("description", f"La description doit contenir au plus 1 000 caractères (actuellement {length}).")
    elif len(description) > DESCRIPTION_MAX:
        fail("description", "La description est trop longue : certains symboles (émojis, accents composés) "
                            "comptent pour plusieurs caractères. Raccourcissez-la un peu.")

    feeling = draft.get("feeling") or None
    if feeling is not None and feeling not in FEELING_LABELS:
        fail("feeling", f"Ressenti inconnu : choisissez {FEELING_CHOICES}.")

    experienced_on = _check_month(draft.get("experienced_on") or None, today, fail)
    path = _check_path(draft.get("path") or [], structures, errors)

    email = normalise_line(draft.get("email"))
    if not email:
        fail("email", "Indiquez votre adresse e-mail.")
    else:
        local, _, domain = email.rpartition("@")
        email = f"{local}@{domain.lower()}" if local else email
        try:
            _EMAIL(email)
            if len(email) > EMAIL_MAX:
                raise ValidationError("too long")
        except ValidationError:
            fail("email", "Adresse e-mail invalide : elle doit être de la forme nom@domaine.fr.")

    postal_code = normalise_line(draft.get("postal_code")).replace(" ", "") or None
    city = normalise_line(draft.get("city")) or None
    if postal_code is None and city is None:
        fail("postal_code", "Indiquez votre code postal ou votre ville.")
        fail("city", "Indiquez votre ville ou votre code postal.")
    if postal_code is not None and not POSTAL_CODE.match(postal_code):
        fail("postal_code", "Le code postal doit comporter 5 chiffres (par exemple 75001).")
    if city is not None and visible_length(city) > CITY_MAX:
        fail("city", f"Le nom de la ville doit contenir au plus {CITY_MAX} caractères.")

    pseudonym = normalise_line(draft.get("pseudonym")) or None
    if pseudonym is not None:
        if visible_length(pseudonym) > PSEUDONYM_MAX:
            fail("pseudonym", f"Le pseudonyme doit contenir au plus {PSEUDONYM_MAX} caractères.")
        elif "@" in pseudonym:
            fail("pseudonym", "Le pseudonyme est public : il ne doit pas contenir d'adresse e-mail.")

    if draft.get("accept_terms") is not True:
        fail("accept_terms", "Vous devez accepter les conditions générales d'utilisation pour envoyer "
                             "votre expérience.")
    if normalise_line(draft.get("website")):
        fail("website", "Ce champ doit rester vide.")

    if errors:
        return None, errors
    return Submission(title=title, description=description, feeling=feeling, experienced_on=experienced_on,
                      path=path, email=email, postal_code=postal_code, city=city, pseudonym=pseudonym), {}


def _check_month(value, today: dt.date, fail) -> str | None:
    if value is None:
        return None
    match = MONTH.match(str(value).strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        fail("experienced_on", "Indiquez le mois au format AAAA-MM (par exemple 2026-03).")
        return None
    if (int(match.group(1)), int(match.group(2))) > (today.year, today.month):
        fail("experienced_on", "Le mois de l'expérience ne peut pas être dans le futur.")
        return None
    return match.group(0)


def _check_path(steps, structures: Mapping[str, StructureInfo], errors: dict) -> tuple[PathStep, ...]:
    if not steps or not all(isinstance(step, Mapping) for step in steps):
        errors.setdefault("path", []).append("Ajoutez au moins une structure à votre parcours.")
        return ()
    if len(steps) > PATH_MAX:
        errors.setdefault("path", []).append(f"Votre parcours compte au plus {PATH_MAX} structures.")
        return ()
    result, seen, step_errors = [], set(), {}
    for index, step in enumerate(steps):
        problems: dict = {}
        code = normalise_line(str(step.get("structure") or ""))
        info = structures.get(code)
        if not code:
            problems["structure"] = ["Choisissez une structure."]
        elif info is None:
            problems["structure"] = ["Cette structure n'existe pas dans le référentiel."]
        elif not info.active:
            problems["structure"] = [f"La structure « {info.name} » n'est plus active : choisissez-en une autre."]
        elif code in seen:
            problems["structure"] = ["Cette structure figure déjà dans votre parcours."]
        seen.add(code)
        uses, channel_errors, used = [], {}, set()
        for position, use in enumerate(step.get("channels") or []):
            channel, feeling = use.get("channel"), use.get("feeling") or None
            problem: dict = {}
            if channel not in CHANNELS:
                problem["channel"] = [f"Canal de contact inconnu (valeurs possibles : {CHANNEL_CHOICES})."]
            elif channel in used:
                problem["channel"] = ["Ce canal de contact est indiqué deux fois pour cette structure."]
            if feeling is not None and feeling not in FEELING_LABELS:
                problem["feeling"] = [f"Ressenti inconnu : choisissez {FEELING_CHOICES}."]
            if problem:
                channel_errors[position] = problem
            used.add(channel)
            uses.append(ChannelUse(channel, feeling))
        if not uses:
            problems["channels"] = ["Indiquez au moins un moyen de contact utilisé avec cette structure."]
        elif channel_errors:
            problems["channels"] = channel_errors
        if problems:
            step_errors[index] = problems
        elif info is not None:
            result.append(PathStep(code, info.name, tuple(uses)))
    if step_errors:
        errors["path"] = step_errors
    return tuple(result)
