"""Policy checks: what the moderation policy rejects or asks to look at, each with the span that shows it."""

from __future__ import annotations

import re
from datetime import date

from .findings import Finding, policy_finding

# Patterns run on the lower-cased text; [ée] classes accept the usual missing accents.
_F = re.IGNORECASE


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w@.-])(?:" + "|".join(alternatives) + r")(?![\w@]|\.\w)", _F)


COMMERCIAL = _rx(
    r"la poste", r"bureau de poste", r"banque postale", r"colissimo", r"chronopost", r"facteur", r"factrice",
    r"sncf", r"tgv", r"ouigo", r"inoui", r"intercit[ée]s", r"transilien", r"ratp", r"edf", r"engie", r"grdf",
    r"enedis", r"totalenergies", r"sfr", r"bouygues(?: telecom)?", r"free ?box", r"free mobile", r"veolia",
    r"suez", r"air france", r"keolis", r"transdev", r"op[ée]rateur t[ée]l[ée]phonique", r"fournisseur d'[ée]lectricit[ée]",
    r"ma banque", r"ma mutuelle", r"mon assureur", r"cr[ée]dit agricole", r"soci[ée]t[ée] g[ée]n[ée]rale", r"bnp",
)
COMMERCIAL_CASED = re.compile(r"(?<![\w-])(?:Orange|Free|SNCF|RATP|EDF|La Poste)(?![\w])")
LOCAL_AUTHORITY = _rx(
    r"cr[èe]ches?", r"cantines?", r"restauration scolaire", r"voirie", r"nids?[- ]de[- ]poules?", r"trottoirs?",
    r"[ée]clairage public", r"lampadaires?", r"ramassage des (?:ordures|d[ée]chets|poubelles)",
    r"collecte des (?:ordures|d[ée]chets|encombrants)", r"ordures m[ée]nag[èe]res", r"poubelles", r"d[ée]ch[èe]tterie",
    r"d[ée]chetterie", r"p[ée]riscolaires?", r"centre de loisirs", r"accueil de loisirs", r"piscine municipale",
    r"m[ée]diath[èe]que", r"biblioth[èe]que municipale", r"espaces verts", r"transports? scolaires?",
    r"cimeti[èe]re", r"assainissement", r"chauss[ée]e d[ée]fonc[ée]e", r"routes? d[ée]fonc[ée]es?",
)
CONTROL = _rx(
    r"contr[ôo]les? (?:routiers?|de (?:la )?police|de (?:la )?gendarmerie|d'identit[ée]|fiscal|fiscaux|douaniers?"
    r"|des douanes|de la douane|de l'urssaf|urssaf|de la caf|caf|de la msa|de vitesse|d'alcool[ée]mie|aux fronti[èe]res"
    r"|[àa] la fronti[èe]re|des titres de transport|de p[ôo]le emploi|de france travail|des imp[ôo]ts)",
    r"(?:lors d'un|suite [àa] un|apr[èe]s un|subi un|fait l'objet d'un|objet d'un|pendant un) contr[ôo]le",
    r"contr[ôo]l[ée]e?s? (?:par|[àa] la fronti[èe]re|sur la route|au volant|[àa] l'a[ée]roport)",
    r"v[ée]rification de comptabilit[ée]", r"redressement fiscal", r"redressement urssaf", r"garde [àa] vue",
    r"interpell[ée]e?s?", r"menott[ée]e?s?", r"arr[êe]t[ée]e? par (?:la police|les policiers|les gendarmes|la gendarmerie)",
    r"m'ont arr[êe]t[ée]e?", r"(?:les )?douaniers?", r"fouill[ée]e?s? par", r"verbalis[ée]e?s?", r"proc[èe]s-verbal",
    r"flash[ée]e? par un radar", r"alcootest", r"[ée]thylotest", r"(?:policiers|gendarmes) m'ont",
)
TEACHING = _rx(
    r"professeure?s?", r"profs?", r"enseignante?s?", r"instituteurs?", r"institutrices?", r"ma[îi]tresse",
    r"programmes? scolaires?", r"(?:les|des|ses|mes|leurs) cours", r"cours de (?:math[ée]matiques|maths|fran[çc]ais"
    r"|histoire|anglais|physique|sport|sciences|musique|philosophie|philo)", r"p[ée]dagogi\w*", r"devoirs",
    r"bulletins? (?:scolaires?|de notes|trimestriels?)", r"(?:ses|mes|les|des|leurs|une|la|sa|ma) notes? (?:de|en|au|du|à)",
    r"contr[ôo]le continu", r"manuels? scolaires?", r"conseil de classe", r"redoublement", r"interros?",
    r"interrogations? [ée]crites?", r"baccalaur[ée]at", r"(?:le|au|du) bac", r"(?:le|au|du) brevet",
    r"le[çc]ons?", r"exercices? (?:de|en) (?:classe|math\w*)", r"en classe",
)
LITIGATION = _rx(
    r"tribunal(?: administratif| judiciaire| de grande instance| de police)?", r"tribunaux", r"juges?", r"jugements?",
    r"avocate?s?", r"proc[èe]s(?!-verbal)", r"audiences?", r"contentieux", r"recours (?:contentieux|gracieux|hi[ée]rarchique"
    r"|devant|en cours|amiable|administratif)", r"commission de recours amiable", r"porter plainte", r"port[ée] plainte",
    r"d[ée]pos[ée] (?:une )?plainte", r"ma plainte", r"proc[ée]dure (?:judiciaire|en cours|contentieuse|p[ée]nale)",
    r"cour d'appel", r"conseil d'[ée]tat", r"prud'?hom\w+", r"en attente (?:de la |d'une |de )?d[ée]cision",
    r"d[ée]cision (?:est )?(?:toujours )?en attente", r"d[ée]cision (?:n'est )?pas encore (?:rendue|prise)",
    r"en justice", r"huissiers?", r"commissaire de justice", r"faire appel", r"fait appel de", r"mis en demeure",
    r"mise en demeure", r"r[ée]f[ée]r[ée]", r"instance en cours", r"affaire (?:est )?en cours",
)
INSULT = _rx(
    r"connards?", r"connasses?", r"(?:quels?|ces|pauvres?|gros|bande de) cons?", r"abrutie?s?", r"cr[ée]tine?s?",
    r"d[ée]biles?", r"idiote?s?", r"imb[ée]ciles?", r"bouffons?", r"guignols?", r"tocards?", r"minables?",
    r"fain[ée]ante?s?", r"feignasses?", r"feignante?s?", r"salauds?", r"salopes?", r"encul[ée]e?s?", r"b[âa]tards?",
    r"(?<!des )(?<!les )ordures?(?! m[ée]nag)", r"pourritures?", r"(?:bande|tas|ramassis) d'(?:incapables|incomp[ée]tents|ignares|abrutis)",
    r"bons? [àa] rien", r"nazis?", r"fachos?", r"gestapo", r"parasites", r"vermines?", r"putain", r"merde",
    r"fdp", r"ntm", r"nique(?:r)?", r"sale (?:arabe|noir|noire|juif|juive|n[èe]gre|bougnoule|race|[ée]tranger|[ée]trang[èe]re"
    r"|pd|p[ée]d[ée]|gouine|chinetoque|musulman|rom|gitan)", r"sales (?:arabes|noirs|juifs|[ée]trangers|immigr[ée]s)",
    r"bougnoules?", r"n[èe]gres?", r"youpins?", r"bicots?", r"p[ée]d[ée]s?", r"tarlouzes?", r"gouines?",
    r"chinetoques?", r"rentrez chez vous", r"retourne(?:r|z)? dans (?:ton|votre|mon|son|leur) pays", r"singes?",
)
PUBLIC_DOMAINS = re.compile(
    r"(?:\.gouv\.fr|service-public\.fr|ameli\.fr|caf\.fr|francetravail\.fr|pole-emploi\.fr|urssaf\.fr|msa\.fr"
    r"|lassuranceretraite\.fr|info-retraite\.fr|impots\.gouv|ants\.gouv|franceconnect|mesdroitssociaux\.gouv"
    r"|legifrance|servicespublics\.plus|services-publics\.plus|la-poste\.fr|laposte\.fr|sncf-connect\.com)(?:/\S*)?$",
    re.IGNORECASE,
)
URL = re.compile(r"(?<![\w@])(?:https?://\S+|www\.\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|shop|store|biz|io|xyz|info|fr)(?:/\S*)?)(?![\w@])", re.IGNORECASE)
PROMOTION = _rx(
    r"code promo", r"promos?", r"en promotion", r"achetez", r"commandez", r"offre (?:exceptionnelle|sp[ée]ciale|limit[ée]e)",
    r"cliquez (?:ici|sur)", r"gagnez", r"[àa] prix cass[ée]s?", r"-\s?\d{1,2}\s?%", r"abonnez-vous", r"inscrivez-vous",
    r"contactez-nous", r"visitez notre site", r"rendez-vous sur (?:notre|mon) site", r"whatsapp", r"telegram",
    r"bitcoins?", r"cryptos?", r"crypto-monnaies?", r"casinos?", r"investissement garanti", r"meilleurs? prix",
    r"livraison gratuite", r"d[ée]couvrez (?:notre|nos)", r"profitez", r"venez (?:d[ée]couvrir|essayer)",
    r"nos services", r"devis gratuit", r"sans engagement", r"gagner de l'argent", r"revenus? compl[ée]mentaires?",
)

TOO_OLD_TEXT = re.compile(
    r"(?<![\w])(?:il y a (?P<n>\d{1,2}|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|plusieurs|"
    r"quelques) ans|(?P<prep>en|au printemps|[àa] l'[ée]t[ée]|[àa] l'automne|d[ée]but|fin|courant|mi)"
    r"(?: (?:de l'ann[ée]e|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre))?"
    r" (?P<year>(?:19|20)\d{2}))(?![\w])",
    _F,
)
_WORD_NUMBERS = {"trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
                 "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "plusieurs": 3, "quelques": 3}
_BIRTH_BEFORE = re.compile(r"(?:n[ée]e?s?|naissance|depuis|jusqu'|loi|d[ée]cret|r[ée]forme|avant)\W*(?:\w+\W+){0,2}$", _F)


def _all(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    return list(pattern.finditer(text))


def _keyword_findings(kind: str, text: str, matches: list[re.Match[str]], detail: str, score: float) -> list[Finding]:
    return [policy_finding(kind, text, m.start(), m.end(), score, f"{detail} « {m.group(0)} »") for m in matches]


def out_of_scope(text: str) -> list[Finding]:
    seen = {m.span(): m for m in _all(COMMERCIAL, text) + _all(COMMERCIAL_CASED, text)}
    findings = _keyword_findings("policy.out_of_scope", text, sorted(seen.values(), key=lambda m: m.start()),
                                 "opérateur commercial", 0.8)
    findings += _keyword_findings("policy.out_of_scope", text, _all(LOCAL_AUTHORITY, text),
                                  "compétence d'une collectivité locale", 0.7)
    return findings


def control(text: str) -> list[Finding]:
    return _keyword_findings("policy.control", text, _all(CONTROL, text), "mention", 0.8)


def teaching(text: str) -> list[Finding]:
    return _keyword_findings("policy.teaching", text, _all(TEACHING, text), "mention", 0.7)


def litigation(text: str) -> list[Finding]:
    return _keyword_findings("policy.litigation", text, _all(LITIGATION, text), "mention", 0.75)


def insult(text: str) -> list[Finding]:
    return _keyword_findings("policy.insult", text, _all(INSULT, text), "terme", 0.9)


def spam(text: str) -> list[Finding]:
    findings = []
    for m in URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?)»")
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.IGNORECASE)
        if "@" in url or PUBLIC_DOMAINS.search(host):
            continue
        findings.append(policy_finding("policy.spam", text, m.start(), m.start() + len(url), 0.85, f"lien « {url} »"))
    findings += _keyword_findings("policy.spam", text, _all(PROMOTION, text), "formule promotionnelle", 0.7)
    return findings


def _two_years_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 2)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 2, day=28)


def too_old(text: str, experienced_on: str | date | None, today: date) -> list[Finding]:
    findings = []
    if experienced_on:
        when = experienced_on if isinstance(experienced_on, date) else _parse_date(experienced_on)
        if when and when < _two_years_before(today):
            findings.append(policy_finding("policy.too_old", text, 0, len(text), 1.0,
                                           f"vécue le {when.strftime('%d/%m/%Y')}"))
    for m in TOO_OLD_TEXT.finditer(text):
        if m.group("n"):
            n = m.group("n").lower()
            years = int(n) if n.isdigit() else _WORD_NUMBERS[n]
            if years < 3 or text[max(0, m.start() - 12) : m.start()].lower().rstrip().endswith(("depuis", "pendant")):
                continue
        else:
            year = int(m.group("year"))
            if year > today.year - 3 or _BIRTH_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
                continue
        findings.append(policy_finding("policy.too_old", text, m.start(), m.end(), 0.6, f"« {m.group(0)} »"))
    return findings


def _parse_date(value: str) -> date | None:
    value = value.strip()
    for candidate in (value[:10], value):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            continue
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if match:
        day, month, year = map(int, match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


ROUTABLE = _rx(
    r"caf", r"cpam", r"caisses?", r"urssaf", r"msa", r"carsat", r"cnav", r"mdph", r"crous", r"ants", r"anah", r"ofii",
    r"pr[ée]fectures?", r"sous-pr[ée]fectures?", r"mairies?", r"imp[ôo]ts?", r"primes?", r"pr[ée]l[èe]vements?",
    r"versements?", r"finances publiques", r"tr[ée]sor public",
    r"sip", r"france travail", r"p[ôo]le emploi", r"france services", r"s[ée]curit[ée] sociale", r"assurance maladie",
    r"assurance retraite", r"retraites?", r"ameli", r"h[ôo]pital", r"urgences", r"tribunal", r"administrations?",
    r"services?", r"agences?", r"guichets?", r"accueil", r"conseill[eè]re?s?", r"agents?", r"dossiers?", r"d[ée]marches?",
    r"rendez-vous", r"formulaires?", r"courriers?", r"site", r"espace (?:personnel|particulier)", r"titre de s[ée]jour",
    r"passeports?", r"carte d'identit[ée]", r"permis", r"carte grise", r"allocations?", r"rsa", r"apl", r"aah",
    r"prime d'activit[ée]", r"aides?", r"remboursements?", r"d[ée]claration", r"attestations?", r"pension",
    r"police", r"gendarmerie", r"douanes?", r"[ée]cole", r"coll[èe]ge", r"lyc[ée]e", r"universit[ée]", r"rectorat",
    r"consulat", r"ambassade", r"permanence", r"t[ée]l[ée]phone", r"appli(?:cation)?", r"franceconnect",
    r"naturalisation", r"bourse", r"ch[ôo]mage", r"indemnit[ée]s?", r"cotisations?", r"arr[êe]t maladie",
    r"carte vitale", r"m[ée]decin", r"ministère", r"inspection", r"fisc", r"fiscale?", r"[ée]tat civil", r"consulat",
    r"s[ée]cu", r"imposition", r"timbres? fiscaux", r"timbre fiscal", r"immatriculation", r"certificat", r"asile",
    r"demandeur d'emploi", r"radi[ée]e?", r"logement social", r"papiers", r"d[ée]clarer", r"num[ée]ro fiscal",
)
_WORDS = re.compile(r"[^\W\d_]+")


SUBJECT_FOUND = ("policy.out_of_scope", "policy.control", "policy.teaching", "policy.litigation", "policy.spam")


def vague(text: str, other_findings: list[Finding] = ()) -> list[Finding]:
    """Too short or too vague to be routed to a structure (a story whose subject another check identified is not)."""
    words = _WORDS.findall(text)
    if len(words) < 8:
        return [policy_finding("policy.vague", text, 0, len(text), 0.9, f"{len(words)} mots")]
    routable = ROUTABLE.search(text) or any(f.kind in SUBJECT_FOUND for f in other_findings)
    if not routable and len(words) < 40:
        return [policy_finding("policy.vague", text, 0, len(text), 0.6, "aucun service ni démarche identifiable")]
    return []
