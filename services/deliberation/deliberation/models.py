"""The deliberation service's tables (its own database; no other service reads them).

Areas are integers in 0.01 m². Every record carries the unit path that scopes it (the
compound's, or a unit's below it) and is found by path prefix.
"""
from sqlalchemy import (Boolean, Date, DateTime, ForeignKey, Index, Integer, MetaData, String,
                        Text, UniqueConstraint)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fazhi_shared.service.tables import platform_tables


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s"})


# outbox, processed_events, audit_log and the unit-tree read model (fed by org's events)
tables = platform_tables(Base.metadata, unit_tree=True)
TS = DateTime(timezone=True)


def path_index(table: str):
    return Index(f"ix_{table}_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"})


class Matter(Base):
    """A major matter put to the owners of a compound (or of the buildings sharing a part).
    Totals and the electorate are frozen when notice is given."""
    __tablename__ = "matters"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound_id: Mapped[str] = mapped_column(String(36), index=True)
    path: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12))
    electorate_scope: Mapped[str] = mapped_column(String(12))
    building_ids: Mapped[list] = mapped_column(JSONB, default=list)
    unit_id: Mapped[str | None] = mapped_column(String(36))
    notice_days: Mapped[int | None] = mapped_column(Integer)
    voting_days: Mapped[int] = mapped_column(Integer)
    noticed_on = mapped_column(Date)
    notice_period_ends = mapped_column(Date)
    notice_end_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    roll_objections_until = mapped_column(Date)
    electorate_as_of = mapped_column(TS)
    voting_opened_at = mapped_column(TS)
    voting_ends_on = mapped_column(Date)
    closed_at = mapped_column(TS)
    posted_until = mapped_column(Date)
    challenge_until = mapped_column(Date)
    total_area: Mapped[int | None] = mapped_column(Integer)
    total_owners: Mapped[int | None] = mapped_column(Integer)
    electronic_ballots: Mapped[bool] = mapped_column(Boolean)
    deemed_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    count_parking: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str | None] = mapped_column(String(36))
    created_at = mapped_column(TS, nullable=False)
    __table_args__ = (path_index("matters"),)


class AgendaItem(Base):
    """One item of a matter's agenda: only agenda items are voted. ``result`` holds every
    figure of its decision once the vote is closed."""
    __tablename__ = "agenda_items"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    matter_id: Mapped[str] = mapped_column(ForeignKey("matters.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(30))
    rule: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict | None] = mapped_column(JSONB)


class ElectorateEntry(Base):
    """One voter of a matter, frozen at notice from org's electorate: an owner (co-owners
    as one, the developer's unsold units as one) with all the area that counts.
    ``units``: [{unit_id, name, building_id, area, parking}]. ``ballot_code`` ties a
    paper ballot to the entry without showing the owner."""
    __tablename__ = "electorate_entries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    matter_id: Mapped[str] = mapped_column(ForeignKey("matters.id"))
    owner_id: Mapped[str] = mapped_column(String(36))
    voter_person_id: Mapped[str | None] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    area: Mapped[int] = mapped_column(Integer)
    heads: Mapped[int] = mapped_column(Integer, default=1)
    units: Mapped[list] = mapped_column(JSONB)
    ballot_code: Mapped[str] = mapped_column(String(20))
    __table_args__ = (UniqueConstraint("matter_id", "owner_id", name="uq_entry_owner"),
                      UniqueConstraint("matter_id", "ballot_code", name="uq_entry_code"))


class Ballot(Base):
    """The current ballot of one owner on one item (one per owner per item: the unique
    constraint). A replacement while voting is open moves the old one to the history."""
    __tablename__ = "ballots"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    matter_id: Mapped[str] = mapped_column(ForeignKey("matters.id"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("agenda_items.id"))
    entry_id: Mapped[str] = mapped_column(ForeignKey("electorate_entries.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    voter_person_id: Mapped[str | None] = mapped_column(String(36))
    choice: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(20))
    entered_by_account_id: Mapped[str | None] = mapped_column(String(36))
    proxy_name: Mapped[str | None] = mapped_column(Text)
    proxy_person_id: Mapped[str | None] = mapped_column(String(36))
    proxy_evidence: Mapped[dict | None] = mapped_column(JSONB)
    receipt_code: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    cast_at = mapped_column(TS, nullable=False)
    __table_args__ = (UniqueConstraint("item_id", "entry_id", name="uq_ballot_item_entry"),)


class BallotHistory(Base):
    """A ballot that a later one of the same owner replaced while voting was open."""
    __tablename__ = "ballot_history"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ballot_id: Mapped[str] = mapped_column(String(36), index=True)
    matter_id: Mapped[str] = mapped_column(String(36))
    item_id: Mapped[str] = mapped_column(String(36))
    entry_id: Mapped[str] = mapped_column(String(36))
    choice: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(20))
    entered_by_account_id: Mapped[str | None] = mapped_column(String(36))
    proxy_name: Mapped[str | None] = mapped_column(Text)
    receipt_code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    cast_at = mapped_column(TS, nullable=False)
    replaced_at = mapped_column(TS, nullable=False)


class RollObjection(Base):
    """An objection to a matter's voter roll, raised within its window."""
    __tablename__ = "roll_objections"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    matter_id: Mapped[str] = mapped_column(ForeignKey("matters.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    account_id: Mapped[str | None] = mapped_column(String(36))
    person_id: Mapped[str | None] = mapped_column(String(36))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    decision: Mapped[str | None] = mapped_column(Text)
    created_at = mapped_column(TS, nullable=False)
    decided_at = mapped_column(TS)


class Proposal(Base):
    """An owner's proposal of an extraordinary owners' meeting (once per owner)."""
    __tablename__ = "proposals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound_id: Mapped[str] = mapped_column(String(36))
    path: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str] = mapped_column(String(36))
    text: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str | None] = mapped_column(String(36))
    created_at = mapped_column(TS, nullable=False)
    __table_args__ = (UniqueConstraint("compound_id", "owner_id", name="uq_proposal_owner"),)


class Appeal(Base):
    """A resident's appeal (诉求). An anonymous one keeps its submitter only so that they
    can follow it; staff never see who asked."""
    __tablename__ = "appeals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound_id: Mapped[str] = mapped_column(String(36), index=True)
    path: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[str] = mapped_column(String(36))
    category: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(Boolean)
    submitter_account_id: Mapped[str | None] = mapped_column(String(36), index=True)
    submitter_person_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(12))
    responsible: Mapped[str | None] = mapped_column(String(30))
    reply_days: Mapped[int | None] = mapped_column(Integer)
    reply_due_on = mapped_column(Date)
    due_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at = mapped_column(TS)
    satisfaction: Mapped[str | None] = mapped_column(String(30))
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    referred_at = mapped_column(TS)
    created_at = mapped_column(TS, nullable=False)
    __table_args__ = (path_index("appeals"),)


class Meeting(Base):
    """A law-aided deliberation meeting (援法议事) with its minutes and resolutions."""
    __tablename__ = "meetings"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound_id: Mapped[str] = mapped_column(String(36), index=True)
    path: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(Text)
    held_on = mapped_column(Date, nullable=False)
    participants: Mapped[list] = mapped_column(JSONB)
    legal_adviser: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[str] = mapped_column(Text, default="")
    resolutions: Mapped[list] = mapped_column(JSONB, default=list)
    matter_ids: Mapped[list] = mapped_column(JSONB, default=list)
    created_by: Mapped[str | None] = mapped_column(String(36))
    created_at = mapped_column(TS, nullable=False)


class ScoreEntry(Base):
    """Participation points given for one event to one person (and their household)."""
    __tablename__ = "score_entries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound_id: Mapped[str] = mapped_column(String(36), index=True)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    household_unit_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(20))
    points: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(80))
    created_at = mapped_column(TS, nullable=False)
    __table_args__ = (UniqueConstraint("source", "person_id", name="uq_score_source_person"),)
