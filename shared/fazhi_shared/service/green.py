"""Make a process green: eventlet's monkey patching, first thing, for nameko services.

Call :func:`monkey_patch` before importing anything that opens sockets or starts threads.
This module imports nothing else of the platform so that it can run first. eventlet is
deprecated upstream (nameko is frozen on it, see ARCHITECTURE.md): its warning is
silenced here, once, rather than in every entry point.
"""
import warnings

DEPRECATION = "\nEventlet is deprecated"


def quiet() -> None:
    """Silence eventlet's deprecation warning (for processes that import nameko only)."""
    warnings.filterwarnings("ignore", message=DEPRECATION)


def monkey_patch() -> None:
    quiet()
    import eventlet

    eventlet.monkey_patch()
