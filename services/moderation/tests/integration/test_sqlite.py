"""The local run uses SQLite: migrations and the whole life of a case work there too."""
import datetime as dt

from spplus.chassis.db import Database
from spplus.chassis.migrations import upgrade
from spplus.moderation.bootstrap import spec
from spplus.moderation.domain.model import Actor
from spplus.moderation.service_layer.services import Config, Moderation
from spplus.moderation.service_layer.tokens import ProposalTokens

ALICE = Actor("alice", "Alice")


def test_life_of_cases_on_sqlite(tmp_path, submitted, analysis_ready):
    url = f"sqlite:///{tmp_path / 'moderation.db'}"
    upgrade(spec.migrations, url)
    database = Database(url)
    service = Moderation(database, ProposalTokens("secret"), Config())
    first, second = submitted(), submitted()
    for data in (first, second):
        with database.unit_of_work() as session:
            assert service.open_case(session, data)
    with database.unit_of_work() as session:
        assert not service.open_case(session, first)
    service.claim(first["experience_id"], ALICE)
    assert service.publish(first["experience_id"], ALICE).state == "published"
    service.claim(second["experience_id"], ALICE)
    _case, proposal = service.propose_edit(second["experience_id"], ALICE, "Titre", "Texte plus court.", None)
    assert service.send_reminders(proposal.deadline - dt.timedelta(hours=1)) == 1
    assert service.process_deadlines(proposal.deadline + dt.timedelta(seconds=1)) == 1
    assert service.process_deadlines(proposal.deadline + dt.timedelta(seconds=2)) == 0
    case, proposal = service.proposal(service.tokens.make(proposal.id))
    assert case.state == "published" and proposal.status == "expired"
    database.dispose()
