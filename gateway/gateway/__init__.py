"""The Fazhi gateway: the one HTTP API for web and mobile clients."""
# The shared library imports nameko (for its error serialisation), which imports eventlet
# and warns about it; the gateway runs on threads and never uses eventlet itself.
from fazhi_shared.service.green import quiet

quiet()
