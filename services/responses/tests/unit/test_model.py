"""The rules of an answer, without I/O."""
import datetime as dt

import pytest
from spplus.responses.domain.model import Content, can_publish, is_overdue, item_state, normalise_tags

GOOD = Content(greeting="Bonjour,", body="Merci pour votre message, nous avons corrigé le formulaire.",
               signature="Le chef de service", status="traitee")


def test_a_complete_answer_has_no_publication_error():
    assert GOOD.publication_errors() == {}


@pytest.mark.parametrize("changes, field", [
    ({"greeting": "Yo,"}, "greeting"),
    ({"body": "x" * 19}, "body"),
    ({"body": "x" * 3001}, "body"),
    ({"signature": ""}, "signature"),
    ({"signature": "s" * 301}, "signature"),
    ({"status": "perdu"}, "status"),
    ({"status": "amelioration_realisee", "actions": [{"kind": "considered", "description": "Un jour"}]}, "actions"),
    ({"status": "amelioration_envisagee"}, "actions"),
])
def test_each_rule_names_its_field(changes, field):
    content = Content(**{**GOOD.to_dict(), **changes})
    assert list(content.publication_errors()) == [field]


def test_body_bounds_are_inclusive():
    assert Content(**{**GOOD.to_dict(), "body": "x" * 20}).publication_errors() == {}
    assert Content(**{**GOOD.to_dict(), "body": "x" * 3000}).publication_errors() == {}


def test_merge_keeps_absent_fields_and_trims():
    merged = GOOD.merged({"body": "  Nouveau texte de réponse, assez long.  ", "status": None, "tags": ["a", " A ", "b"]})
    assert merged.body == "Nouveau texte de réponse, assez long." and merged.status == "traitee"
    assert merged.tags == ["a", "b"] and GOOD.tags == []


def test_tags_are_normalised():
    assert normalise_tags(["  Prime   d'activité ", "prime d'activité", "", "RDV"]) == ["Prime d'activité", "RDV"]


def test_item_state_follows_the_response():
    assert item_state(False, False, None) == "a_traiter"
    assert item_state(False, False, "draft") == "brouillon"
    assert item_state(False, False, "pending_validation") == "en_validation"
    assert item_state(True, False, "published") == "repondu"
    assert item_state(True, False, "draft") == "clos"
    assert item_state(False, True, "draft") == "reaffecte"


def test_overdue_only_for_open_items_past_the_target():
    now = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
    old = now - dt.timedelta(days=15, seconds=1)
    assert is_overdue("a_traiter", old, now, 15) and is_overdue("en_validation", old, now, 15)
    assert not is_overdue("a_traiter", now - dt.timedelta(days=15), now, 15)
    assert not is_overdue("repondu", old, now, 15) and not is_overdue("clos", old, now, 15)


def test_two_step_validation_lets_only_validators_publish():
    assert can_publish(two_step=False, is_validator=False)
    assert can_publish(two_step=True, is_validator=True)
    assert not can_publish(two_step=True, is_validator=False)
