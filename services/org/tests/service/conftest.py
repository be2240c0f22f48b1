import os

import pytest

from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.testing import call_as, running_services

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                          "migrations")
SYSTEM = Principal.system()


@pytest.fixture(scope="session")
def org_db(vhost_uri, make_database):
    return make_database("org", MIGRATIONS)


@pytest.fixture(scope="session")
def org(org_db):
    from org.service import OrgService

    with running_services(OrgService):
        yield


def user(role, path, person_id=None, account_id=None):
    return Principal(kind="user", account_id=account_id, person_id=person_id,
                     grants=(Grant(role, path),))


@pytest.fixture(scope="session")
def tree(org):
    """city → streets A, B → one community each → compound → building → unit."""
    city = call_as(SYSTEM, "org", "create_unit", parent_id=None, kind="city", name="泰兴市")
    t = {"city": city}
    for s in ("A", "B"):
        street = call_as(SYSTEM, "org", "create_unit", parent_id=city["id"], kind="street",
                         name=f"街道{s}")
        com = call_as(SYSTEM, "org", "create_unit", parent_id=street["id"], kind="community",
                      name=f"社区{s}")
        cpd = call_as(SYSTEM, "org", "create_unit", parent_id=com["id"], kind="compound",
                      name=f"小区{s}")
        bld = call_as(SYSTEM, "org", "create_unit", parent_id=cpd["id"], kind="building",
                      name="1幢")
        unit = call_as(SYSTEM, "org", "create_unit", parent_id=bld["id"], kind="unit",
                       name="101")
        t.update({f"street{s}": street, f"community{s}": com, f"compound{s}": cpd,
                  f"building{s}": bld, f"unit{s}": unit})
    return t
