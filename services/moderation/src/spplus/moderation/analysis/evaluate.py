"""Precision and recall of the moderation assistants on the labelled set.

Run: ``.venv/bin/python -m spplus.moderation.analysis.evaluate [--errors]``. Exit status 0 when every
target is met, 1 otherwise.

Personal data is scored per span (a finding counts when it overlaps an expected span of the same kind);
policy kinds are scored per story (the kind is reported or not; a duplicate must name the right story).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import date

from . import analyze
from .dataset import Case, load_cases, load_known
from .findings import ALL_KINDS, Finding

PII_RECALL, PII_PRECISION = 0.95, 0.85
LANGUAGE_RECALL, LANGUAGE_MIN_CHARS = 0.95, 100
POLICY_RECALL = 0.80


@dataclass
class Count:
    tp_pred: int = 0   # predictions that match an expectation
    pred: int = 0
    tp_exp: int = 0    # expectations that were found
    exp: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp_pred / self.pred if self.pred else 1.0

    @property
    def recall(self) -> float:
        return self.tp_exp / self.exp if self.exp else 1.0

    def add(self, other: Count) -> None:
        self.tp_pred += other.tp_pred
        self.pred += other.pred
        self.tp_exp += other.tp_exp
        self.exp += other.exp


@dataclass
class Report:
    per_kind: dict[str, Count]
    pii: Count
    language_long: Count
    cases: int
    holdout: Report | None = None

    def targets(self) -> list[tuple[str, str, bool]]:
        rows = [(
            "données personnelles",
            f"rappel {self.pii.recall:.3f} ≥ {PII_RECALL} à précision {self.pii.precision:.3f} ≥ {PII_PRECISION}",
            self.pii.recall >= PII_RECALL and self.pii.precision >= PII_PRECISION,
        ), (
            "langue étrangère (textes de 100 caractères et plus)",
            f"rappel {self.language_long.recall:.3f} ≥ {LANGUAGE_RECALL}",
            self.language_long.recall >= LANGUAGE_RECALL,
        )]
        for kind, count in self.per_kind.items():
            if kind.startswith("policy.") and kind != "policy.language":
                rows.append((kind, f"rappel {count.recall:.3f} ≥ {POLICY_RECALL}", count.recall >= POLICY_RECALL))
        return rows

    @property
    def all_met(self) -> bool:
        return all(met for _, _, met in self.targets())


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score_case(case: Case, findings: list[Finding], counts: dict[str, Count], language_long: Count) -> None:
    for kind in ALL_KINDS:
        count = Count()
        if kind.startswith("pii."):
            expected = [s for s in case.spans if s["kind"] == kind]
            predicted = [f for f in findings if f.kind == kind]
            count.exp, count.pred = len(expected), len(predicted)
            count.tp_exp = sum(any(_overlaps(s["start"], s["end"], f.start, f.end) for f in predicted) for s in expected)
            count.tp_pred = sum(any(_overlaps(s["start"], s["end"], f.start, f.end) for s in expected) for f in predicted)
            missed = [s["excerpt"] for s in expected if not any(_overlaps(s["start"], s["end"], f.start, f.end) for f in predicted)]
            wrong = [f.excerpt for f in predicted if not any(_overlaps(s["start"], s["end"], f.start, f.end) for s in expected)]
        else:
            expected_here = kind in case.kinds
            predicted_here = [f for f in findings if f.kind == kind]
            hit = bool(predicted_here)
            if kind == "policy.duplicate" and hit and case.duplicate_of:
                hit = any(case.duplicate_of in f.label for f in predicted_here)
            count.exp, count.pred = int(expected_here), int(bool(predicted_here))
            count.tp_exp = int(expected_here and hit)
            count.tp_pred = int(bool(predicted_here) and expected_here and hit)
            missed = [case.text[:80]] if expected_here and not hit else []
            wrong = [f"{predicted_here[0].label} — {case.text[:80]}"] if predicted_here and not (expected_here and hit) else []
        count.errors += [f"{case.id} manqué : {m}" for m in missed] + [f"{case.id} en trop : {w}" for w in wrong]
        counts[kind].add(count)
        counts[kind].errors += count.errors
        if kind == "policy.language" and len(case.text) >= LANGUAGE_MIN_CHARS:
            language_long.add(count)


def _report(scored: list[tuple[Case, list[Finding]]]) -> Report:
    counts = {kind: Count() for kind in ALL_KINDS}
    language_long = Count()
    for case, findings in scored:
        score_case(case, findings, counts, language_long)
    pii = Count()
    for kind, count in counts.items():
        if kind.startswith("pii."):
            pii.add(count)
    return Report(counts, pii, language_long, len(scored))


def evaluate(cases: list[Case] | None = None, known: list[tuple[str, str]] | None = None) -> Report:
    """Scores on the whole set; ``report.holdout`` has the part written after tuning, on its own."""
    cases = load_cases() if cases is None else cases
    known = load_known() if known is None else known
    scored = [(case, analyze(case.text, case.experienced_on, known, today=date.fromisoformat(case.today)))
              for case in cases]
    report = _report(scored)
    held = [(case, findings) for case, findings in scored if case.id.startswith("holdout-")]
    if held:
        report.holdout = _report(held)
    return report


def print_table(report: Report, out) -> None:
    print(f"{'type':<22}{'attendus':>9}{'signalés':>10}{'précision':>11}{'rappel':>8}", file=out)
    for kind, count in report.per_kind.items():
        print(f"{kind:<22}{count.exp:>9}{count.pred:>10}{count.precision:>11.3f}{count.recall:>8.3f}", file=out)
    print(f"{'pii (ensemble)':<22}{report.pii.exp:>9}{report.pii.pred:>10}{report.pii.precision:>11.3f}"
          f"{report.pii.recall:>8.3f}", file=out)


def print_report(report: Report, errors: bool = False, out=sys.stdout) -> None:
    print(f"Évaluation des assistants de modération — {report.cases} cas", file=out)
    print_table(report, out)
    if report.holdout:
        print(f"\nDont la partie mise de côté (écrite après les réglages) — {report.holdout.cases} cas", file=out)
        print_table(report.holdout, out)
    print("\nObjectifs (ensemble complet) :", file=out)
    for name, detail, met in report.targets():
        print(f"  [{'atteint' if met else 'NON ATTEINT'}] {name} : {detail}", file=out)
    if errors:
        print("\nErreurs :", file=out)
        for kind, count in report.per_kind.items():
            for line in count.errors:
                print(f"  {kind} {line}", file=out)
    print(f"\n{'Tous les objectifs sont atteints.' if report.all_met else 'Des objectifs ne sont pas atteints.'}",
          file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Précision et rappel des assistants de modération.")
    parser.add_argument("--errors", action="store_true", help="lister les cas manqués et les signalements en trop")
    args = parser.parse_args(argv)
    report = evaluate()
    print_report(report, errors=args.errors)
    return 0 if report.all_met else 1


if __name__ == "__main__":
    sys.exit(main())
