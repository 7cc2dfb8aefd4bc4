"""Where a story stands, and how the form reads its fields, without I/O."""
import datetime as dt

from werkzeug.datastructures import MultiDict

from spplus.submission.domain.tracking import Tracking
from spplus.submission.entrypoints import forms

T0 = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
ID = "0b9f1d7e-8c1e-4a53-9a55-36a1c1d1a001"


def test_a_newer_decision_replaces_an_older_one_never_the_reverse():
    tracking = Tracking("submitted", T0, {})
    proposed = {"experience_id": ID, "approval_path": "/proposition/abc", "deadline": "2026-11-05T10:00:00+00:00"}
    assert tracking.apply("experience.edit_proposed", T0 + dt.timedelta(hours=1), proposed)
    assert tracking.status == "edit_proposed" and tracking.details["approval_path"] == "/proposition/abc"
    assert tracking.apply("experience.published", T0 + dt.timedelta(hours=3), {"experience_id": ID, "edited": True})
    assert not tracking.apply("experience.edit_accepted", T0 + dt.timedelta(hours=2), {"experience_id": ID})
    assert tracking.status == "published" and tracking.details["public_path"] == f"/experiences/{ID}"
    assert not tracking.apply("experience.published", T0 + dt.timedelta(hours=3), {"experience_id": ID})
    assert tracking.apply("experience.withdrawn", T0 + dt.timedelta(days=1), {"experience_id": ID, "reason": "doublon"})
    assert (tracking.status, tracking.label) == ("withdrawn", "Retirée du site")


def test_path_step_keeps_channels_and_feelings_and_ignores_unknown_values():
    draft = {"path": [{"structure": "CAF75", "channels": []}, {"structure": "CPAM94", "channels": []}]}
    form = MultiDict([("structure-0", "CAF75"), ("channels-0", "telephone"), ("channels-0", "pigeon"),
                      ("feeling-0-telephone", "negative"), ("feeling-0-accueil", "positive"),
                      ("structure-1", "AUTRE"), ("channels-1", "email")])
    path = forms.read_channels(form, draft)["path"]
    assert path[0] == {"structure": "CAF75", "channels": [{"channel": "telephone", "feeling": "negative"}]}
    assert path[1] == {"structure": "CPAM94", "channels": []}  # posted for another structure: left alone


def test_errors_are_flattened_for_the_page_and_linked_to_fields():
    flat = forms.flatten({"title": ["x"], "path": {0: {"channels": ["y"]}}})
    assert flat == {"title": ["x"], "path-0-channels": ["y"]}
    assert forms.anchor("path-0-channels") == "channels-0-accueil"
    assert forms.anchor("feeling") == "feeling-none"
    assert forms.first_step_with_errors({"email": ["z"], "path": ["w"]}) == "parcours"
    story = forms.read_story(MultiDict({"experienced_month": "03", "experienced_year": ""}), {})
    assert story["experienced_on"] is None and forms.story_errors(story)
