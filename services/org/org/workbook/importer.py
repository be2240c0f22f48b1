"""One workbook into one compound: read and parse the rows (in the offload pool), then
unit by unit merge, plan and write, flushing and reporting progress every
``PROGRESS_EVERY`` rows; the summary counts rows imported, unchanged and in error. Runs
inside the caller's transaction and never commits."""
from __future__ import annotations

from sqlalchemy import text

from fazhi_shared import clock
from fazhi_shared.context import Principal
from fazhi_shared.service import offload
from fazhi_shared.service.outbox import Outbox

from org.models import Unit
from org.workbook.plan import Planner
from org.workbook.rows import group_rows, merge_unit, parse_workbook, row_error
from org.workbook.snapshot import Registry
from org.workbook.write import Writer

PROGRESS_EVERY = 100        # rows between progress reports (and batch flushes)
MAX_ERRORS = 1000           # row errors kept on the job (one more line says how many more)


class Importer:
    """Imports one workbook into one compound inside the caller's session (transaction).

    ``progress`` has ``report(processed, total)``, called every ``PROGRESS_EVERY`` rows."""

    def __init__(self, session, outbox: Outbox, principal: Principal, compound: Unit,
                 progress):
        self.session = session
        self.outbox = outbox
        self.principal = principal
        self.compound = compound
        self.progress = progress
        self.now = clock.now()
        self.today = clock.today_local()
        self.errors: dict = {}          # row number → (zh, en)
        self.imported: set = set()      # rows that changed something
        self.good: set = set()          # rows imported or already as given

    def run(self, content: bytes) -> dict:
        # One import per compound at a time (released when the transaction ends); the
        # import's time is taken once it holds the lock, so it follows the one before.
        self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                             {"k": f"org.workbook:{self.compound.id}"})
        self.now, self.today = clock.now(), clock.today_local()
        # Reading and checking the rows is CPU-bound (openpyxl holds the GIL): it runs in
        # the offload pool, under its time limit, while the service keeps answering.
        parsed = offload.run(parse_workbook, content, self.today)
        total, rows = parsed.total, []
        for good, bad in parsed.pieces():       # other requests run between pieces
            rows += good
            self.errors.update(bad)
            offload.pause()
        self.progress.report(0, total)
        blinds = {b for r in rows for b in (r.owner and r.owner.blind,
                                            r.resident and r.resident.blind) if b}
        reg = Registry(self.session, self.compound, blinds, self.today)
        self.planner = Planner(reg, self.principal, self.compound, self.now)
        self.writer = Writer(self.session, self.outbox, self.principal, self.compound, reg,
                             self.now, self.today)
        processed = reported = len(self.errors)
        for unit_rows in group_rows(rows).values():
            self._import_unit(unit_rows)
            processed += len(unit_rows)
            offload.pause()         # planning is CPU: other requests run between units
            if processed - reported >= PROGRESS_EVERY:
                self.writer.flush()
                self.progress.report(processed, total)
                reported = processed
        self.writer.flush()
        return self._summary(total)

    def _summary(self, total: int) -> dict:
        numbers = sorted(self.errors)
        errors = [row_error(n, *self.errors[n]) for n in numbers[:MAX_ERRORS]]
        if len(numbers) > MAX_ERRORS:
            more = len(numbers) - MAX_ERRORS
            errors.append(row_error(None, f"另有{more}行有误，未逐一列出。",
                                    f"{more} more rows have errors."))
        imported = len(self.imported)
        return {"total_rows": total, "imported": imported,
                "unchanged": len(self.good) - imported, "error_rows": len(self.errors),
                "errors": errors, "changed": self.writer.wrote}

    def _import_unit(self, rows: list) -> None:
        """Settle the unit's rows — leave out each bad one and look again — then write."""
        bad: dict = {}
        plan = None
        while True:
            good = [r for r in rows if r.number not in bad]
            if not good:
                break
            group, merge_bad = merge_unit(good)
            bad.update(merge_bad)
            if not group.rows:
                break
            plan, plan_bad = self.planner.plan(group)
            if not plan_bad:
                break
            bad.update(plan_bad)
            plan = None
        self.errors.update(bad)
        if plan is not None:
            self.good.update(r.number for r in group.rows)
            self.writer.write(group, plan)
            self.imported.update(plan.changed_rows)

    # -- planning: reads the loaded registry, writes nothing --------------------------------
