"""A small consumer built only from the shared helpers, for the cross-service tests.

It keeps the unit-tree read model (bootstrapped from org on first start) from org's events
and counts how many times each event took effect (``applied``), so a test can prove
"exactly once in effect". Renames exercise the failure paths: a name containing
``POISON``, or listed in the ``poison`` table (a test "fixes the bug" by deleting it), makes
the handler raise every time; a name containing ``FLAKY<n>`` makes it raise the first
``n`` times (counted in ``failures``, outside the rolled-back transaction).

Run: ``python tests/consumer_service.py`` with ``CONSUMER_DATABASE_URL`` and ``AMQP_URI``;
``CONSUMER_NAME`` names the service (default ``consumer``: a second name is a consumer
added later, with queues of its own).
"""
import os
import re

from fazhi_shared.service.green import monkey_patch

monkey_patch()

from sqlalchemy import Column, Integer, MetaData, String, Table, select  # noqa: E402
from sqlalchemy.dialects.postgresql import insert  # noqa: E402

from fazhi_shared.config import database_setting  # noqa: E402
from fazhi_shared.service.db import engine_for  # noqa: E402
from fazhi_shared.service.defaults import Database  # noqa: E402
from fazhi_shared.service.events import handle_event, idempotent  # noqa: E402
from fazhi_shared.service.rpc import ServiceBase  # noqa: E402
from fazhi_shared.service.tables import platform_tables  # noqa: E402
from fazhi_shared.service.unittree import UnitTree, UnitTreeReadModel  # noqa: E402
from fazhi_org_contract.schemas import EVENTS as ORG_EVENTS  # noqa: E402  (the contract, owned by org)

DATABASE_URL = database_setting("consumer")
metadata = MetaData()
tables = platform_tables(metadata, unit_tree=True)
applied = Table("applied", metadata, Column("event_id", String(36), primary_key=True),
                Column("times", Integer, nullable=False))
poison = Table("poison", metadata, Column("name", String(200), primary_key=True))
failures = Table("failures", metadata, Column("event_id", String(36), primary_key=True),
                 Column("count", Integer, nullable=False))
tree = UnitTreeReadModel(tables.unit_tree)


def checked(envelope):
    """Load the payload with org's own schema: a contract break fails here, loudly."""
    ORG_EVENTS[envelope["type"].split(".", 1)[1]]().load(envelope["payload"])
    return envelope


def count(session, envelope):
    stmt = insert(applied).values(event_id=envelope["event_id"], times=1)
    session.execute(stmt.on_conflict_do_update(index_elements=[applied.c.event_id],
                                               set_={"times": applied.c.times + 1}))


def refuse_bad_names(session, envelope):
    name = envelope["payload"]["name"]
    if "POISON" in name or session.execute(select(poison.c.name).where(
            poison.c.name == name)).first():
        raise RuntimeError("cannot digest this rename")
    flaky = re.search(r"FLAKY(\d+)", name)
    if flaky:
        # counted in a transaction of its own: the handler's is rolled back
        with engine_for(DATABASE_URL.get()).begin() as conn:
            stmt = insert(failures).values(event_id=envelope["event_id"], count=1)
            n = conn.execute(stmt.on_conflict_do_update(
                index_elements=[failures.c.event_id], set_={"count": failures.c.count + 1})
                .returning(failures.c.count)).scalar()
        if n <= int(flaky.group(1)):
            raise RuntimeError(f"flaky failure {n}")


class ConsumerService(ServiceBase):
    name = os.environ.get("CONSUMER_NAME", "consumer")
    tables = tables
    db = Database(DATABASE_URL)
    unit_tree = UnitTree(tables.unit_tree, DATABASE_URL)

    @handle_event("org", "unit.created")
    @idempotent
    def on_unit_created(self, session, envelope, principal):
        tree.apply(session, checked(envelope))
        count(session, envelope)

    @handle_event("org", "unit.moved")
    @idempotent
    def on_unit_moved(self, session, envelope, principal):
        tree.apply(session, checked(envelope))
        count(session, envelope)

    @handle_event("org", "unit.renamed")
    @idempotent
    def on_unit_renamed(self, session, envelope, principal):
        refuse_bad_names(session, envelope)
        tree.apply(session, checked(envelope))
        count(session, envelope)


if __name__ == "__main__":
    from fazhi_shared.service.db import engine_for, ensure_database
    from fazhi_shared.service.runner import serve

    ensure_database(DATABASE_URL.get())
    metadata.create_all(engine_for(DATABASE_URL.get()))
    serve(ConsumerService, argv=["--no-migrate"])
