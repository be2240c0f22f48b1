"""The legal service's tables (its own database; no other service reads them)."""
from sqlalchemy import DateTime, Index, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fazhi_shared.service.tables import platform_tables


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s"})


# outbox, processed_events, audit_log and the unit-tree read model (fed by org's events)
tables = platform_tables(Base.metadata, unit_tree=True)


class Note(Base):
    """A note on a unit of the tree. ``path`` is the unit's path when the note was written
    (kept in step with moves by ``legal.notes.move_notes``), ``visibility`` follows the
    kind (``legal.domain.notes``)."""
    __tablename__ = "notes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(36), index=True)
    path: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    visibility: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    author_account_id: Mapped[str | None] = mapped_column(String(36))
    author_person_id: Mapped[str | None] = mapped_column(String(36))
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
    __table_args__ = (
        Index("ix_notes_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),)
