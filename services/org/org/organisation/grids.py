"""Use cases of the micro-grid: every compound is one grid, made on first use, with grid
workers put on and taken off duty (dated; ``org.domain.periods``)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, NotFound
from fazhi_shared.ids import new_id

from fazhi_org_contract.roles import GRID_WRITERS

from org.domain.periods import check_ended
from org.models import Grid, GridWorker, Person, Unit
from org.organisation.common import (audit, iso, lock_unit, require, today, visible_compound,
                                     visible_person, worker_span)


def _worker_view(worker: GridWorker, name: str) -> dict:
    return {"id": worker.id, "grid_id": worker.grid_id, "person_id": worker.person_id,
            "name": name, "since": worker.since, "until": worker.until}


def grid_view(session, grid: Grid, compound: Unit, day: date) -> dict:
    rows = session.execute(select(GridWorker, Person.name)
                           .join(Person, Person.id == GridWorker.person_id)
                           .where(GridWorker.grid_id == grid.id).order_by(GridWorker.id)).all()
    workers = [_worker_view(w, name) for w, name in rows if worker_span(w).active_on(day)]
    return {"id": grid.id, "compound_id": grid.compound_id, "name": grid.name,
            "path": compound.path, "workers": workers, "created_at": grid.created_at}


def _ensure_grid(session, outbox, principal, compound: Unit, name: str | None) -> Grid:
    lock_unit(session, compound.id)
    grid = session.execute(select(Grid).where(Grid.compound_id == compound.id)).scalar()
    if grid is not None:
        return grid
    # Every compound is one micro-grid: the grid is the compound, made on first use.
    grid = Grid(id=new_id(), compound_id=compound.id,
                name=(name or f"{compound.name}微网格").strip(), path=compound.path,
                created_at=clock.now())
    session.add(grid)
    session.flush()
    audit(session, principal, "grid.create", "grid", grid.id, compound.path, {"name": grid.name})
    outbox.emit(session, "grid.created", {"id": grid.id, "compound_id": compound.id,
                                          "name": grid.name, "path": compound.path},
                compound.path)
    return grid


def ensure_grid(session, outbox, principal: Principal, data: dict) -> dict:
    compound = visible_compound(session, principal, data["compound_id"])
    require(principal, GRID_WRITERS, compound.path)
    grid = _ensure_grid(session, outbox, principal, compound, data.get("name"))
    return grid_view(session, grid, compound, today())


def get_grid(session, principal: Principal, data: dict) -> dict:
    compound = visible_compound(session, principal, data["compound_id"])
    grid = session.execute(select(Grid).where(Grid.compound_id == compound.id)).scalar()
    if grid is None:
        raise NotFound("该小区尚未建立微网格。", "This compound has no micro-grid yet.")
    return grid_view(session, grid, compound, today())


def _worker_event(outbox, session, event_type, worker: GridWorker, grid: Grid, path: str):
    outbox.emit(session, event_type, {
        "id": worker.id, "grid_id": grid.id, "compound_id": grid.compound_id,
        "person_id": worker.person_id, "since": iso(worker.since), "until": iso(worker.until),
        "path": path}, path)


def assign_grid_worker(session, outbox, principal: Principal, data: dict) -> dict:
    compound = visible_compound(session, principal, data["compound_id"])
    require(principal, GRID_WRITERS, compound.path)
    person = visible_person(session, principal, data["person_id"])
    grid = _ensure_grid(session, outbox, principal, compound, None)
    if session.execute(select(GridWorker.id).where(
            GridWorker.grid_id == grid.id, GridWorker.person_id == person.id,
            GridWorker.until.is_(None))).first():
        raise Conflict("此人已是本网格的网格员。", "This person already works this grid.")
    worker = GridWorker(id=new_id(), grid_id=grid.id, person_id=person.id,
                        since=data.get("since") or today())
    session.add(worker)
    session.flush()
    audit(session, principal, "grid.assign_worker", "grid_worker", worker.id, compound.path,
           {"grid_id": grid.id, "person_id": person.id, "since": iso(worker.since)})
    _worker_event(outbox, session, "grid.worker_assigned", worker, grid, compound.path)
    return _worker_view(worker, person.name)


def unassign_grid_worker(session, outbox, principal: Principal, data: dict) -> dict:
    compound = visible_compound(session, principal, data["compound_id"])
    require(principal, GRID_WRITERS, compound.path)
    person = visible_person(session, principal, data["person_id"])
    row = session.execute(
        select(GridWorker, Grid).join(Grid, Grid.id == GridWorker.grid_id)
        .where(Grid.compound_id == compound.id, GridWorker.person_id == person.id,
               GridWorker.until.is_(None)).with_for_update(of=GridWorker)).first()
    if row is None:
        raise NotFound("此人不是本网格的在岗网格员。", "This person is not on this grid's duty.")
    worker, grid = row
    until = data.get("until") or today()
    check_ended(worker.since, until, today(), "until")
    worker.until = until
    audit(session, principal, "grid.unassign_worker", "grid_worker", worker.id, compound.path,
           {"grid_id": grid.id, "person_id": person.id, "until": iso(until)})
    _worker_event(outbox, session, "grid.worker_unassigned", worker, grid, compound.path)
    return _worker_view(worker, person.name)
