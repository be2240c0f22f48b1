"""A compound's past workbook imports, newest first (the console's import history).

Reads the import jobs the workbook package writes (``org.workbook.jobs``); a job is shown
as ``get_import`` shows it (a job silent too long is failed), without its row errors —
those are on the job itself (``GET /imports/<id>``) — but with how many rows were wrong
and who started it, by name."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import defer

from fazhi_shared.context import Principal

from org.listing import newest_first
from org.models import Account, ImportJob, Person
from org.registry import readable
from org.workbook import job_view


def list_imports(session, principal: Principal, data: dict) -> dict:
    compound = readable(session, principal, data["compound_id"], "compound", "compound_id")
    # A job's row errors (up to a thousand) are read only for jobs that did not finish:
    # there they say why the whole import failed.
    stmt = (select(ImportJob).options(defer(ImportJob.errors))
            .where(ImportJob.compound_id == compound.id))
    page = newest_first(session, stmt, ImportJob.id, data.get("cursor"), data["limit"])
    starters = {j.created_by for j in page["items"] if j.created_by}
    names = dict(session.execute(
        select(Account.id, Person.name).join(Person, Person.id == Account.person_id)
        .where(Account.id.in_(starters))).all()) if starters else {}
    items = []
    for job in page["items"]:
        summary = job.summary or {}
        view = {"id": job.id, "compound_id": job.compound_id, "filename": job.filename,
                "status": job.status, "total_rows": job.total_rows,
                "processed_rows": job.processed_rows, "imported": summary.get("imported", 0),
                "unchanged": summary.get("unchanged", 0),
                "error_rows": summary.get("error_rows", 0), "problem": None,
                "created_by": job.created_by, "created_by_name": names.get(job.created_by),
                "created_at": job.created_at, "finished_at": job.finished_at}
        if job.status != "done":
            shown = job_view(job)           # a job silent too long is shown failed
            view["status"] = shown["status"]
            view["problem"] = next((e for e in shown["errors"] if e.get("row") is None), None)
        items.append(view)
    return {"items": items, "next_cursor": page["next_cursor"]}
