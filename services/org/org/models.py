"""The org service's tables."""
from sqlalchemy import (BigInteger, Boolean, Computed, Date, DateTime, ForeignKey, Index,
                        Integer, LargeBinary, MetaData, String, Text, UniqueConstraint, event,
                        select, text)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, object_session
from sqlalchemy.orm.attributes import set_committed_value

from fazhi_shared.service.tables import platform_tables

from org.identity import Sealed


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s"})


# outbox, processed_events, audit_log
tables = platform_tables(Base.metadata)


class Unit(Base):
    """A node of the tree city → street → community → compound → building → unit."""
    __tablename__ = "units"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(Text, unique=True)
    # Bumped from the sequence on every change (org/units.py): read models of the tree
    # apply only newer state (migration 0007).
    version: Mapped[int] = mapped_column(
        BigInteger, server_default=text("nextval('unit_version_seq')"))
    # Areas in 0.01 m² integers (never floats: art. 278 thresholds are exact). The
    # exclusive area is the registered one, else surveyed, else contract (SPC art. 8).
    registered_area: Mapped[int | None] = mapped_column(BigInteger)
    surveyed_area: Mapped[int | None] = mapped_column(BigInteger)
    contract_area: Mapped[int | None] = mapped_column(BigInteger)
    exclusive_area: Mapped[int | None] = mapped_column(BigInteger)
    area_source: Mapped[str | None] = mapped_column(String(12))
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at = mapped_column(DateTime(timezone=True), nullable=False)
    # The comparison key of the name (org/domain/names.py; SQL org_name_key, migration
    # 0009): two live siblings never share one (uq_units_sibling_name).
    name_key: Mapped[str] = mapped_column(Text, Computed("org_name_key(name)", persisted=True))
    # A retired unit keeps its row and path but is hidden from lists and imports, takes no
    # new records and leaves the name free (org/units.py).
    retired_at = mapped_column(DateTime(timezone=True))
    retired_reason: Mapped[str | None] = mapped_column(Text)
    # A parking space with its own title (车位), not a dwelling: whether its area counts
    # in an owners' vote is a local setting the deliberation service keeps (migration 0011).
    is_parking: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    __table_args__ = (
        Index("ix_units_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),
        Index("ix_units_kind_name", "kind", "name", "id"),
        Index("uq_units_sibling_name", "parent_id", "name_key", unique=True,
              postgresql_where=text("retired_at IS NULL")),
    )

    @property
    def ancestors(self) -> list[dict]:
        """The units above this one, from the city down: ``[{id, kind, name}]`` (what a
        breadcrumb shows; the ids are those of the path). Read in one query on first use;
        ``load_ancestors`` fills a whole page of units with one query."""
        if "_ancestors" not in self.__dict__:
            load_ancestors(object_session(self), [self])
        return self.__dict__["_ancestors"]


def load_ancestors(session, units) -> None:
    """Give each unit its ``ancestors`` with one query for all of them."""
    units = list(units)
    wanted = {i for u in units for i in u.path.strip("/").split("/")[:-1]}
    found = {}
    if wanted:
        found = {row.id: {"id": row.id, "kind": row.kind, "name": row.name}
                 for row in session.execute(select(Unit.id, Unit.kind, Unit.name)
                                            .where(Unit.id.in_(wanted)))}
    for unit in units:
        unit.__dict__["_ancestors"] = [found[i] for i in unit.path.strip("/").split("/")[:-1]
                                       if i in found]


class Person(Base):
    """A natural person. The ID number is encrypted at rest; ``id_number_blind`` is a keyed
    hash that finds duplicates without decrypting; ``id_number_masked`` is what is shown."""
    __tablename__ = "people"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_blind: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(18))
    gender: Mapped[str | None] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(Text)   # the unit whose staff keep this record
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at = mapped_column(DateTime(timezone=True), nullable=False)
    __table_args__ = (
        Index("ix_people_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),)


@event.listens_for(Person, "load")
@event.listens_for(Person, "refresh")
def _seal_id_number(person: Person, *_) -> None:
    """A ciphertext read from a row is bound to that row's person (``identity.Sealed``):
    whoever decrypts ``person.id_number_enc`` decrypts it as this person's, so one moved
    here from another row is refused."""
    blob = person.__dict__.get("id_number_enc")
    if blob is not None and not isinstance(blob, Sealed):
        set_committed_value(person, "id_number_enc", Sealed(bytes(blob), person.id))


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
    # Sessions started before this are refused at refresh (see the gateway).
    password_changed_at = mapped_column(DateTime(timezone=True))


class Grant(Base):
    """A role on a unit (and so on everything under its path)."""
    __tablename__ = "grants"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    path: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_at = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        Index("uq_grants_active", "account_id", "role", "unit_id", unique=True,
              postgresql_where=text("revoked_at IS NULL")),)




class Owner(Base):
    """An owner within one compound: a person, an organisation, or the developer (whose
    unsold units together form one owner). One person owning in two compounds has one
    owner record in each; electorates are per compound."""
    __tablename__ = "owners"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(14))          # person / organisation / developer
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))   # organisations (USCC)
    # An organisation or the developer votes through the person it designates (0011).
    representative_person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    path: Mapped[str] = mapped_column(Text)                        # the compound's path
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
    __table_args__ = (
        Index("uq_owner_person", "compound_id", "person_id", unique=True,
              postgresql_where=text("person_id IS NOT NULL")),
        Index("uq_owner_org", "compound_id", "credit_code", unique=True,
              postgresql_where=text("credit_code IS NOT NULL")),
        Index("uq_owner_developer", "compound_id", unique=True,
              postgresql_where=text("kind = 'developer'")),
    )


class Ownership(Base):
    """Who owned a unit from ``valid_from`` until ``valid_to`` (open when null). Co-owners of
    a unit are several rows over the same period; exactly one of them is the voter."""
    __tablename__ = "ownerships"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id"), index=True)
    is_voter: Mapped[bool] = mapped_column(Boolean)
    valid_from = mapped_column(DateTime(timezone=True), nullable=False)
    valid_to = mapped_column(DateTime(timezone=True))
    compound_id: Mapped[str] = mapped_column(String(36), index=True)
    path: Mapped[str] = mapped_column(Text)
    __table_args__ = (
        Index("uq_ownerships_open_owner", "unit_id", "owner_id", unique=True,
              postgresql_where=text("valid_to IS NULL")),
        Index("uq_ownerships_open_voter", "unit_id", unique=True,
              postgresql_where=text("valid_to IS NULL AND is_voter")),
    )


class Residency(Base):
    """A person living in a unit (one household per unit), dated in and out."""
    __tablename__ = "residencies"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    relation: Mapped[str] = mapped_column(String(16))  # owner_occupier / tenant / family_member
    moved_in = mapped_column(Date, nullable=False)
    moved_out = mapped_column(Date)
    path: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
    __table_args__ = (
        Index("uq_residencies_open", "unit_id", "person_id", unique=True,
              postgresql_where=text("moved_out IS NULL")),)


class PartyOrg(Base):
    """A Party organisation attached to a unit (street working committee, judicial-office
    branch, community branch, compound group)."""
    __tablename__ = "party_orgs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("party_orgs.id"))
    path: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(DateTime(timezone=True), nullable=False)


class PartyMember(Base):
    __tablename__ = "party_members"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    party_org_id: Mapped[str] = mapped_column(ForeignKey("party_orgs.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    show_identity: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    joined_on = mapped_column(Date)
    left_on = mapped_column(Date)
    __table_args__ = (UniqueConstraint("party_org_id", "person_id"),)


class CompoundBody(Base):
    """A body of a compound: owners' committee, property company (contract period),
    mediation committee (3-year term), law-aided deliberation venue."""
    __tablename__ = "compound_bodies"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(200))
    term_start = mapped_column(Date)
    term_end = mapped_column(Date)
    details = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    path: Mapped[str] = mapped_column(Text)
    dissolved_at = mapped_column(DateTime(timezone=True))
    created_at = mapped_column(DateTime(timezone=True), nullable=False)


class BodyMember(Base):
    __tablename__ = "body_members"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    body_id: Mapped[str] = mapped_column(ForeignKey("compound_bodies.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    position: Mapped[str] = mapped_column(String(16))   # chair / vice_chair / member
    __table_args__ = (UniqueConstraint("body_id", "person_id"),)


class Grid(Base):
    """The micro-grid of a compound (one per compound)."""
    __tablename__ = "grids"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound_id: Mapped[str] = mapped_column(ForeignKey("units.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(DateTime(timezone=True), nullable=False)


class GridWorker(Base):
    __tablename__ = "grid_workers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    grid_id: Mapped[str] = mapped_column(ForeignKey("grids.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    since = mapped_column(Date, nullable=False)
    until = mapped_column(Date)


class ImportJob(Base):
    """One workbook import: progress is written as it goes (visible to pollers) while the
    data itself commits in one transaction at the end."""
    __tablename__ = "import_jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    filename: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(12))     # running / done / failed
    total_rows: Mapped[int] = mapped_column(Integer, server_default="0")
    processed_rows: Mapped[int] = mapped_column(Integer, server_default="0")
    summary = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    errors = mapped_column(JSONB, nullable=False, server_default=text("'[]'::jsonb"))
    created_by: Mapped[str | None] = mapped_column(String(36))
    path: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
    finished_at = mapped_column(DateTime(timezone=True))
    updated_at = mapped_column(DateTime(timezone=True))     # last progress report


class PhoneCode(Base):
    """A verification code sent to a phone (stored hashed, short-lived, few attempts)."""
    __tablename__ = "phone_codes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at = mapped_column(DateTime(timezone=True), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    consumed_at = mapped_column(DateTime(timezone=True))
    created_at = mapped_column(DateTime(timezone=True), nullable=False)


class ResidentClaim(Base):
    """A registered resident's claim to live in a unit, until staff or the owners'
    committee confirm (then the account gets the ``resident`` grant) or reject it."""
    __tablename__ = "resident_claims"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # None when staff registered the resident on their behalf (no phone login).
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    relation: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(10))      # pending / confirmed / rejected
    path: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(36))
    decided_at = mapped_column(DateTime(timezone=True))
    created_at = mapped_column(DateTime(timezone=True), nullable=False)


class Errand(Base):
    """代办: something a staff member or volunteer recorded for a resident who cannot use a
    phone. Says who acted for whom; the audit rows of the change carry ``on_behalf_of``."""
    __tablename__ = "errands"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    actor_account_id: Mapped[str | None] = mapped_column(String(36))
    actor_person_id: Mapped[str | None] = mapped_column(String(36))
    resident_person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    ref_entity: Mapped[str | None] = mapped_column(String(40))
    ref_id: Mapped[str | None] = mapped_column(String(36))
    path: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
