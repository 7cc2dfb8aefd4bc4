"""Demo data for ``make run``: a few submitted experiences waiting in the queue (idempotent)."""
from __future__ import annotations

import datetime as dt

from .service_layer.services import Moderation

STORIES = [
    ("00000000-0000-4000-8000-00000000d001", "Dossier de retraite traité rapidement",
     "J'ai appelé la caisse de retraite pour mon dossier et une conseillère m'a rappelé le lendemain. "
     "Elle m'a expliqué chaque pièce à fournir et mon dossier a été complet en une semaine."),
    ("00000000-0000-4000-8000-00000000d002", "Attente trop longue au guichet",
     "Je suis venu au guichet de la préfecture pour mon titre de séjour, j'ai attendu quatre heures. "
     "Mon voisin Jean Dupont, joignable au 06 12 34 56 78, a vécu la même chose la semaine dernière."),
]


def load(moderation: Moderation) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    for number, (experience_id, title, description) in enumerate(STORIES):
        with moderation.database.unit_of_work() as session:
            moderation.open_case(session, {
                "experience_id": experience_id, "title": title, "description": description,
                "feeling": "negative" if number else "positive", "experienced_on": now.strftime("%Y-%m"),
                "path": [{"structure_code": "DEMO", "structure_name": "Structure de démonstration", "channels": []}],
                "pseudonym": f"Usager{number + 1}", "postal_code": "75011", "city": "Paris",
                "submitted_at": (now - dt.timedelta(hours=2 - number)).isoformat()})
    print("moderation: 2 dossiers de démonstration dans la file (/moderation/)")
