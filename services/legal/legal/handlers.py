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


from fazhi_shared.service.events import handle_event, idempotent
from fazhi_shared.service.unittree import UnitTreeHandlers

from legal import duty
from legal.models import (Booking, Consultation, Convention, Literate, Roster, ServiceList,
                          Shift, Swap, Training)

# Records whose path is a unit's path (or below it): rewritten when org moves the unit.
PATHED = (Literate, Training, Roster, Shift, Swap, Booking, Consultation, ServiceList,
          Convention)


class LegalHandlers(UnitTreeHandlers):
    """Mixed into ``LegalService`` (which provides ``db``, ``unit_tree`` and ``tables``);
    org's unit events come from the shared :class:`UnitTreeHandlers`."""

    moved_paths = tuple(model.__table__.c.path for model in PATHED)

    @handle_event("legal", "roster.published", publisher="legal")
    @idempotent
    def on_roster_published(self, session, envelope, principal):
        for shift in envelope["payload"]["shifts"]:
            duty.apply(session, shift)

    @handle_event("legal", "shift.changed", publisher="legal")
    @idempotent
    def on_shift_changed(self, session, envelope, principal):
        duty.apply(session, envelope["payload"])
