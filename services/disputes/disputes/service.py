"""The disputes service's nameko adapter: validate → call the use case → dump.

``@endpoint`` validates the input, checks the caller and commits a successful write;
``Service`` gives ``db``, ``outbox``, ``unit_tree`` and ``ping``
(``fazhi_shared.service.defaults``). Rules live in ``disputes.domain``, use cases in
``disputes.notes``; nothing else belongs here.
"""
from __future__ import annotations

from fazhi_shared.service.defaults import Service
from fazhi_shared.service.rpc import endpoint

from fazhi_disputes_contract import CONTRACT
from fazhi_disputes_contract import schemas as s

from disputes import notes
from disputes.config import DATABASE_URL, SETTINGS
from disputes.handlers import UnitTreeHandlers
from disputes.models import tables


class DisputesService(Service, UnitTreeHandlers):
    name = "disputes"
    database = DATABASE_URL
    tables = tables
    settings = SETTINGS
    contract = CONTRACT      # service_callable: what other services may call as themselves

    @endpoint(s.NoteCreate, s.Note)
    def create_note(self, caller, data):
        """Write a note on a unit in scope; emits ``disputes.note.created``."""
        return notes.create_note(self.db, self.outbox, self.unit_tree, caller, data)

    @endpoint(s.NoteList, s.Note, many=True, readonly=True)
    def list_notes(self, caller, data):
        """A page of the notes the caller may see, oldest first."""
        return notes.list_notes(self.db, self.unit_tree, caller, data)
