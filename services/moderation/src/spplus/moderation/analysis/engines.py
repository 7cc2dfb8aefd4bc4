"""The heavy engines (presidio with spaCy's French model, lingua), built once per process, lazily, thread-safe.

Everything is configured explicitly so that nothing is ever downloaded at run time: presidio's default
engine would fetch an English model; ours loads the installed ``fr_core_news_sm`` package and refuses
to download anything.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

import spacy
from lingua import Language, LanguageDetectorBuilder
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from .recognizers import LANGUAGE, french_recognizers

SPACY_MODEL = "fr_core_news_sm"
# Only the tokenizer, the shared tok2vec layer and the entity recognizer are needed to find names.
SPACY_EXCLUDE = ("parser", "morphologizer", "attribute_ruler", "lemmatizer", "senter")

NLP_CONFIGURATION = {
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": LANGUAGE, "model_name": SPACY_MODEL}],
    "ner_model_configuration": {
        "model_to_presidio_entity_mapping": {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION", "MISC": "MISC"},
        "labels_to_ignore": ["LOC", "ORG", "MISC"],
        "low_confidence_score_multiplier": 1.0,
        "low_score_entity_names": [],
    },
}

# Languages a story sent to a French public service may plausibly be written in.
DETECTED_LANGUAGES = (
    Language.FRENCH, Language.ENGLISH, Language.SPANISH, Language.GERMAN, Language.ITALIAN,
    Language.PORTUGUESE, Language.DUTCH, Language.ARABIC, Language.TURKISH, Language.ROMANIAN,
    Language.POLISH, Language.RUSSIAN, Language.UKRAINIAN, Language.CHINESE, Language.VIETNAMESE,
)


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    """presidio's spaCy engine, loading installed packages only (never ``spacy download``)."""

    def load(self) -> None:
        self.nlp = {}
        for model in self.models:
            name = model["model_name"]
            if not spacy.util.is_package(name):
                raise RuntimeError(
                    f"The spaCy model {name!r} is not installed; install it with the moderation service's "
                    "dependencies (it is never downloaded at run time)."
                )
            self.nlp[model["lang_code"]] = spacy.load(name, exclude=list(SPACY_EXCLUDE))


T = TypeVar("T")


def once(build: Callable[[], T]) -> Callable[[], T]:
    """Build the value on first use, exactly once even when threads race for it."""
    lock = threading.Lock()
    box: list[T] = []

    @wraps(build)
    def get() -> T:
        if not box:
            with lock:
                if not box:
                    box.append(build())
        return box[0]

    get.is_built = lambda: bool(box)  # type: ignore[attr-defined]
    return get


@once
def analyzer_engine() -> AnalyzerEngine:
    provider = NlpEngineProvider(nlp_engines=(OfflineSpacyNlpEngine,), nlp_configuration=NLP_CONFIGURATION)
    nlp_engine = provider.create_engine()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE], global_regex_flags=0)
    registry.add_recognizer(SpacyRecognizer(supported_language=LANGUAGE, supported_entities=["PERSON"], ner_strength=0.8))
    for recognizer in french_recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE])


@once
def language_detector():
    # Low-accuracy mode keeps only the trigram models: loaded in about 2 s instead of 35 s and 130 MiB
    # instead of 500, and as reliable on texts of a sentence or more, which is all we judge.
    return (LanguageDetectorBuilder.from_languages(*DETECTED_LANGUAGES).with_low_accuracy_mode()
            .with_preloaded_language_models().build())


def warm_up() -> None:
    """Build every engine now (a worker calls this at start so the first case is not slow)."""
    from . import analyze

    analyze("Bonjour, j'ai appelé la CAF du Gard le 3 mars au sujet de mon dossier, sans réponse depuis.")
