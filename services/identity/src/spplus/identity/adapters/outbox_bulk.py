"""Many events of one type into the outbox in one statement.

``spplus.chassis.outbox.record`` writes one row per call and validates each event with a fresh
schema; an import of 15,000 structures needs the same rows in bulk. Same envelope, same table,
same contract check (one schema validating the whole list); a candidate for the chassis.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid

from marshmallow import RAISE
from sqlalchemy import insert
from sqlalchemy.orm import Session

from spplus.chassis.events import Event, InvalidEvent, contract_for  # noqa: F401 - Event: the envelope we mirror
from spplus.chassis.logs import current_correlation_id
from spplus.chassis.messaging_tables import outbox


def _json_default(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def record_many(session: Session, event_type: str, datas: list[dict], producer: str, version: int = 1) -> int:
    if not datas:
        return 0
    datas = json.loads(json.dumps(datas, default=_json_default))
    schema_cls = contract_for(event_type, version)
    if schema_cls is not None:
        errors = schema_cls(many=True, unknown=RAISE).validate(datas)
        if errors:
            raise InvalidEvent({"data": errors})
    now = dt.datetime.now(dt.timezone.utc)
    correlation_id = current_correlation_id()
    rows = []
    for data in datas:
        envelope = {"id": str(uuid.uuid4()), "type": event_type, "version": version, "occurred_at": now.isoformat(),
                    "correlation_id": correlation_id, "producer": producer, "data": data}
        # The same JSON as Event.to_json(), without dataclasses.asdict's deep copy of every event.
        payload = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
        rows.append({"event_id": envelope["id"], "type": event_type, "payload": payload, "created_at": now})
    session.execute(insert(outbox), rows)
    return len(rows)
