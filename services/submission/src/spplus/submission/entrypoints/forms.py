"""From the form's posted fields to the draft, and from domain errors to what each page shows.

The draft has the API's shape (``title``, ``path: [{"structure", "channels": [...]}]``…), so the
form and the API go through the same rules.
"""
from __future__ import annotations

from ..domain.vocabulary import CHANNELS, FEELING_LABELS, PATH_MAX

STEPS = ("recit", "parcours", "coordonnees")
STEP_FIELDS = {
    "recit": ("title", "description", "feeling", "experienced_on"),
    "parcours": ("path",),
    "coordonnees": ("email", "postal_code", "city", "pseudonym", "accept_terms", "website"),
}


def read_story(form, draft: dict) -> dict:
    """Step 1. Month and year are two lists; both or neither."""
    month, year = form.get("experienced_month", ""), form.get("experienced_year", "")
    feeling = form.get("feeling") or None
    return {**draft, "title": form.get("title", ""), "description": form.get("description", ""),
            "feeling": feeling if feeling in FEELING_LABELS else None,
            "experienced_on": f"{year}-{month}" if month and year else None,
            "experienced_month": month, "experienced_year": year}


def story_errors(draft: dict) -> dict:
    """Errors only the form can make (the API takes one "AAAA-MM" value)."""
    if bool(draft.get("experienced_month")) != bool(draft.get("experienced_year")):
        return {"experienced_on": ["Choisissez le mois et l'année, ou laissez les deux vides."]}
    return {}


def read_channels(form, draft: dict) -> dict:
    """Step 2: the channels and feelings ticked for each structure already in the path."""
    path = []
    for index, step in enumerate(draft.get("path") or []):
        if form.get(f"structure-{index}") != step.get("structure"):
            path.append(step)  # the page was older than the draft: keep what is stored
            continue
        chosen = [code for code in form.getlist(f"channels-{index}") if code in CHANNELS]
        channels = []
        for code in CHANNELS:
            if code in chosen:
                feeling = form.get(f"feeling-{index}-{code}") or None
                channels.append({"channel": code, "feeling": feeling if feeling in FEELING_LABELS else None})
        path.append({"structure": step["structure"], "channels": channels})
    return {**draft, "path": path}


def add_structure(draft: dict, code: str) -> tuple[dict, str | None]:
    path = list(draft.get("path") or [])
    if any(step.get("structure") == code for step in path):
        return draft, "Cette structure figure déjà dans votre parcours."
    if len(path) >= PATH_MAX:
        return draft, f"Votre parcours compte déjà {PATH_MAX} structures, le maximum."
    return {**draft, "path": [*path, {"structure": code, "channels": []}]}, None


def remove_structure(draft: dict, index: int) -> dict:
    path = list(draft.get("path") or [])
    if 0 <= index < len(path):
        del path[index]
    return {**draft, "path": path}


def read_about(form, draft: dict) -> dict:
    return {**draft, "email": form.get("email", ""), "postal_code": form.get("postal_code", ""),
            "city": form.get("city", ""), "pseudonym": form.get("pseudonym", ""),
            "accept_terms": form.get("accept_terms") == "oui", "website": form.get("website", "")}


def flatten(errors: dict, prefix: str = "") -> dict[str, list[str]]:
    """{"path": {0: {"channels": [...]}}} → {"path-0-channels": [...]}."""
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        name = f"{prefix}-{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(flatten(value, name))
        else:
            flat[name] = list(value)
    return flat


def for_step(errors: dict, step: str) -> dict:
    return {key: value for key, value in errors.items() if key in STEP_FIELDS[step]}


def first_step_with_errors(errors: dict) -> str | None:
    return next((step for step in STEPS if for_step(errors, step)), None)


def anchor(key: str) -> str:
    """The id of the element an error summary link focuses."""
    parts = key.split("-")
    if key == "feeling":
        return "feeling-none"
    if key == "experienced_on":
        return "experienced_month"
    if key == "path":
        return "q"
    if parts[0] == "path" and len(parts) >= 3:
        index = parts[1]
        if parts[2] == "channels":
            return f"channels-{index}-{next(iter(CHANNELS))}"
        return f"step-{index}-title"
    return key
