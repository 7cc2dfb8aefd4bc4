from spplus.chassis.migrations import run_env

from spplus.moderation.adapters.tables import metadata

run_env(metadata)
