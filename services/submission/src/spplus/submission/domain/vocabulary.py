"""The closed lists a citizen picks from: feelings and contact channels (French labels)."""
from spplus.chassis.contracts.common import FEELINGS

FEELING_LABELS = {"positive": "Positif", "neutral": "Neutre", "negative": "Négatif"}
assert tuple(FEELING_LABELS) == FEELINGS

# Identity serves its own copy at /api/v1/channels; this one is what the form offers and checks.
CHANNELS = {
    "accueil": "Accueil physique (guichet)",
    "telephone": "Téléphone",
    "courrier": "Courrier postal",
    "email": "E-mail",
    "site_internet": "Site internet ou espace en ligne",
    "application_mobile": "Application mobile",
    "chat": "Messagerie instantanée (chat)",
    "visio": "Visioconférence",
    "reseaux_sociaux": "Réseaux sociaux",
    "france_services": "Espace France Services",
}

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")

TITLE_MIN, TITLE_MAX = 5, 150
DESCRIPTION_MIN, DESCRIPTION_MAX = 100, 1000
PATH_MAX = 5
PSEUDONYM_MAX = 50
CITY_MAX = 100
EMAIL_MAX = 254


def month_label(value: str | None) -> str:
    """"2026-03" → "mars 2026"."""
    if not value:
        return ""
    year, month = value.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"
