"""Workbook import and export: a compound's buildings, units, owners and residents in one
.xlsx sheet with Chinese headings, one row per unit and occupant.

Import. ``start_import`` checks the file quickly (size, is it an .xlsx) and records a
job; ``run_import``, in a background thread, parses and validates every row (a bad row
is reported with its Excel row number and reason, in Chinese and English, and skipped;
the other rows are imported), matches rows to the registry by natural keys — building
name in the compound, unit name in the building, owners by ID-number blind index /
credit code / the compound's one developer, residents by unit and person — and writes
only differences, so importing the same workbook again changes nothing (no rows, events
or audit entries). All data of one import commits in ONE transaction: an import
interrupted at any point writes nothing. Progress goes to the job row through separate
short transactions, so a poller sees it while the data transaction is still open.
Writes are batched (``COPY``): a 2,000-unit workbook takes seconds.

Export writes the same layout back (ID numbers and phones unmasked, so the export is
restricted and audited); importing an export changes nothing.

Modules, in the order an import goes through them:

- ``layout``    the sheet, its columns and notes, the labels written in cells
- ``limits``    what a workbook may hold (rows, unpacked size), checked before parsing
- ``rows``      cells → checked rows; a unit's rows merged (pure)
- ``snapshot``  what the compound holds, loaded in batched queries
- ``plan``      what each unit's rows change, decided before anything is written
- ``write``     the changes as rows, audit entries and events, written in bulk
- ``importer``  one workbook into one compound: parse → plan → write, with progress
- ``jobs``      the job: start, run in the background, progress, stale jobs, status
- ``render``    the template and the export: rows read from the database
- ``sheets``    the template's and an export's .xlsx bytes, from plain rows (pure)

The upload limit is ``jobs.MAX_BYTES`` (read there at each upload); what a workbook may
hold is checked by ``limits`` before any parsing.

CPU-bound work runs off the service's event loop (``fazhi_shared.service.offload``): the
rows are read and checked (``rows.parse_workbook``) and the template and exports built
(``sheets``) in the offload pool's worker processes; ``limits`` counts rows in a native
thread. This package imports its modules lazily, so such a worker imports only the
module of its task.
"""
import importlib

_EXPORTS = {
    "jobs": ("Progress", "get_import", "job_view", "run_import", "start_import"),
    "layout": ("COLUMNS", "HEADINGS", "KEYS", "NOTES_SHEET", "SHEET"),
    "render": ("export_rows", "export_workbook", "import_template", "template_bytes"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
_MODULES = {"importer", "jobs", "layout", "limits", "plan", "render", "rows", "sheets",
            "snapshot", "write"}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
