"""Language other than French, with lingua: on the whole story, then sentence by sentence for mixed texts."""

from __future__ import annotations

import re

from lingua import Language

from .engines import language_detector
from .findings import Finding, policy_finding

FRENCH_NAMES = {
    Language.ENGLISH: "anglais", Language.SPANISH: "espagnol", Language.GERMAN: "allemand",
    Language.ITALIAN: "italien", Language.PORTUGUESE: "portugais", Language.DUTCH: "néerlandais",
    Language.ARABIC: "arabe", Language.TURKISH: "turc", Language.ROMANIAN: "roumain", Language.POLISH: "polonais",
    Language.RUSSIAN: "russe", Language.UKRAINIAN: "ukrainien", Language.CHINESE: "chinois",
    Language.VIETNAMESE: "vietnamien",
}
MIN_CHARS = 25           # below this, nothing reliable can be said
SENTENCE_MIN_CHARS = 60  # a foreign sentence inside a French story
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# Words that only French uses among the detected languages: a sentence holding three of them is French,
# and lingua is not asked about it (the check then costs nothing on ordinary stories).
_FRENCH_MARKERS = re.compile(
    r"(?<![\w'’])(?:le|les|des|du|au|aux|et|est|une|je|j|il|elle|pas|ne|n|qui|mon|ma|mes|ce|cette|pour|avec|dans"
    r"|sur|été|ai|m|nous|vous|sont|ont|mais|très|depuis|après|où|ça|leur|aucun|aucune|toujours|rien)(?![\w])",
    re.IGNORECASE,
)


def _foreign(text: str, threshold: float) -> tuple[Language, float] | None:
    values = language_detector().compute_language_confidence_values(text)
    if not values:
        return None
    top = values[0]
    french = next((v.value for v in values if v.language == Language.FRENCH), 0.0)
    if top.language != Language.FRENCH and top.value >= threshold and french < 0.3:
        return top.language, top.value
    return None


def foreign_language(text: str) -> list[Finding]:
    stripped = text.strip()
    if len(stripped) < MIN_CHARS or (len(stripped) < 100 and sum(ch.isalpha() for ch in stripped) < MIN_CHARS * 0.6):
        return []
    whole = _foreign(text, 0.5 if len(stripped) >= 80 else 0.8)
    if whole:
        language, score = whole
        return [policy_finding("policy.language", text, 0, len(text), score, f"{FRENCH_NAMES.get(language, language.name.lower())} détecté")]
    if len(stripped) < 2 * SENTENCE_MIN_CHARS:
        return []
    findings = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        if len(sentence.strip()) < SENTENCE_MIN_CHARS or len({m.lower() for m in _FRENCH_MARKERS.findall(sentence)}) >= 3:
            continue
        found = _foreign(sentence, 0.8)
        if found:
            language, score = found
            start = m.start() + len(sentence) - len(sentence.lstrip())
            findings.append(policy_finding("policy.language", text, start, m.end(), score,
                                           f"passage en {FRENCH_NAMES.get(language, language.name.lower())}"))
    return findings
