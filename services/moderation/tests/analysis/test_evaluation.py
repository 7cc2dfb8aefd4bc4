"""The labelled set holds what the issue asks for, and the measured targets are met on it."""

from collections import Counter

from spplus.moderation.analysis.dataset import DATASET, load_cases, load_known, parse_source, render
from spplus.moderation.analysis.evaluate import evaluate
from spplus.moderation.analysis.findings import ALL_KINDS


def test_dataset_is_built_from_the_written_sentences():
    assert DATASET.read_text(encoding="utf-8") == render(parse_source()), "rebuild it: python eval/build.py"


def test_dataset_covers_every_kind_with_enough_sentences():
    cases = load_cases()
    assert len(cases) >= 300
    counts = Counter(span["kind"] for case in cases for span in case.spans)
    counts.update(kind for case in cases for kind in case.kinds)
    assert {kind for kind in ALL_KINDS if counts[kind] < 5} == set()
    assert sum(1 for case in cases if not case.spans and not case.kinds) >= 80  # negatives, hard ones included
    for case in cases:
        for span in case.spans:
            assert case.text[span["start"] : span["end"]] == span["excerpt"]
    assert {case.duplicate_of for case in cases if case.duplicate_of} <= {key for key, _ in load_known()}


def test_evaluation_targets_hold():
    report = evaluate()
    failed = [f"{name}: {detail}" for name, detail, met in report.targets() if not met]
    assert not failed, failed
