"""The Fazhi gateway: the one HTTP API for web and mobile clients."""
import warnings

# The shared library imports nameko (for its error serialisation), which imports eventlet
# and warns about it; the gateway runs on threads and never uses eventlet itself.
warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
