from spplus.chassis.migrations import run_env
from spplus.notification.adapters.tables import metadata

run_env(metadata)
