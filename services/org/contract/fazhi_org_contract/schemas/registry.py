"""Contract of the registry area (see org/api_registry.py): unit areas, owners, dated
ownership, the electorate, residents, workbook import and export.

Areas travel as integers in 0.01 m² (``8935`` is 89.35 m²). Times are ISO-8601; a time
without an offset is Asia/Shanghai local time. Dates are local dates.
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from fazhi_shared import clock
from fazhi_shared.schemas import BaseSchema, FileRef, Id, PageInput, VocabularyField, page_of

from fazhi_org_contract.schemas.core import FullMatch, IdNumber, Name, Phone
from fazhi_org_contract.vocabulary import AREA_SOURCES, MAX_AREA, OWNER_KINDS, RELATIONS

# Only these names join ``org.schemas`` (the areas share one namespace there).
__all__ = [
    "UnitAreaSet", "UnitArea", "OwnerCreate", "Owner", "OwnerList", "OwnerPage", "OwnerShare",
    "OwnerRepresentativeSet",
    "UnitTransfer", "UnitOwnersQuery", "OwnerHolding", "UnitOwners", "CompoundOwnersQuery",
    "CompoundOwner", "CompoundOwnerPage", "ElectorateQuery", "ElectorateUnit", "ElectorateEntry",
    "Electorate", "UnitName",
    "MoveIn", "MoveOut", "ResidentList", "Resident", "ResidentPage", "ImportStart", "ImportRef",
    "RowError", "ImportJob", "TemplateQuery", "WorkbookExportQuery", "WorkbookFile",
    "ImportList", "ImportSummary", "ImportSummaryPage",
    "UnitAreaChangedEvent", "OwnerCreatedEvent", "OwnerRepresentativeEvent",
    "OwnershipChangedEvent", "ResidentMovedEvent",
]

# 统一社会信用代码: 18 characters, no I, O, S, V, Z (GB 32100-2015).
CREDIT_CODE = FullMatch(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}",
                        error="Not a valid unified social credit code.")


class Time(fields.DateTime):
    """An aware UTC datetime; a naive one is read as Asia/Shanghai (``clock.parse_time``)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid", input=value, obj_type="datetime")
        try:
            return clock.parse_time(value)
        except ValueError:
            raise self.make_error("invalid", input=value, obj_type="datetime") from None


def Area(**kw):  # noqa: N802 - a field factory, named like a field
    return fields.Integer(strict=True, allow_none=True,
                          validate=validate.Range(min=1, max=MAX_AREA),
                          metadata={"description": "0.01 m²; null clears"}, **kw)


# -- areas ------------------------------------------------------------------------------
class UnitAreaSet(BaseSchema):
    """Fields left out are unchanged; null clears an area."""
    unit_id = Id(required=True)
    registered_area = Area()
    surveyed_area = Area()
    contract_area = Area()
    is_parking = fields.Boolean(metadata={
        "description": "the unit is a parking space (车位) with its own title, not a "
                       "dwelling: whether its area counts in a vote is the deliberation "
                       "service's setting"})

    @validates_schema
    def _some_area(self, data, **kwargs):
        if not {"registered_area", "surveyed_area", "contract_area",
                "is_parking"} & set(data):
            raise ValidationError("Missing data for required field.", "registered_area")


class UnitArea(BaseSchema):
    id = fields.String()
    name = fields.String()
    path = fields.String()
    registered_area = fields.Integer(allow_none=True)
    surveyed_area = fields.Integer(allow_none=True)
    contract_area = fields.Integer(allow_none=True)
    exclusive_area = fields.Integer(allow_none=True,
                                    metadata={"description": "registered, else surveyed, "
                                              "else contract (SPC art. 8)"})
    area_source = VocabularyField(AREA_SOURCES, allow_none=True)
    is_parking = fields.Boolean()


# -- owners -----------------------------------------------------------------------------
class OwnerCreate(BaseSchema):
    """Find or create. person: ``person_id``, or ``name`` + ``id_number`` (an existing
    person with that ID number is reused); organisation: ``name`` + ``credit_code``;
    developer: ``name`` (one per compound)."""
    compound_id = Id(required=True)
    kind = VocabularyField(OWNER_KINDS, required=True)
    person_id = Id(load_default=None, allow_none=True)
    name = Name(load_default=None, allow_none=True)
    id_number = IdNumber(load_default=None, allow_none=True)
    phone = Phone(load_default=None, allow_none=True)
    credit_code = fields.String(load_default=None, allow_none=True, validate=CREDIT_CODE)

    @validates_schema
    def _by_kind(self, data, **kwargs):
        kind = data.get("kind")
        if kind == "person" and not data.get("person_id"):
            for f in ("name", "id_number"):
                if not data.get(f):
                    raise ValidationError("Missing data for required field.", f)
        if kind == "organisation":
            for f in ("name", "credit_code"):
                if not data.get(f):
                    raise ValidationError("Missing data for required field.", f)
        if kind == "developer" and not data.get("name"):
            raise ValidationError("Missing data for required field.", "name")
        if kind != "person" and (data.get("person_id") or data.get("id_number")):
            raise ValidationError("Unknown field.", "person_id")     # only persons have one


class Owner(BaseSchema):
    id = fields.String()
    compound_id = fields.String()
    kind = fields.String()
    name = fields.String()
    person_id = fields.String(allow_none=True)
    credit_code = fields.String(allow_none=True)
    representative_person_id = fields.String(allow_none=True, metadata={
        "description": "an organisation or the developer: the person who votes for it "
                       "(its designated representative); null when none is recorded"})
    representative_name = fields.String(allow_none=True)
    path = fields.String()
    created_at = fields.DateTime()
    created = fields.Boolean(metadata={"description": "false when an existing owner matched"})


class OwnerRepresentativeSet(BaseSchema):
    """Record who votes for an organisation owner or the developer (its designated
    representative); ``person_id`` null clears it. A person owner votes themself."""
    owner_id = Id(required=True)
    person_id = Id(required=True, allow_none=True)


class OwnerList(PageInput):
    compound_id = Id(required=True)
    kind = VocabularyField(OWNER_KINDS, load_default=None, allow_none=True)
    q = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))


OwnerPage = page_of(Owner)


# -- dated ownership --------------------------------------------------------------------
class OwnerShare(BaseSchema):
    owner_id = Id(required=True)
    is_voter = fields.Boolean(load_default=None, allow_none=True,
                              metadata={"description": "a sole owner is the voter"})


class UnitTransfer(BaseSchema):
    unit_id = Id(required=True)
    owners = fields.List(fields.Nested(OwnerShare), required=True,
                         validate=validate.Length(min=1, max=50))
    at = Time(load_default=None, allow_none=True,
              metadata={"description": "when the new owners' title starts; default now"})


class UnitOwnersQuery(BaseSchema):
    unit_id = Id(required=True)
    as_of = Time(load_default=None, allow_none=True, metadata={"description": "default now"})


class OwnerHolding(BaseSchema):
    owner_id = fields.String()
    name = fields.String()
    kind = fields.String()
    is_voter = fields.Boolean()
    since = fields.DateTime()
    until = fields.DateTime(allow_none=True)


class UnitOwners(BaseSchema):
    unit_id = fields.String()
    as_of = fields.DateTime()
    owners = fields.List(fields.Nested(OwnerHolding))


class CompoundOwnersQuery(PageInput):
    compound_id = Id(required=True)
    as_of = Time(load_default=None, allow_none=True, metadata={"description": "default now"})


class CompoundOwner(BaseSchema):
    owner_id = fields.String()
    name = fields.String()
    kind = fields.String()
    person_id = fields.String(allow_none=True)
    credit_code = fields.String(allow_none=True)
    unit_ids = fields.List(fields.String())
    voter_for = fields.List(fields.String(), metadata={"description": "units they vote for"})


CompoundOwnerPage = page_of(CompoundOwner)


class ElectorateQuery(BaseSchema):
    compound_id = Id(required=True)
    as_of = Time(load_default=None, allow_none=True, metadata={"description": "default now"})


class ElectorateUnit(BaseSchema):
    """A unit an entry votes for: its building (art. 279 per-building consent, votes on a
    building's shared parts), its exclusive area and whether it is a parking space."""
    unit_id = fields.String()
    building_id = fields.String()
    area = fields.Integer(allow_none=True, metadata={
        "description": "0.01 m² (SPC art. 8); null when no area is recorded"})
    is_parking = fields.Boolean()


class ElectorateEntry(BaseSchema):
    owner_id = fields.String()
    name = fields.String()
    kind = fields.String()
    area = fields.Integer(metadata={"description": "0.01 m², all the units they vote for"})
    unit_ids = fields.List(fields.String())
    heads = fields.Integer(metadata={"description": "always 1 (SPC art. 9)"})
    voter_person_id = fields.String(allow_none=True, metadata={
        "description": "the person who casts this entry's vote: a sole owner themself; "
                       "co-owners the voter they named (the entry is that voter's); an "
                       "organisation or the developer its designated representative — "
                       "null when none is recorded (set_owner_representative)"})
    units = fields.List(fields.Nested(ElectorateUnit), metadata={
        "description": "the units of unit_ids, in the same order"})


class UnitName(BaseSchema):
    id = fields.String()
    name = fields.String()
    building_id = fields.String()
    building_name = fields.String()


class Electorate(BaseSchema):
    compound_id = fields.String()
    as_of = fields.DateTime()
    total_area = fields.Integer(metadata={"description": "A_total, 0.01 m²"})
    total_owners = fields.Integer(metadata={"description": "N_total"})
    owners = fields.List(fields.Nested(ElectorateEntry))
    units_without_area = fields.List(fields.String(), metadata={
        "description": "owned units counted with area 0 because no area is recorded"})
    units_without_owner = fields.List(fields.String(), metadata={
        "description": "units of the compound with no owner recorded at as_of"})
    unit_names = fields.List(fields.Nested(UnitName), metadata={
        "description": "every unit listed above by id (owners' units, units without an "
                       "owner or an area) with its name and its building's"})


# -- residents --------------------------------------------------------------------------
class MoveIn(BaseSchema):
    """``person_id``, or ``name`` (+ ``phone``, ``id_number``) for a new person; an ID
    number already registered reuses that person."""
    unit_id = Id(required=True)
    person_id = Id(load_default=None, allow_none=True)
    name = Name(load_default=None, allow_none=True)
    phone = Phone(load_default=None, allow_none=True)
    id_number = IdNumber(load_default=None, allow_none=True)
    relation = VocabularyField(RELATIONS, required=True)
    date = fields.Date(load_default=None, allow_none=True, metadata={"description": "default today"})

    @validates_schema
    def _who(self, data, **kwargs):
        if not data.get("person_id") and not data.get("name"):
            raise ValidationError("Missing data for required field.", "name")


class MoveOut(BaseSchema):
    residency_id = Id(required=True)
    date = fields.Date(load_default=None, allow_none=True, metadata={"description": "default today"})


class ResidentList(PageInput):
    unit_id = Id(required=True)
    on = fields.Date(load_default=None, allow_none=True, metadata={"description": "default today"})


class Resident(BaseSchema):
    id = fields.String(metadata={"description": "the residency id (for move_out)"})
    unit_id = fields.String()
    person_id = fields.String()
    name = fields.String()
    phone = fields.String(allow_none=True, metadata={"description": "masked"})
    relation = fields.String()
    moved_in = fields.Date()
    moved_out = fields.Date(allow_none=True, metadata={"description": "first day away"})


ResidentPage = page_of(Resident)


# -- workbook ---------------------------------------------------------------------------
class ImportStart(BaseSchema):
    compound_id = Id(required=True)
    file = fields.Nested(FileRef, required=True,
                         metadata={"description": "the uploaded .xlsx in the shared file store"})


class ImportRef(BaseSchema):
    job_id = Id(required=True)


class RowError(BaseSchema):
    row = fields.Integer(allow_none=True, metadata={"description": "Excel row; null: whole file"})
    reason_zh = fields.String()
    reason_en = fields.String()


class ImportJob(BaseSchema):
    id = fields.String()
    compound_id = fields.String()
    filename = fields.String()
    status = fields.String(metadata={"description": "running / done / failed"})
    total_rows = fields.Integer()
    processed_rows = fields.Integer()
    imported = fields.Integer(metadata={"description": "rows that changed something"})
    unchanged = fields.Integer(metadata={"description": "good rows already in the registry"})
    errors = fields.List(fields.Nested(RowError))
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


class ImportList(PageInput):
    compound_id = Id(required=True)


class ImportSummary(BaseSchema):
    """A past import, as the compound's history lists it (row errors: ``GET /imports/<id>``)."""
    id = fields.String()
    compound_id = fields.String()
    filename = fields.String()
    status = fields.String(metadata={"description": "running / done / failed"})
    total_rows = fields.Integer()
    processed_rows = fields.Integer()
    imported = fields.Integer()
    unchanged = fields.Integer()
    error_rows = fields.Integer(metadata={"description": "rows skipped as wrong"})
    problem = fields.Nested(RowError, allow_none=True, metadata={
        "description": "why the whole import failed, if it did"})
    created_by = fields.String(allow_none=True, metadata={"description": "account id"})
    created_by_name = fields.String(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


ImportSummaryPage = page_of(ImportSummary)


class TemplateQuery(BaseSchema):
    pass


class WorkbookExportQuery(BaseSchema):
    compound_id = Id(required=True)


class WorkbookFile(FileRef):
    """A workbook written to the shared file store (the gateway serves the file)."""
    rows = fields.Integer(metadata={"description": "data rows in the workbook"})


# -- events (payload of the envelope; see fazhi_shared.service.outbox) ----------------------------------
class UnitAreaChangedEvent(BaseSchema):
    """``org.unit.area_changed``"""
    id = fields.String(required=True)
    registered_area = fields.Integer(allow_none=True)
    surveyed_area = fields.Integer(allow_none=True)
    contract_area = fields.Integer(allow_none=True)
    exclusive_area = fields.Integer(allow_none=True)
    area_source = fields.String(allow_none=True)
    is_parking = fields.Boolean()


class OwnerCreatedEvent(BaseSchema):
    """``org.owner.created``"""
    id = fields.String(required=True)
    compound_id = fields.String(required=True)
    kind = fields.String(required=True)
    name = fields.String(required=True)
    person_id = fields.String(allow_none=True)


class OwnerRepresentativeEvent(BaseSchema):
    """``org.owner.representative_set``: who votes for an organisation owner or the
    developer from now on (null: nobody recorded)."""
    id = fields.String(required=True)
    compound_id = fields.String(required=True)
    representative_person_id = fields.String(allow_none=True)


class OwnershipChangedEvent(BaseSchema):
    """``org.ownership.changed``: from ``at`` the unit belongs to ``to_owner_ids``."""
    unit_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    at = fields.String(required=True)
    from_owner_ids = fields.List(fields.String(), required=True)
    to_owner_ids = fields.List(fields.String(), required=True)
    voter_owner_id = fields.String(required=True)


class ResidentMovedEvent(BaseSchema):
    """``org.resident.moved_in`` / ``org.resident.moved_out`` (``id`` is the residency)."""
    id = fields.String()
    unit_id = fields.String(required=True)
    person_id = fields.String(required=True)
    relation = fields.String(required=True)
    moved_in = fields.String()
    moved_out = fields.String(allow_none=True)


EVENTS = {
    "unit.area_changed": UnitAreaChangedEvent,
    "owner.created": OwnerCreatedEvent,
    "owner.representative_set": OwnerRepresentativeEvent,
    "ownership.changed": OwnershipChangedEvent,
    "resident.moved_in": ResidentMovedEvent,
    "resident.moved_out": ResidentMovedEvent,
}
