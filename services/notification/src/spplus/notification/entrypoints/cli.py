"""Operator commands: ``spplus-service notification failures`` and ``… resend <mail id>``."""
from __future__ import annotations

import json

import click
from spplus.chassis.db import Database
from spplus.chassis.logs import configure_logging

from ..service_layer.failures import CannotResend, list_failures, resend


def _database(ctx: click.Context) -> Database:
    spec = ctx.find_root().obj
    settings = spec.settings()
    configure_logging(spec.name, "cli", settings.log_level)
    return Database(settings.database_url)


@click.command("failures", help="List the mails refused for good (addresses masked).")
@click.option("--retrying", is_flag=True, help="Also list mails still being retried after a failure.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def failures_command(ctx, retrying, as_json):
    database = _database(ctx)
    with database.unit_of_work() as session:
        failures = list_failures(session, include_retrying=retrying)
    if as_json:
        click.echo(json.dumps([failure.to_dict() for failure in failures], ensure_ascii=False))
        return
    if not failures:
        click.echo("aucun courriel en échec")
    for failure in failures:
        click.echo(f"{failure.id}  {failure.status}  {failure.template}  {failure.recipient}  "
                   f"tentatives={failure.attempts}  {failure.updated_at:%Y-%m-%d %H:%M}  {failure.last_error or ''}")


@click.command("resend", help="Send a failed mail again (the worker delivers it at its next run).")
@click.argument("mail_id")
@click.pass_context
def resend_command(ctx, mail_id):
    database = _database(ctx)
    try:
        with database.unit_of_work() as session:
            resend(session, mail_id)
    except CannotResend as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{mail_id} : remis en file d'envoi")


COMMANDS = (failures_command, resend_command)
