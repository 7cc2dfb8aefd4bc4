"""Personal data: run the presidio engine, keep credible names, resolve overlaps, make findings."""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.fr.stop_words import STOP_WORDS
from spacy.util import filter_spans

from .engines import analyzer_engine
from .findings import Finding, pii_finding
from .lexicon import FACILITY_BEFORE, INSTITUTION_WORDS, TITLES, fold
from .recognizers import _COMMON_CAPITALISED, LANGUAGE

PRESIDIO_TO_KIND = {"PERSON": "pii.person"}

# When two findings overlap, the more specific (validated) one wins.
PRIORITY = {
    "pii.iban": 10, "pii.card": 9, "pii.nir": 9, "pii.tax_number": 8, "pii.email": 8, "pii.phone": 7,
    "pii.birth_date": 7, "pii.plate": 6, "pii.file_number": 5, "pii.address": 4, "pii.person": 2,
}
MIN_SCORE = 0.5

_TITLE_PREFIX = re.compile(r"^" + TITLES + r"\s+")
_WORD = re.compile(r"[\wÀ-ÿ]+(?:[-'’][\wÀ-ÿ]+)*")


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:\n«\"("


def _credible_name(value: str) -> bool:
    """Reject what the statistical model mistakes for a name: institutions, places, common words."""
    if not value or not value[0].isupper() or any(ch.isdigit() for ch in value) or "@" in value:
        return False
    if re.match(r"(?:Saint|Sainte|St|Ste)-", value):  # Saint-Gilles, Sainte-Foy: places
        return False
    words = _WORD.findall(value)
    if not words:
        return False
    folded = [fold(w) for w in words]
    if any(w in INSTITUTION_WORDS for w in folded):
        return False
    meaningful = [w for w, f in zip(words, folded) if f not in _COMMON_CAPITALISED]
    if not meaningful:
        return False
    if any(w.isupper() and len(w) <= 5 for w in meaningful) and len(meaningful) == 1:
        return False  # an acronym
    return all(w[0].isupper() for w in meaningful)


def _trim_person(text: str, start: int, end: int) -> tuple[int, int]:
    value = text[start:end]
    prefix = _TITLE_PREFIX.match(value)
    if prefix:
        start += prefix.end()
    while end > start and text[end - 1] in " ,.;:!?)'’\"»":
        end -= 1
    return start, end


def _model_name_plausible(text: str, start: int, end: int, foreign: bool) -> bool:
    """Extra care for names found by the statistical model alone (not introduced by a title or a word)."""
    words = _WORD.findall(text[start:end])
    if foreign:  # the French model reads foreign words as names: keep only "First Last" shapes
        return len(words) >= 2 and all(len(w) >= 2 and not w.isupper() for w in words)
    # An imperative opening a sentence ("Laissez", "Rejoignez") is no name.
    return not (len(words) == 1 and _sentence_start(text, start) and fold(words[0]).endswith(("ez", "ons")))


_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’-]*")
_NOT_A_NAME = frozenset(fold(w) for w in STOP_WORDS) | INSTITUTION_WORDS | _COMMON_CAPITALISED


def _name_candidates(sentence: str) -> list[int]:
    """Offsets of the capitalised words of a sentence that could start a name."""
    found = []
    for match in _CAPITALISED.finditer(sentence):
        word = match.group(0)
        head = fold(re.split(r"['’]", word)[-1] if "'" in word or "’" in word else word)
        if head and head not in _NOT_A_NAME and not (word.isupper() and len(word) <= 5):
            found.append(match.start())
    return found


_SPACE_TOKEN = re.compile(r"\S+")
WINDOW_WORDS = 8  # the model sees a few words around each token: 8 words each side give the same entities


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around the words that could be names, within their sentence, merged when they meet.
    The statistical model, the costly part, runs only there: a fraction of an ordinary story."""
    windows: list[tuple[int, int]] = []
    for sentence in _SENTENCE.finditer(text):
        candidates = _name_candidates(sentence.group(0))
        if not candidates:
            continue
        words = [(m.start() + sentence.start(), m.end() + sentence.start()) for m in _SPACE_TOKEN.finditer(sentence.group(0))]
        starts = [w[0] for w in words]
        for offset in candidates:
            position = max(i for i, start in enumerate(starts) if start <= offset + sentence.start())
            first, last = max(0, position - WINDOW_WORDS), min(len(words) - 1, position + WINDOW_WORDS)
            window = (words[first][0], words[last][1])
            if windows and window[0] <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], window[1]))
            else:
                windows.append(window)
    return windows


def _nlp_artifacts(text: str) -> NlpArtifacts:
    """Tokens of the whole text, entities from the stretches that may hold a name."""
    nlp_engine = analyzer_engine().nlp_engine
    nlp = nlp_engine.nlp[LANGUAGE]
    doc = nlp.make_doc(text)
    windows = _windows(text)
    spans = []
    for (offset, end), sub in zip(windows, nlp.pipe(text[start:end] for start, end in windows)):
        for ent in sub.ents:
            if ent.label_ == "PER":
                span = doc.char_span(offset + ent.start_char, offset + ent.end_char, label="PERSON",
                                     alignment_mode="expand")
                if span is not None:
                    spans.append(span)
    doc.ents = filter_spans(spans)
    return NlpArtifacts(entities=list(doc.ents), tokens=doc, tokens_indices=[t.idx for t in doc],
                        lemmas=[""] * len(doc), nlp_engine=nlp_engine, language=LANGUAGE,
                        scores=[nlp_engine.ner_model_configuration.default_score] * len(doc.ents))


def detect_pii(text: str, foreign: bool = False) -> list[Finding]:
    """Personal data in ``text``; ``foreign`` when the whole text is not French (the name model is unreliable)."""
    results = analyzer_engine().analyze(text=text, language=LANGUAGE, score_threshold=MIN_SCORE,
                                        nlp_artifacts=_nlp_artifacts(text))
    candidates: list[tuple[str, int, int, float]] = []
    for result in results:
        kind = PRESIDIO_TO_KIND.get(result.entity_type, result.entity_type)
        start, end = result.start, result.end
        if kind == "pii.person":
            start, end = _trim_person(text, start, end)
            if not _credible_name(text[start:end]) or FACILITY_BEFORE.search(text[max(0, start - 40) : start]):
                continue
            from_model = result.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY) == "SpacyRecognizer"
            if from_model and not _model_name_plausible(text, start, end, foreign):
                continue
        if kind.startswith("pii.") and end > start:
            candidates.append((kind, start, end, result.score))
    return [pii_finding(kind, text, start, end, score) for kind, start, end, score in _resolve(candidates)]


VALIDATED = {"pii.iban", "pii.card", "pii.nir", "pii.tax_number", "pii.email", "pii.phone"}


def _resolve(candidates: list[tuple[str, int, int, float]]) -> list[tuple[str, int, int, float]]:
    """Keep the best finding among overlapping ones: checksum- or parser-validated kinds first, then the
    longest span (an address holding a name or a postal code), then priority and score."""
    ordered = sorted(candidates, key=lambda c: (c[0] not in VALIDATED, -(c[2] - c[1]), -PRIORITY.get(c[0], 0), -c[3]))
    kept: list[tuple[str, int, int, float]] = []
    for cand in ordered:
        if any(cand[1] < k[2] and k[1] < cand[2] for k in kept):
            # Same kind overlapping: merge into the kept span (e.g. "Julie" inside "Julie Roux").
            continue
        kept.append(cand)
    return sorted(kept, key=lambda c: (c[1], c[2]))
