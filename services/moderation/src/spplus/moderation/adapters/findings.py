"""The automated checks (``spplus.moderation.analysis``), called when a case opens.

The library is imported lazily: loading its language models costs seconds, once per process.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from .tables import cases

log = logging.getLogger(__name__)

KNOWN_TEXTS_WINDOW = dt.timedelta(days=365)
KNOWN_TEXTS_LIMIT = 20_000
TITLE_IGNORED = ("policy.vague", "policy.language")


def analyze(text: str, experienced_on: str | None = None,
            known_texts: Iterable[tuple[str, str]] = ()) -> list[dict]:
    from ..analysis import analyze as run

    return [finding.to_dict() for finding in run(text, experienced_on=experienced_on, known_texts=known_texts)]


def warm_up() -> None:
    try:
        from ..analysis import warm_up as build_engines

        build_engines()
    except Exception:  # noqa: BLE001 - the checks then fail per case, which opens anyway
        log.exception("automated checks could not be prepared")


def known_texts(session: Session, experience_id: str, now: dt.datetime) -> list[tuple[str, str]]:
    """(experience id, text) of the stories received in the last twelve months, for near-duplicates."""
    rows = session.execute(
        select(cases.c.experience_id, cases.c.original_description)
        .where(cases.c.submitted_at >= now - KNOWN_TEXTS_WINDOW, cases.c.experience_id != experience_id)
        .order_by(cases.c.submitted_at.desc()).limit(KNOWN_TEXTS_LIMIT)).all()
    return [(row.experience_id, row.original_description) for row in rows]


def findings_for(session: Session, experience_id: str, title: str, description: str,
                 experienced_on: str | None, now: dt.datetime) -> tuple[list[dict], str]:
    """Findings on the title and the description, each tagged with its ``field``, and the status.

    A failing analysis never loses the story: the case opens with status ``failed`` and the
    moderator is told the checks could not run.
    """
    try:
        found = [{**finding, "field": "description"} for finding in
                 analyze(description, experienced_on, known_texts(session, experience_id, now))]
        # A title is short by nature: only what it says (personal data, insults…) is checked,
        # not its length or its language.
        found += [{**finding, "field": "title"} for finding in analyze(title)
                  if finding["kind"] not in TITLE_IGNORED]
    except Exception:  # noqa: BLE001 - the case must open whatever happens in the checks
        log.exception("automated checks failed for a case")
        return [], "failed"
    return found, "done"
