"""``python -m org.rekey``: re-encrypt every ID number under the current key.

Rotating the key of ID numbers: put the new key first in ``ORG_PII_KEY``
(``2:<new>,1:<old>``) and restart org — new rows use it, old rows still read — then run
this command; when it reports nothing left, drop the old key from the setting. It also
binds the rows written before migration 0006 (version 0) to their person.

Rows go in batches, each in its own transaction under row locks (org keeps serving).
A row whose ciphertext does not decrypt (moved from another person's row, or under a key
no longer configured) is left as it was and reported by person id; the command then exits
1. One audit row (``person.rekey``) records the run. No ID number is ever printed.
"""
from __future__ import annotations

import argparse
import sys

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi_shared import logs
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict
from fazhi_shared.service import audit
from fazhi_shared.service.db import engine_for

from org import identity
from fazhi_shared.service.runner import check_settings

from org.config import DATABASE_URL, SETTINGS
from org.models import Person, tables


def rekey(engine, batch: int = 500) -> dict:
    """Re-encrypt the rows not under the current key; ``{key_version, rekeyed, failed}``."""
    version = identity.current_key_version()
    rekeyed, failed, after = 0, [], ""
    while True:
        with Session(engine) as session, session.begin():
            rows = session.execute(
                select(Person).where(Person.id_number_enc.is_not(None), Person.id > after,
                                     func.get_byte(Person.id_number_enc, 0) != version)
                .order_by(Person.id).limit(batch).with_for_update()).scalars().all()
            for person in rows:
                try:
                    plain = identity.decrypt(person.id_number_enc, person.id)
                except Conflict:
                    failed.append(person.id)
                    continue
                person.id_number_enc = identity.encrypt(plain, person.id)
                rekeyed += 1
        if len(rows) < batch:
            break
        after = rows[-1].id
    with Session(engine) as session, session.begin():
        audit.record(session, tables.audit_log, Principal.system(), "person.rekey", "person",
                     detail={"key_version": version, "rekeyed": rekeyed, "failed": failed})
    return {"key_version": version, "rekeyed": rekeyed, "failed": failed}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m org.rekey", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--batch", type=int, default=500, help="rows per transaction")
    args = parser.parse_args(argv)
    logs.configure("org")
    check_settings(SETTINGS, "org")        # no development secret outside development
    result = rekey(engine_for(DATABASE_URL.get()), args.batch)
    print(f"re-encrypted {result['rekeyed']} ID numbers under key version "
          f"{result['key_version']}")
    if result["failed"]:
        print(f"{len(result['failed'])} could not be decrypted and were left as they were "
              f"(person ids): {', '.join(result['failed'])}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
