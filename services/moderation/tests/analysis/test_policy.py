"""The policy checks: each rule with what it must and must not flag."""

from datetime import date

import pytest
from spplus.moderation.analysis import analyze, policy
from spplus.moderation.analysis.duplicates import near_duplicates
from spplus.moderation.analysis.language import foreign_language

TODAY = date(2026, 11, 30)


def policy_kinds(text: str, **kwargs) -> set[str]:
    return {f.kind for f in analyze(text, today=TODAY, **kwargs) if f.kind.startswith("policy.")}


@pytest.mark.parametrize("check, text", [
    (policy.out_of_scope, "Mon colis envoyé par La Poste est bloqué depuis trois semaines."),
    (policy.out_of_scope, "Le TGV de la SNCF avait deux heures de retard."),
    (policy.out_of_scope, "La cantine de l'école sert des repas froids et la mairie ne répond pas."),
    (policy.out_of_scope, "Les nids-de-poule de notre rue abîment les voitures."),
    (policy.control, "Lors d'un contrôle routier, les gendarmes m'ont gardé une heure."),
    (policy.control, "J'ai subi un contrôle fiscal très brutal."),
    (policy.control, "J'ai été interpellé et placé en garde à vue pendant douze heures."),
    (policy.teaching, "Le professeur de mathématiques ne corrige jamais les devoirs."),
    (policy.litigation, "J'ai saisi le tribunal administratif et l'audience n'a pas eu lieu."),
    (policy.litigation, "Mon recours gracieux est toujours en attente de décision."),
    (policy.insult, "Les agents sont une bande d'incapables."),
    (policy.insult, "L'agent m'a traité de sale arabe devant tout le monde."),
    (policy.spam, "Obtenez vos papiers en 48 heures sur www.papiers-express.com, cliquez ici."),
    (policy.spam, "Code promo SERVICE20 : -20 % sur nos prestations."),
])
def test_rule_flags(check, text):
    findings = check(text)
    assert findings, text
    for finding in findings:
        assert text[finding.start : finding.end] == finding.excerpt
        assert finding.suggestion is None


@pytest.mark.parametrize("check, text", [
    (policy.out_of_scope, "J'ai écrit depuis mon adresse odette@sfr.fr à la CAF sans réponse."),
    (policy.out_of_scope, "La CAF a versé mon allocation de rentrée scolaire à la date prévue."),
    (policy.control, "Le contrôle technique de ma voiture a été enregistré par l'ANTS."),
    (policy.teaching, "J'ai transmis mes bulletins de salaire à l'URSSAF la semaine dernière."),
    (policy.litigation, "L'agent m'a rappelé l'article 441-1 du code pénal sur les fausses déclarations."),
    (policy.litigation, "Mon dossier est en cours d'instruction à la préfecture."),
    (policy.insult, "Le ramassage des ordures n'a pas eu lieu."),
    (policy.spam, "J'ai pris rendez-vous sur le site impots.gouv.fr, très simple."),
    (policy.spam, "Le site ameli.fr affiche une erreur quand je télécharge mon attestation."),
])
def test_rule_hard_negatives(check, text):
    assert check(text) == []


def test_too_old_from_the_experience_date():
    assert policy.too_old("Un récit.", "2024-11-29", TODAY)
    assert policy.too_old("Un récit.", "2024-11-30", TODAY) == []
    assert policy.too_old("Un récit.", "2026-01-15", TODAY) == []
    assert policy.too_old("Un récit.", "pas une date", TODAY) == []


@pytest.mark.parametrize("text, old", [
    ("En 2019, la préfecture a égaré mon dossier.", True),
    ("Il y a trois ans, France Travail m'a proposé une formation.", True),
    ("J'attends ma carte Vitale depuis 02 ans.", False),
    ("Depuis deux ans, la préfecture ne donne plus de rendez-vous.", False),
    ("Je suis née en 1962 et la caisse ne trouve pas mes trimestres.", False),
    ("Mon dossier déposé en 2025 n'a pas de réponse.", False),
])
def test_too_old_from_the_text(text, old):
    assert bool(policy.too_old(text, None, TODAY)) is old


def test_vague():
    assert policy.vague("Nul.")
    assert policy.vague("C'est scandaleux, ça ne se passe pas comme ça ailleurs, franchement il faut que ça change.")
    assert policy.vague("La CAF a versé mon allocation de rentrée à la date prévue, avec un montant bien expliqué.") == []


def test_foreign_language_whole_text_and_passage():
    english = ("I went to the prefecture three times to renew my residence permit and nobody could tell me why my "
               "application is still pending after five months.")
    [finding] = foreign_language(english)
    assert finding.kind == "policy.language" and "anglais" in finding.label and finding.end == len(english)
    french = ("J'ai appelé la CAF plusieurs fois pour mes aides au logement et personne ne m'a rappelé. "
              "Je suis donc allée au guichet avec tous mes justificatifs, et l'agent les a regardés un par un. "
              "Il m'a dit que mon dossier était complet et qu'il allait le transmettre au service concerné. "
              "Then I was told that the office does not handle my case anymore and that I should write elsewhere.")
    [passage] = foreign_language(french)
    assert passage.excerpt.startswith("Then I was told")
    assert foreign_language("La caisse d'allocations familiales a suspendu mes aides sans m'expliquer pourquoi, "
                            "et le site affiche toujours des pièces manquantes.") == []
    assert foreign_language("Ok merci.") == []


def test_near_duplicate_names_the_story():
    known = [
        ("exp-1", ("La caisse d'allocations familiales a suspendu mes aides au logement sans m'expliquer pourquoi. "
                  "J'ai envoyé tous les justificatifs demandés sur mon espace personnel, mais le site affiche "
                  "toujours des pièces manquantes.")),
        ("exp-2", "Très bon accueil au centre des finances publiques, l'agent a corrigé une erreur sur mon avis."),
    ]
    text = ("Bonjour. La caisse d'allocations familiales a suspendu mes aides au logement sans m'expliquer pourquoi. "
            "J'ai envoyé tous les justificatifs demandés sur mon espace personnel mais le site affiche toujours des "
            "pièces manquantes.")
    [finding] = near_duplicates(text, known)
    assert "exp-1" in finding.label and finding.score >= 0.5
    assert near_duplicates("Le guichet de la mairie m'a délivré mon passeport en deux semaines, merci.", known) == []
    # Only the stories of the call count, even though the index of the process remembers others.
    assert near_duplicates(text, known[1:]) == []


def test_ordinary_story_has_no_finding():
    text = ("La CAF a versé mon allocation de rentrée scolaire à la date prévue et le montant était bien expliqué "
            "sur mon espace personnel. L'agent au téléphone a répondu à toutes mes questions.")
    assert analyze(text, "2026-09-01", today=TODAY) == []
