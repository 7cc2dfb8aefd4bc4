"""The circuit breaker's states, and that it never makes one call wait for another."""
import threading

import pytest
from spplus.gateway.breaker import Breaker, CircuitOpen


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Down(Exception):
    pass


def fail():
    raise Down()


def make(changes=None, fail_max=2):
    clock = Clock()
    breaker = Breaker("publication", fail_max=fail_max, reset_seconds=30, failures=(Down,), clock=clock,
                      on_change=lambda name, state: changes.append((name, state)) if changes is not None else None)
    return breaker, clock


def test_failures_in_a_row_open_the_circuit_and_calls_are_refused_without_reaching_the_service():
    changes = []
    breaker, _clock = make(changes)
    with pytest.raises(Down):
        breaker.call(fail)
    assert breaker.call(lambda: "ok") == "ok"       # a success resets the count
    for _ in range(2):
        with pytest.raises(Down):
            breaker.call(fail)
    assert breaker.current_state == "open" and changes == [("publication", "open")]
    called = []
    with pytest.raises(CircuitOpen):
        breaker.call(lambda: called.append(1))
    assert called == []


def test_after_the_reset_time_one_trial_closes_or_reopens_the_circuit():
    changes = []
    breaker, clock = make(changes)
    for _ in range(2):
        with pytest.raises(Down):
            breaker.call(fail)
    clock.now += 31
    with pytest.raises(Down):
        breaker.call(fail)                          # the trial fails: open again for 30 s
    assert breaker.current_state == "open"
    clock.now += 10
    with pytest.raises(CircuitOpen):
        breaker.call(lambda: "ok")
    clock.now += 21
    assert breaker.call(lambda: "ok") == "ok"       # the trial succeeds: closed
    assert breaker.current_state == "closed"
    assert changes == [("publication", "open"), ("publication", "half-open"), ("publication", "open"),
                       ("publication", "half-open"), ("publication", "closed")]


def test_errors_that_are_not_the_services_change_nothing():
    breaker, _clock = make(fail_max=1)
    with pytest.raises(ValueError):
        breaker.call(lambda: int("client gone"))
    assert breaker.current_state == "closed"


def test_a_call_in_flight_holds_back_neither_other_calls_nor_while_half_open_a_second_trial():
    breaker, clock = make()
    entered, release = threading.Event(), threading.Event()

    def slow():
        entered.set()
        release.wait(10)
        return "slow"

    results = []
    worker = threading.Thread(target=lambda: results.append(breaker.call(slow)))
    worker.start()
    assert entered.wait(5)
    assert breaker.call(lambda: "fast") == "fast"   # not queued behind the slow call
    release.set()
    worker.join(5)
    assert results == ["slow"]

    for _ in range(2):
        with pytest.raises(Down):
            breaker.call(fail)
    clock.now += 31
    entered.clear()
    release.clear()
    worker = threading.Thread(target=lambda: results.append(breaker.call(slow)))
    worker.start()
    assert entered.wait(5) and breaker.current_state == "half-open"
    with pytest.raises(CircuitOpen):                # one trial at a time
        breaker.call(lambda: "second")
    release.set()
    worker.join(5)
    assert breaker.current_state == "closed" and breaker.call(lambda: "again") == "again"
