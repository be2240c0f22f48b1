"""A small consumer built only from the shared helpers, for the cross-service tests.

It keeps the unit-tree read model (bootstrapped from org on first start) from org's events and counts how many times each
event took effect (``applied``), so a test can prove "exactly once in effect". A rename
to a name containing ``POISON`` makes its handler raise, to exercise the dead-letter path.

Run: ``python tests/consumer_service.py`` with ``CONSUMER_DATABASE_URL`` and ``AMQP_URI``.
"""
from fazhi_shared.service.green import monkey_patch

monkey_patch()

from sqlalchemy import Column, Integer, MetaData, String, Table  # noqa: E402
from sqlalchemy.dialects.postgresql import insert  # noqa: E402

from fazhi_shared.config import database_setting  # noqa: E402
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
tree = UnitTreeReadModel(tables.unit_tree)


def checked(envelope):
    """Load the payload with org's own schema: a contract break fails here, loudly."""
    ORG_EVENTS[envelope["type"].split(".", 1)[1]]().load(envelope["payload"])
    return envelope


def count(session, envelope):
    stmt = insert(applied).values(event_id=envelope["event_id"], times=1)
    session.execute(stmt.on_conflict_do_update(index_elements=[applied.c.event_id],
                                               set_={"times": applied.c.times + 1}))


class ConsumerService(ServiceBase):
    name = "consumer"
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
        if "POISON" in envelope["payload"]["name"]:
            raise RuntimeError("cannot digest this rename")
        tree.apply(session, checked(envelope))
        count(session, envelope)


if __name__ == "__main__":
    from fazhi_shared.service.db import engine_for, ensure_database
    from fazhi_shared.service.runner import serve

    ensure_database(DATABASE_URL.get())
    metadata.create_all(engine_for(DATABASE_URL.get()))
    serve(ConsumerService, argv=["--no-migrate"])
