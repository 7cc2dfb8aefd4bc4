"""Open-data export, streamed at constant memory: a server-side cursor (PostgreSQL) read in
batches, the answers of each batch fetched in one query, each batch written out and forgotten.

Columns follow the national export of the programme; never any personal data (the read
model holds none; the pseudonym is left out too, since an author may have typed a real name).
"""
from __future__ import annotations

import csv
import io
import json
from typing import Iterator

from sqlalchemy import select

from ..domain import model
from .orm import experiences, responses, structures

MAX_STEPS = 5
BATCH = 1000

EXPERIENCE_COLUMNS = ["id_experience", "titre", "description", "ressenti_usager", "date_experience"]
STEP_COLUMNS = ["intitule_typologie_{}", "intitule_structure_{}", "code_structure_{}", "canaux_{}",
                "reponse_structure_{}", "date_reponse_structure_{}", "actions_amelioration_{}"]
TRAILING_COLUMNS = ["nombre_reponses", "nombre_experiences_similaires", "ecrit_le", "date_de_publication",
                    "date_de_premiere_reponse"]
COLUMNS = EXPERIENCE_COLUMNS + [name.format(step) for step in range(1, MAX_STEPS + 1) for name in STEP_COLUMNS] \
    + TRAILING_COLUMNS

STRUCTURE_COLUMNS = ["code_structure", "intitule_structure", "code_typologie", "intitule_typologie",
                     "code_structure_parente", "code_postal_structure", "commune_structure", "active"]

FEELINGS = {"positive": "positif", "neutral": "neutre", "negative": "négatif"}
ACTIONS = {"considered": "envisagée", "made": "réalisée"}


def _date(value) -> str:
    return model.aware(value).isoformat() if value else ""


def _answer_text(answer) -> str:
    return "\n\n".join(part for part in (answer.greeting, answer.body, answer.signature) if part)


def _row(experience, answers: list, names: dict) -> dict:
    row = {"id_experience": experience.id, "titre": experience.title, "description": experience.description,
           "ressenti_usager": FEELINGS.get(experience.feeling, ""), "date_experience": experience.experienced_on or ""}
    by_structure: dict[str, object] = {}
    for answer in answers:  # latest answer of each structure
        by_structure[answer.structure_code] = answer
    for index, step in enumerate((experience.path or [])[:MAX_STEPS], start=1):
        code = step.get("structure_code")
        known = names.get(code, {})
        answer = by_structure.get(code)
        row[f"intitule_typologie_{index}"] = known.get("network_name", "")
        row[f"intitule_structure_{index}"] = step.get("structure_name") or known.get("name", "")
        row[f"code_structure_{index}"] = code
        row[f"canaux_{index}"] = "|".join(model.CHANNEL_LABELS.get(use.get("channel"), use.get("channel"))
                                          for use in step.get("channels") or [])
        row[f"reponse_structure_{index}"] = _answer_text(answer) if answer else ""
        row[f"date_reponse_structure_{index}"] = _date(answer.published_at) if answer else ""
        row[f"actions_amelioration_{index}"] = "|".join(
            f"{ACTIONS.get(action.get('kind'), '')} : {action.get('description')}"
            for action in (answer.actions if answer else []) or [])
    row.update({"nombre_reponses": experience.response_count, "nombre_experiences_similaires": experience.similar_count,
                "ecrit_le": _date(experience.submitted_at), "date_de_publication": _date(experience.published_at),
                "date_de_premiere_reponse": _date(experience.first_response_at)})
    return row


def experience_rows(database, batch: int = BATCH) -> Iterator[dict]:
    with database.engine.connect() as connection:
        names = {row.code: {"name": row.name, "network_name": row.network_name}
                 for row in connection.execute(select(structures.c.code, structures.c.name, structures.c.network_name))}
        stream = connection.execution_options(stream_results=True, yield_per=batch).execute(
            select(experiences.c.id, experiences.c.title, experiences.c.description, experiences.c.feeling,
                   experiences.c.experienced_on, experiences.c.path, experiences.c.submitted_at,
                   experiences.c.published_at, experiences.c.first_response_at, experiences.c.response_count,
                   experiences.c.similar_count)
            .where(experiences.c.status == model.PUBLISHED)
            .order_by(experiences.c.published_at, experiences.c.id))
        for partition in stream.partitions():
            ids = [experience.id for experience in partition if experience.response_count]
            answers: dict[str, list] = {}
            if ids:
                for answer in connection.execute(
                        select(responses.c.experience_id, responses.c.structure_code, responses.c.greeting,
                               responses.c.body, responses.c.signature, responses.c.actions, responses.c.published_at)
                        .where(responses.c.experience_id.in_(ids)).order_by(responses.c.published_at)):
                    answers.setdefault(answer.experience_id, []).append(answer)
            for experience in partition:
                yield _row(experience, answers.get(experience.id, []), names)


def structure_rows(database) -> Iterator[dict]:
    with database.engine.connect() as connection:
        for row in connection.execution_options(stream_results=True, yield_per=BATCH).execute(
                select(structures).order_by(structures.c.network_code, structures.c.code)):
            yield {"code_structure": row.code, "intitule_structure": row.name, "code_typologie": row.network_code,
                   "intitule_typologie": row.network_name, "code_structure_parente": row.parent_code or "",
                   "code_postal_structure": row.postal_code or "", "commune_structure": row.city or "",
                   "active": bool(row.active)}


def as_csv(rows: Iterator[dict], columns: list[str], flush_every: int = 500) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow([row.get(column, "") for column in columns])
        if count % flush_every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def as_json(rows: Iterator[dict], flush_every: int = 500) -> Iterator[str]:
    chunk, first = ["["], True
    for count, row in enumerate(rows, start=1):
        chunk.append(("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False))
        first = False
        if count % flush_every == 0:
            yield "".join(chunk)
            chunk = []
    chunk.append("\n]\n")
    yield "".join(chunk)
