"""Personal data hardened: phones in one canonical form; ID-number ciphertexts carry
their key's version (0 marks the rows written before, until ``python -m org.rekey``
binds them to their person)

Revision ID: 0006
Revises: 0005
"""
import logging

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
_MOBILE = "^1[3-9][0-9]{9}$"


def _canonical_phones(conn) -> None:
    """Stored phones, and the usernames residents registered with, in the canonical form
    every check now uses (``fazhi_org_contract.identifiers.canonical_phone``)."""
    from fazhi_org_contract.identifiers import canonical_phone, is_mobile

    for table in ("people", "phone_codes"):
        rows = conn.execute(sa.text(f"SELECT id, phone FROM {table} WHERE phone IS NOT NULL "
                                    f"AND phone !~ :mobile"), {"mobile": _MOBILE}).all()
        for row_id, phone in rows:
            canonical = canonical_phone(phone)
            if canonical and canonical != phone:
                conn.execute(sa.text(f"UPDATE {table} SET phone = :p WHERE id = :i"),
                             {"p": canonical, "i": row_id})
    taken = set(conn.execute(sa.text("SELECT username FROM accounts")).scalars())
    for account_id, username in conn.execute(sa.text(
            "SELECT id, username FROM accounts WHERE username !~ :mobile ORDER BY created_at"),
            {"mobile": _MOBILE}).all():
        canonical = canonical_phone(username)
        if not canonical or canonical == username or not is_mobile(canonical):
            continue
        if canonical in taken:
            # Registered twice under two spellings before phones were canonical: leave
            # both for an administrator to merge or disable.
            log.warning("account %s: its phone is also another account's username; "
                        "left as is for an administrator", account_id)
            continue
        conn.execute(sa.text("UPDATE accounts SET username = :u WHERE id = :i"),
                     {"u": canonical, "i": account_id})
        taken.add(canonical)


def upgrade():
    _canonical_phones(op.get_bind())
    # version byte || nonce || ciphertext: the rows of before are version 0 (key 1, no
    # binding); org reads them as they were and org.rekey re-encrypts them bound.
    op.execute("UPDATE people SET id_number_enc = '\\x00'::bytea || id_number_enc "
               "WHERE id_number_enc IS NOT NULL")


def downgrade():
    # Rows re-encrypted since (bound to their person) cannot be read by the code of before.
    bound = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM people WHERE id_number_enc IS NOT NULL "
        "AND get_byte(id_number_enc, 0) <> 0")).scalar()
    if bound:
        raise RuntimeError(f"{bound} ID numbers are bound to their person (org.rekey ran or "
                           "they were written after 0006); the code of 0005 cannot read them")
    op.execute("UPDATE people SET id_number_enc = substring(id_number_enc from 2) "
               "WHERE id_number_enc IS NOT NULL")
    # the canonical phones stay: they are the same numbers
