"""The gateway's own routes (probes, sign-in); every service's routes come from its
contract (``gateway.contracts``). Each route declares who may call it (``gateway.auth``)."""
from gateway import contracts
from gateway.routes import admin, auth, health, web


def register(api) -> list[str]:
    """Register the gateway's blueprints and every installed contract's; returns the
    services mounted (what ``/readyz`` pings)."""
    api.register_blueprint(health.blp)
    api.register_blueprint(auth.blp)
    api.register_blueprint(admin.blp)
    services = contracts.register(api)
    api.register_blueprint(web.blp)         # last: its catch-all never hides an API route
    return services
