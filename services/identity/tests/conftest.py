import sys
from pathlib import Path

import pytest
from sqlalchemy import func, update

from spplus.chassis.messaging_tables import outbox

from spplus.identity.bootstrap import spec
from spplus.identity.domain.seed import seed_structures
from spplus.identity.service_layer import accounts, structures

# The helpers module sits beside this file; its name is unique in the repository.
sys.path.insert(0, str(Path(__file__).parent))
from identity_helpers import PASSWORD, with_csrf  # noqa: E402


class Identity:
    """A real identity service for a test, with helpers to make accounts and sign in."""

    def __init__(self, harness):
        self.harness = harness

    def __getattr__(self, name):
        return getattr(self.harness, name)

    def seed(self):
        with self.database.unit_of_work() as session:
            return structures.load_seed(session)

    def small_seed(self):
        """Networks and the seed's national, regional and a few départements' structures: enough for
        account and sign-in tests, much quicker than the whole referential."""
        keep = ("-30", "-69", "-75", "-30-SIP", "-30-SIE")
        chosen = [s for s in seed_structures() if s.parent_code is None or s.code.endswith(keep)
                  or s.network_code in ("URSSAF", "CNAV", "MSA") or s.code.startswith("FT-")
                  and len(s.code) == 6]
        with self.database.unit_of_work() as session:
            structures.ensure_networks(session)
            return structures.upsert_many(session, chosen)

    def account(self, email="agent@test.spplus.fr", roles=("agent",), scope=("CAF-30",), password=PASSWORD):
        with self.database.unit_of_work() as session:
            return accounts.create(session, email, "Test", set(roles), set(scope), password)

    def login(self, client, email, password=PASSWORD, **extra):
        return client.post("/api/v1/auth/login", json={"email": email, "password": password, **extra})

    def admin_client(self):
        """A test client signed in as an administrator (cookie), with its CSRF token."""
        self.account("admin@test.spplus.fr", roles=("admin",), scope=())
        client = self.client
        assert self.login(client, "admin@test.spplus.fr").status_code == 200
        return with_csrf(client)


@pytest.fixture
def identity(make_harness):
    return Identity(make_harness(spec, IDENTITY_LOGIN_MAX_FAILURES_PER_ACCOUNT=3, IDENTITY_ARGON2_PROFILE="CHEAPEST"))


@pytest.fixture
def full_seed(identity):
    identity.seed()
    with identity.database.unit_of_work() as session:
        session.execute(update(outbox).values(sent_at=func.now()))
    return identity


@pytest.fixture
def seeded(identity):
    identity.small_seed()
    # The seed's own events are proved in test_events; here they are set aside as already sent.
    with identity.database.unit_of_work() as session:
        session.execute(update(outbox).values(sent_at=func.now()))
    return identity
