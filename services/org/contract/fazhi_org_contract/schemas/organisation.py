"""Contract of the organisation area (see org/api_organisation.py): Party organisations
and members, compound bodies, micro-grids, the "five haves".

Dates are ISO dates (``YYYY-MM-DD``, local days); times are UTC ISO-8601.
"""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, Id, PageInput, VocabularyField

from fazhi_org_contract.vocabulary import BODY_KINDS, PARTY_ORG_KINDS, POSITIONS
from fazhi_org_contract.schemas.core import Name, Phone

_Text = lambda n, **kw: fields.String(validate=validate.Length(min=1, max=n), **kw)  # noqa: E731
_Date = lambda desc, **kw: fields.Date(metadata={"description": desc}, **kw)  # noqa: E731


# -- Party organisations -------------------------------------------------------------------
class PartyOrgCreate(BaseSchema):
    kind = VocabularyField(PARTY_ORG_KINDS, required=True,
                           metadata={"description": "street_working_committee and "
                                     "judicial_office_branch attach to a street, "
                                     "community_branch to a community, compound_group to a "
                                     "compound"})
    name = Name(required=True)
    unit_id = Id(required=True)
    parent_id = Id(load_default=None, allow_none=True, metadata={
        "description": "omitted: linked to the only organisation of the parent kind above"})


class PartyOrgRef(BaseSchema):
    id = Id(required=True)


class PartyOrgList(PageInput):
    unit_id = Id(required=True, metadata={"description": "organisations at or under it"})
    kind = VocabularyField(PARTY_ORG_KINDS, load_default=None, allow_none=True)


class PartyOrg(BaseSchema):
    id = fields.String()
    kind = fields.String()
    kind_name = fields.String(metadata={"description": "Chinese name of the kind"})
    name = fields.String()
    unit_id = fields.String()
    parent_id = fields.String(allow_none=True)
    path = fields.String()
    member_count = fields.Integer(metadata={"description": "current members"})
    created_at = fields.DateTime()


class PartyMemberAdd(BaseSchema):
    party_org_id = Id(required=True)
    person_id = Id(required=True)
    joined_on = _Date("default today", load_default=None, allow_none=True)
    show_identity = fields.Boolean(load_default=False)


class PartyMemberRemove(BaseSchema):
    party_org_id = Id(required=True)
    person_id = Id(required=True)
    left_on = _Date("the day they left (not a member from then); default today",
                   load_default=None, allow_none=True)


class PartyMemberList(PageInput):
    party_org_id = Id(required=True)
    include_former = fields.Boolean(load_default=False)


class PartyMember(BaseSchema):
    id = fields.String()
    party_org_id = fields.String()
    person_id = fields.String()
    name = fields.String()
    show_identity = fields.Boolean()
    joined_on = fields.Date(allow_none=True)
    left_on = fields.Date(allow_none=True)


class ShowIdentitySet(BaseSchema):
    person_id = Id(required=True)
    show_identity = fields.Boolean(required=True)


class PersonProfileRef(BaseSchema):
    person_id = Id(required=True)


class Duty(BaseSchema):
    kind = fields.String(metadata={"description": "a body kind, or grid_worker"})
    position = fields.String()
    compound_id = fields.String()
    title = fields.String()
    title_en = fields.String()


class PublicProfile(BaseSchema):
    id = fields.String()
    name = fields.String()
    shows_party_identity = fields.Boolean()
    identity = fields.String(allow_none=True, metadata={"description": "中共党员 when shown"})
    identity_en = fields.String(allow_none=True)
    duties = fields.List(fields.Nested(Duty))


# -- compound bodies ---------------------------------------------------------------------
class BodyMemberIn(BaseSchema):
    person_id = Id(required=True)
    position = VocabularyField(POSITIONS, load_default="member")


_Members = lambda **kw: fields.List(  # noqa: E731
    fields.Nested(BodyMemberIn), validate=validate.Length(max=100), **kw)


class OwnersCommitteeSetUp(BaseSchema):
    compound_id = Id(required=True)
    name = Name(load_default=None, allow_none=True,
                metadata={"description": "default: <compound>业主委员会"})
    term_start = fields.Date(required=True)
    term_end = fields.Date(required=True)
    members = _Members(required=True)


class PropertyCompanySetUp(BaseSchema):
    compound_id = Id(required=True)
    name = Name(required=True)
    contract_start = fields.Date(required=True)
    contract_end = fields.Date(required=True, metadata={"description": "last day covered"})
    contact_name = _Text(100, load_default=None, allow_none=True)
    contact_phone = Phone(load_default=None, allow_none=True)


class MediationCommitteeSetUp(BaseSchema):
    compound_id = Id(required=True)
    name = Name(load_default=None, allow_none=True,
                metadata={"description": "default: <compound>人民调解委员会"})
    term_start = fields.Date(required=True)
    term_end = _Date("optional; must be term_start + 3 years", load_default=None,
                    allow_none=True)
    members = _Members(required=True, metadata={
        "description": "3–9 people, at least one recorded as female, exactly one chair"})


class DeliberationVenueSetUp(BaseSchema):
    compound_id = Id(required=True)
    name = Name(required=True)
    address = _Text(300, required=True)
    opening_hours = _Text(200, required=True)
    opened_on = _Date("default today", load_default=None, allow_none=True)


class MediationSeat(BaseSchema):
    """Seat a person on the unit's current people's mediation committee as a member
    (the legal service, after the judicial office appointed them)."""
    person_id = Id(required=True)
    unit_id = Id(required=True, metadata={"description": "the compound of the committee"})
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500), metadata={
        "description": "why (the appointment); kept in the audit log"})


class BodyDissolve(BaseSchema):
    id = Id(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))


class BodyList(PageInput):
    compound_id = Id(required=True)
    kind = VocabularyField(BODY_KINDS, load_default=None, allow_none=True)
    include_dissolved = fields.Boolean(load_default=False)


class BodyMemberOut(BaseSchema):
    person_id = fields.String()
    name = fields.String()
    position = fields.String()


class Body(BaseSchema):
    id = fields.String()
    compound_id = fields.String()
    kind = fields.String()
    kind_name = fields.String()
    name = fields.String()
    term_start = fields.Date(allow_none=True, metadata={
        "description": "term / contract start; a venue's opening date"})
    term_end = fields.Date(allow_none=True, metadata={"description": "last day, included"})
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    opening_hours = fields.String(allow_none=True)
    members = fields.List(fields.Nested(BodyMemberOut))
    active = fields.Boolean(metadata={"description": "counts today"})
    dissolved_at = fields.DateTime(allow_none=True)
    dissolution_reason = fields.String(allow_none=True)
    replaced_by = fields.String(allow_none=True)
    path = fields.String()
    created_at = fields.DateTime()


class CompoundRef(BaseSchema):
    compound_id = Id(required=True)


# -- micro-grids ---------------------------------------------------------------------------
class GridEnsure(BaseSchema):
    compound_id = Id(required=True)
    name = Name(load_default=None, allow_none=True,
                metadata={"description": "used only when the grid is created"})


class GridWorkerAssign(BaseSchema):
    compound_id = Id(required=True)
    person_id = Id(required=True)
    since = _Date("first day on duty; default today", load_default=None, allow_none=True)


class GridWorkerUnassign(BaseSchema):
    compound_id = Id(required=True)
    person_id = Id(required=True)
    until = _Date("the day duty ended (not on duty from then); default today",
                 load_default=None, allow_none=True)


class GridWorker(BaseSchema):
    id = fields.String()
    grid_id = fields.String()
    person_id = fields.String()
    name = fields.String()
    since = fields.Date()
    until = fields.Date(allow_none=True)


class Grid(BaseSchema):
    id = fields.String()
    compound_id = fields.String()
    name = fields.String()
    path = fields.String()
    workers = fields.List(fields.Nested(GridWorker), metadata={"description": "on duty today"})
    created_at = fields.DateTime()


class CompoundOrganisation(BaseSchema):
    compound_id = fields.String()
    name = fields.String()
    path = fields.String()
    property_company = fields.Nested(Body, allow_none=True)
    owners_committee = fields.Nested(Body, allow_none=True)
    mediation_committee = fields.Nested(Body, allow_none=True)
    deliberation_venue = fields.Nested(Body, allow_none=True)
    party_groups = fields.List(fields.Nested(PartyOrg))
    grid = fields.Nested(Grid, allow_none=True)


# -- the five haves ------------------------------------------------------------------------
class FiveHavesQuery(BaseSchema):
    compound_id = Id(required=True)
    as_of = _Date("default today", load_default=None, allow_none=True)


class CoverageQuery(BaseSchema):
    unit_id = Id(required=True, metadata={"description": "a community, street or city"})
    as_of = _Date("default today", load_default=None, allow_none=True)


class FiveHaves(BaseSchema):
    compound_id = fields.String()
    name = fields.String()
    path = fields.String()
    as_of = fields.Date()
    haves = fields.Dict(keys=fields.String(), values=fields.Boolean(), metadata={
        "description": "property_company, owners_committee, party_group, "
                       "mediation_committee, deliberation_venue → true/false"})
    lacking = fields.List(fields.String(), metadata={"description": "in the order above"})
    complete = fields.Boolean()
    grid_covered = fields.Boolean(metadata={"description": "a grid worker on duty that day"})


class CompoundBrief(BaseSchema):
    compound_id = fields.String()
    name = fields.String()
    path = fields.String()


class HaveCount(BaseSchema):
    has = fields.Integer()
    lacks = fields.Integer()


class HaveName(BaseSchema):
    key = fields.String()
    name = fields.String()
    name_en = fields.String()


class UnitBrief(BaseSchema):
    id = fields.String()
    kind = fields.String()
    name = fields.String()
    path = fields.String()


class Coverage(BaseSchema):
    unit = fields.Nested(UnitBrief)
    as_of = fields.Date()
    compound_count = fields.Integer()
    complete_count = fields.Integer()
    compounds = fields.List(fields.Nested(FiveHaves), metadata={"description": "by name"})
    lacking = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(CompoundBrief)),
                          metadata={"description": "per have, the compounds lacking it"})
    counts = fields.Dict(keys=fields.String(), values=fields.Nested(HaveCount))
    lacking_grid_worker = fields.List(fields.Nested(CompoundBrief))
    legend = fields.List(fields.Nested(HaveName))


# -- events (payload of the envelope; see fazhi_shared.service.outbox) --------------------------------
class PartyOrgCreatedEvent(BaseSchema):
    """``org.party_org.created``"""
    id = fields.String(required=True)
    kind = fields.String(required=True)
    name = fields.String(required=True)
    unit_id = fields.String(required=True)
    parent_id = fields.String(allow_none=True)
    path = fields.String(required=True)


class PartyMemberEvent(BaseSchema):
    """``org.party_member.added`` / ``.removed`` / ``.updated`` (show_identity changed)."""
    id = fields.String(required=True)
    party_org_id = fields.String(required=True)
    person_id = fields.String(required=True)
    show_identity = fields.Boolean(required=True)
    joined_on = fields.Date(allow_none=True)
    left_on = fields.Date(allow_none=True)
    path = fields.String(required=True)


class BodyMemberEvent(BaseSchema):
    person_id = fields.String(required=True)
    position = fields.String(required=True)


class BodySetUpEvent(BaseSchema):
    """``org.body.set_up``: a compound body began; ``replaces`` lists the ones it dissolved."""
    id = fields.String(required=True)
    kind = fields.String(required=True)
    compound_id = fields.String(required=True)
    name = fields.String(required=True)
    term_start = fields.Date(allow_none=True)
    term_end = fields.Date(allow_none=True)
    members = fields.List(fields.Nested(BodyMemberEvent), required=True)
    replaces = fields.List(fields.String(), required=True)
    path = fields.String(required=True)


class BodyMemberSeatedEvent(BaseSchema):
    """``org.body.member_seated``: a person joined a current body as ``position``."""
    id = fields.String(required=True)
    kind = fields.String(required=True)
    compound_id = fields.String(required=True)
    person_id = fields.String(required=True)
    position = fields.String(required=True)
    path = fields.String(required=True)


class BodyDissolvedEvent(BaseSchema):
    """``org.body.dissolved``"""
    id = fields.String(required=True)
    kind = fields.String(required=True)
    compound_id = fields.String(required=True)
    reason = fields.String(required=True)
    replaced_by = fields.String(allow_none=True)
    path = fields.String(required=True)


class GridCreatedEvent(BaseSchema):
    """``org.grid.created``"""
    id = fields.String(required=True)
    compound_id = fields.String(required=True)
    name = fields.String(required=True)
    path = fields.String(required=True)


class GridWorkerEvent(BaseSchema):
    """``org.grid.worker_assigned`` / ``org.grid.worker_unassigned``"""
    id = fields.String(required=True)
    grid_id = fields.String(required=True)
    compound_id = fields.String(required=True)
    person_id = fields.String(required=True)
    since = fields.Date(required=True)
    until = fields.Date(allow_none=True)
    path = fields.String(required=True)


__all__ = [name for name, value in list(globals().items())
           if isinstance(value, type) and issubclass(value, BaseSchema)
           and value.__module__ == __name__]

EVENTS = {
    "party_org.created": PartyOrgCreatedEvent,
    "party_member.added": PartyMemberEvent,
    "party_member.removed": PartyMemberEvent,
    "party_member.updated": PartyMemberEvent,
    "body.set_up": BodySetUpEvent,
    "body.dissolved": BodyDissolvedEvent,
    "body.member_seated": BodyMemberSeatedEvent,
    "grid.created": GridCreatedEvent,
    "grid.worker_assigned": GridWorkerEvent,
    "grid.worker_unassigned": GridWorkerEvent,
}
