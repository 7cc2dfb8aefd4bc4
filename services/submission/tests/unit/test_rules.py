"""The rules of a story, without I/O."""
import datetime as dt

from spplus.submission.domain import rules
from spplus.submission.domain.text import normalise_line, normalise_text, search_key, visible_length

TODAY = dt.date(2026, 11, 30)
KNOWN = {"CAF75": rules.StructureInfo("CAF75", "CAF de Paris", True),
         "OLD": rules.StructureInfo("OLD", "Ancien centre", False)}
DESCRIPTION = "Une démarche simple et rapide, l'agent au téléphone a répondu à toutes mes questions. " * 2


def draft(**overrides):
    base = {"title": "Une démarche simple", "description": DESCRIPTION, "feeling": "positive",
            "experienced_on": "2026-10", "email": "a@exemple.fr", "postal_code": "75001", "accept_terms": True,
            "path": [{"structure": "CAF75", "channels": [{"channel": "telephone", "feeling": "positive"}]}]}
    base.update(overrides)
    return base


def test_a_valid_draft_becomes_a_normalised_submission():
    submission, errors = rules.check(draft(title="  Une\tdémarche\u0007   simple ", email="A@Exemple.FR"), KNOWN, TODAY)
    assert errors == {}
    assert submission.title == "Une démarche simple"
    assert submission.email == "A@exemple.fr"
    assert submission.path_data() == [{"structure_code": "CAF75", "structure_name": "CAF de Paris",
                                       "channels": [{"channel": "telephone", "feeling": "positive"}]}]


def test_every_invalid_field_gets_its_own_french_message():
    _, errors = rules.check({"title": "abc", "description": "trop court", "feeling": "joyeux",
                             "experienced_on": "2027-01", "path": [], "email": "pas-un-email",
                             "pseudonym": "moi@exemple.fr", "accept_terms": False, "website": "spam"}, KNOWN, TODAY)
    assert errors == {
        "title": ["Le titre doit contenir entre 5 et 150 caractères (actuellement 3)."],
        "description": ["La description doit contenir au moins 100 caractères (actuellement 10)."],
        "feeling": ["Ressenti inconnu : choisissez positif (positive), neutre (neutral) ou négatif (negative)."],
        "experienced_on": ["Le mois de l'expérience ne peut pas être dans le futur."],
        "path": ["Ajoutez au moins une structure à votre parcours."],
        "email": ["Adresse e-mail invalide : elle doit être de la forme nom@domaine.fr."],
        "postal_code": ["Indiquez votre code postal ou votre ville."],
        "city": ["Indiquez votre ville ou votre code postal."],
        "pseudonym": ["Le pseudonyme est public : il ne doit pas contenir d'adresse e-mail."],
        "accept_terms": ["Vous devez accepter les conditions générales d'utilisation pour envoyer votre expérience."],
        "website": ["Ce champ doit rester vide."],
    }


def test_path_errors_point_at_the_step_and_channel():
    path = [{"structure": "OLD", "channels": [{"channel": "telephone"}]},
            {"structure": "NOPE", "channels": [{"channel": "pigeon"}]},
            {"structure": "CAF75", "channels": []},
            {"structure": "CAF75", "channels": [{"channel": "email"}, {"channel": "email", "feeling": "bof"}]}]
    _, errors = rules.check(draft(path=path), KNOWN, TODAY)
    assert errors["path"][0] == {"structure": ["La structure « Ancien centre » n'est plus active : choisissez-en une autre."]}
    assert errors["path"][1]["structure"] == ["Cette structure n'existe pas dans le référentiel."]
    assert errors["path"][1]["channels"][0]["channel"][0].startswith("Canal de contact inconnu")
    assert errors["path"][2] == {"channels": ["Indiquez au moins un moyen de contact utilisé avec cette structure."]}
    assert errors["path"][3]["structure"] == ["Cette structure figure déjà dans votre parcours."]
    assert errors["path"][3]["channels"][1] == {
        "channel": ["Ce canal de contact est indiqué deux fois pour cette structure."],
        "feeling": ["Ressenti inconnu : choisissez positif (positive), neutre (neutral) ou négatif (negative)."]}
    _, errors = rules.check(draft(path=[{"structure": "CAF75", "channels": [{"channel": "email"}]}] * 6), KNOWN, TODAY)
    assert errors["path"] == ["Votre parcours compte au plus 5 structures."]


def test_lengths_are_counted_as_the_user_sees_them():
    decomposed = "e\u0301" * 100  # "é" typed as e + combining accent: 100 characters on screen
    assert visible_length(decomposed) == 100
    assert rules.check(draft(description=decomposed), KNOWN, TODAY)[1] == {}
    flags = "🇫🇷" * 99 + "x"
    assert visible_length(flags) == 100 and len(flags) == 199
    assert rules.check(draft(description=flags), KNOWN, TODAY)[1] == {}
    _, errors = rules.check(draft(description="a" * 1001), KNOWN, TODAY)
    assert errors["description"] == ["La description doit contenir au plus 1 000 caractères (actuellement 1001)."]
    _, errors = rules.check(draft(description="🇫🇷" * 600), KNOWN, TODAY)
    assert "trop longue" in errors["description"][0]


def test_months_and_locations():
    assert rules.check(draft(experienced_on="2026-11"), KNOWN, TODAY)[1] == {}
    assert rules.check(draft(experienced_on="2026-13"), KNOWN, TODAY)[1]["experienced_on"] == [
        "Indiquez le mois au format AAAA-MM (par exemple 2026-03)."]
    submission, errors = rules.check(draft(postal_code=None, city=" Créteil "), KNOWN, TODAY)
    assert errors == {} and submission.city == "Créteil" and submission.postal_code is None
    assert rules.check(draft(postal_code="7500"), KNOWN, TODAY)[1]["postal_code"] == [
        "Le code postal doit comporter 5 chiffres (par exemple 75001)."]
    assert rules.check(draft(postal_code="75 001"), KNOWN, TODAY)[1] == {}


def test_text_normalisation():
    assert normalise_line("  Cafe\u0301\u202e  \x00ouvert ") == "Café ouvert"
    assert normalise_text("ligne 1\r\n\r\n\r\n\r\nligne\u00a02  \x1b\n") == "ligne 1\n\nligne 2"
    assert search_key("Créteil – ÉCOLE") == "creteil – ecole"
