"""Rules without I/O: retry delays, redaction, links, French dates, the readable diff."""
import datetime as dt

import pytest
from spplus.notification.domain.diff import Segment, has_changes, word_diff
from spplus.notification.domain.french import french_datetime
from spplus.notification.domain.links import InvalidLink, absolute_url
from spplus.notification.domain.mails import DeliveryError, mask, redact, retry_delay


def test_retry_delays_grow_then_stay_at_the_cap_without_end():
    delays = [retry_delay(attempt, 30, 3600).total_seconds() for attempt in range(1, 12)]
    assert delays[:5] == [30, 60, 120, 240, 480]
    assert delays[-1] == 3600 and sorted(delays) == delays
    assert retry_delay(10_000, 30, 3600).total_seconds() == 3600


def test_addresses_never_reach_an_error_text():
    error = DeliveryError("550 <jeanne@example.fr>: unknown; cc paul.b@mail.example", code=550, permanent=True)
    assert "@" not in str(error) and str(error).startswith("550 ")
    assert redact("rien à masquer") == "rien à masquer"


def test_masked_address_keeps_the_domain_only():
    assert mask("jeanne.martin@example.fr") == "j…@example.fr"
    assert mask(None) == "(effacée)"


def test_links_are_absolute_and_stay_on_the_platform():
    base = "https://servicespublics.example/"
    assert absolute_url(base, "/suivi/abc") == "https://servicespublics.example/suivi/abc"
    assert absolute_url(base, "https://servicespublics.example/x") == "https://servicespublics.example/x"
    for bad in ("https://evil.example/x", "suivi/abc", "//evil.example/x", "javascript:alert(1)"):
        with pytest.raises(InvalidLink):
            absolute_url(base, bad)


@pytest.mark.parametrize("moment, expected", [
    ("2026-12-03T13:30:00+00:00", "jeudi 3 décembre 2026 à 14 h 30"),   # winter: UTC+1
    ("2026-07-14T08:05:00Z", "mardi 14 juillet 2026 à 10 h 05"),        # summer: UTC+2
    (dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC), "dimanche 29 mars 2026 à 3 h 30"),  # DST night
])
def test_french_dates_in_paris_time(moment, expected):
    assert french_datetime(moment) == expected


def test_word_diff_shows_removed_and_added_words():
    segments = word_diff("L'agent Jean Dupont a été très patient.", "L'agent a été vraiment patient.")
    assert segments == [Segment("same", "L'agent "), Segment("removed", "Jean Dupont"), Segment("same", " a été "),
                        Segment("removed", "très"), Segment("added", "vraiment"), Segment("same", " patient.")]
    assert has_changes(segments)


def test_word_diff_ignores_spacing_only_changes():
    assert not has_changes(word_diff("Un  texte\nsur deux lignes", "Un texte sur deux lignes"))
