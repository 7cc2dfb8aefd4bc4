"""Comparing texts: what counts as a minor edit, and the differences shown to people."""
from __future__ import annotations

import difflib
import re
import unicodedata

WORD = re.compile(r"\w+", re.UNICODE)
# A word or a punctuation mark with the spaces after it: differences then come in readable runs.
TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+", re.UNICODE)


def _words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation: what a minor edit may not change much."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return WORD.findall(folded)


def is_minor_edit(before: str, after: str) -> bool:
    """True for corrections of spelling, case and punctuation only.

    Punctuation, case and accents are ignored; each replaced group of words must stay close
    in spelling; at most a few short words may be added or removed.
    """
    old, new = _words(before), _words(after)
    if old == new:
        return True
    changed_words = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        changed_words += max(i2 - i1, j2 - j1)
        if tag == "replace":
            homophone = len(removed) <= 3 and len(added) <= 3  # « c'est » / « s'est », « et » / « est »
            if not homophone and difflib.SequenceMatcher(None, removed, added).ratio() < 0.75:
                return False
        elif len(removed) + len(added) > 3:  # a short word such as « à », « de », « le »
            return False
    return changed_words <= max(2, len(old) // 10)


def diff_segments(before: str, after: str) -> list[tuple[str, str]]:
    """(kind, text) segments, kind in equal / delete / insert, word by word."""
    old, new = TOKEN.findall(before), TOKEN.findall(after)
    segments: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(("equal", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("delete", "".join(old[i1:i2])))
        if j2 > j1:
            segments.append(("insert", "".join(new[j1:j2])))
    return segments


def highlight_segments(text: str, findings: list[dict]) -> list[tuple[dict | None, str]]:
    """Split ``text`` into (finding or None, piece); overlapping findings keep the first one."""
    spans = sorted((f for f in findings if 0 <= f.get("start", -1) < f.get("end", -1) <= len(text)),
                   key=lambda f: (f["start"], -f["end"]))
    pieces: list[tuple[dict | None, str]] = []
    position = 0
    for finding in spans:
        if finding["start"] < position:
            continue
        if finding["start"] > position:
            pieces.append((None, text[position:finding["start"]]))
        pieces.append((finding, text[finding["start"]:finding["end"]]))
        position = finding["end"]
    if position < len(text):
        pieces.append((None, text[position:]))
    return pieces


def apply_suggestions(text: str, findings: list[dict]) -> str:
    """Replace each finding's span by its suggestion (the one-click redaction), from the end."""
    usable = [f for f in findings if f.get("suggestion") is not None
              and 0 <= f.get("start", -1) < f.get("end", -1) <= len(text)]
    result, last_start = text, len(text) + 1
    for finding in sorted(usable, key=lambda f: f["start"], reverse=True):
        if finding["end"] > last_start:  # overlapping: keep the later one already applied
            continue
        result = result[:finding["start"]] + finding["suggestion"] + result[finding["end"]:]
        last_start = finding["start"]
    return result


def is_minor_change(before: str, after: str, findings: list[dict], field: str) -> bool:
    """A minor edit, where replacing a flagged passage by its suggested redaction also counts
    as minor (removing personal data is the moderators' own routine correction)."""
    if is_minor_edit(before, after):
        return True
    used = [f for f in findings if f.get("field", "description") == field and f.get("suggestion")
            and f["suggestion"] in after]
    return bool(used) and is_minor_edit(apply_suggestions(before, used), after)
