from spplus.chassis.migrations import run_env

from spplus.submission.adapters.orm import metadata

run_env(metadata)
