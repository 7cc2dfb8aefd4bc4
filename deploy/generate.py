"""Write the Compose file and the Kubernetes manifests from the installed services.

    .venv/bin/python deploy/generate.py

Each service gets: its image (deploy/Dockerfile), its own PostgreSQL, a ``migrate`` job that
runs before its roles, an ``api`` and a ``worker`` that scale independently.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from spplus.chassis.service import discover

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent


def service_path(name: str) -> str:
    return "gateway" if name == "gateway" else f"services/{name}"


def common_env(name: str, port: int) -> dict:
    return {
        "AMQP_URL": "amqp://spplus:spplus@rabbitmq:5672/%2F",
        "PUBLIC_BASE_URL": "${PUBLIC_BASE_URL:-http://localhost:8000}",
        "SPPLUS_SECRET_KEY": "${SPPLUS_SECRET_KEY:?set SPPLUS_SECRET_KEY}",
        "AUTH_JWKS_URL": "http://identity-api:8001/api/v1/auth/jwks",
        f"{name.upper()}_BIND": f"0.0.0.0:{port}",
        f"{name.upper()}_WORKER_METRICS_PORT": str(port + 1000),
        "WORKER_METRICS_ADDR": "0.0.0.0",
    }


def compose(specs) -> dict:
    services: dict = {
        "rabbitmq": {
            "image": "rabbitmq:3.13-management",
            "environment": {"RABBITMQ_DEFAULT_USER": "spplus", "RABBITMQ_DEFAULT_PASS": "spplus"},
            "healthcheck": {"test": ["CMD", "rabbitmq-diagnostics", "-q", "check_running"], "interval": "5s", "retries": 30},
            "volumes": ["rabbitmq:/var/lib/rabbitmq"],
        },
        "mailpit": {"image": "axllent/mailpit:latest", "ports": ["8025:8025"]},
    }
    volumes: dict = {"rabbitmq": {}}
    for name, spec in specs.items():
        env = common_env(name, spec.port)
        depends = {"rabbitmq": {"condition": "service_healthy"}}
        if spec.migrations:
            services[f"{name}-db"] = {
                "image": "postgres:16-alpine",
                "environment": {"POSTGRES_USER": "spplus", "POSTGRES_PASSWORD": "spplus", "POSTGRES_DB": name},
                "healthcheck": {"test": ["CMD", "pg_isready", "-U", "spplus"], "interval": "5s", "retries": 30},
                "volumes": [f"{name}-db:/var/lib/postgresql/data"],
            }
            volumes[f"{name}-db"] = {}
            env[f"{name.upper()}_DATABASE_URL"] = f"postgresql+psycopg://spplus:spplus@{name}-db:5432/{name}"
            depends[f"{name}-db"] = {"condition": "service_healthy"}
        if name == "notification":
            env["NOTIFICATION_SMTP_URL"] = "smtp://mailpit:1025"
        if name == "gateway":
            for other, other_spec in specs.items():
                if other != "gateway":
                    env[f"GATEWAY_UPSTREAM_{other.upper()}"] = f"http://{other}-api:{other_spec.port}"
        image = {"build": {"context": "..", "dockerfile": "deploy/Dockerfile",
                           "args": {"SERVICE": name, "SERVICE_PATH": service_path(name)}},
                 "image": f"spplus/{name}:latest", "environment": env}
        role_depends = dict(depends)
        if spec.migrations or spec.has_worker:
            services[f"{name}-migrate"] = {**image, "command": ["migrate"], "depends_on": depends, "restart": "no"}
            role_depends[f"{name}-migrate"] = {"condition": "service_completed_successfully"}
        api = {**image, "command": ["api", "--bind", f"0.0.0.0:{spec.port}"], "depends_on": role_depends,
               "healthcheck": {"test": ["CMD", "python", "-c",
                                        f"import urllib.request; urllib.request.urlopen('http://127.0.0.1:{spec.port}/healthz')"],
                               "interval": "10s", "retries": 10}}
        if name == "gateway":
            api["ports"] = [f"8000:{spec.port}"]
        services[f"{name}-api"] = api
        if spec.has_worker:
            services[f"{name}-worker"] = {**image, "command": ["worker"], "depends_on": role_depends,
                                          "stop_grace_period": "60s"}
    return {"name": "spplus", "services": services, "volumes": volumes}


def k8s(name: str, spec) -> list[dict]:
    labels = {"app.kubernetes.io/part-of": "spplus", "app.kubernetes.io/name": name}
    image = f"spplus/{name}:latest"
    env_from = [{"configMapRef": {"name": "spplus-config"}}, {"secretRef": {"name": "spplus-secrets"}},
                {"secretRef": {"name": f"{name}-database", "optional": True}}]
    env = [{"name": f"{name.upper()}_BIND", "value": f"0.0.0.0:{spec.port}"}]
    docs: list[dict] = []
    if spec.migrations:
        docs.append({"apiVersion": "batch/v1", "kind": "Job",
                     "metadata": {"name": f"{name}-migrate", "labels": labels},
                     "spec": {"backoffLimit": 5, "template": {"metadata": {"labels": labels}, "spec": {
                         "restartPolicy": "OnFailure",
                         "containers": [{"name": "migrate", "image": image, "args": ["migrate"],
                                         "envFrom": env_from, "env": env}]}}}})

    def deployment(role: str, args: list[str], replicas: int, probes: bool) -> dict:
        container = {"name": role, "image": image, "args": args, "envFrom": env_from, "env": env,
                     "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "512Mi"}},
                     "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "allowPrivilegeEscalation": False}}
        if probes:
            container["ports"] = [{"containerPort": spec.port, "name": "http"}]
            container["readinessProbe"] = {"httpGet": {"path": "/readyz", "port": "http"}, "periodSeconds": 10}
            container["livenessProbe"] = {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 20}
        role_labels = {**labels, "app.kubernetes.io/component": role}
        return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": f"{name}-{role}", "labels": role_labels},
                "spec": {"replicas": replicas, "selector": {"matchLabels": role_labels},
                         "template": {"metadata": {"labels": role_labels}, "spec": {
                             "terminationGracePeriodSeconds": 60, "containers": [container]}}}}

    docs.append(deployment("api", ["api", "--bind", f"0.0.0.0:{spec.port}"], 2, True))
    api_labels = {**labels, "app.kubernetes.io/component": "api"}
    docs.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"{name}-api", "labels": labels},
                 "spec": {"selector": api_labels, "ports": [{"port": spec.port, "targetPort": "http", "name": "http"}]}})
    docs.append({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                 "metadata": {"name": f"{name}-api", "labels": labels},
                 "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": f"{name}-api"},
                          "minReplicas": 2, "maxReplicas": 10,
                          "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                              "type": "Utilization", "averageUtilization": 70}}}]}})
    if spec.has_worker:
        docs.append(deployment("worker", ["worker"], 1, False))
    return docs


def main() -> None:
    specs = discover()
    (ROOT / "compose.yaml").write_text("# Generated by deploy/generate.py — do not edit by hand.\n"
                                       + yaml.safe_dump(compose(specs), sort_keys=False, allow_unicode=True))
    files = []
    for name, spec in specs.items():
        path = ROOT / "k8s" / f"{name}.yaml"
        path.write_text("# Generated by deploy/generate.py — do not edit by hand.\n"
                        + yaml.safe_dump_all(k8s(name, spec), sort_keys=False))
        files.append(path.name)
    kustomization = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                     "namespace": "spplus", "resources": ["common.yaml", *files]}
    (ROOT / "k8s" / "kustomization.yaml").write_text(yaml.safe_dump(kustomization, sort_keys=False))
    print(f"compose.yaml and {len(files)} Kubernetes manifests written for: {', '.join(specs)}")


if __name__ == "__main__":
    main()
