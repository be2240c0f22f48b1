"""Other services' events, handled thinly and idempotently (``fazhi_shared.service.events``).

org's unit events keep the unit-tree read model (``self.unit_tree``, bootstrapped from
org's ``export_units`` on first start) up to date; a move also rewrites the paths of
this service's own records. Each handler runs in one transaction that records the event
id, so a redelivered event takes effect once; a failing one ends in its queue's DLQ.
Unit paths decide who sees what, so they are taken from org only (``publisher="org"``:
an event org's broker user did not publish is dead-lettered, never applied).
"""
from __future__ import annotations

from fazhi_shared.service.events import handle_event, idempotent



class UnitTreeHandlers:
    """Mixed into ``LegalService`` (which provides ``db``, ``unit_tree`` and ``tables``)."""

    @handle_event("org", "unit.created", publisher="org")
    @idempotent
    def on_unit_created(self, session, envelope, principal):
        self.unit_tree.apply(session, envelope)

    @handle_event("org", "unit.renamed", publisher="org")
    @idempotent
    def on_unit_renamed(self, session, envelope, principal):
        self.unit_tree.apply(session, envelope)

    @handle_event("org", "unit.moved", publisher="org")
    @idempotent
    def on_unit_moved(self, session, envelope, principal):
        self.unit_tree.apply(session, envelope)
