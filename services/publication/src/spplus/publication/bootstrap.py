"""Composition root of the publication service."""
from __future__ import annotations

from pathlib import Path

from werkzeug.middleware.proxy_fix import ProxyFix

from spplus.chassis.cli import main_for
from spplus.chassis.csrf import init_csrf
from spplus.chassis.service import ServiceSpec
from spplus.chassis.settings import var_dir
from spplus.chassis.web import create_base_app

from .adapters.search_index import IndexerThread, SearchIndex
from .adapters.structure_directory import StructureDirectory
from .entrypoints import api, events, feeds, opendata, pages, voting


def create_app(settings, database):
    app, smorest = create_base_app("publication", settings, database, "spplus.publication",
                                   "Services Publics + — publication")
    hops = settings.extra["PROXY_HOPS"]
    if hops:
        # The gateway is the public entry: the client's address is the one it saw.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops)
    api.install_fast_list(app)
    init_csrf(app, settings)
    smorest.register_blueprint(api.blp)
    smorest.register_blueprint(opendata.blp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(feeds.bp)
    app.after_request(voting.set_voter_cookie)
    if not database.is_sqlite and settings.extra["SEARCH_INDEX"]:
        app.extensions["publication_search_index"] = SearchIndex(search_index_root(settings))
        app.extensions["publication_structure_directory"] = StructureDirectory(
            settings.extra["STRUCTURES_CACHE_SECONDS"])
    return app


def search_index_root(settings) -> Path:
    return Path(settings.extra["SEARCH_INDEX_DIR"] or var_dir() / "publication-search")


def start_search_indexer(app) -> None:
    """In every API process: keep the index of this host up to date (one process at a time
    does; see adapters/search_index.py)."""
    index = api.search_index(app)
    if index is not None:
        IndexerThread(app.config["SPPLUS_DATABASE"], index.root).start()


spec = ServiceSpec(
    name="publication",
    port=8005,
    create_app=create_app,
    handlers=events.handlers,
    migrations="spplus.publication:migrations",
    settings_defaults={"VOTES_PER_IP_PER_HOUR": 60, "RESULTS_CACHE_SECONDS": 300, "PROXY_HOPS": 1,
                       "SEARCH_INDEX": True, "SEARCH_INDEX_DIR": "",
                       "STRUCTURES_CACHE_SECONDS": 10.0},
    on_api_worker=start_search_indexer,
)

main = main_for(spec)

if __name__ == "__main__":
    main()
