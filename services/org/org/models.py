"""The org service's tables."""
from sqlalchemy import (Boolean, DateTime, ForeignKey, Index, LargeBinary, MetaData, String,
                        Text, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fazhi_shared.tables import platform_tables


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
    created_at = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at = mapped_column(DateTime(timezone=True), nullable=False)
    __table_args__ = (
        Index("ix_units_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),
        Index("ix_units_kind_name", "kind", "name", "id"),
    )


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


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_at = mapped_column(DateTime(timezone=True), nullable=False)


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
