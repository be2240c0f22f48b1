"""The legal service's nameko adapter: validate → call the use case → dump.

``@endpoint`` validates the input, checks the caller and commits a successful write;
``Service`` gives ``db``, ``outbox``, ``unit_tree`` and ``ping``
(``fazhi_shared.service.defaults``). Rules live in ``legal.domain``, use cases in
``legal.notes``; nothing else belongs here.
"""
from __future__ import annotations

from fazhi_shared.service.defaults import Service
from fazhi_shared.service.rpc import endpoint

from fazhi_legal_contract import CONTRACT
from fazhi_legal_contract import schemas as s

from legal import notes
from legal.config import DATABASE_URL, SETTINGS
from legal.handlers import UnitTreeHandlers
from legal.models import tables


class LegalService(Service, UnitTreeHandlers):
    name = "legal"
    database = DATABASE_URL
    tables = tables
    settings = SETTINGS
    contract = CONTRACT      # service_callable: what other services may call as themselves

    @endpoint(s.NoteCreate, s.Note)
    def create_note(self, caller, data):
        """Write a note on a unit in scope; emits ``legal.note.created``."""
        return notes.create_note(self.db, self.outbox, self.unit_tree, caller, data)

    @endpoint(s.NoteList, s.Note, many=True, readonly=True)
    def list_notes(self, caller, data):
        """A page of the notes the caller may see, oldest first."""
        return notes.list_notes(self.db, self.unit_tree, caller, data)
