"""Networks and structures of the referential: plain values and their rules, no I/O."""
from __future__ import annotations

import dataclasses
import re
import unicodedata

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,49}$")
POSTAL_CODE_PATTERN = re.compile(r"^(\d{5}|\d{2}[AB]\d{2})$")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclasses.dataclass(frozen=True)
class Network:
    code: str
    name: str


@dataclasses.dataclass(frozen=True)
class Structure:
    code: str
    name: str
    network_code: str
    parent_code: str | None = None
    postal_code: str | None = None
    city: str | None = None
    active: bool = True

    def fields(self) -> dict:
        return {"code": self.code, "name": self.name, "network_code": self.network_code,
                "parent_code": self.parent_code, "postal_code": self.postal_code, "city": self.city,
                "active": self.active}

    def same_as(self, other: "Structure") -> bool:
        return self == other


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces: "Nîmes  (Gard)" → "nimes gard"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    bare = bare.replace("œ", "oe").replace("æ", "ae")
    return " ".join(_NON_WORD.sub(" ", bare).split())


def search_text(structure: Structure) -> str:
    """What searches match against: folded words of the name, city and postal code, with a leading space
    so that ``LIKE '% word%'`` matches the start of any word on every database."""
    parts = (structure.name, structure.city or "", structure.postal_code or "")
    return " " + fold(" ".join(part for part in parts if part)) + " "


# Words in nearly every name ("CAF du Gard", "Préfecture de l'Ain"): they select nothing and cost a lot.
STOP_WORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"})


def query_words(query: str, limit: int = 8) -> list[str]:
    """Folded words of a search; articles are dropped unless the search is nothing else."""
    words = fold(query).split()
    meaningful = [word for word in words if word not in STOP_WORDS]
    return (meaningful or words)[:limit]


class InvalidStructure(ValueError):
    """One structure that breaks the rules; ``errors`` is ``{field: [French message]}``."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{key}: {', '.join(value)}" for key, value in errors.items()))
        self.errors = errors


def clean(raw: dict, known_networks: set[str], known_codes: set[str] | None = None) -> Structure:
    """Build a Structure from loosely typed input (a CSV row, a JSON body) or raise InvalidStructure.

    ``known_codes``: codes a parent may have (those already stored plus those of the same import).
    """
    def text(key: str) -> str:
        value = raw.get(key)
        return " ".join(str(value).split()) if value is not None else ""

    errors: dict[str, list[str]] = {}
    code = text("code").upper()
    if not code:
        errors["code"] = ["Le code est obligatoire."]
    elif not CODE_PATTERN.match(code):
        errors["code"] = ["Le code doit contenir de 1 à 50 lettres majuscules, chiffres ou tirets."]
    name = text("name")
    if not name:
        errors["name"] = ["Le nom est obligatoire."]
    elif len(name) > 300:
        errors["name"] = ["Le nom ne doit pas dépasser 300 caractères."]
    network = text("network").upper()
    if not network:
        errors["network"] = ["Le réseau est obligatoire."]
    elif network not in known_networks:
        errors["network"] = [f"Réseau inconnu : « {network} »."]
    parent = text("parent_code").upper() or None
    if parent is not None:
        if parent == code:
            errors["parent_code"] = ["Une structure ne peut pas être son propre parent."]
        elif known_codes is not None and parent not in known_codes:
            errors["parent_code"] = [f"Structure parente inconnue : « {parent} »."]
    postal_code = text("postal_code").upper() or None
    if postal_code is not None and not POSTAL_CODE_PATTERN.match(postal_code):
        errors["postal_code"] = ["Le code postal doit comporter 5 chiffres."]
    city = text("city") or None
    if city is not None and len(city) > 200:
        errors["city"] = ["La commune ne doit pas dépasser 200 caractères."]
    if errors:
        raise InvalidStructure(errors)
    return Structure(code=code, name=name, network_code=network, parent_code=parent,
                     postal_code=postal_code, city=city, active=True)


def creates_cycle(code: str, parent_code: str | None, parents: dict[str, str | None]) -> bool:
    """True when making ``parent_code`` the parent of ``code`` would loop (``parents``: code → parent)."""
    seen = {code}
    current = parent_code
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False
