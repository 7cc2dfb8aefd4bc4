from spplus.chassis.migrations import run_env

from sample.service import metadata

run_env(metadata)
