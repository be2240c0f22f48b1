"""The life of an import job: ``start_import`` checks the upload and records a running
job; ``run_import`` (a managed thread of the service) imports it and commits the data
with the job's final state in one transaction, writing progress meanwhile through short
transactions of its own; a running job silent for ``STALE_AFTER`` has died and is shown
failed; ``get_import`` shows a job."""
from __future__ import annotations

import io
import logging
import zipfile
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fazhi_shared import clock, files
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.service import audit, offload
from fazhi_shared.service.db import engine_for
from fazhi_shared.service.outbox import Outbox

from fazhi_org_contract.roles import REGISTRY_READERS
from fazhi_org_contract.vocabulary import MAX_IMPORT_BYTES

from org.config import DATABASE_URL
from org.models import ImportJob, Unit, tables
from org.registry import writable
from org.units import visible_unit
from org.workbook import limits
from org.workbook.importer import Importer
from org.workbook.rows import FileProblem, row_error

log = logging.getLogger(__name__)

MAX_BYTES = MAX_IMPORT_BYTES        # read here at each upload (tests patch it here)
STALE_AFTER = timedelta(minutes=10)   # a running job silent this long has died


class Progress:
    """Writes the job's progress through its own short transactions (visible at once)."""

    def __init__(self, engine, job_id: str):
        self.engine = engine
        self.job_id = job_id

    def report(self, processed: int, total: int) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(update(ImportJob).where(ImportJob.id == self.job_id).values(
                processed_rows=processed, total_rows=total, updated_at=clock.now()))


def run_import(job_id: str, content: bytes, principal: Principal, outbox: Outbox) -> None:
    """The background work of one import; never raises (it runs in a managed thread).
    ``outbox`` is the starting RPC's: the import's events go out as that request's.

    The data and the job's final state commit together in one transaction, so a job that
    says ``done`` has its data, and a failed or killed one has none.
    """
    engine = engine_for(DATABASE_URL.get())
    try:
        with Session(engine) as session:
            job = session.get(ImportJob, job_id)
            compound = session.get(Unit, job.compound_id)
            progress = Progress(engine, job_id)
            result = Importer(session, outbox, principal, compound, progress).run(content)
            _finish(session, principal, job, compound, result)
            session.commit()
    except FileProblem as p:
        _fail(engine, job_id, [row_error(None, p.zh, p.en)])
    except ServiceUnavailable as exc:      # the offload pool: past its time limit, …
        log.warning("workbook import %s stopped: %s", job_id, exc)
        _fail(engine, job_id, [row_error(None, f"{exc.message_zh}未写入任何数据。",
                                         f"{exc.message_en} Nothing was written.")])
    except Exception:
        log.exception("workbook import %s failed", job_id)
        _fail(engine, job_id, [row_error(None, "导入中断，未写入任何数据，请重新导入。",
                                         "The import was interrupted; nothing was written. "
                                         "Please import again.")])


def _finish(session, principal: Principal, job: ImportJob, compound: Unit, result: dict) -> None:
    now = clock.now()
    job.status, job.finished_at, job.updated_at = "done", now, now
    job.total_rows = job.processed_rows = result["total_rows"]
    job.errors = result["errors"]
    job.summary = {k: result[k] for k in ("imported", "unchanged", "error_rows")}
    if result["changed"]:
        # Only an import that changed something leaves an audit entry of its own (the
        # entries of each change are written with the change); the job row is the trace.
        audit.record(session, tables.audit_log, principal, "workbook.import", "import_job",
                     job.id, compound.path, {"filename": job.filename, **job.summary})


def _fail(engine, job_id: str, errors: list) -> None:
    try:
        with Session(engine) as s, s.begin():
            now = clock.now()
            s.execute(update(ImportJob).where(ImportJob.id == job_id).values(
                status="failed", errors=errors, finished_at=now, updated_at=now))
    except Exception:
        log.exception("could not mark import %s failed", job_id)


# -- use cases -------------------------------------------------------------------------
def _read(file_ref: dict) -> bytes:
    """The uploaded workbook from the shared file store, checked to be an .xlsx."""
    if file_ref["size"] > MAX_BYTES:
        raise ValidationFailed.for_field("file", "文件不能超过 10 MB。",
                                         "The file is larger than 10 MB.")
    try:
        content = files.read_bytes(file_ref)
    except NotFound:
        raise ValidationFailed.for_field("file", "上传的文件已不存在，请重新上传。",
                                         "The uploaded file is gone; upload it again.") from None
    if len(content) > MAX_BYTES:
        raise ValidationFailed.for_field("file", "文件不能超过 10 MB。",
                                         "The file is larger than 10 MB.")
    try:
        names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    except zipfile.BadZipFile:
        names = set()
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise ValidationFailed.for_field("file", "不是有效的 .xlsx 文件，请使用模板。",
                                         "Not an .xlsx workbook; use the template.")
    # Rows and unpacked size before any parsing: a few tenths of a second in a native
    # thread (inflating releases the GIL), so the upload is refused now, not by its job.
    try:
        offload.burst(limits.check, content)
    except FileProblem as p:
        raise ValidationFailed.for_field("file", p.zh, p.en) from None
    return content


def _stale(job: ImportJob, now: datetime) -> bool:
    return job.status == "running" and (job.updated_at or job.created_at) < now - STALE_AFTER


def start_import(session, principal: Principal, data: dict) -> tuple[ImportJob, bytes]:
    """Check the file, record a running job; the caller commits and starts :func:`run_import`."""
    compound = writable(session, principal, data["compound_id"], "compound", "compound_id")
    offload.prestart()          # the job parses in the offload pool: its worker starts now
    content = _read(data["file"])
    now = clock.now()
    running = session.execute(select(ImportJob).where(
        ImportJob.compound_id == compound.id, ImportJob.status == "running")).scalars().all()
    if any(not _stale(j, now) for j in running):
        raise Conflict("该小区已有导入正在进行，请稍后再试。",
                       "An import into this compound is already running.")
    job = ImportJob(id=new_id(), compound_id=compound.id, filename=data["file"]["filename"],
                    status="running", total_rows=0, processed_rows=0, summary={}, errors=[],
                    created_by=principal.account_id, path=compound.path, created_at=now,
                    updated_at=now)
    session.add(job)
    session.flush()
    return job, content


def job_view(job: ImportJob, now: datetime | None = None) -> dict:
    status, errors = job.status, list(job.errors or [])
    if _stale(job, now or clock.now()):
        # Its process died mid-way: the data transaction was never committed.
        status = "failed"
        errors.append(row_error(None, "导入已中断（长时间没有进度），未写入任何数据，请重新导入。",
                                "The import stopped (no progress for a long time); nothing "
                                "was written. Please import again."))
    summary = job.summary or {}
    return {"id": job.id, "compound_id": job.compound_id, "filename": job.filename,
            "status": status, "total_rows": job.total_rows, "processed_rows": job.processed_rows,
            "imported": summary.get("imported", 0), "unchanged": summary.get("unchanged", 0),
            "errors": errors, "created_at": job.created_at, "finished_at": job.finished_at}


def get_import(session, principal: Principal, data: dict) -> dict:
    job = session.get(ImportJob, data["job_id"])
    if job is None:
        raise NotFound()
    compound = visible_unit(session, principal, job.compound_id)
    if not principal.can_act_at(REGISTRY_READERS, compound.path):
        raise NotFound()
    return job_view(job)
