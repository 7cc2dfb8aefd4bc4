"""Races on PostgreSQL: two moderators, an answer against the deadline job, two job runners."""
import datetime as dt
import threading
from collections import Counter

from sqlalchemy import select

from spplus.chassis.messaging_tables import outbox
from spplus.moderation.adapters.tables import proposals
from spplus.moderation.bootstrap import moderation_for
from spplus.moderation.domain.model import Actor, ModerationError

ALICE, BOB = Actor("alice", "Alice"), Actor("bob", "Bob")


def open_cases(harness, submitted, count: int) -> list[str]:
    service = moderation_for(harness.settings, harness.database)
    ids = []
    for _ in range(count):
        data = submitted()
        with harness.database.unit_of_work() as session:
            service.open_case(session, data)
        ids.append(data["experience_id"])
    return ids


def race(*targets):
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def run(index, target):
        barrier.wait()
        try:
            results[index] = target()
        except ModerationError as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def published_per_case(harness) -> Counter:
    import json

    with harness.database.unit_of_work() as session:
        rows = session.execute(select(outbox.c.type, outbox.c.payload)).all()
    return Counter((row.type, json.loads(row.payload)["data"]["experience_id"]) for row in rows)


def test_two_moderators_claiming_at_once_one_wins(moderation, submitted, moderator):
    ids = open_cases(moderation, submitted, 12)
    alice, bob = moderator("Alice Martin"), moderator("Bob Durand")
    for experience_id in ids:
        url = f"/api/v1/moderation/cases/{experience_id}/claim"
        codes = race(lambda url=url: moderation.app.test_client().post(url, headers=alice).status_code,
                     lambda url=url: moderation.app.test_client().post(url, headers=bob).status_code)
        assert sorted(codes) == [200, 409], codes


def test_two_moderators_deciding_at_once_one_decides(moderation, submitted):
    ids = open_cases(moderation, submitted, 10)
    service = moderation_for(moderation.settings, moderation.database)
    for experience_id in ids:
        results = race(lambda i=experience_id: service.claim(i, ALICE) and service.publish(i, ALICE),
                       lambda i=experience_id: service.claim(i, BOB) and service.reject(i, BOB, "spam"))
        assert sum(not isinstance(result, ModerationError) for result in results) == 1, results
    counts = published_per_case(moderation)
    for experience_id in ids:
        assert counts[("experience.published", experience_id)] + counts[("experience.rejected", experience_id)] == 1


def proposals_due(harness, submitted, count):
    service = moderation_for(harness.settings, harness.database)
    ids = open_cases(harness, submitted, count)
    tokens = []
    for experience_id in ids:
        service.claim(experience_id, ALICE)
        _case, proposal = service.propose_edit(experience_id, ALICE, "Titre revu", "Texte raccourci.", None)
        tokens.append(service.tokens.make(proposal.id))
    with harness.database.unit_of_work() as session:
        deadline = max(session.execute(select(proposals.c.deadline)).scalars())
    return ids, tokens, deadline


def test_acceptance_racing_the_deadline_publishes_exactly_once(moderation, submitted):
    ids, tokens, deadline = proposals_due(moderation, submitted, 15)
    author = moderation_for(moderation.settings, moderation.database)
    author.clock = lambda: deadline - dt.timedelta(seconds=1)  # the author clicks just in time
    job = moderation_for(moderation.settings, moderation.database)
    job.config.batch_size = 3

    def answer_all():
        outcomes = []
        for token in tokens:
            try:
                author.answer(token, "accept")
                outcomes.append("accepted")
            except ModerationError as error:
                outcomes.append(error.status)
        return outcomes

    # The job's clock is past the deadline for every proposal.
    answers, expired = race(answer_all, lambda: job.process_deadlines(deadline + dt.timedelta(seconds=1)))
    assert answers.count("accepted") + expired == 15
    counts = published_per_case(moderation)
    for experience_id in ids:
        assert counts[("experience.published", experience_id)] == 1
        accepted, expired = (counts[(kind, experience_id)] for kind in ("experience.edit_accepted",
                                                                          "experience.edit_expired"))
        assert accepted + expired == 1


def test_two_workers_running_the_deadline_job_publish_each_once(moderation, submitted):
    ids, _tokens, deadline = proposals_due(moderation, submitted, 20)
    first, second = (moderation_for(moderation.settings, moderation.database) for _ in range(2))
    first.config.batch_size = second.config.batch_size = 2
    later = deadline + dt.timedelta(minutes=5)
    done = race(lambda: first.process_deadlines(later), lambda: second.process_deadlines(later))
    assert sum(done) == 20
    counts = published_per_case(moderation)
    assert all(counts[("experience.published", i)] == 1 and counts[("experience.edit_expired", i)] == 1 for i in ids)
