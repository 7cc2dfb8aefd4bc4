"""The labelled evaluation set: parse the hand-written source (eval/sentences.txt) and load the JSONL."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .findings import PII_KINDS, POLICY_KINDS

EVAL_DIR = Path(__file__).resolve().parents[4] / "eval"
SOURCE = EVAL_DIR / "sentences.txt"
HOLDOUT = EVAL_DIR / "sentences_holdout.txt"  # written after tuning, reported apart
DATASET = EVAL_DIR / "assistants.jsonl"
KNOWN = EVAL_DIR / "known_stories.jsonl"
REFERENCE_DATE = "2026-11-30"  # "today" for the age checks of the set

SHORT_PII = {kind.removeprefix("pii."): kind for kind in PII_KINDS} | {"tax": "pii.tax_number", "file": "pii.file_number",
                                                                        "birth": "pii.birth_date"}
_SPAN = re.compile(r"\{\{(\w+):(.+?)\}\}")


@dataclass
class Case:
    id: str
    text: str
    spans: list[dict] = field(default_factory=list)   # {"kind", "start", "end", "excerpt"}
    kinds: list[str] = field(default_factory=list)    # document-level policy kinds
    experienced_on: str | None = None
    duplicate_of: str | None = None
    today: str = REFERENCE_DATE

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)


def parse_line(line: str, number: int, prefix: str = "case") -> Case:
    meta, _, marked = line.rpartition("||")
    kinds, experienced_on, duplicate_of = [], None, None
    for token in meta.split():
        if token.startswith("@"):
            experienced_on = token[1:]
        elif token.startswith("="):
            duplicate_of = token[1:]
            kinds.append("policy.duplicate")
        elif f"policy.{token}" in POLICY_KINDS:
            kinds.append(f"policy.{token}")
        else:
            raise ValueError(f"line {number}: unknown label {token!r}")
    marked = marked.strip()
    text, spans, cursor = "", [], 0
    for match in _SPAN.finditer(marked):
        text += marked[cursor : match.start()]
        short, value = match.groups()
        if short not in SHORT_PII:
            raise ValueError(f"line {number}: unknown span kind {short!r}")
        spans.append({"kind": SHORT_PII[short], "start": len(text), "end": len(text) + len(value), "excerpt": value})
        text += value
        cursor = match.end()
    text += marked[cursor:]
    return Case(f"{prefix}-{number:03d}", text, spans, sorted(set(kinds)), experienced_on, duplicate_of)


def parse_source(sources: tuple[tuple[Path, str], ...] = ((SOURCE, "case"), (HOLDOUT, "holdout"))) -> list[Case]:
    cases = []
    for path, prefix in sources:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip() and not line.startswith("#"):
                cases.append(parse_line(line, number, prefix))
    return cases


def load_cases(path: Path = DATASET) -> list[Case]:
    with path.open(encoding="utf-8") as handle:
        return [Case(**json.loads(line)) for line in handle if line.strip()]


def load_known(path: Path = KNOWN) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [(item["id"], item["text"]) for item in map(json.loads, filter(str.strip, handle))]


def render(cases: list[Case]) -> str:
    return "".join(case.to_json() + "\n" for case in cases)
