"""The reasons for rejection of the moderation policy (codes are part of the events' contract)."""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Reason:
    code: str
    label: str
    description: str


REASONS = (
    Reason("out_of_scope", "Hors du champ du programme",
           "Service commercial (La Poste, SNCF, RATP…) ou compétence d'une collectivité locale (crèche, voirie…)."),
    Reason("too_old", "Expérience de plus de deux ans", "L'expérience date de plus de deux ans."),
    Reason("teaching", "Contenu pédagogique", "Le récit porte sur un contenu d'enseignement."),
    Reason("incomplete", "Récit incomplet ou imprécis", "Le récit ne permet pas de comprendre l'expérience vécue."),
    Reason("control", "Contrôle subi", "Contrôle routier, fiscal ou douanier, interpellation."),
    Reason("foreign_language", "Langue étrangère", "Le récit n'est pas rédigé en français."),
    Reason("decision_litigation", "Décision ou contentieux",
           "Le récit conteste une décision ou porte sur un contentieux en cours."),
    Reason("spam", "Spam ou promotion", "Message publicitaire, promotionnel ou sans rapport."),
    Reason("duplicate", "Doublon", "La même expérience a déjà été partagée."),
    Reason("not_lived", "Pas une expérience vécue", "Opinion générale ou témoignage indirect."),
    Reason("abusive", "Propos injurieux, discriminatoires ou diffamatoires",
           "Le récit contient des propos injurieux, discriminatoires ou diffamatoires."),
    Reason("personal_data", "Données personnelles impossibles à retirer",
           "Les données personnelles ne peuvent pas être retirées sans dénaturer le récit."),
)
_BY_CODE = {reason.code: reason for reason in REASONS}


def get(code: str | None) -> Reason | None:
    return _BY_CODE.get(code or "")
