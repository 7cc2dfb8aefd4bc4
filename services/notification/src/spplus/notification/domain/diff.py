"""A readable, word-level comparison of the author's text and the moderators' edited version."""
from __future__ import annotations

import dataclasses
import difflib
import re

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclasses.dataclass(frozen=True)
class Segment:
    kind: str  # "same", "removed" or "added"
    text: str


def word_diff(original: str, edited: str) -> list[Segment]:
    """Segments that, read in order, show what was removed from and added to ``original``."""
    before, after = _TOKENS.findall(original), _TOKENS.findall(edited)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    segments: list[Segment] = []
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            _append(segments, "same", "".join(before[a1:a2]))
            continue
        if operation in ("delete", "replace"):
            _append(segments, "removed", "".join(before[a1:a2]))
        if operation in ("insert", "replace"):
            _append(segments, "added", "".join(after[b1:b2]))
    return segments


def _append(segments: list[Segment], kind: str, text: str) -> None:
    if not text:
        return
    if kind != "same":
        if not text.strip():
            # A change of spacing alone is not worth showing: keep it as plain text.
            kind = "same"
        elif text[0].isspace() or text[-1].isspace():
            # "agent[- Jean-]" and "[-très -]attentionné" read better as "agent [-Jean-]", "[-très-] attentionné".
            core = text.strip()
            start = text.index(core)
            _append(segments, "same", text[:start])
            _append(segments, kind, core)
            _append(segments, "same", text[start + len(core):])
            return
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))


def has_changes(segments: list[Segment]) -> bool:
    return any(segment.kind != "same" for segment in segments)
