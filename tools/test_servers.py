"""Before the tests: say which PostgreSQL and RabbitMQ they will use, or why they cannot run.

``TEST_DATABASE_URL`` / ``TEST_AMQP_URL`` win; else testcontainers starts servers when a
Docker engine answers; else the run stops here with a clear message (never silent skips).
"""
import os
import sys

REQUIRED = {
    "TEST_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "TEST_AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/%2F",
}


def docker_answers() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:  # noqa: BLE001
        return False


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except Exception:  # noqa: BLE001
        return False


def main() -> int:
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    if not redis_answers(redis_url):
        print(f"Les tests de la passerelle ont besoin de Redis ({redis_url}) : démarrez-le "
              "(apt-get install redis-server) ou donnez TEST_REDIS_URL.", file=sys.stderr)
        return 2
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if not missing:
        print("tests use", ", ".join(f"{n}={os.environ[n].split('@')[-1]}" for n in REQUIRED))
        return 0
    if docker_answers():
        print("tests start PostgreSQL and RabbitMQ with testcontainers")
        return 0
    print("Les tests ont besoin de PostgreSQL et RabbitMQ réels. Donnez-les, par exemple :", file=sys.stderr)
    for name in missing:
        print(f"  export {name}='{REQUIRED[name]}'", file=sys.stderr)
    print("ou démarrez un moteur Docker pour que testcontainers les lance.", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
