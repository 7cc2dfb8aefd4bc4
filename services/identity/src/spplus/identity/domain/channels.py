"""Contact channels a citizen may have used with a structure (a fixed reference list).

The codes are the ones submission's form offers and checks (``submission.domain.vocabulary``).
"""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Channel:
    code: str
    label: str


CHANNELS: tuple[Channel, ...] = (
    Channel("accueil", "Accueil physique (guichet, rendez-vous sur place)"),
    Channel("telephone", "Téléphone"),
    Channel("courrier", "Courrier postal"),
    Channel("email", "Courrier électronique (e-mail)"),
    Channel("site_internet", "Site internet ou espace en ligne"),
    Channel("application_mobile", "Application mobile"),
    Channel("chat", "Messagerie instantanée (chat)"),
    Channel("visio", "Visioconférence"),
    Channel("reseaux_sociaux", "Réseaux sociaux"),
    Channel("france_services", "Dans une France Services"),
)
