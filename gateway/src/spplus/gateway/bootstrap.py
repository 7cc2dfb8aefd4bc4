"""The gateway as the launcher and the CLI see it: role ``api`` only, no database, no worker."""
import os

from spplus.chassis.service import ServiceSpec

from .app import DEFAULTS, create_app

# A gateway thread waits on a service for the whole request (and a slow upload): it needs more
# threads than a service's default of 4. ``GATEWAY_WEB_THREADS`` still wins when set.
os.environ.setdefault("GATEWAY_WEB_THREADS", "32")

spec = ServiceSpec(
    name="gateway",
    port=8000,
    create_app=create_app,
    migrations=None,
    settings_defaults=dict(DEFAULTS),
    has_worker=False,
)
