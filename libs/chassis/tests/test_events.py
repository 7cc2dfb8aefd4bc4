import json

import pytest

from spplus.chassis.events import InvalidEvent, new_event, parse_event
from spplus.chassis.logs import correlation


def test_new_event_has_the_envelope_and_the_current_correlation_id():
    with correlation("req-123"):
        event = new_event("structure.retired", {"code": "CAF30", "updated_at": "2026-01-01T00:00:00+00:00"},
                          producer="identity")
    payload = json.loads(event.to_json())
    assert set(payload) == {"id", "type", "version", "occurred_at", "correlation_id", "producer", "data"}
    assert payload["correlation_id"] == "req-123"
    assert payload["version"] == 1


def test_producer_cannot_break_the_contract():
    with pytest.raises(InvalidEvent) as error:
        new_event("structure.retired", {"code": "CAF30"}, producer="identity")
    assert "updated_at" in error.value.errors["data"]
    with pytest.raises(InvalidEvent):
        new_event("structure.retired", {"code": "CAF30", "updated_at": "2026-01-01T00:00:00+00:00", "x": 1},
                  producer="identity")


def test_consumer_ignores_unknown_fields_but_refuses_broken_envelopes():
    event = new_event("structure.retired", {"code": "C", "updated_at": "2026-01-01T00:00:00+00:00"}, "identity")
    payload = event.to_dict()
    payload["data"]["added_later"] = True
    assert parse_event(json.dumps(payload)).data["added_later"] is True
    for broken in (b"not json", b"[]", json.dumps({**payload, "id": "nope"}), json.dumps({**payload, "version": "1"})):
        with pytest.raises(InvalidEvent):
            parse_event(broken)


def test_unregistered_types_only_need_a_valid_envelope():
    event = new_event("thing.noticed", {"anything": [1, 2]}, producer="test")
    assert parse_event(event.to_json()).data == {"anything": [1, 2]}
