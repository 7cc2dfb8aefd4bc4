"""The worker as a real process: killed mid-message it gets the message again; stopped with
SIGTERM it finishes the message in hand first."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import func, select

from sample.service import effects

TESTS_DIR = Path(__file__).parent


def start_worker(harness, metrics_port=0):
    env = {**os.environ, "PYTHONPATH": str(TESTS_DIR), "SAMPLE_DATABASE_URL": harness.settings.database_url,
           "SAMPLE_WORKER_METRICS_PORT": str(metrics_port)}
    return subprocess.Popen([sys.executable, "-m", "sample.service", "worker"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def effect_count(harness):
    with harness.database.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(effects))


def test_worker_killed_mid_message_gets_it_again_on_restart(sample, tmp_path):
    marker = tmp_path / "started"
    sample.publish("thing.created", {"thing_id": "k1", "name": "slow", "sleep": 3.0, "touch": str(marker)})
    worker = start_worker(sample)
    try:
        assert wait_for(marker.exists), "the worker never took the message"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        assert effect_count(sample) == 0
        marker.unlink()
        worker = start_worker(sample)
        assert wait_for(lambda: effect_count(sample) == 1, timeout=40)
        time.sleep(0.5)
        assert effect_count(sample) == 1
    finally:
        worker.kill()
        worker.wait(10)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sigterm_finishes_the_message_in_hand_then_exits(sample, tmp_path):
    marker = tmp_path / "started"
    sample.publish("thing.created", {"thing_id": "t1", "name": "slow", "sleep": 1.5, "touch": str(marker)})
    port = free_port()
    worker = start_worker(sample, metrics_port=port)
    try:
        assert wait_for(marker.exists), "the worker never took the message"
        metrics = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        assert "spplus_outbox_backlog" in metrics
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0
        assert effect_count(sample) == 1
        # acked: nothing left for the next consumer
        assert sample.consume(idle_seconds=1.0) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
