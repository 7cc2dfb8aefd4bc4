"""Composition root of the publication service."""
from __future__ import annotations

from werkzeug.middleware.proxy_fix import ProxyFix

from spplus.chassis.cli import main_for
from spplus.chassis.csrf import init_csrf
from spplus.chassis.service import ServiceSpec
from spplus.chassis.web import create_base_app

from .entrypoints import api, events, feeds, opendata, pages, voting


def create_app(settings, database):
    app, smorest = create_base_app("publication", settings, database, "spplus.publication",
                                   "Services Publics + — publication")
    hops = settings.extra["PROXY_HOPS"]
    if hops:
        # The gateway is the public entry: the client's address is the one it saw.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops)
    init_csrf(app, settings)
    smorest.register_blueprint(api.blp)
    smorest.register_blueprint(opendata.blp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(feeds.bp)
    app.after_request(voting.set_voter_cookie)
    return app


spec = ServiceSpec(
    name="publication",
    port=8005,
    create_app=create_app,
    handlers=events.handlers,
    migrations="spplus.publication:migrations",
    settings_defaults={"VOTES_PER_IP_PER_HOUR": 60, "RESULTS_CACHE_SECONDS": 300, "PROXY_HOPS": 1},
)

main = main_for(spec)

if __name__ == "__main__":
    main()
