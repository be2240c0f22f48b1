"""The WSGI entry point gunicorn serves: ``gateway.wsgi:app``."""
from gateway.app import create_app

app = create_app()
