"""French personal-data recognizers for presidio, validated with phonenumbers and python-stdnum.

Each recognizer reports the entity named after our finding kind (``pii.nir``...), so the analyzer
engine's results map one to one onto findings.
"""

from __future__ import annotations

import re

import phonenumbers
import tldextract
from phonenumbers import Leniency, PhoneNumberType
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer
from stdnum import iban, luhn
from stdnum.fr import nif, nir

from .lexicon import INSTITUTION_WORDS, NAME_PARTICLE, NAME_TOKEN, STRUCTURE_CONTEXT, TITLES, fold

LANGUAGE = "fr"


def _result(recognizer: EntityRecognizer, entity: str, start: int, end: int, score: float) -> RecognizerResult:
    return RecognizerResult(
        entity_type=entity,
        start=start,
        end=end,
        score=score,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def structure_context_before(text: str, start: int, window: int = 70) -> bool:
    """True when the words just before ``start`` say the item belongs to an institution."""
    return bool(STRUCTURE_CONTEXT.search(text[max(0, start - window) : start]))


class RegexRecognizer(EntityRecognizer):
    """A regular expression whose group ``value`` is the span, checked by ``check`` (score or None)."""

    entity: str = ""
    pattern: re.Pattern[str]

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.entity], name=type(self).__name__, supported_language=LANGUAGE)

    def load(self) -> None:  # nothing to load: the pattern is compiled at import time
        pass

    def check(self, text: str, match: re.Match[str]) -> float | None:
        return 0.9

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for match in self.pattern.finditer(text):
            score = self.check(text, match)
            if score:
                start, end = match.span("value")
                results.append(_result(self, self.entity, start, end, score))
        return results


# The public suffix list snapshot shipped with tldextract: never fetched from the network.
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """presidio's e-mail recognizer, validating the domain against the bundled suffix list only."""

    def __init__(self) -> None:
        super().__init__(supported_language=LANGUAGE, supported_entity="pii.email", name="OfflineEmailRecognizer")

    def validate_result(self, pattern_text: str):
        return _OFFLINE_TLD(pattern_text.rsplit("@", 1)[-1]).suffix != ""  # a known top-level domain

    _LOCAL = re.compile(r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*$")
    _DOMAIN = re.compile(r"\w+(?:-+\w+)*(?:\.\w+(?:-+\w+)*)+")

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """Around each "@" only: presidio's pattern, run over a whole story, costs milliseconds for nothing."""
        results = []
        for at in re.finditer("@", text):
            local = self._LOCAL.search(text, max(0, at.start() - 64), at.start())
            domain = self._DOMAIN.match(text, at.end())
            if local and domain and self.validate_result(domain.group(0)):
                results.append(_result(self, "pii.email", local.start(), domain.end(), 1.0))
        return results


class NirRecognizer(RegexRecognizer):
    """Social-security number: 15 digits (sex, year, month, place, order, key), key checked."""

    entity = "pii.nir"
    pattern = re.compile(
        r"(?<![\dA-Za-z])(?P<value>[123478][ .-]?\d{2}[ .-]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .-]?(?:\d{2}|2[AB])[ .-]?"
        r"\d{3}[ .-]?\d{3}(?:[ .-]?(?P<key>\d{2}))?)(?![\d])"
    )
    context_words = re.compile(r"s[ée]cu|nir\b|insee|vitale|assur[ée] social", re.IGNORECASE)

    def check(self, text, match):
        value = re.sub(r"[ .-]", "", match.group("value"))
        if match.group("key"):
            return 0.95 if nir.is_valid(value) else None
        # 13 digits without the key: only with explicit context.
        before = text[max(0, match.start() - 60) : match.start()]
        return 0.8 if self.context_words.search(before) else None


class TaxNumberRecognizer(RegexRecognizer):
    """French personal tax number (SPI / numéro fiscal): 13 digits starting 0-3, check digits verified."""

    entity = "pii.tax_number"
    pattern = re.compile(r"(?<![\d])(?P<value>[0-3]\d(?:[ .]?\d){11})(?![\d])")

    def check(self, text, match):
        return 0.9 if nif.is_valid(_digits(match.group("value"))) else None


class IbanRecognizer(RegexRecognizer):
    entity = "pii.iban"
    pattern = re.compile(r"(?<![A-Za-z0-9])(?P<value>[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?)(?![A-Za-z0-9])")

    def check(self, text, match):
        return 0.98 if iban.is_valid(match.group("value")) else None


class CardRecognizer(RegexRecognizer):
    """Bank card number: 13 to 19 digits with a card prefix and a valid Luhn checksum."""

    entity = "pii.card"
    pattern = re.compile(r"(?<![\d])(?P<value>[2-6]\d{3}(?:[ -]?\d){9,15})(?![\d])")

    def check(self, text, match):
        digits = _digits(match.group("value"))
        if not 13 <= len(digits) <= 19 or not luhn.is_valid(digits):
            return None
        if digits[0] == "4" or digits[:2] in {"34", "37", "51", "52", "53", "54", "55", "62", "65"}:
            return 0.95
        if digits[:2] in {"22", "23", "24", "25", "26", "27", "30", "36", "38", "60"}:
            return 0.85
        return None


class PlateRecognizer(RegexRecognizer):
    """Licence plates: current SIV format AB-123-CD, and the older FNI format 1234 AB 30 with context."""

    entity = "pii.plate"
    _L = "[A-HJ-NP-TV-Z]"
    pattern = re.compile(
        rf"(?<![\w-])(?P<value>{_L}{{2}}-\d{{3}}-{_L}{{2}}|{_L}{{2}} \d{{3}} {_L}{{2}}|{_L}{{2}}\d{{3}}{_L}{{2}}"
        rf"|\d{{1,4}}[ -]?[A-Z]{{1,3}}[ -]?(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6]))(?![\w-])"
    )
    context_words = re.compile(r"immatricul|plaque|v[ée]hicule|voiture|auto|moto|scooter|camion|carte grise|SIV", re.IGNORECASE)

    def check(self, text, match):
        value = match.group("value")
        near = text[max(0, match.start() - 80) : match.end() + 40]
        has_context = bool(self.context_words.search(near))
        if "-" in value and value[0].isalpha():
            return 0.9
        if value[0].isalpha():  # AB 123 CD or AB123CD: common enough in other codes, ask for context
            return 0.85 if has_context else None
        return 0.8 if has_context else None


class FileNumberRecognizer(RegexRecognizer):
    """File, beneficiary or client numbers introduced by their usual words ("dossier n° ...")."""

    entity = "pii.file_number"
    pattern = re.compile(
        r"(?i:dossier|allocataire|b[ée]n[ée]ficiaire|demandeur d'emploi|identifiant|matricule|r[ée]f[ée]rence|r[ée]f\."
        r"|num[ée]ro client|n° client|adh[ée]rent|pension|r[ée]c[ée]piss[ée]|demande|contrat|titre de s[ée]jour"
        r"|passeport|carte d'identit[ée]|permis|ticket|AGDREF|t[ée]l[ée]d[ée]clarant|porte le num[ée]ro"
        r"|sous le num[ée]ro|num[ée]ro de suivi|num[ée]ro d'inscription|r[ée]clamation|requ[êe]te|signalement)"
        # a few words may stand between the keyword and the number ("numéro d'adhérent MSA 30-4478-2211")
        r"(?:[^\S\n]*+[,:=#]?[^\S\n]*+(?:n°|nº|no\.|[\wÀ-ÿ'’]++)){0,5}?[^\S\n]*+[,:=#]?[^\S\n]*+"
        r"(?P<value>(?=[A-Z0-9./-]*\d[A-Z0-9./-]*\d)[A-Z0-9](?:[A-Z0-9./-]*[A-Z0-9])?(?:[ ][0-9]{2,}){0,4})(?![\w])"
        r"(?![^\S\n]*(?:€|euros?|%|ans|mois|jours|heures|minutes))"
    )

    def check(self, text, match):
        value = match.group("value")
        digits = _digits(value)
        if len(value) < 4 or len(digits) < 4 or (value.isdigit() and len(digits) < 5):
            return None
        if re.fullmatch(r"(?:19|20)\d{2}", value):  # a year: "dossier 2024"
            return None
        if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", value):  # a date
            return None
        if re.fullmatch(r"\d{5}", value) and re.match(r"[^\S\n]+[A-ZÀ-Ý]", text[match.end("value") :]):
            return None  # a postal code followed by its town

        return 0.85


MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
DATE = rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}|(?:1er|\d{{1,2}})\s+(?:{MONTHS})\s+(?:19|20)\d{{2}})"


class BirthDateRecognizer(RegexRecognizer):
    """A date introduced as a date of birth ("né le", "date de naissance")."""

    entity = "pii.birth_date"
    pattern = re.compile(
        rf"(?i:\bn[ée]e?s?\b|naissance|\bDDN\b|anniversaire)[^\S\n]*(?:[^.\n\d]{{0,30}}?)(?P<value>{DATE})(?![\d])",
        re.IGNORECASE,
    )


class AddressRecognizer(RegexRecognizer):
    """Street address: number, street type, street name, then optionally postal code and city."""

    entity = "pii.address"
    pattern = re.compile(
        r"(?<![\w])(?P<value>\d{1,4}(?:\s?(?:bis|ter|b|t))?,?\s+"
        r"(?i:rue|avenue|av\.|boulevard|bd|place|impasse|all[ée]e|chemin|route|quai|cours|square|r[ée]sidence"
        r"|lotissement|passage|faubourg|voie|sentier|hameau|lieu-dit|chauss[ée]e|rond-point|esplanade|promenade|cit[ée]|mont[ée]e)"
        r"\s+(?:(?i:de la|de l'|de l’|du|des|de|d'|d’|la|le|les)\s*)?[\wÀ-ÿ'’-]+(?:\s+(?:(?i:de|du|des|la|le|d'|l')\s*)?[A-ZÀ-Ý0-9][\wÀ-ÿ'’-]*){0,5}"
        r"(?:,?\s+\d{5}(?:\s+[A-ZÀ-Ý][\wÀ-ÿ'’-]+(?:[ -][A-ZÀ-Ý][\wÀ-ÿ'’-]+){0,3})?)?)"
    )

    def check(self, text, match):
        return 0.6 if structure_context_before(text, match.start(), 50) else 0.85


class PhoneRecognizer(EntityRecognizer):
    """Phone numbers in every usual French format, parsed by phonenumbers; structures' numbers left out."""

    STRUCTURE_PREFIXES = ("0969", "0970", "0971", "0800", "0805", "0806", "0809", "081", "082", "089", "3")

    def __init__(self) -> None:
        super().__init__(supported_entities=["pii.phone"], name="FrenchPhoneRecognizer", supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for match in phonenumbers.PhoneNumberMatcher(text, "FR", leniency=Leniency.VALID):
            number = match.number
            kind = phonenumbers.number_type(number)
            national = phonenumbers.national_significant_number(number)
            if number.country_code == 33 and ("0" + national).startswith(self.STRUCTURE_PREFIXES):
                continue
            if kind in (PhoneNumberType.TOLL_FREE, PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST,
                        PhoneNumberType.UAN):
                continue
            if structure_context_before(text, match.start):
                continue
            results.append(_result(self, "pii.phone", match.start, match.end, 0.9))
        return results


# Capitalised at the start of a sentence, never a name.
_COMMON_CAPITALISED = frozenset(
    """
    le la les de du des un une il elle on nous vous ils elles je j tu ce cet cette ces mon ma mes son sa ses leur
    leurs notre votre ça ca et ou mais donc or ni car si quand depuis pendant après apres avant lors alors puis
    enfin ensuite aujourd hier demain bref malgré malgre très tres trop bien mal pas plus moins aucun aucune
    personne tout toute tous toutes rien jamais toujours encore déjà deja en au aux par pour sans sous sur chez
    vers avec contre entre parmi selon dans
    """.split()  # noqa: SIM905
)
_NAME_STOP = INSTITUTION_WORDS | _COMMON_CAPITALISED


class TitledNameRecognizer(RegexRecognizer):
    """Names after a title or an introducing word: "Mme Martin", "je m'appelle Julie Roux", "l'agent M. Bernard"."""

    entity = "pii.person"
    pattern = re.compile(
        rf"(?:(?<![\w]){TITLES}\s+|(?i:je m'appelle|je m’appelle|je me nomme|je suis|prénom|nom|nommée?|appelée?|signé"
        rf"|mon fils|ma fille|mon mari|ma femme|mon épouse|mon époux|mon compagnon|ma compagne|mon frère|ma sœur"
        rf"|ma soeur|ma mère|mon père|mon voisin|ma voisine|conseill[eè]re?|agente?|interlocut(?:eur|rice)"
        rf"|mes enfants|mes fils|mes filles|mes petits-enfants|mon petit-fils|ma petite-fille|c'est|c’est|contactez"
        rf"|gestionnaire|assistante? sociale?|collègue)\s*[:,]?\s+)"
        rf"(?P<value>{NAME_PARTICLE}?{NAME_TOKEN}(?:\s+{NAME_PARTICLE}?{NAME_TOKEN}){{0,2}})"
    )

    def check(self, text, match):
        words = [fold(w) for w in re.findall(r"[\wÀ-ÿ'’-]+", match.group("value"))]
        if all(w in _NAME_STOP for w in words):
            return None
        introducer = fold(match.group(0)[: match.start("value") - match.start()]).strip()
        if introducer in ("je suis", "c'est", "c’est") and len(words) < 2:
            return None  # "je suis Française", "c'est Noël": one capitalised word says little
        return 0.9


def french_recognizers() -> list[EntityRecognizer]:
    return [
        OfflineEmailRecognizer(),
        NirRecognizer(),
        TaxNumberRecognizer(),
        IbanRecognizer(),
        CardRecognizer(),
        PlateRecognizer(),
        FileNumberRecognizer(),
        BirthDateRecognizer(),
        AddressRecognizer(),
        PhoneRecognizer(),
        TitledNameRecognizer(),
    ]
