"""What an automated check reports: a kind, a French label, an exact span and a suggested redaction."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Personal data kinds: label shown to the moderator, redaction applied in one click.
PII_KINDS: dict[str, tuple[str, str]] = {
    "pii.person": ("Nom de personne", "[nom]"),
    "pii.email": ("Adresse électronique", "[adresse électronique]"),
    "pii.phone": ("Numéro de téléphone", "[numéro de téléphone]"),
    "pii.nir": ("Numéro de sécurité sociale (NIR)", "[numéro de sécurité sociale]"),
    "pii.tax_number": ("Numéro fiscal (SPI)", "[numéro fiscal]"),
    "pii.iban": ("Coordonnées bancaires (IBAN)", "[IBAN]"),
    "pii.card": ("Numéro de carte bancaire", "[numéro de carte bancaire]"),
    "pii.address": ("Adresse postale", "[adresse]"),
    "pii.plate": ("Plaque d'immatriculation", "[immatriculation]"),
    "pii.file_number": ("Numéro de dossier ou d'allocataire", "[numéro de dossier]"),
    "pii.birth_date": ("Date de naissance", "[date de naissance]"),
}

POLICY_KINDS: dict[str, str] = {
    "policy.language": "Langue autre que le français",
    "policy.out_of_scope": "Hors du champ du programme",
    "policy.control": "Contrôle subi",
    "policy.teaching": "Contenu pédagogique",
    "policy.litigation": "Décision en attente ou contentieux",
    "policy.insult": "Propos injurieux ou discriminatoires",
    "policy.spam": "Spam ou promotion",
    "policy.too_old": "Expérience de plus de deux ans",
    "policy.duplicate": "Doublon probable",
    "policy.vague": "Récit trop court ou trop vague pour être orienté",
}

ALL_KINDS: tuple[str, ...] = (*PII_KINDS, *POLICY_KINDS)


@dataclass(frozen=True, slots=True)
class Finding:
    """One automated finding on a text; ``start``/``end`` are character offsets (end exclusive)."""

    kind: str
    label: str
    start: int
    end: int
    excerpt: str
    score: float
    suggestion: str | None = None

    @property
    def is_personal_data(self) -> bool:
        return self.kind.startswith("pii.")

    def to_dict(self) -> dict:
        return asdict(self)


def pii_finding(kind: str, text: str, start: int, end: int, score: float, detail: str | None = None) -> Finding:
    label, suggestion = PII_KINDS[kind]
    if detail:
        label = f"{label} ({detail})"
    return Finding(kind, label, start, end, text[start:end], round(min(max(score, 0.0), 1.0), 2), suggestion)


def policy_finding(kind: str, text: str, start: int, end: int, score: float, detail: str | None = None) -> Finding:
    label = POLICY_KINDS[kind]
    if detail:
        label = f"{label} : {detail}"
    excerpt = text[start:end]
    if len(excerpt) > 200:
        excerpt = excerpt[:199] + "…"
    return Finding(kind, label, start, end, excerpt, round(min(max(score, 0.0), 1.0), 2), None)
