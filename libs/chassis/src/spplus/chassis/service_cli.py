"""``python -m spplus.chassis.service_cli <service> <role> [options]``: any installed service's CLI."""
import sys

from .cli import make_cli
from .service import discover


def main() -> None:
    specs = discover()
    if len(sys.argv) < 2 or sys.argv[1] not in specs:
        sys.exit(f"usage: spplus-service <{'|'.join(specs) or 'service'}> <role> …")
    name = sys.argv[1]
    sys.exit(make_cli(specs[name])(args=sys.argv[2:], prog_name=f"spplus-service {name}"))


if __name__ == "__main__":
    main()
