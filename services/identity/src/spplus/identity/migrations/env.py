from spplus.chassis.migrations import run_env

from spplus.identity.adapters.orm import metadata

run_env(metadata)
