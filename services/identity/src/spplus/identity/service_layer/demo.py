"""Demo data for ``make run``: the seed referential and a few accounts. Only in demo mode."""
from __future__ import annotations

import os
import secrets

import click

from ..adapters import accounts_repository as repo
from ..domain.accounts import normalize_email
from . import accounts, structures

DEMO_ACCOUNTS = (
    ("admin@demo.spplus.fr", "Administratrice de démonstration", {"admin"}, set()),
    ("moderation@demo.spplus.fr", "Modérateur de démonstration", {"moderator"}, set()),
    ("agent.caf30@demo.spplus.fr", "Agent de la CAF du Gard", {"agent"}, {"CAF-30"}),
    ("agent.cpam69@demo.spplus.fr", "Agente de la CPAM du Rhône", {"agent"}, {"CPAM-69"}),
    ("agent.dgfip75@demo.spplus.fr", "Agent des Finances publiques de Paris", {"agent"}, {"DGFIP-75"}),
    ("agent.ft-occ@demo.spplus.fr", "Agente de France Travail Occitanie", {"agent"}, {"FT-OCC"}),
)


def load_demo(settings, database) -> None:
    if not settings.demo:
        click.echo("identity: pas de données de démonstration hors du mode démo (SPPLUS_DEMO=1).")
        return
    password = os.environ.get("SPPLUS_DEMO_PASSWORD") or ""
    generated = not password
    if generated:
        password = secrets.token_urlsafe(12)
    with database.unit_of_work() as session:
        counts = structures.load_seed(session)
    created = []
    with database.unit_of_work() as session:
        for email, name, roles, scope in DEMO_ACCOUNTS:
            if repo.row_by_email(session, normalize_email(email)) is None:
                accounts.create(session, email, name, roles, scope, password)
                created.append(email)
    click.echo(f"identity: référentiel chargé ({counts.inserted} structures créées, {counts.updated} mises à jour).")
    for email, _name, roles, scope in DEMO_ACCOUNTS:
        state = "créé" if email in created else "existant"
        click.echo(f"  {email:34} {', '.join(sorted(roles)):10} {', '.join(sorted(scope)):10} ({state})")
    if generated and created:
        click.echo(f"  mot de passe des comptes créés : {password}")
