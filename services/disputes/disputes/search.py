"""Chinese full-text search: descriptions segmented with jieba into a ``simple``
PostgreSQL text-search column (``cases.search_vector``, GIN-indexed, generated from
``search_terms``); queries segmented the same way and passed through
``plainto_tsquery('simple', …)`` — user text never reaches ``to_tsquery``.

jieba loads its dictionary (about half a second) once per process: the service starts
it in a native thread at start (:class:`Segmenter`), off the event loop.
"""
from __future__ import annotations

import logging
import threading

from nameko.extensions import DependencyProvider
from sqlalchemy import func

log = logging.getLogger(__name__)
_ready = threading.Lock()
_loaded = False


def initialise() -> None:
    """Load jieba's dictionary (once; later calls return at once)."""
    global _loaded
    with _ready:
        if _loaded:
            return
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _loaded = True


def segment(text: str) -> str:
    """The words of ``text`` (search mode: long words and their parts), space-separated;
    punctuation and spaces dropped."""
    import jieba

    initialise()
    words = (w.strip() for w in jieba.cut_for_search(text))
    return " ".join(w for w in words if w and any(ch.isalnum() for ch in w))


def matches(vector_col, query: str):
    """SQL: the search column matches every word of ``query``."""
    return vector_col.op("@@")(func.plainto_tsquery("simple", segment(query)))


class Segmenter(DependencyProvider):
    """Loads jieba in a native thread when the service starts, so the first request (and
    the event loop) does not wait for the dictionary."""

    def start(self):
        self.container.spawn_managed_thread(self._load, identifier="jieba-initialise")

    def _load(self):
        from eventlet import tpool

        try:
            tpool.execute(initialise)
        except Exception:   # a request loads it later, inline
            log.warning("jieba failed to initialise at start", exc_info=True)
