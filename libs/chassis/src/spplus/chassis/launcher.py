"""``make run``: the whole platform as local processes, with demo data.

For every installed service (entry points ``spplus.services``): migrate, load demo data, then
run ``api`` (gunicorn) and ``worker`` side by side under honcho; Ctrl-C stops them all.
SQLite files, mails and keys live under ``var/``. RabbitMQ comes from ``AMQP_URL``; when none
answers, a local ``rabbitmq-server`` is started if installed.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time

import click
import pika
import pika.exceptions
from honcho.manager import Manager

from .service import discover
from .settings import DEFAULT_AMQP_URL, var_dir


def broker_answers(url: str) -> bool:
    try:
        params = pika.URLParameters(url)
        params.connection_attempts, params.socket_timeout = 1, 2
        pika.BlockingConnection(params).close()
        return True
    except (pika.exceptions.AMQPError, OSError):
        return False


def ensure_broker(url: str) -> None:
    if broker_answers(url):
        return
    server = shutil.which("rabbitmq-server")
    if server is None:
        sys.exit("RabbitMQ ne répond pas à AMQP_URL et rabbitmq-server n'est pas installé.\n"
                 "Installez-le (Debian/Ubuntu : sudo apt-get install rabbitmq-server) ou donnez l'adresse "
                 "d'un RabbitMQ dans AMQP_URL, puis relancez « make run ».")
    click.echo("RabbitMQ ne répond pas : démarrage de rabbitmq-server…")
    subprocess.run([server, "-detached"], check=False)
    for _ in range(60):
        time.sleep(1)
        if broker_answers(url):
            return
    sys.exit("RabbitMQ n'a pas démarré en 60 secondes ; consultez ses journaux (/var/log/rabbitmq).")


def _service_command(name: str, *role: str) -> list[str]:
    return [sys.executable, "-m", "spplus.chassis.service_cli", name, *role]


@click.command()
@click.option("--no-demo", is_flag=True, help="Start without demo data.")
def main(no_demo: bool) -> None:
    env = os.environ
    env.setdefault("SPPLUS_VAR_DIR", str(var_dir()))
    env.setdefault("AMQP_URL", DEFAULT_AMQP_URL)
    env.setdefault("SPPLUS_DEMO", "0" if no_demo else "1")
    env.setdefault("SPPLUS_SECRET_KEY", _local_secret())
    if not no_demo and not env.get("SPPLUS_DEMO_PASSWORD"):
        env["SPPLUS_DEMO_PASSWORD"] = secrets.token_urlsafe(12)
    ensure_broker(env["AMQP_URL"])
    specs = discover()
    if not specs:
        sys.exit("Aucun service installé : lancez « make run » depuis la racine du dépôt.")
    # Migrations (and queue declarations) of all services at once: each has its own database.
    _run_together([_service_command(name, "migrate") for name, spec in specs.items()
                   if spec.migrations or spec.has_worker])
    manager = Manager()
    for name, spec in specs.items():
        manager.add_process(f"{name}-api", " ".join(_service_command(name, "api", "--workers", "1")), env=dict(env))
        if spec.has_worker:
            manager.add_process(f"{name}-worker", " ".join(_service_command(name, "worker")), env=dict(env))
    if not no_demo:
        # Demo data goes in through each service's own code, once its workers consume events.
        _run_together([_service_command(name, "demo") for name, spec in specs.items() if spec.demo is not None])
        click.echo(f"\nComptes de démonstration : mot de passe « {env['SPPLUS_DEMO_PASSWORD']} »")
    gateway = env.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
    click.echo(f"spplus démarre : ouvrez {gateway} (Ctrl-C pour tout arrêter)\n")
    manager.loop()
    sys.exit(manager.returncode)


def _run_together(commands: list[list[str]]) -> None:
    processes = [subprocess.Popen(command) for command in commands]
    failed = [" ".join(command[3:]) for command, process in zip(commands, processes) if process.wait() != 0]
    if failed:
        sys.exit(f"Échec au démarrage : {', '.join(failed)} (voir les messages ci-dessus).")


def _local_secret() -> str:
    path = var_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


if __name__ == "__main__":
    main()
