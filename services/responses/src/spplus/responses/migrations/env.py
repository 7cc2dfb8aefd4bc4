from spplus.chassis.migrations import run_env
from spplus.responses.adapters.tables import metadata

run_env(metadata)
