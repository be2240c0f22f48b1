"""``/api/v1/org/...``: the registry — unit areas, owners, dated ownership, the electorate,
residents, and the workbook (import upload, import jobs, template and export downloads).

Thin calls to org's ``RegistryRpc`` (``org/api_registry.py``) through ``rpc.call`` (which
sends loaded dates and times back as ISO strings). Bodies and
queries are validated with org's contract schemas (the gateway's ``*Body``/``*Params``
variants leave out the id the URL carries). The declarations below are the first gate and match org's
own rules (``org.registry.REGISTRY_WRITERS``, readers = staff roles,
``org.workbook.WORKBOOK_EXPORTERS``); org re-checks the role *on the unit* and the scope
(outside it: 404).

Workbooks travel as files over HTTP: an import is a ``multipart/form-data`` upload of the
field ``file`` (≤ 10 MB, sent base64 to org) answered ``202`` with the running job; the
template and the export are the ``.xlsx`` files themselves.
"""
from __future__ import annotations

import base64
import functools
from urllib.parse import quote

from flask import Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from fazhi_shared.errors import ValidationFailed
from org import schemas as org
from org.roles import REGISTRY_READERS, REGISTRY_WRITERS, WORKBOOK_EXPORTERS
from org.workbook import MAX_BYTES

from gateway import rpc
from gateway.api import Blueprint
from gateway.auth import allow, authenticated
from gateway.schemas import (CompoundOwnersParams, ElectorateParams, ImportUpload,
                             MoveInBody, MoveOutBody, OwnerCreateBody, OwnerListParams,
                             ResidentListParams, UnitAreaSetBody, UnitOwnersParams,
                             UnitTransferBody)

blp = Blueprint("org_registry", __name__, url_prefix="/api/v1/org",
                description="房屋登记：面积、业主、产权、表决权人、住户、导入导出 / "
                            "registry: areas, owners, ownership, electorate, residents, workbooks")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = MAX_BYTES                        # org's own limit, refused here first
MULTIPART_SLACK = 64 * 1024                   # boundaries and part headers around the file
TOO_BIG = ("文件不能超过 10 MB。", "The file is larger than 10 MB.")
NOT_XLSX = ("不是有效的 .xlsx 文件，请使用模板。", "Not an .xlsx workbook; use the template.")
NO_FILE = ("请选择要上传的文件。", "Choose a file to upload.")


def ok_xlsx(description: str):
    return blp.alt_response(200, schema={"type": "string", "format": "binary"},
                            content_type=XLSX, description=description, success=True)


# -- areas ------------------------------------------------------------------------------------
@blp.route("/units/<id:unit_id>/area", methods=["PUT"])
@allow(*REGISTRY_WRITERS)
@blp.arguments(UnitAreaSetBody)
@blp.ok(200, org.UnitArea)
def set_unit_area(body, unit_id):
    """Set a unit's registered / surveyed / contract areas in 0.01 m² (omitted: kept; null:
    cleared). Returns the exclusive area and its source (SPC art. 8)."""
    return rpc.call("org", "set_unit_area", unit_id=unit_id, **body)


# -- owners -----------------------------------------------------------------------------------
@blp.route("/compounds/<id:compound_id>/owners", methods=["POST"])
@allow(*REGISTRY_WRITERS)
@blp.arguments(OwnerCreateBody)
@blp.ok(201, org.Owner)
@blp.ok(200, org.Owner)
def create_owner(body, compound_id):
    """Find or create an owner of the compound: a person (by ``person_id`` or name + ID
    number), an organisation (credit code) or the developer. ``201`` when created, ``200``
    when an existing owner matched (``created: false``)."""
    owner = rpc.call("org", "create_owner", compound_id=compound_id, **body)
    return owner, 201 if owner.get("created") else 200


@blp.route("/compounds/<id:compound_id>/owners", methods=["GET"])
@allow(*REGISTRY_READERS)
@blp.arguments(OwnerListParams, location="query")
@blp.ok(200, org.OwnerPage)
def list_owners(query, compound_id):
    """The compound's owner records (every kind), by id; filter by kind or name."""
    return rpc.call("org", "list_owners", compound_id=compound_id, **query)


# -- dated ownership --------------------------------------------------------------------------
@blp.route("/units/<id:unit_id>/transfers", methods=["POST"])
@allow(*REGISTRY_WRITERS)
@blp.arguments(UnitTransferBody)
@blp.ok(201, org.UnitOwners)
def transfer_unit(body, unit_id):
    """From ``at`` (default now) the unit belongs to ``owners`` (co-owners name exactly one
    voter). Stating the current owners again changes nothing."""
    return rpc.call("org", "transfer_unit", unit_id=unit_id, **body), 201


@blp.route("/units/<id:unit_id>/owners", methods=["GET"])
@allow(*REGISTRY_READERS)
@blp.arguments(UnitOwnersParams, location="query")
@blp.ok(200, org.UnitOwners)
def unit_owners(query, unit_id):
    """The unit's owners at ``as_of`` (default now), the voter first."""
    return rpc.call("org", "unit_owners", unit_id=unit_id, **query)


@blp.route("/compounds/<id:compound_id>/ownership", methods=["GET"])
@allow(*REGISTRY_READERS)
@blp.arguments(CompoundOwnersParams, location="query")
@blp.ok(200, org.CompoundOwnerPage)
def compound_owners(query, compound_id):
    """The owners (co-owners too) holding units of the compound at ``as_of``, with the
    units they hold and those they vote for."""
    return rpc.call("org", "compound_owners", compound_id=compound_id, **query)


@blp.route("/compounds/<id:compound_id>/electorate", methods=["GET"])
@allow(*REGISTRY_READERS)
@blp.arguments(ElectorateParams, location="query")
@blp.ok(200, org.Electorate)
def electorate(query, compound_id):
    """The electorate at ``as_of`` (default now): each owner once with the total area of
    the units they vote for, and the totals A_total / N_total (SPC art. 9). Not paginated:
    the totals and the list are one snapshot."""
    return rpc.call("org", "electorate", compound_id=compound_id, **query)


# -- residents --------------------------------------------------------------------------------
@blp.route("/units/<id:unit_id>/residents", methods=["POST"])
@allow(*REGISTRY_WRITERS)
@blp.arguments(MoveInBody)
@blp.ok(201, org.Resident)
def move_in(body, unit_id):
    """A person moves into the unit on ``date`` (default today): ``person_id``, or
    ``name`` (+ ``phone``, ``id_number``) for someone new."""
    return rpc.call("org", "move_in", unit_id=unit_id, **body), 201


@blp.route("/residencies/<id:residency_id>/move-out", methods=["POST"])
@allow(*REGISTRY_WRITERS)
@blp.arguments(MoveOutBody)
@blp.ok(200, org.Resident)
def move_out(body, residency_id):
    """End a residency on ``date`` (the first day away; default today)."""
    return rpc.call("org", "move_out", residency_id=residency_id, **body)


@blp.route("/units/<id:unit_id>/residents", methods=["GET"])
@allow(*REGISTRY_READERS)
@blp.arguments(ResidentListParams, location="query")
@blp.ok(200, org.ResidentPage)
def list_residents(query, unit_id):
    """The unit's residents on day ``on`` (default today), phones masked."""
    return rpc.call("org", "list_residents", unit_id=unit_id, **query)


# -- workbook ---------------------------------------------------------------------------------
def upload_limit(view):
    """Refuse an upload body much larger than the file limit before it is read (``file``
    is named in the 422, as for a file that is merely too big)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        limit = MAX_UPLOAD + MULTIPART_SLACK
        if request.content_length is not None and request.content_length > limit:
            raise ValidationFailed.for_field("file", *TOO_BIG)
        request.max_content_length = limit        # a body of unknown length is cut off too
        try:
            return view(*args, **kwargs)
        except RequestEntityTooLarge:
            raise ValidationFailed.for_field("file", *TOO_BIG) from None
    return wrapper


def _upload_name(name: str | None) -> str:
    """The uploaded file's own name (no directories), for the job record."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:255] or "import.xlsx"


@blp.route("/compounds/<id:compound_id>/imports", methods=["POST"])
@allow(*REGISTRY_WRITERS)
@upload_limit
@blp.arguments(ImportUpload, location="files")
@blp.ok(202, org.ImportJob)
def start_import(files, compound_id):
    """Upload a workbook (``multipart/form-data``, field ``file``, .xlsx ≤ 10 MB) to
    import into the compound in the background; ``202`` with the running job — poll
    ``GET /imports/<id>``. Bad rows are skipped and listed with their row number and
    reason; importing the same workbook again changes nothing."""
    upload = files["file"]
    if not hasattr(upload, "read"):
        raise ValidationFailed.for_field("file", *NO_FILE)
    content = upload.read(MAX_UPLOAD + 1)
    if not content:
        raise ValidationFailed.for_field("file", *NO_FILE)
    if len(content) > MAX_UPLOAD:
        raise ValidationFailed.for_field("file", *TOO_BIG)
    if not content.startswith(b"PK"):              # an .xlsx is a zip archive
        raise ValidationFailed.for_field("file", *NOT_XLSX)
    try:
        job = rpc.call("org", "start_import", compound_id=compound_id,
                       filename=_upload_name(upload.filename),
                       content_b64=base64.b64encode(content).decode())
    except ValidationFailed as exc:
        raise _as_file_error(exc) from None
    return job, 202


def _as_file_error(exc: ValidationFailed) -> ValidationFailed:
    """org names the RPC's fields (``content_b64``, ``filename``); the client sent ``file``."""
    renamed = {lang: {("file" if name in ("content_b64", "filename") else name): messages
                      for name, messages in fields.items()}
               for lang, fields in (exc.fields or {}).items()}
    return ValidationFailed(exc.message_zh, exc.message_en, renamed)


@blp.route("/imports/<id:job_id>", methods=["GET"])
@allow(*REGISTRY_READERS)
@blp.ok(200, org.ImportJob)
def get_import(job_id):
    """An import's status (running / done / failed), progress, counts and row errors."""
    return rpc.call("org", "get_import", job_id=job_id)


def xlsx_response(workbook: dict, fallback: str, private: bool) -> Response:
    """The workbook itself, as an attachment named in UTF-8 (RFC 6266 / 5987) with an
    ASCII fallback for old clients."""
    content = base64.b64decode(workbook["content_b64"])
    name = workbook.get("filename") or fallback
    response = Response(content, mimetype=XLSX)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{fallback}"; filename*=UTF-8\'\'{quote(name, safe="")}')
    response.headers["Cache-Control"] = "no-store" if private else "private, max-age=300"
    return response


@blp.route("/workbook-template", methods=["GET"])
@authenticated
@ok_xlsx("The empty import workbook (.xlsx) with its 说明 sheet")
def import_template():
    """The empty import workbook with its 说明 (instructions) sheet."""
    return xlsx_response(rpc.call("org", "import_template"), "import-template.xlsx",
                         private=False)


@blp.route("/compounds/<id:compound_id>/workbook", methods=["GET"])
@allow(*WORKBOOK_EXPORTERS)
@ok_xlsx("The compound in the import layout (.xlsx), ID numbers and phones unmasked")
def export_workbook(compound_id):
    """The compound's buildings, units, owners and residents in the import layout, ID
    numbers and phones unmasked (audited); importing it back changes nothing."""
    workbook = rpc.call("org", "export_workbook", compound_id=compound_id)
    return xlsx_response(workbook, f"compound-{compound_id}.xlsx", private=True)
