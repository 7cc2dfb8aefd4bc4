"""Text as the citizen typed it, made safe and comparable: NFC, no control characters, trimmed.

Lengths are counted in grapheme clusters, i.e. the characters a person sees ("é" typed as
e + combining accent, or a flag emoji, count as one), which is what the form's counter shows.
"""
import re
import unicodedata

import regex

# Bidirectional overrides can disguise text; they are never needed in a story.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_GRAPHEME = regex.compile(r"\X")


def _without_controls(value: str, keep_newlines: bool) -> str:
    kept = []
    for char in value:
        if char == "\n" and keep_newlines:
            kept.append(char)
        elif char in "\t\n":
            kept.append(" ")
        elif unicodedata.category(char) != "Cc":
            kept.append(char)
    return _BIDI_CONTROLS.sub("", "".join(kept))


def normalise_line(value: str | None) -> str:
    """One-line text (title, pseudonym, city): NFC, controls removed, spaces collapsed, trimmed."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", value)
    return _SPACES.sub(" ", _without_controls(value, keep_newlines=False)).strip()


def normalise_text(value: str | None) -> str:
    """Multi-line text (description): line breaks kept (CRLF → LF), at most one blank line in a row."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in _without_controls(value, keep_newlines=True).split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def visible_length(value: str) -> int:
    """Number of characters as the user sees them (grapheme clusters)."""
    return len(_GRAPHEME.findall(value))


def search_key(value: str | None) -> str:
    """Lower case, without accents, for accent-insensitive search ("Créteil" matches "creteil")."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", normalise_line(value).casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
