"""The deployment files match the installed services (regenerate with deploy/generate.py)."""
import importlib.util
from pathlib import Path

import yaml

from spplus.chassis.service import discover

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def load_generator():
    spec = importlib.util.spec_from_file_location("deploy_generate", DEPLOY / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compose_and_kubernetes_files_are_up_to_date():
    generator, specs = load_generator(), discover()
    assert yaml.safe_load((DEPLOY / "compose.yaml").read_text()) == generator.compose(specs)
    for name, spec in specs.items():
        assert list(yaml.safe_load_all((DEPLOY / "k8s" / f"{name}.yaml").read_text())) == generator.k8s(name, spec)


def test_every_service_has_its_own_database_and_independent_roles():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    for name, spec in discover().items():
        assert f"{name}-api" in compose
        if spec.migrations:
            assert f"{name}-db" in compose and f"{name}-migrate" in compose
            assert compose[f"{name}-api"]["environment"][f"{name.upper()}_DATABASE_URL"].endswith(f"@{name}-db:5432/{name}")
        if spec.has_worker:
            assert compose[f"{name}-worker"]["command"] == ["worker"]
