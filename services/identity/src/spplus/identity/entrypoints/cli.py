"""Identity's own commands: first admin, seed referential, CSV import with a progress bar."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from spplus.chassis.db import Database

from ..domain.accounts import AccountError
from ..service_layer import accounts, imports, structures


def _database() -> Database:
    from ..bootstrap import spec

    return Database(spec.settings().database_url)


@click.command("create-admin", help="Create an administrator account (the first one, typically).")
@click.option("--email", required=True)
@click.option("--name", default="")
@click.option("--password", envvar="IDENTITY_ADMIN_PASSWORD", default=None,
              help="Read from IDENTITY_ADMIN_PASSWORD, or asked (hidden) when absent.")
def create_admin(email, name, password):
    if not password:
        password = click.prompt("Mot de passe (12 caractères au moins)", hide_input=True, confirmation_prompt=True)
    database = _database()
    try:
        with database.unit_of_work() as session:
            account = accounts.create(session, email, name, {"admin"}, set(), password)
    except AccountError as error:
        details = "; ".join(message for messages in error.errors.values() for message in messages)
        click.echo(f"Erreur : {error.message} {details}".strip(), err=True)
        sys.exit(1)
    click.echo(f"Compte administrateur créé : {account.email}")


@click.command("load-seed", help="Load (or update) the project's seed referential of structures.")
def load_seed():
    database = _database()
    with database.unit_of_work() as session:
        counts = structures.load_seed(session)
    click.echo(f"{counts.inserted} créées, {counts.updated} mises à jour, {counts.unchanged} inchangées")


@click.command("import-structures", help="Import structures from a CSV file, with a progress bar and a report.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_structures(path: Path):
    database = _database()
    with click.progressbar(length=1, label="Import des structures") as bar:
        def progress(done, total, _counts):
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        try:
            counts, rejected = imports.run(database.unit_of_work, path.read_bytes(), progress)
        except imports.ImportFileError as error:
            click.echo(f"\nErreur : {error}", err=True)
            sys.exit(1)
    click.echo(f"{counts.inserted} créées, {counts.updated} mises à jour, {counts.unchanged} inchangées, "
               f"{len(rejected)} refusées")
    for item in rejected:
        problems = "; ".join(message for messages in item.errors.values() for message in messages)
        click.echo(f"  ligne {item.line} ({item.code or 'sans code'}) : {problems}")


COMMANDS = (create_admin, load_seed, import_structures)
