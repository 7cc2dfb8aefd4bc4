"""A minimal service on the chassis, used by the chassis's own tests (and the benchmark).

State: ``things`` (written by the API together with a ``thing.created`` event in the outbox)
and ``effects`` (written by the handler of ``thing.created``, once per event).
"""
from __future__ import annotations

import time
import uuid
from pathlib import Path

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import Column, DateTime, Integer, String, Table, func, insert

from spplus.chassis import outbox
from spplus.chassis.cli import main_for
from spplus.chassis.db import new_metadata
from spplus.chassis.events import contract
from spplus.chassis.service import ServiceSpec
from spplus.chassis.web import create_base_app

metadata = new_metadata()
things = Table("things", metadata, Column("id", String(36), primary_key=True),
               Column("name", String(100), nullable=False))
effects = Table("effects", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
                Column("event_id", String(36), nullable=False), Column("name", String(100), nullable=False),
                Column("handled_at", DateTime(timezone=True), server_default=func.now()))


@contract("thing.created")
class ThingCreatedSchema(Schema):
    thing_id = fields.String(required=True)
    name = fields.String(required=True)
    fail = fields.Boolean(load_default=False)
    sleep = fields.Float(load_default=0.0)
    # A file the handler creates when it starts, so tests know a message is "in hand".
    touch = fields.String(load_default=None, allow_none=True)


class ThingSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=2, max=100))
    fail = fields.Boolean(load_default=False)


blp = Blueprint("things", __name__, url_prefix="/api/v1/things")


@blp.route("")
class Things(MethodView):
    @blp.arguments(ThingSchema)
    @blp.response(201, ThingSchema)
    def post(self, payload):
        from flask import current_app

        database = current_app.config["SPPLUS_DATABASE"]
        with database.unit_of_work() as session:
            thing_id = str(uuid.uuid4())
            session.execute(insert(things).values(id=thing_id, name=payload["name"]))
            outbox.record(session, "thing.created", {"thing_id": thing_id, "name": payload["name"],
                                                     "fail": payload["fail"]}, producer="sample")
        return payload


def create_app(settings, database):
    app, api = create_base_app("sample", settings, database, __name__, "spplus sample")
    api.register_blueprint(blp)
    return app


def on_thing_created(session, event):
    if event.data.get("touch"):
        Path(event.data["touch"]).write_text(event.id)
    if event.data.get("sleep"):
        time.sleep(event.data["sleep"])
    if event.data.get("fail"):
        raise RuntimeError("this thing always fails")
    session.execute(insert(effects).values(event_id=event.id, name=event.data["name"]))


spec = ServiceSpec(
    name="sample",
    port=8999,
    create_app=create_app,
    handlers=lambda settings, database: {"thing.created": on_thing_created},
    migrations=str(Path(__file__).parent / "migrations"),
)

main = main_for(spec)

if __name__ == "__main__":
    main()
