"""The disputes service's tables (its own database; no other service reads them).

Cases carry the path of where they lie (a compound, building or unit) and the ``parties``
visibility class: staff whose grant covers the path, and the case's parties, see it.
The case log is append-only and hash-chained (``disputes.domain.evidence``); its heads
live in ``case_chain_heads`` so that deleting the last entries is detected, and the row
there is what an append locks. ``stat_counters`` are the maintained aggregates the
statistics read (per compound, month, category and measure), updated in the transaction
of each change.
"""
from sqlalchemy import (BigInteger, Boolean, Computed, Date, DateTime, Index, Integer,
                        MetaData, String, Text, UniqueConstraint)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
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


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    unit_id: Mapped[str] = mapped_column(String(36))
    path: Mapped[str] = mapped_column(Text)
    compound_id: Mapped[str] = mapped_column(String(36))
    compound_path: Mapped[str] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(10), default="parties")
    source: Mapped[str] = mapped_column(String(30))
    source_ref: Mapped[str | None] = mapped_column(String(36))
    category: Mapped[str] = mapped_column(String(30))
    subtype: Mapped[str | None] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    # what search reads; never loaded with a case (deferred)
    search_terms: Mapped[str] = mapped_column(Text, deferred=True)
    search_vector = mapped_column(TSVECTOR, Computed("to_tsvector('simple', search_terms)",
                                                     persisted=True), deferred=True)
    urgency: Mapped[str] = mapped_column(String(10))
    risk_flags = mapped_column(JSONB, nullable=False)
    prior_authority: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))
    handling_unit_id: Mapped[str | None] = mapped_column(String(36))
    mediator_person_id: Mapped[str | None] = mapped_column(String(36))
    reached_mediation: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(String(20))
    concluded_level: Mapped[str | None] = mapped_column(String(20))
    pass_out_body: Mapped[str | None] = mapped_column(String(20))
    registered_at = mapped_column(TS, nullable=False)
    accepted_at = mapped_column(TS)
    concluded_at = mapped_column(TS)
    closed_at = mapped_column(TS)
    level_started_on = mapped_column(Date)
    due_on = mapped_column(Date)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_by_person_id: Mapped[str | None] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (
        Index("ix_cases_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),
        Index("ix_cases_registered", "registered_at", "id"),
        Index("ix_cases_state", "state", "id"),
        Index("ix_cases_category", "category", "id"),
        Index("ix_cases_level", "level", "id"),
        Index("ix_cases_source", "source", "id"),
        Index("ix_cases_urgency", "urgency", "id"),
        Index("ix_cases_mediator", "mediator_person_id", "id"),
        Index("ix_cases_overdue", "path", postgresql_where="overdue",
              postgresql_ops={"path": "text_pattern_ops"}),
        Index("ix_cases_due", "due_on", postgresql_where="state IN ('accepted', 'mediating')"),
        Index("ix_cases_search", "search_vector", postgresql_using="gin"),
        Index("ix_cases_source_ref", "source", "source_ref", unique=True,
              postgresql_where="source_ref IS NOT NULL"),
    )


class CaseParty(Base):
    __tablename__ = "case_parties"
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str | None] = mapped_column(String(100))   # org's name when registered
    __table_args__ = (Index("ix_case_parties_person", "person_id", "case_id"),)


class CaseRecord(Base):
    """One record of the case file (卷宗). Nothing is deleted; a correction is a new record."""
    __tablename__ = "case_records"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    detail = mapped_column(JSONB, nullable=False)
    author_person_id: Mapped[str | None] = mapped_column(String(36))
    created_at = mapped_column(TS, nullable=False)
    __table_args__ = (Index("ix_case_records_case", "case_id", "id"),)


class Agreement(Base):
    __tablename__ = "agreements"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), unique=True)
    form: Mapped[str] = mapped_column(String(10))
    facts: Mapped[str] = mapped_column(Text)
    terms = mapped_column(JSONB, nullable=False)
    signed_by = mapped_column(JSONB, nullable=False)
    mediator_signed: Mapped[bool] = mapped_column(Boolean)
    sealed: Mapped[bool] = mapped_column(Boolean)
    concerns_status: Mapped[bool] = mapped_column(Boolean)
    effective_on = mapped_column(Date, nullable=False)
    created_at = mapped_column(TS, nullable=False)


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(BigInteger)
    address: Mapped[str] = mapped_column(String(80))
    public_address: Mapped[str] = mapped_column(String(80))
    public_size: Mapped[int] = mapped_column(BigInteger)
    caption: Mapped[str] = mapped_column(String(100))
    uploaded_by_person_id: Mapped[str | None] = mapped_column(String(36))
    created_at = mapped_column(TS, nullable=False)
    __table_args__ = (Index("ix_attachments_case", "case_id", "id"),)


class CaseLogEntry(Base):
    """Append-only: entries are inserted under the lock of the case's chain head."""
    __tablename__ = "case_log"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    at = mapped_column(TS, nullable=False)
    action: Mapped[str] = mapped_column(String(40))
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_account_id: Mapped[str | None] = mapped_column(String(36))
    actor_person_id: Mapped[str | None] = mapped_column(String(36))
    detail = mapped_column(JSONB, nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_case_log_case_seq"),)


class CaseChainHead(Base):
    __tablename__ = "case_chain_heads"
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class StatCounter(Base):
    """A maintained aggregate: ``value`` of ``measure`` for the cases of one compound in
    one month and category (registered, concluded:<bucket>, settled, failed, passed_out,
    closed, close_days)."""
    __tablename__ = "stat_counters"
    compound_path: Mapped[str] = mapped_column(Text, primary_key=True)
    month = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(30), primary_key=True)
    measure: Mapped[str] = mapped_column(String(30), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        Index("ix_stat_counters_month", "month", "measure"),
        Index("ix_stat_counters_path", "compound_path",
              postgresql_ops={"compound_path": "text_pattern_ops"}),
    )


class CurrentCounter(Base):
    """A maintained count of a current state per compound (``overdue``: open cases past
    their time limit now), bumped whenever a case enters or leaves that state."""
    __tablename__ = "current_counters"
    compound_path: Mapped[str] = mapped_column(Text, primary_key=True)
    measure: Mapped[str] = mapped_column(String(30), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_current_counters_path", "compound_path",
                            postgresql_ops={"compound_path": "text_pattern_ops"}),)


class Campaign(Base):
    __tablename__ = "campaigns"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    path: Mapped[str] = mapped_column(Text)
    starts_on = mapped_column(Date, nullable=False)
    ends_on = mapped_column(Date, nullable=False)
    unit_ids = mapped_column(JSONB, nullable=False)
    issue_types = mapped_column(JSONB, nullable=False)
    state: Mapped[str] = mapped_column(String(10))
    created_by_person_id: Mapped[str | None] = mapped_column(String(36))
    created_at = mapped_column(TS, nullable=False)
    closed_at = mapped_column(TS)
    __table_args__ = (Index("ix_campaigns_path", "path",
                            postgresql_ops={"path": "text_pattern_ops"}),)


class RectificationItem(Base):
    __tablename__ = "rectification_items"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(36))
    unit_id: Mapped[str] = mapped_column(String(36))
    path: Mapped[str] = mapped_column(Text)
    issue_type: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    assignee_person_id: Mapped[str | None] = mapped_column(String(36))
    due_on = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20))
    sent_back_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at = mapped_column(TS, nullable=False)
    updated_at = mapped_column(TS, nullable=False)
    __table_args__ = (Index("ix_rectification_items_campaign", "campaign_id", "state"),)
