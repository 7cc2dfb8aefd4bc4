"""The event envelope shared by every service, validated with marshmallow on publish and on receipt.

``{"id", "type", "version", "occurred_at", "correlation_id", "producer", "data"}``.
Data schemas per event type live in ``spplus.chassis.contracts``: a producer must send
data that its schema accepts (unknown fields refused), a consumer ignores fields it
does not know yet, so producers can add fields without breaking anyone.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import uuid

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from .logs import current_correlation_id


class EnvelopeSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]+\.[a-z_]+$"))
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True, default_timezone=dt.timezone.utc)
    correlation_id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    producer = fields.String(required=True, validate=validate.Length(min=1, max=50))
    data = fields.Dict(required=True)


_envelope_schema = EnvelopeSchema()
_contracts: dict[tuple[str, int], type[Schema]] = {}


def contract(event_type: str, version: int = 1):
    """Class decorator registering the data schema of an event type."""

    def register(schema_cls: type[Schema]) -> type[Schema]:
        _contracts[(event_type, version)] = schema_cls
        return schema_cls

    return register


def contract_for(event_type: str, version: int = 1) -> type[Schema] | None:
    from . import contracts  # noqa: F401 - registers every contract module

    return _contracts.get((event_type, version))


class InvalidEvent(ValueError):
    def __init__(self, errors):
        super().__init__(f"invalid event: {errors}")
        self.errors = errors


@dataclasses.dataclass(frozen=True)
class Event:
    id: str
    type: str
    version: int
    occurred_at: str
    correlation_id: str
    producer: str
    data: dict

    def to_dict(self) -> dict:
        # Shallow: ``data`` is already plain JSON (dataclasses.asdict would deep-copy it).
        return {"id": self.id, "type": self.type, "version": self.version, "occurred_at": self.occurred_at,
                "correlation_id": self.correlation_id, "producer": self.producer, "data": self.data}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


def new_event(event_type: str, data: dict, producer: str, version: int = 1,
              correlation_id: str | None = None) -> Event:
    """Build and validate an event; its data must satisfy its contract exactly."""
    event = Event(
        id=str(uuid.uuid4()),
        type=event_type,
        version=version,
        occurred_at=dt.datetime.now(dt.timezone.utc).isoformat(),
        correlation_id=correlation_id or current_correlation_id(),
        producer=producer,
        data=json.loads(json.dumps(data, default=json_default)),
    )
    _validate(event.to_dict(), unknown=RAISE)
    return event


def parse_event(body: bytes | str) -> Event:
    """Decode and validate a received event; raise InvalidEvent when it breaks the contract."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidEvent({"_body": [str(error)]}) from error
    if not isinstance(payload, dict):
        raise InvalidEvent({"_body": ["not a JSON object"]})
    _validate(payload, unknown=EXCLUDE)
    return Event(**{field.name: payload[field.name] for field in dataclasses.fields(Event)})


@functools.cache
def _contract_schema(event_type: str, version: int, unknown: str) -> Schema | None:
    schema_cls = contract_for(event_type, version)
    return schema_cls(unknown=unknown) if schema_cls is not None else None


def _validate(payload: dict, unknown: str) -> None:
    errors = _envelope_schema.validate(payload)
    if errors:
        raise InvalidEvent(errors)
    schema = _contract_schema(payload["type"], payload["version"], unknown)
    if schema is not None:
        errors = schema.validate(payload["data"])
        if errors:
            raise InvalidEvent({"data": errors})


def json_default(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


__all__ = ["Event", "EnvelopeSchema", "InvalidEvent", "ValidationError", "contract", "contract_for",
           "new_event", "parse_event"]
