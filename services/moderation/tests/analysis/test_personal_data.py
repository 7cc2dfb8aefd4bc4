"""Each personal-data recognizer, with positives in the usual formats and the hard negatives."""

import pytest
from spplus.moderation.analysis import analyze
from stdnum import luhn
from stdnum.fr import nif, nir


def kinds_of(text: str, prefix: str = "pii.") -> list[tuple[str, str]]:
    return [(f.kind, f.excerpt) for f in analyze(text) if f.kind.startswith(prefix)]


def assert_found(text: str, kind: str, excerpt: str) -> None:
    found = kinds_of(text)
    assert (kind, excerpt) in found, found


@pytest.mark.parametrize("text, name", [
    ("Je m'appelle Sophie Marchand et la CAF ne répond pas à mes courriers.", "Sophie Marchand"),
    ("L'agent de la préfecture, M. Lefebvre, a été très patient.", "Lefebvre"),
    ("Mme Nguyen, conseillère à France Travail, m'a aidé à refaire mon dossier.", "Nguyen"),
    ("Mon fils Lucas attend sa carte Vitale depuis trois mois.", "Lucas"),
    ("Merci à Pauline Chevalier du guichet France Services pour son aide.", "Pauline Chevalier"),
])
def test_person_names(text, name):
    assert_found(text, "pii.person", name)


@pytest.mark.parametrize("text", [
    "La CAF du Gard a traité ma demande de prime d'activité en dix jours.",
    "Le lycée Jean Moulin a transmis mon dossier de bourse au rectorat en retard.",
    "La Maison France Services de Saint-Gilles m'a aidé à remplir ma demande de retraite.",
    "Madame la Préfète a annoncé un deuxième guichet pour les titres de séjour.",
    "Rejoignez notre groupe pour obtenir des rendez-vous à la préfecture.",
])
def test_names_of_institutions_places_and_imperatives_are_not_people(text):
    assert kinds_of(text) == []


@pytest.mark.parametrize("address", ["sophie.marchand@gmail.com", "jp.morel@free.fr", "lucas.martin-2001@hotmail.com"])
def test_email(address):
    assert_found(f"Vous pouvez me répondre à {address} au sujet de mon dossier CAF.", "pii.email", address)


@pytest.mark.parametrize("number", [
    "06 12 34 56 78", "07.81.22.33.44", "0645789012", "+33 6 98 76 54 32", "+33 (0)7 52 14 63 98",
    "0033 6 11 22 33 44", "06-45-12-78-90", "04 66 21 43 65", "+44 7911 123456",
])
def test_phone_numbers_in_every_usual_format(number):
    assert_found(f"Rappelez-moi au {number}, la CAF ne m'a jamais recontacté.", "pii.phone", number)


@pytest.mark.parametrize("text", [
    "Le standard de la CAF, le 3230, m'a mis en attente quarante minutes.",
    "Le numéro indiqué sur le courrier de la CAF, le 09 69 32 52 52, ne répond jamais.",
    "Le numéro vert 0 800 130 000 donné par la mairie était utile.",
    "La plateforme de la préfecture au 01 49 55 23 00 n'est joignable qu'une heure par jour.",
    "J'ai composé le 08 20 12 34 56 imprimé sur l'avis d'imposition.",
])
def test_numbers_of_structures_are_not_personal_data(text):
    assert [k for k, _ in kinds_of(text)] == []


def test_nir_with_its_key_checked():
    base = "1850578006084"
    valid = base + nir.calc_check_digits(base)
    wrong_key = base + f"{(int(nir.calc_check_digits(base)) + 1) % 97:02d}"
    spaced = f"{valid[0]} {valid[1:3]} {valid[3:5]} {valid[5:7]} {valid[7:10]} {valid[10:13]} {valid[13:]}"
    assert_found(f"Mon numéro de sécurité sociale est {spaced} et la CPAM ne le trouve pas.", "pii.nir", spaced)
    assert_found(f"Mon NIR {valid} est bloqué à la caisse.", "pii.nir", valid)
    assert "pii.nir" not in [k for k, _ in kinds_of(f"Le code {wrong_key} figure sur le formulaire de la caisse.")]


def test_tax_number_with_its_check_digits():
    valid = "3012345678" + nif.calc_check_digits("3012345678")
    assert_found(f"Mon numéro fiscal {valid} n'est pas reconnu par le site des impôts.", "pii.tax_number", valid)
    wrong = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    assert "pii.tax_number" not in [k for k, _ in kinds_of(f"Mon numéro fiscal {wrong} n'est pas reconnu.")]


def test_iban_with_its_checksum():
    assert_found("Versez mes aides sur FR76 3000 6000 0112 3456 7890 189 svp, dit la CAF.", "pii.iban",
                 "FR76 3000 6000 0112 3456 7890 189")
    assert kinds_of("Versez mes aides sur FR77 3000 6000 0112 3456 7890 189 svp, dit la CAF.") == []


def test_card_number_with_luhn():
    base = "497010123456789"
    card = base + luhn.calc_check_digit(base)
    spaced = " ".join(card[i : i + 4] for i in range(0, 16, 4))
    assert_found(f"La régie m'a demandé ma carte {spaced} par téléphone.", "pii.card", spaced)
    bad = card[:15] + str((int(card[15]) + 1) % 10)
    assert "pii.card" not in [k for k, _ in kinds_of(f"La régie m'a demandé ma carte {bad} par téléphone.")]


@pytest.mark.parametrize("address", [
    "12 rue des Lilas, 30000 Nîmes", "4 bis avenue Jean Jaurès", "27 boulevard Victor Hugo 13001 Marseille",
    "3 impasse des Tilleuls",
])
def test_postal_address(address):
    assert_found(f"J'habite au {address} et la CAF écrit toujours à l'ancienne adresse.", "pii.address", address)


@pytest.mark.parametrize("text, plate", [
    ("Ma voiture immatriculée AB-123-CD a été déclarée volée par erreur.", "AB-123-CD"),
    ("Le certificat d'immatriculation de ma moto FR 234 TZ comporte une erreur.", "FR 234 TZ"),
    ("Ma vieille voiture immatriculée 1234 AB 30 doit passer au nouveau système.", "1234 AB 30"),
])
def test_licence_plates(text, plate):
    assert_found(text, "pii.plate", plate)


@pytest.mark.parametrize("text, number", [
    ("Mon numéro allocataire 1234567 ne fonctionne plus sur le site de la CAF.", "1234567"),
    ("Le dossier n° 2024-58741 est en attente depuis quatre mois.", "2024-58741"),
    ("Mon numéro d'adhérent MSA 30-4478-2211 n'est pas retrouvé.", "30-4478-2211"),
    ("J'ai donné mon numéro d'allocataire, le 9876543, à la conseillère.", "9876543"),
])
def test_file_and_beneficiary_numbers(text, number):
    assert_found(text, "pii.file_number", number)


@pytest.mark.parametrize("text", [
    "L'agent m'a rappelé que l'article 441-1 du code pénal punit les fausses déclarations.",
    "J'attends ma carte Vitale depuis 02 ans et la caisse dit qu'elle est en fabrication.",
    "Le décret n° 2019-797 sur l'assurance chômage a changé mes droits.",
    "Mon dossier déposé en 2025 à la préfecture n'a toujours pas de réponse.",
    "Mon dossier de 2 000 euros de rappel n'a pas été traité par la caisse.",
])
def test_law_articles_durations_and_amounts_are_not_personal_data(text):
    assert kinds_of(text) == []


def test_date_of_birth_but_not_other_dates():
    assert_found("Je suis née le 14/07/1982 et la caisse a enregistré une autre date.", "pii.birth_date", "14/07/1982")
    assert_found("Ma date de naissance, le 3 mars 1955, est fausse sur ma carte.", "pii.birth_date", "3 mars 1955")
    assert kinds_of("Mon rendez-vous à la préfecture du 15/09/2026 a été annulé la veille par la CAF.") == []
    assert kinds_of("Le 12 mars, j'ai déposé ma demande de carte d'identité à la mairie.") == []


def test_every_personal_data_finding_has_exact_offsets_and_a_redaction():
    text = ("Je m'appelle Marie Dupont, 12 rue des Lilas, 30000 Nîmes, tél. 06 12 34 56 78, "
            "mail marie.dupont@gmail.com, dossier n° 2025-44781.")
    findings = [f for f in analyze(text) if f.is_personal_data]
    assert {f.kind for f in findings} == {"pii.person", "pii.address", "pii.phone", "pii.email", "pii.file_number"}
    for finding in findings:
        assert text[finding.start : finding.end] == finding.excerpt
        assert finding.suggestion.startswith("[") and finding.suggestion.endswith("]")
        assert 0 < finding.score <= 1
    redacted = text
    for finding in sorted(findings, key=lambda f: -f.start):
        redacted = redacted[: finding.start] + finding.suggestion + redacted[finding.end :]
    assert redacted == ("Je m'appelle [nom], [adresse], tél. [numéro de téléphone], mail [adresse électronique], "
                        "dossier n° [numéro de dossier].")
