"""Word lists shared by the recognizers: institutions, titles, words that look like names but are not."""

from __future__ import annotations

import re
import unicodedata


def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


# Latin letters with accents, upper or lower case, to their plain lower-case letter (one char each).
_FOLD_TABLE = {code: _fold_char(chr(code)) for code in range(0x41, 0x250)}


def fold(text: str) -> str:
    """Lower case without accents, same length as the input (offsets stay valid)."""
    return text.translate(_FOLD_TABLE)


# Public bodies and words of administrative life that spaCy's small model sometimes takes for people.
INSTITUTION_WORDS = frozenset(
    fold(w)
    for w in ["caf", "cpam", "cnaf", "cnav", "carsat", "msa", "urssaf", "ants", "anah", "crous", "cnous", "mdph", "ameli", "vitale", "carte", "france", "travail", "emploi", "pôle", "services", "service", "public", "publics", "préfecture", "prefecture", "sous-préfecture", "mairie", "hôtel", "ville", "impôts", "impots", "finances", "trésor", "tresor", "douane", "douanes", "gendarmerie", "police", "tribunal", "sécurité", "securite", "sociale", "assurance", "maladie", "retraite", "allocations", "familiales", "caisse", "agence", "maison", "département", "departement", "région", "region", "conseil", "ministère", "ministere", "direction", "centre", "hôpital", "hopital", "chu", "clinique", "école", "ecole", "collège", "college", "lycée", "lycee", "université", "universite", "rectorat", "académie", "academie", "dgfip", "dreets", "ddets", "ofii", "ofpra", "cnil", "defenseur", "défenseur", "droits", "état", "etat", "république", "republique", "gouv", "fr", "internet", "site", "espace", "compte", "appli", "application", "franceconnect", "ants.gouv.fr", "agirc", "arrco", "apec", "cpf", "mon", "monespace", "moncompteformation", "dossier", "allocation", "rsa", "apl", "aah", "prime", "activité", "activite", "bonjour", "merci", "madame", "monsieur", "mademoiselle", "cordialement", "salutations", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout", "septembre", "octobre", "novembre", "décembre", "decembre", "noël", "noel", "pâques", "paques", "toussaint", "covid", "gard", "hérault", "herault", "bouches", "rhône", "rhone", "paris", "lyon", "marseille", "nîmes", "nimes", "montpellier", "toulouse", "lille", "bordeaux", "nantes", "strasbourg", "rennes", "nice", "alès", "ales", "arles", "avignon", "occitanie", "bretagne", "normandie", "numéro", "numero", "livraison", "enedis", "engie", "edf", "sncf", "ratp", "orange", "sfr", "bouygues", "free", "veolia", "suez", "poste"]
)

TITLES = (r"(?:M\.|MM\.|Mme|Mmes|Mlle|Me|Dr\.?|Pr\.?|[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|[Mm]a[iî]tre|[Dd]octeure?"
          r"|[Pp]rofesseure?)")

# Words after which a name is a place or a building, not a person ("lycée Jean Moulin", "rue Victor Hugo").
FACILITY_BEFORE = re.compile(
    r"(?<![\w'’])(?:lyc[ée]e|coll[èe]ge|[ée]cole|universit[ée]|rue|avenue|boulevard|bd|place|all[ée]e|quai|impasse|chemin|route"
    r"|square|h[ôo]pital|hospitalier|clinique|chu|centre|maison|r[ée]sidence|gare|station|stade|gymnase|salle|parc|pont"
    r"|m[ée]diath[èe]que|biblioth[èe]que|fondation|institut|cit[ée]|quartier|espace|foyer|ehpad|caserne|a[ée]roport"
    r"|saint|sainte|st|ste)[\s-]+(?:[\w'’-]+\s+){0,1}$",
    re.IGNORECASE,
)

# A capitalised name token (Dupont, Le Goff, N'Diaye, Saint-Martin, O'Neil, DUPONT).
NAME_TOKEN = r"(?:[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ][a-zàâäçéèêëîïôöùûüÿ]+(?:[-'’][A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ][a-zàâäçéèêëîïôöùûüÿ]+)?|[A-Z]{2,}(?:-[A-Z]{2,})?)"
NAME_PARTICLE = r"(?:(?:de|du|des|de la|d'|d’|le|la|van|von|ben|el|al)\s?)"

# Context showing that a number or an address belongs to an institution, not to the author.
STRUCTURE_CONTEXT = re.compile(
    r"(?:standard|plate-?forme|plateforme|service client|numéro (?:vert|unique|d'appel|national|non surtaxé)"
    r"|num[ée]ro (?:de|du|des) (?:la |l'|le )?(?:caf|cpam|caisse|urssaf|msa|préfecture|prefecture|mairie|centre"
    r"|service|agence|impôts|impots|france travail|carsat|ants|trésor|tresor|hôpital|hopital|administration)"
    r"|imprim[ée]|indiqu[ée]|figurant|mentionn[ée]|en-t[êe]te|sur (?:le|leur|ses|son|la) (?:courrier|lettre|site"
    r"|convocation|avis)|accueil t[ée]l[ée]phonique|ligne d[ée]di[ée]e|hotline|appel[ée]? (?:la|le) "
    r"(?:caf|cpam|caisse|urssaf|msa|préfecture|mairie|centre|service|3\d{3}))",
    re.IGNORECASE,
)
