"""Dashboard figures from plain facts."""
import datetime as dt

from spplus.responses.domain.stats import ItemFacts, figures, grouped

NOW = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)


def fact(code, days_ago, answered_after=None, state=None, made=0, network="CAF"):
    received = NOW - dt.timedelta(days=days_ago)
    answered = received + dt.timedelta(days=answered_after) if answered_after is not None else None
    return ItemFacts(code, network, state or ("repondu" if answered else "a_traiter"), received, answered, made)


def test_rate_median_overdue_and_actions():
    facts = [fact("A", 30, 2, made=1), fact("A", 20, 10), fact("B", 20, 5, made=2), fact("B", 16), fact("B", 3),
             fact("C", 40, state="reaffecte"), fact("C", 40, state="clos")]
    result = figures(facts, NOW, 15)
    assert (result.items, result.answered, result.response_rate) == (5, 3, 0.6)
    assert result.median_delay_days == 5.0 and result.overdue == 1 and result.actions_made == 3


def test_nothing_to_answer_has_no_rate():
    result = figures([], NOW, 15)
    assert result.response_rate is None and result.median_delay_days is None and result.items == 0


def test_grouping_by_structure_and_network():
    facts = [fact("A", 1, 1), fact("B", 1), fact("S", 20, network="DGFIP")]
    by_network = grouped(facts, lambda f: f.network_code, NOW, 15)
    assert by_network["CAF"].response_rate == 0.5 and by_network["DGFIP"].overdue == 1
    assert list(grouped(facts, lambda f: f.structure_code, NOW, 15)) == ["A", "B", "S"]
