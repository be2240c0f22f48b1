"""HTTP routes, one module per area; each route declares who may call it (``gateway.auth``)."""
from gateway.routes import auth, health, org, org_organisation, org_registry, org_residents


def register(api) -> None:
    """Register every area's blueprint with the flask-smorest ``api``."""
    api.register_blueprint(health.blp)
    api.register_blueprint(auth.blp)
    api.register_blueprint(org.blp)
    api.register_blueprint(org_residents.blp)
    api.register_blueprint(org_registry.blp)
    api.register_blueprint(org_organisation.blp)
