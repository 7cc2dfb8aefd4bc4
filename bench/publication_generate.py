"""Load N realistic published French experiences (with answers) into a publication database.

    .venv/bin/python bench/publication_generate.py --count 1000000
    .venv/bin/python bench/publication_generate.py --count 10000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/pub_bench_10k

On PostgreSQL the database is created afresh, migrated, and filled with COPY (the full-text
GIN index is dropped during the load and rebuilt once at the end, as one does for bulk loads).
On SQLite (a ``sqlite:///`` URL) rows go in by batches of executemany, with the FTS5 document.
Prints rows per second. Deterministic for a given --seed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
import uuid

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/spplus_publication_bench"

NETWORKS = [
    ("CAF", "Caisses d'allocations familiales", "CAF"), ("CPAM", "Assurance maladie", "CPAM"),
    ("CARSAT", "Assurance retraite", "Carsat"), ("FT", "France Travail", "France Travail"),
    ("DGFIP", "Finances publiques", "Centre des finances publiques"), ("PREF", "Préfectures", "Préfecture"),
    ("URSSAF", "Urssaf", "Urssaf"), ("MSA", "Mutualité sociale agricole", "MSA"),
    ("ANTS", "Titres sécurisés", "Centre d'expertise des titres"), ("FS", "France services", "France services"),
]
DEPARTMENTS = ["de l'Ain", "de l'Aisne", "des Alpes-Maritimes", "de l'Ardèche", "de l'Aude", "des Bouches-du-Rhône",
               "du Calvados", "de la Charente", "de la Corrèze", "de la Côte-d'Or", "du Doubs", "de la Drôme",
               "du Finistère", "du Gard", "de la Haute-Garonne", "de la Gironde", "de l'Hérault", "d'Ille-et-Vilaine",
               "de l'Isère", "du Jura", "des Landes", "de la Loire", "du Loiret", "de la Manche", "de la Marne",
               "de la Moselle", "du Nord", "de l'Oise", "du Pas-de-Calais", "du Puy-de-Dôme", "du Bas-Rhin",
               "du Rhône", "de la Sarthe", "de Paris", "de la Seine-Maritime", "de la Somme", "du Var", "de Vaucluse",
               "de la Vendée", "de la Vienne"]
TOPICS = {
    "CAF": ["mon aide au logement", "la prime d'activité", "mes allocations familiales", "le RSA"],
    "CPAM": ["le remboursement de mes soins", "ma carte Vitale", "mes indemnités journalières", "la complémentaire santé solidaire"],
    "CARSAT": ["ma demande de retraite", "le relevé de carrière", "ma pension de réversion"],
    "FT": ["mon inscription comme demandeur d'emploi", "mes allocations chômage", "ma formation"],
    "DGFIP": ["ma déclaration de revenus", "le prélèvement à la source", "ma taxe foncière", "un remboursement d'impôt"],
    "PREF": ["mon titre de séjour", "mon permis de conduire", "la carte grise de ma voiture"],
    "URSSAF": ["mes cotisations d'auto-entrepreneur", "l'embauche d'une aide à domicile"],
    "MSA": ["mes cotisations agricoles", "les prestations familiales de la MSA"],
    "ANTS": ["mon passeport", "ma carte d'identité", "la carte grise de mon véhicule"],
    "FS": ["une démarche en ligne que je n'arrivais pas à faire", "la création de mon compte en ligne"],
}
OPENINGS = ["J'ai contacté le service au sujet de {topic}.", "Je devais faire une démarche concernant {topic}.",
            "Depuis plusieurs semaines, j'essayais de régler une question liée à {topic}.",
            "Je me suis rendu à l'accueil pour {topic}.", "Mon dossier concernant {topic} était bloqué."]
MIDDLES = {
    "negative": ["Après trois semaines sans nouvelles, personne n'a pu me dire où en était mon dossier.",
                 "J'ai appelé une dizaine de fois, l'attente au téléphone dépassait quarante minutes.",
                 "On m'a demandé trois fois les mêmes justificatifs, que j'avais pourtant déjà envoyés.",
                 "Le site internet affichait une erreur à chaque tentative et le rendez-vous était introuvable.",
                 "Les courriers reçus étaient contradictoires et personne ne répondait à mes messages."],
    "neutral": ["La démarche a pris du temps mais elle a fini par aboutir.",
                "Les informations du site étaient incomplètes, heureusement le conseiller a complété.",
                "J'ai obtenu un rendez-vous en deux semaines, ce qui reste un peu long."],
    "positive": ["Le conseiller a pris le temps de m'expliquer chaque étape avec beaucoup de patience.",
                 "J'ai obtenu un rendez-vous dès le lendemain et tout a été réglé en vingt minutes.",
                 "La réponse à mon courriel est arrivée en deux jours, claire et précise.",
                 "L'agent d'accueil m'a aidé à remplir le formulaire en ligne sur place."],
}
ENDINGS = ["Je remercie les agents pour leur aide.", "J'espère que ce témoignage fera évoluer les choses.",
           "Il faudrait simplifier cette démarche pour tout le monde.", "Je partage cette expérience pour aider d'autres usagers.",
           "Une meilleure information dès le départ m'aurait évité bien des allers-retours."]
TITLES = {"negative": ["Des mois d'attente pour {topic}", "Impossible de joindre quelqu'un pour {topic}",
                       "Dossier perdu : {topic}"],
          "neutral": ["Démarche longue pour {topic}", "{topic} : ça a fini par marcher"],
          "positive": ["Merci pour l'accueil concernant {topic}", "Une démarche rapide pour {topic}",
                       "Un conseiller très à l'écoute pour {topic}"]}
CHANNELS = ["phone", "counter", "letter", "email", "website", "mobile_app", "chat"]
ANSWERS = ["Nous vous remercions pour votre témoignage et regrettons les difficultés rencontrées. "
           "Votre dossier a été réexaminé et la situation est désormais régularisée.",
           "Merci pour votre retour positif, que nous avons transmis à l'équipe d'accueil.",
           "Nous avons renforcé notre accueil téléphonique aux heures de forte affluence afin de réduire l'attente.",
           "Votre remarque sur le formulaire en ligne a été transmise à nos équipes, qui travaillent à le simplifier."]
ACTIONS = ["Rappel sous 48 heures de toute demande de rendez-vous.", "Mise en place d'un accueil sur rendez-vous le samedi matin.",
           "Simplification du courrier de notification.", "Formation des conseillers à l'accompagnement numérique."]
PSEUDONYMS = [None, None, "Camille", "Dominique", "Usager du 30", "Claude", "Sacha", None]


def structures():
    rows = []
    for network_code, network_name, label in NETWORKS:
        for index, department in enumerate(DEPARTMENTS):
            rows.append({"code": f"{network_code}{index:02d}", "name": f"{label} {department}",
                         "network_code": network_code, "network_name": network_name, "parent_code": None})
    return rows


def experience(rng: random.Random, structure_list, start: dt.datetime, span_seconds: int):
    step_count = 1 if rng.random() < 0.8 else 2
    steps = rng.sample(structure_list, step_count)
    network = steps[0]["network_code"]
    topic = rng.choice(TOPICS[network])
    feeling = rng.choices(["negative", "neutral", "positive"], weights=[5, 2, 3])[0]
    title = rng.choice(TITLES[feeling]).format(topic=topic)
    title = title[0].upper() + title[1:]
    parts = [rng.choice(OPENINGS).format(topic=topic)]
    parts += rng.sample(MIDDLES[feeling], min(len(MIDDLES[feeling]), rng.randint(1, 3)))
    parts.append(rng.choice(ENDINGS))
    description = " ".join(parts)
    if len(description) < 100:
        description += " " + rng.choice(ENDINGS)
    published_at = start + dt.timedelta(seconds=rng.randrange(span_seconds))
    path = [{"structure_code": step["code"], "structure_name": step["name"],
             "channels": [{"channel": channel, "feeling": rng.choice(["negative", "neutral", "positive"])}
                          for channel in rng.sample(CHANNELS, rng.randint(1, 2))]} for step in steps]
    return {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "title": title[:150],
            "description": description[:1000], "feeling": feeling,
            "experienced_on": (published_at - dt.timedelta(days=30)).strftime("%Y-%m"),
            "pseudonym": rng.choice(PSEUDONYMS), "path": path,
            "submitted_at": published_at - dt.timedelta(days=rng.randint(1, 5)), "published_at": published_at,
            "similar_count": int(rng.expovariate(0.5))}


def answer(rng: random.Random, experience_row, step):
    published_at = experience_row["published_at"] + dt.timedelta(hours=rng.randint(2, 24 * 30))
    actions = [{"kind": rng.choice(["considered", "made"]), "description": rng.choice(ACTIONS)}] \
        if rng.random() < 0.4 else []
    return {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "experience_id": experience_row["id"],
            "structure_code": step["structure_code"], "structure_name": step["structure_name"],
            "greeting": "Bonjour,", "body": rng.choice(ANSWERS), "signature": f"L'équipe {step['structure_name']}",
            "status": "published", "actions": actions, "tags": [], "general_tags": {},
            "published_at": published_at, "updated_at": published_at, "version": 1,
            "useful_yes": rng.randint(0, 5), "useful_no": rng.randint(0, 2)}


def generate(count: int, seed: int):
    """Yields (experience row, [answer rows]) with the answer figures already computed."""
    rng = random.Random(seed)
    structure_list = structures()
    start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    span = int((dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc) - start).total_seconds())
    for _ in range(count):
        row = experience(rng, structure_list, start, span)
        answers = [answer(rng, row, step) for step in row["path"] if rng.random() < 0.55]
        first = min((item["published_at"] for item in answers), default=None)
        row["response_count"] = len(answers)
        row["first_response_at"] = first
        row["first_response_delay_seconds"] = int((first - row["published_at"]).total_seconds()) if first else None
        yield row, answers


EXPERIENCE_COLUMNS = ["id", "status", "title", "description", "feeling", "experienced_on", "pseudonym",
                      "original_path", "path", "submitted_at", "published_at", "edited", "similar_count",
                      "response_count", "first_response_at", "first_response_delay_seconds"]
RESPONSE_COLUMNS = ["id", "experience_id", "structure_code", "structure_name", "greeting", "body", "signature",
                    "status", "actions", "tags", "general_tags", "published_at", "updated_at", "version",
                    "useful_yes", "useful_no"]


def experience_tuple(row):
    path = json.dumps(row["path"], ensure_ascii=False)
    return (row["id"], "published", row["title"], row["description"], row["feeling"], row["experienced_on"],
            row["pseudonym"], path, path, row["submitted_at"], row["published_at"], False, row["similar_count"],
            row["response_count"], row["first_response_at"], row["first_response_delay_seconds"])


def response_tuple(item):
    return (item["id"], item["experience_id"], item["structure_code"], item["structure_name"], item["greeting"],
            item["body"], item["signature"], item["status"], json.dumps(item["actions"], ensure_ascii=False), "[]",
            "{}", item["published_at"], item["updated_at"], item["version"], item["useful_yes"], item["useful_no"])


def prepare_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from spplus.chassis.migrations import upgrade

    if url.startswith("postgresql"):
        target = make_url(url)
        admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
        admin.dispose()
    upgrade("spplus.publication:migrations", url)


def load_postgresql(url: str, count: int, seed: int) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    target = make_url(url)
    now = dt.datetime.now(dt.timezone.utc)
    with psycopg.connect(host=target.host, port=target.port or 5432, user=target.username,
                         password=target.password, dbname=target.database) as connection:
        cursor = connection.cursor()
        cursor.execute("DROP INDEX ix_experiences_search_vector")
        cursor.execute("DROP INDEX ix_experiences_status_published_at")
        cursor.execute("DROP INDEX ix_experiences_status_similar")
        with cursor.copy("COPY structures (code, name, network_code, network_name, parent_code, active, updated_at) "
                         "FROM STDIN") as copy:
            for row in structures():
                copy.write_row((row["code"], row["name"], row["network_code"], row["network_name"], None, True, now))
        pending_answers, pending_links = [], []
        with cursor.copy(f"COPY experiences ({', '.join(EXPERIENCE_COLUMNS)}) FROM STDIN") as copy:
            for row, answers in generate(count, seed):
                copy.write_row(experience_tuple(row))
                pending_answers.extend(response_tuple(item) for item in answers)
                pending_links.extend((row["id"], step["structure_code"], position)
                                     for position, step in enumerate(row["path"]))
        with cursor.copy(f"COPY responses ({', '.join(RESPONSE_COLUMNS)}) FROM STDIN") as copy:
            for item in pending_answers:
                copy.write_row(item)
        with cursor.copy("COPY experience_structures (experience_id, structure_code, position) FROM STDIN") as copy:
            for link in pending_links:
                copy.write_row(link)
        cursor.execute("CREATE INDEX ix_experiences_search_vector ON experiences USING gin (search_vector)")
        cursor.execute("CREATE INDEX ix_experiences_status_published_at ON experiences (status, published_at)")
        cursor.execute("CREATE INDEX ix_experiences_status_similar ON experiences (status, similar_count)")
        connection.commit()
        connection.autocommit = True
        cursor.execute("VACUUM ANALYZE")


def load_sqlite(url: str, count: int, seed: int) -> None:
    from sqlalchemy import create_engine, insert

    from spplus.publication.adapters.orm import structures as structures_table
    from spplus.publication.adapters.search import stems

    engine = create_engine(url)
    now = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as connection:
        connection.execute(insert(structures_table), [{**row, "active": True, "updated_at": now} for row in structures()])
        batch, answers_batch, links, documents = [], [], [], []
        for row, answers in generate(count, seed):
            batch.append({**{key: row[key] for key in ("id", "title", "description", "feeling", "experienced_on",
                                                        "pseudonym", "submitted_at", "published_at", "similar_count",
                                                        "response_count", "first_response_at",
                                                        "first_response_delay_seconds")},
                          "status": "published", "original_path": row["path"], "path": row["path"], "edited": False})
            answers_batch.extend({key: item[key] for key in RESPONSE_COLUMNS} for item in answers)
            links.extend({"experience_id": row["id"], "structure_code": step["structure_code"], "position": position}
                         for position, step in enumerate(row["path"]))
            documents.append({"id": row["id"], "document": " ".join(stems(f"{row['title']} {row['description']}"))})
            if len(batch) >= 5000:
                _flush_sqlite(connection, batch, answers_batch, links, documents)
        _flush_sqlite(connection, batch, answers_batch, links, documents)


def _flush_sqlite(connection, batch, answers_batch, links, documents):
    from sqlalchemy import insert, text

    from spplus.publication.adapters.orm import experience_structures, experiences, responses

    for table, rows in ((experiences, batch), (responses, answers_batch), (experience_structures, links)):
        if rows:
            connection.execute(insert(table), rows)
    if documents:
        connection.execute(text("INSERT INTO experiences_fts (experience_id, document) VALUES (:id, :document)"),
                           documents)
    for rows in (batch, answers_batch, links, documents):
        rows.clear()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    prepare_database(args.database_url)
    if args.database_url.startswith("postgresql"):
        load_postgresql(args.database_url, args.count, args.seed)
    else:
        load_sqlite(args.database_url, args.count, args.seed)
    elapsed = time.perf_counter() - started
    print(f"publication_generate: {args.count} published experiences in {elapsed:.1f} s "
          f"({args.count / elapsed:,.0f} rows/s) into {args.database_url.split('@')[-1]}")


if __name__ == "__main__":
    sys.exit(main())
