"""``python -m spplus.gateway api``: the gateway's CLI without discovering every installed service."""
import sys

from spplus.chassis.cli import make_cli

from .bootstrap import spec

if __name__ == "__main__":
    sys.exit(make_cli(spec)(prog_name="spplus-gateway"))
