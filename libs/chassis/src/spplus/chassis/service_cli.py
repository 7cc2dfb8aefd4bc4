"""``python -m spplus.chassis.service_cli <service> <role> [options]``: any installed service's CLI."""
import sys

from .cli import make_cli
from .service import installed_names, load


def main() -> None:
    names = installed_names()
    if len(sys.argv) < 2 or sys.argv[1] not in names:
        sys.exit(f"usage: spplus-service <{'|'.join(names) or 'service'}> <role> …")
    name = sys.argv[1]
    sys.exit(make_cli(load(name))(args=sys.argv[2:], prog_name=f"spplus-service {name}"))


if __name__ == "__main__":
    main()
