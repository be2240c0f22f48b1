"""Use cases of notes on the database: write one, list them, follow unit moves.

Each takes the session (and the outbox when it writes) from the RPC method; it never
commits (``@endpoint`` does, once, after it returns). Rules come from ``deliberation.domain``.
"""
from __future__ import annotations

from sqlalchemy import func, literal, select, update

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import NotFound
from fazhi_shared.ids import new_id
from fazhi_shared.scope import PUBLIC, ensure_visible
from fazhi_shared.service import audit
from fazhi_shared.service.pagination import paginate
from fazhi_shared.service.scope import scope_clause, under

from deliberation.domain import notes as rules
from deliberation.models import Note, tables


def visible_unit_path(session, unit_tree, principal: Principal, unit_id: str) -> str:
    """The path of a unit the caller may see (units are public inside their compound),
    from the unit-tree read model; 404 for an unknown unit or one outside scope."""
    path = unit_tree.path_of(session, unit_id)
    if path is None:
        raise NotFound()
    ensure_visible(principal, path, PUBLIC)
    return path


def event_payload(note: Note) -> dict:
    """``deliberation.note.created`` (schema ``NoteCreatedEvent`` in the contract)."""
    return {"id": note.id, "unit_id": note.unit_id, "kind": note.kind,
            "visibility": note.visibility, "author_person_id": note.author_person_id,
            "created_at": clock.isoformat(note.created_at)}


def create_note(session, outbox, unit_tree, principal: Principal, data: dict) -> Note:
    """Write a note on a unit; audited, and ``deliberation.note.created`` in the same transaction."""
    path = visible_unit_path(session, unit_tree, principal, data["unit_id"])
    rules.require_writer(principal, path)
    note = Note(id=new_id(), unit_id=data["unit_id"], path=path, kind=data["kind"],
                visibility=rules.visibility_of(data["kind"]), text=rules.clean_text(data["text"]),
                author_account_id=principal.account_id, author_person_id=principal.person_id,
                created_at=clock.now())
    session.add(note)
    session.flush()
    audit.record(session, tables.audit_log, principal, "note.create", "note", note.id,
                 note.path, {"kind": note.kind, "unit_id": note.unit_id})
    outbox.emit(session, "note.created", event_payload(note), note.path)
    return note


def list_notes(session, unit_tree, principal: Principal, data: dict) -> dict:
    """A page of the notes the caller may see, in creation order (ids are UUIDv7)."""
    stmt = select(Note).where(scope_clause(principal, Note.path, Note.visibility))
    if data.get("unit_id"):
        stmt = stmt.where(under(Note.path, visible_unit_path(session, unit_tree, principal,
                                                             data["unit_id"])))
    return paginate(session, stmt, [Note.id], data.get("cursor"), data["limit"])


def move_notes(session, old_path: str, new_path: str) -> int:
    """org moved a unit: notes on it and below it follow (their paths are rewritten)."""
    t = Note.__table__
    result = session.execute(update(t).where(under(t.c.path, old_path)).values(
        path=literal(new_path) + func.substr(t.c.path, len(old_path) + 1)))
    return result.rowcount
