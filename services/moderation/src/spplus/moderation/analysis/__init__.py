"""Moderation assistants: automated detection of personal data and of what the moderation policy rejects.

``analyze(text, experienced_on=None, known_texts=())`` returns :class:`Finding` objects with exact
character spans. The heavy engines (presidio + spaCy ``fr_core_news_sm``, lingua) are built on first
use, once per process; nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from .findings import ALL_KINDS, PII_KINDS, POLICY_KINDS, Finding

__all__ = ["ALL_KINDS", "PII_KINDS", "POLICY_KINDS", "Finding", "analyze", "warm_up"]


def analyze(
    text: str,
    experienced_on: str | date | None = None,
    known_texts: Iterable[tuple[str, str]] = (),
    *,
    today: date | None = None,
) -> list[Finding]:
    """Every finding on ``text``, ordered by position.

    ``experienced_on``: ISO date of the experience, if the author gave one. ``known_texts``: (experience
    id, text) of the stories received or published in the last 12 months, for near-duplicates.
    ``today``: reference date for the age check (defaults to the current UTC date).
    """
    from . import duplicates, language, pii, policy

    if not isinstance(text, str):
        raise TypeError("text must be a string")
    today = today or datetime.now(UTC).date()
    foreign = language.foreign_language(text)
    wholly_foreign = any(f.start == 0 and f.end == len(text) for f in foreign)
    findings: list[Finding] = list(foreign)
    if text.strip():
        findings += pii.detect_pii(text, foreign=wholly_foreign)
    findings += policy.out_of_scope(text)
    findings += policy.control(text)
    findings += policy.teaching(text)
    findings += policy.litigation(text)
    findings += policy.insult(text)
    findings += policy.spam(text)
    findings += policy.too_old(text, experienced_on, today)
    findings += duplicates.near_duplicates(text, known_texts)
    if not wholly_foreign:
        findings += policy.vague(text, findings)
    return sorted(findings, key=lambda f: (f.start, f.end, f.kind))


def warm_up() -> None:
    """Build the engines now (for a worker's start) rather than on the first case."""
    from .engines import warm_up as _warm_up

    _warm_up()
