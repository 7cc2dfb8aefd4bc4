"""Pure rules of the read model, search text and votes."""
import datetime as dt

from spplus.publication.adapters.search import fts_query, stems
from spplus.publication.domain import model
from spplus.publication.domain.votes import ip_hash, valid_voter_id

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def test_reassignments_apply_in_date_order_whatever_the_arrival_order():
    path = [{"structure_code": "A", "structure_name": "A", "channels": [{"channel": "phone"}]},
            {"structure_code": "C", "structure_name": "C", "channels": [{"channel": "letter"}]}]
    moves = [model.Reassignment("B", "C", "C", T0 + dt.timedelta(hours=2)),
             model.Reassignment("A", "B", "B", T0 + dt.timedelta(hours=1))]
    result = model.effective_path(path, moves)
    assert [step["structure_code"] for step in result] == ["C"]
    assert [use["channel"] for use in result[0]["channels"]] == ["phone", "letter"]
    assert path[0]["structure_code"] == "A"  # the original is left alone


def test_versions_and_dates_only_move_forward():
    assert model.should_replace_response(None, 1)
    assert model.should_replace_response(1, 2)
    assert not model.should_replace_response(2, 2) and not model.should_replace_response(3, 2)
    assert model.should_replace_publication(None, T0)
    assert not model.should_replace_publication(T0, T0.replace(tzinfo=None))


def test_first_response_and_delay():
    assert model.first_response(T0, []) == (None, None)
    first, delay = model.first_response(T0, [T0 + dt.timedelta(hours=5), T0 + dt.timedelta(hours=1)])
    assert first == T0 + dt.timedelta(hours=1) and delay == 3600
    assert model.first_response(T0, [T0 - dt.timedelta(hours=1)])[1] == 0


def test_median_and_delay_wording():
    assert model.median([]) is None and model.median([1, 5, 9]) == 5 and model.median([2, 4]) == 3
    assert model.format_delay(None) == "—" and model.format_delay(600) == "moins d'une heure"
    assert model.format_delay(3600 * 5) == "5 heures" and model.format_delay(3600 * 72) == "3 jours"


def test_french_stems_ignore_case_accents_and_stop_words():
    assert stems("Les RÉPONSES de l'administration") == stems("reponse administrations")
    assert fts_query('logement" OR *') == '"log" "or"'  # quoted: no FTS5 syntax gets through
    assert fts_query("le la de") == '""'


def test_vote_identity_holds_no_personal_data():
    hashed = ip_hash("secret", "192.0.2.1")
    assert "192.0.2.1" not in hashed and hashed != ip_hash("autre", "192.0.2.1") and len(hashed) == 64
    assert valid_voter_id("a" * 32) and not valid_voter_id("court") and not valid_voter_id("x" * 20 + ";")
