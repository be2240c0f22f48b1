"""deliberation's HTTP surface: the routes the gateway mounts under ``/api/v1/deliberation``.

Each route names the RPC method it calls, the RPC's own input schema (the gateway leaves
out the fields the URL carries), the response schema and who may call it — the first
gate; deliberation re-checks the role on the unit and the scope (outside it: 404). The
gateway adds ``GET /ping`` and ``GET /vocabularies`` by itself. See ``fazhi_shared.http``
for how a request becomes a call.
"""
from fazhi_shared.http import Route

from fazhi_deliberation_contract import schemas as s
from fazhi_deliberation_contract.roles import NOTE_READERS, NOTE_WRITERS

ROUTES = (
    Route("POST", "/notes", "create_note", s.NoteCreate, s.Note, NOTE_WRITERS, 201,
          "Write a note on a unit in the caller's scope; notices are public to the "
          "compound's residents, other kinds stay with staff."),
    Route("GET", "/notes", "list_notes", s.NoteList, s.NotePage, NOTE_READERS, 200,
          "Notes the caller may see, oldest first; ``unit_id`` keeps those on that unit "
          "and below."),
)
