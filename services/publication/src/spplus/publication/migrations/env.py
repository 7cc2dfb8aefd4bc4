from spplus.chassis.migrations import run_env

from spplus.publication.adapters.orm import metadata

run_env(metadata)
