"""1,000 events committed while RabbitMQ restarts mid-stream: every one handled exactly once.

Restarting the broker disturbs every other test, so this one is marked ``exclusive``: the
test command runs it alone, after the parallel suite.
"""
import shutil
import subprocess
import threading
import time

import pytest
from sqlalchemy import func, select

from sample.service import effects
from spplus.chassis import outbox
from spplus.chassis.worker import run_worker

pytestmark = pytest.mark.exclusive


def restart_broker():
    ctl = shutil.which("rabbitmqctl")
    if ctl is None:
        pytest.fail("rabbitmqctl is needed to restart the broker in this test", pytrace=False)
    subprocess.run([ctl, "stop_app"], check=True, capture_output=True, timeout=120)
    time.sleep(1)
    subprocess.run([ctl, "start_app"], check=True, capture_output=True, timeout=120)
    subprocess.run([ctl, "await_startup"], check=False, capture_output=True, timeout=120)


def test_thousand_events_survive_a_broker_restart(sample):
    sample.consumer  # declare queue and bindings
    sample.consumer.close()
    sample.spy.close()
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(sample.spec, sample.settings, sample.database, stop),
                              kwargs={"install_signals": False}, daemon=True)
    worker.start()
    total = 1000
    try:
        for batch in range(10):
            with sample.database.unit_of_work() as session:
                for i in range(100):
                    outbox.record(session, "thing.created", {"thing_id": f"{batch}-{i}", "name": f"n{batch}-{i}"},
                                  producer="sample")
            if batch == 4:
                restart_broker()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with sample.database.unit_of_work() as session:
                handled = session.scalar(select(func.count()).select_from(effects))
            if handled >= total:
                break
            time.sleep(0.5)
        time.sleep(1.0)  # any duplicate would show up now
        with sample.database.unit_of_work() as session:
            rows = session.scalar(select(func.count()).select_from(effects))
            distinct = session.scalar(select(func.count(func.distinct(effects.c.name))))
            pending, _ = outbox.backlog(session)
        assert (rows, distinct, pending) == (total, total, 0)
    finally:
        stop.set()
        worker.join(60)
