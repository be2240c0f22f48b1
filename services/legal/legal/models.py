"""The legal service's tables (its own database; no other service reads them).

Every record carries a unit ``path`` (its compound's, or the street's for firms and
agreements) and is read through ``fazhi_shared.scope``; ``duty_board`` is the read model
of the service's own roster events (the hot "on duty now" read).
"""
from sqlalchemy import (ARRAY, Boolean, Date, DateTime, Float, Index, Integer, MetaData,
                        String, Text, text)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fazhi_shared.service.tables import platform_tables


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s"})


# outbox, processed_events, audit_log, idempotency keys and the unit-tree read model
tables = platform_tables(Base.metadata, unit_tree=True)

TS = DateTime(timezone=True)
ID = String(36)


def _path_index(table):
    return Index(f"ix_{table}_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"})


class Literate(Base):
    """A legal-literate person (法律明白人) of a compound: an org person by id."""
    __tablename__ = "literates"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ID, index=True)
    name: Mapped[str] = mapped_column(String(100))
    compound_id: Mapped[str] = mapped_column(ID, index=True)
    path: Mapped[str] = mapped_column(Text)
    pool: Mapped[str] = mapped_column(String(30))
    nomination: Mapped[str] = mapped_column(String(20))
    nominated_by: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    duties: Mapped[str | None] = mapped_column(Text)
    contact_route: Mapped[str | None] = mapped_column(String(100))
    assessment_note: Mapped[str | None] = mapped_column(Text)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    created_at = mapped_column(TS, nullable=False)
    confirmed_at = mapped_column(TS)
    __table_args__ = (
        _path_index("literates"),
        Index("uq_literates_live_person", "person_id", "compound_id", unique=True,
              postgresql_where=text("status <> 'rejected'")))


class LiterateBuilding(Base):
    __tablename__ = "literate_buildings"
    literate_id: Mapped[str] = mapped_column(ID, primary_key=True)
    building_id: Mapped[str] = mapped_column(ID, primary_key=True, index=True)


class Training(Base):
    __tablename__ = "trainings"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(100))
    organiser: Mapped[str] = mapped_column(String(100))
    held_on = mapped_column(Date, nullable=False)
    hours: Mapped[float] = mapped_column(Float)
    created_at = mapped_column(TS, nullable=False)
    __table_args__ = (_path_index("trainings"),)


class Attendance(Base):
    __tablename__ = "training_attendance"
    training_id: Mapped[str] = mapped_column(ID, primary_key=True)
    literate_id: Mapped[str] = mapped_column(ID, primary_key=True, index=True)


class Promotion(Base):
    __tablename__ = "promotions"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    literate_id: Mapped[str] = mapped_column(ID, index=True)
    person_id: Mapped[str] = mapped_column(ID)
    path: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20))
    reasons = mapped_column(JSONB, nullable=False)
    warnings = mapped_column(JSONB, nullable=False)
    facts = mapped_column(JSONB, nullable=False)
    unit_id: Mapped[str | None] = mapped_column(ID)
    on = mapped_column(Date, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(ID)
    decided_at = mapped_column(TS, nullable=False)


class Firm(Base):
    __tablename__ = "firms"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(100))
    licence_no: Mapped[str | None] = mapped_column(String(40))
    created_at = mapped_column(TS, nullable=False)


class Helper(Base):
    """A lawyer or a legal volunteer who sits on duty rosters."""
    __tablename__ = "helpers"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    firm_id: Mapped[str | None] = mapped_column(ID)
    person_id: Mapped[str | None] = mapped_column(ID, index=True)
    created_at = mapped_column(TS, nullable=False)


class Absence(Base):
    __tablename__ = "absences"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    helper_id: Mapped[str] = mapped_column(ID, index=True)
    starts_on = mapped_column(Date, nullable=False)
    ends_on = mapped_column(Date, nullable=False)
    reason: Mapped[str | None] = mapped_column(String(100))


class Agreement(Base):
    """An adviser agreement: a firm serves compounds with its lawyers over a term."""
    __tablename__ = "agreements"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    firm_id: Mapped[str] = mapped_column(ID, index=True)
    path: Mapped[str] = mapped_column(Text)
    starts_on = mapped_column(Date, nullable=False)
    ends_on = mapped_column(Date, nullable=False)
    compound_ids = mapped_column(ARRAY(String(36)), nullable=False)
    helper_ids = mapped_column(ARRAY(String(36)), nullable=False)
    expiry_warned_at = mapped_column(TS)
    created_at = mapped_column(TS, nullable=False)


class Roster(Base):
    __tablename__ = "rosters"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    agreement_id: Mapped[str] = mapped_column(ID, index=True)
    compound_id: Mapped[str] = mapped_column(ID, index=True)
    path: Mapped[str] = mapped_column(Text)
    starts_on = mapped_column(Date, nullable=False)
    ends_on = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20))
    published_at = mapped_column(TS)
    created_at = mapped_column(TS, nullable=False)


class Shift(Base):
    """A half-day on duty. No helper is in two places at once: the exclusion constraint
    ``ex_shifts_helper_overlap`` (btree_gist) refuses overlapping shifts of one helper
    across every roster and compound, whatever wrote them."""
    __tablename__ = "shifts"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    roster_id: Mapped[str] = mapped_column(ID, index=True)
    compound_id: Mapped[str] = mapped_column(ID)
    path: Mapped[str] = mapped_column(Text)
    helper_id: Mapped[str] = mapped_column(ID, index=True)
    starts_at = mapped_column(TS, nullable=False)
    ends_at = mapped_column(TS, nullable=False)
    part: Mapped[str] = mapped_column(String(20))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, server_default="0")
    published: Mapped[bool] = mapped_column(Boolean, server_default="false")
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __table_args__ = (Index("ix_shifts_compound_starts", "compound_id", "starts_at"),)


class Swap(Base):
    __tablename__ = "swaps"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    shift_id: Mapped[str] = mapped_column(ID, index=True)
    roster_id: Mapped[str] = mapped_column(ID, index=True)
    path: Mapped[str] = mapped_column(Text)
    from_helper_id: Mapped[str] = mapped_column(ID)
    to_helper_id: Mapped[str] = mapped_column(ID)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str | None] = mapped_column(ID)
    requested_at = mapped_column(TS, nullable=False)
    decided_at = mapped_column(TS)


class DutyBoard(Base):
    """Read model of ``legal.roster.published`` / ``legal.shift.changed``: the published
    shifts residents' phones ask about, by compound and time."""
    __tablename__ = "duty_board"
    shift_id: Mapped[str] = mapped_column(ID, primary_key=True)
    compound_id: Mapped[str] = mapped_column(ID)
    roster_id: Mapped[str] = mapped_column(ID)
    helper_id: Mapped[str] = mapped_column(ID)
    helper_name: Mapped[str] = mapped_column(String(100))
    helper_kind: Mapped[str] = mapped_column(String(20))
    starts_at = mapped_column(TS, nullable=False)
    ends_at = mapped_column(TS, nullable=False)
    capacity: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (Index("ix_duty_board_compound_ends", "compound_id", "ends_at"),)


class Booking(Base):
    __tablename__ = "bookings"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    shift_id: Mapped[str] = mapped_column(ID, index=True)
    compound_id: Mapped[str] = mapped_column(ID)
    path: Mapped[str] = mapped_column(Text)
    person_id: Mapped[str] = mapped_column(ID, index=True)
    topic: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    on_behalf: Mapped[bool] = mapped_column(Boolean)
    acted_by: Mapped[str | None] = mapped_column(ID)
    created_at = mapped_column(TS, nullable=False)
    cancelled_at = mapped_column(TS)
    __table_args__ = (
        _path_index("bookings"),
        Index("uq_bookings_live", "shift_id", "person_id", unique=True,
              postgresql_where=text("status = 'confirmed'")))


class Consultation(Base):
    __tablename__ = "consultations"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    compound_id: Mapped[str] = mapped_column(ID, index=True)
    path: Mapped[str] = mapped_column(Text)
    booking_id: Mapped[str | None] = mapped_column(ID)
    shift_id: Mapped[str | None] = mapped_column(ID)
    channel: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[str | None] = mapped_column(ID, index=True)
    helper_id: Mapped[str | None] = mapped_column(ID, index=True)
    topic: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text)
    advice: Mapped[str | None] = mapped_column(Text)
    follow_up_needed: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))
    recorded_by: Mapped[str | None] = mapped_column(ID)
    created_at = mapped_column(TS, nullable=False)
    completed_at = mapped_column(TS)
    escalated_at = mapped_column(TS)
    __table_args__ = (_path_index("consultations"),)


class ServiceList(Base):
    """One version of a compound's published list; every version is kept."""
    __tablename__ = "service_lists"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    compound_id: Mapped[str] = mapped_column(ID)
    path: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer)
    items = mapped_column(JSONB, nullable=False)
    published_at = mapped_column(TS, nullable=False)
    published_by: Mapped[str | None] = mapped_column(ID)
    __table_args__ = (Index("uq_service_lists_version", "compound_id", "kind", "version",
                            unique=True),)


class Convention(Base):
    """One version of a compound's owners' convention (管理规约)."""
    __tablename__ = "conventions"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    compound_id: Mapped[str] = mapped_column(ID)
    path: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    adopted_by_matter_id: Mapped[str] = mapped_column(String(100))
    adopted_on = mapped_column(Date, nullable=False)
    published_at = mapped_column(TS, nullable=False)
    published_by: Mapped[str | None] = mapped_column(ID)
    __table_args__ = (Index("uq_conventions_version", "compound_id", "version", unique=True),)


class Feed(Base):
    """A calendar feed's secret address: only the token's hash is kept."""
    __tablename__ = "feeds"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str] = mapped_column(ID)
    path: Mapped[str] = mapped_column(Text)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str | None] = mapped_column(ID)
    created_at = mapped_column(TS, nullable=False)
    revoked_at = mapped_column(TS)
