"""The first admin from the command line, and demo data only in demo mode."""
import dataclasses

from click.testing import CliRunner
from sqlalchemy import func, select

from spplus.identity.adapters.orm import accounts, structures
from spplus.identity.entrypoints.cli import create_admin, load_seed

from identity_helpers import PASSWORD


def _count(harness, table):
    with harness.database.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_create_admin_command(identity, monkeypatch):
    monkeypatch.setenv("IDENTITY_DATABASE_URL", identity.settings.database_url)
    runner = CliRunner()
    weak = runner.invoke(create_admin, ["--email", "chef@test.spplus.fr"], input="court\ncourt\n")
    assert weak.exit_code == 1 and "au moins 12 caractères" in weak.output
    ok = runner.invoke(create_admin, ["--email", "Chef@test.spplus.fr", "--name", "Cheffe"],
                       input=f"{PASSWORD}\n{PASSWORD}\n")
    assert ok.exit_code == 0 and "Compte administrateur créé : chef@test.spplus.fr" in ok.output
    assert PASSWORD not in ok.output
    body = identity.login(identity.client, "chef@test.spplus.fr").get_json()
    assert body["roles"] == ["admin"]
    twice = runner.invoke(create_admin, ["--email", "chef@test.spplus.fr"], env={"IDENTITY_ADMIN_PASSWORD": PASSWORD})
    assert twice.exit_code == 1 and "existe déjà" in twice.output
    seeded = runner.invoke(load_seed, [])
    assert seeded.exit_code == 0 and _count(identity, structures) >= 300


def test_demo_data_only_in_demo_mode(identity, monkeypatch, capsys):
    monkeypatch.setenv("SPPLUS_DEMO_PASSWORD", "mot de passe de démo")
    identity.spec.demo(dataclasses.replace(identity.settings, demo=False), identity.database)
    assert _count(identity, accounts) == 0 and _count(identity, structures) == 0
    identity.spec.demo(dataclasses.replace(identity.settings, demo=True), identity.database)
    identity.spec.demo(dataclasses.replace(identity.settings, demo=True), identity.database)  # idempotent
    printed = capsys.readouterr().out
    assert "agent.caf30@demo.spplus.fr" in printed and "mot de passe de démo" not in printed
    client = identity.client
    agent = identity.login(client, "agent.caf30@demo.spplus.fr", "mot de passe de démo").get_json()
    assert agent["roles"] == ["agent"] and agent["structures"] == ["CAF-30"]
    for email, role in (("admin@demo.spplus.fr", "admin"), ("moderation@demo.spplus.fr", "moderator")):
        assert identity.login(identity.client, email, "mot de passe de démo").get_json()["roles"] == [role]
    assert _count(identity, accounts) == 6


def test_demo_prints_a_generated_password_when_none_is_given(identity, monkeypatch, capsys):
    monkeypatch.delenv("SPPLUS_DEMO_PASSWORD", raising=False)
    identity.spec.demo(dataclasses.replace(identity.settings, demo=True), identity.database)
    password = capsys.readouterr().out.split("mot de passe des comptes créés : ")[1].strip()
    assert identity.login(identity.client, "admin@demo.spplus.fr", password).status_code == 200
