"""The messaging guarantees, proved on the real broker and database."""
import pytest
from sqlalchemy import func, insert, select

from sample.service import effects, things
from spplus.chassis import dlq, outbox
from spplus.chassis.messaging_tables import outbox as outbox_table
from spplus.chassis.outbox import Relay


def count(harness, table):
    with harness.database.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(table))


def create_thing(harness, name="lampe", fail=False):
    response = harness.client.post("/api/v1/things", json={"name": name, "fail": fail})
    assert response.status_code == 201, response.get_data(as_text=True)


def test_event_is_stored_with_the_state_change_and_handled_once(sample):
    create_thing(sample)
    assert count(sample, things) == 1 and count(sample, outbox_table) == 1
    sample.consumer  # declare the queue before publishing
    assert sample.relay() == 1
    assert sample.consume() == 1
    assert count(sample, effects) == 1
    [event] = sample.published(1)
    assert event.type == "thing.created" and event.producer == "sample"


def test_rolled_back_transaction_publishes_nothing(sample):
    with pytest.raises(RuntimeError):
        with sample.database.unit_of_work() as session:
            session.execute(insert(things).values(id="x", name="never"))
            outbox.record(session, "thing.created", {"thing_id": "x", "name": "never"}, producer="sample")
            raise RuntimeError("business rule broken")
    assert count(sample, things) == 0 and count(sample, outbox_table) == 0
    assert sample.relay() == 0
    assert sample.spy.collect(1, timeout=0.5) == []


def test_relay_crash_before_marking_sent_is_a_harmless_redelivery(sample, monkeypatch):
    sample.consumer
    create_thing(sample)
    crashing = Relay(sample.settings, sample.database)
    monkeypatch.setattr(crashing, "_mark_sent", lambda *a: (_ for _ in ()).throw(SystemExit("killed")))
    with pytest.raises(SystemExit):
        crashing.relay_once()
    crashing.close()
    monkeypatch.undo()
    assert sample.relay() == 1  # still unsent, so published a second time
    assert sample.consume() == 2
    assert count(sample, effects) == 1
    assert len(sample.spy.collect(2)) == 2


def test_redelivered_event_is_acknowledged_and_does_nothing(sample):
    event = sample.publish("thing.created", {"thing_id": "t1", "name": "one"})
    sample.publish("thing.created", {}, event=event)
    assert sample.consume() == 2
    assert count(sample, effects) == 1


def test_failing_handler_is_retried_then_dead_lettered_then_replayed(sample):
    event = sample.publish("thing.created", {"thing_id": "t2", "name": "broken", "fail": True})
    handled = 0
    for _ in range(10):  # first delivery + 2 retries (200 ms, 400 ms)
        handled += sample.consume(idle_seconds=1.0)
        if handled >= 3:
            break
    assert handled == 3
    letters = dlq.list_dead_letters(sample.settings)
    assert [letter.event_id for letter in letters] == [event.id]
    assert "this thing always fails" in letters[0].error
    assert count(sample, effects) == 0
    assert dlq.replay(sample.settings) == 1
    assert dlq.list_dead_letters(sample.settings) == []
    assert sample.consume(max_messages=1) == 1  # handled again (and fails again: back to the retry path)
    assert count(sample, effects) == 0


def test_invalid_message_goes_to_the_dead_letter_queue(sample):
    sample.consumer
    channel = sample.consumer.channel
    channel.basic_publish("", sample.settings.queue, b"{not json")
    assert sample.consume() == 1
    [letter] = dlq.list_dead_letters(sample.settings)
    assert letter.error.startswith("rejected")


def test_unrouted_events_are_kept_in_the_unrouted_queue(sample):
    sample.consumer
    sample.spy.close()  # the spy listens to everything; without it nobody is bound to this type
    with sample.database.unit_of_work() as session:
        outbox.record(session, "nobody.listens", {"x": 1}, producer="sample")
    assert sample.relay() == 1
    channel = sample.consumer.channel
    method, _, body = channel.basic_get(f"{sample.settings.exchange}.unrouted", auto_ack=True)
    assert method is not None and b"nobody.listens" in body


def test_backlog_reports_count_and_age(sample):
    create_thing(sample, "aa")
    create_thing(sample, "bb")
    with sample.database.unit_of_work() as session:
        pending, age = outbox.backlog(session)
    assert pending == 2 and age >= 0
    sample.relay()
    with sample.database.unit_of_work() as session:
        assert outbox.backlog(session) == (0, 0.0)


def take(harness, n, timeout=10.0):
    """n deliveries from the service's queue, unsettled, as the worker's batch would get them."""
    channel = harness.consumer.channel
    batch = []
    for delivery in channel.consume(harness.settings.queue, inactivity_timeout=timeout):
        if delivery[0] is None:
            break
        batch.append(delivery)
        if len(batch) == n:
            break
    return batch


def test_a_failing_event_in_a_batch_costs_the_others_nothing(sample):
    sample.publish("thing.created", {"thing_id": "1", "name": "un"})
    bad = sample.publish("thing.created", {"thing_id": "2", "name": "deux", "fail": True})
    sample.publish("thing.created", {"thing_id": "3", "name": "trois"})
    outcomes = sample.consumer.handle_batch(take(sample, 3))
    sample.consumer.channel.cancel()
    assert outcomes == ["handled", "retried", "handled"]
    assert count(sample, effects) == 2
    # the failing one comes back through its retry queue
    channel = sample.consumer.channel
    for _ in range(50):
        method, properties, _ = channel.basic_get(sample.settings.queue, auto_ack=False)
        if method:
            break
        sample.consumer.connection.sleep(0.1)
    assert properties.message_id == bad.id and properties.headers["x-spplus-retries"] == 1
    channel.basic_nack(method.delivery_tag, requeue=True)


def test_local_run_on_sqlite_handles_each_event_once(make_harness, tmp_path):
    from sample.service import spec

    harness = make_harness(spec, SAMPLE_DATABASE_URL=f"sqlite:///{tmp_path / 'sample.db'}")
    create_thing(harness)
    harness.consumer
    assert harness.relay() == 1
    [event] = harness.spy.collect(1)
    harness.publish("thing.created", {}, event=event)  # a redelivery
    assert harness.consume() == 2
    assert count(harness, effects) == 1


def test_two_relays_side_by_side_publish_each_event_once(sample):
    import threading

    with sample.database.unit_of_work() as session:
        for i in range(300):
            outbox.record(session, "thing.created", {"thing_id": str(i), "name": f"n{i}"}, producer="sample")

    def drain():
        relay = Relay(sample.settings, sample.database)
        try:
            while relay.relay_once():
                pass
        finally:
            relay.close()

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    sample.spy.collect(300, timeout=20)
    sample.spy.collect(301, timeout=1)  # nothing more may come
    assert len(sample.spy.events) == 300 == len({event.id for event in sample.spy.events})
