"""Rebuild assistants.jsonl from the hand-written sentences.txt: .venv/bin/python services/moderation/eval/build.py"""

from spplus.moderation.analysis.dataset import DATASET, parse_source, render

if __name__ == "__main__":
    cases = parse_source()
    DATASET.write_text(render(cases), encoding="utf-8")
    print(f"{len(cases)} cases written to {DATASET}")
