"""Events legal consumes, handled thinly and idempotently (``fazhi_shared.service.events``).

- org's unit events keep the unit-tree read model (``self.unit_tree``, bootstrapped from
  org's ``export_units`` on first start) up to date; a move also rewrites the paths of
  this service's own records. Unit paths decide who sees what, so they are taken from
  org only (``publisher="org"``).
- legal's own roster events feed the duty board (``legal.duty``), taken from legal's
  own broker user only.

Each handler runs in one transaction that records the event id, so a redelivered event
takes effect once; a failing one ends in its queue's DLQ.
"""
from __future__ import annotations

from sqlalchemy import update

from fazhi_shared.service.events import handle_event, idempotent
from fazhi_shared.service.scope import under

from legal import duty
from legal.models import (Booking, Consultation, Convention, Literate, Roster, ServiceList,
                          Shift, Swap, Training)

# Records whose path is a unit's path (or below it): rewritten when org moves the unit.
PATHED = (Literate, Training, Roster, Shift, Swap, Booking, Consultation, ServiceList,
          Convention)


def move_paths(session, old_path: str, new_path: str) -> None:
    from sqlalchemy import func, literal
    for model in PATHED:
        session.execute(update(model).where(under(model.path, old_path)).values(
            path=literal(new_path) + func.substr(model.path, len(old_path) + 1)))


class LegalHandlers:
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
        payload = envelope["payload"]
        move_paths(session, payload["old_path"], payload["new_path"])

    @handle_event("legal", "roster.published", publisher="legal")
    @idempotent
    def on_roster_published(self, session, envelope, principal):
        for shift in envelope["payload"]["shifts"]:
            duty.apply(session, shift)

    @handle_event("legal", "shift.changed", publisher="legal")
    @idempotent
    def on_shift_changed(self, session, envelope, principal):
        duty.apply(session, envelope["payload"])
