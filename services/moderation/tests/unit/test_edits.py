"""Minor edits, differences, highlights, one-click redaction and signed links."""
from spplus.moderation.domain.edits import apply_suggestions, diff_segments, highlight_segments, is_minor_edit
from spplus.moderation.service_layer.tokens import ProposalTokens

ORIGINAL = "je suis allé a la prefecture , l'agent m'a aidé pour mon titre de sejour et tout c'est bien passé."


def test_spelling_case_and_punctuation_are_minor():
    assert is_minor_edit(ORIGINAL, "Je suis allé à la préfecture, l'agent m'a aidé pour mon titre de séjour "
                                   "et tout s'est bien passé.")


def test_removing_or_rewording_is_substantial():
    assert not is_minor_edit(ORIGINAL, "Je suis allé à la préfecture.")
    assert not is_minor_edit(ORIGINAL, ORIGINAL.replace("l'agent m'a aidé", "personne ne m'a répondu"))


def test_diff_segments_word_by_word():
    assert diff_segments("un chat noir", "un chien noir") == [("equal", "un "), ("delete", "chat "),
                                                              ("insert", "chien "), ("equal", "noir")]
    assert diff_segments("au 06 12 34 56 78.", "au [téléphone].") == [
        ("equal", "au "), ("delete", "06 12 34 56 78"), ("insert", "[téléphone]"), ("equal", ".")]


def test_highlight_and_apply_suggestions():
    text = "Appelez Jean Dupont au 06 12 34 56 78."
    findings = [{"start": 8, "end": 19, "suggestion": "[nom]"}, {"start": 23, "end": 37, "suggestion": "[téléphone]"},
                {"start": 13, "end": 19, "suggestion": "[x]"}]
    pieces = highlight_segments(text, findings)
    assert [piece for _finding, piece in pieces] == ["Appelez ", "Jean Dupont", " au ", "06 12 34 56 78", "."]
    assert apply_suggestions(text, findings[:2]) == "Appelez [nom] au [téléphone]."


def test_tokens_are_signed():
    tokens = ProposalTokens("secret")
    token = tokens.make("p-1")
    assert tokens.read(token) == "p-1"
    assert tokens.read(token[:-2] + "xx") is None
    assert ProposalTokens("other").read(token) is None
    assert tokens.path("p-1") == f"/proposition/{token}"
