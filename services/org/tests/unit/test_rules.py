"""Pure rules of the org service, exhaustively."""
import itertools

import pytest

from fazhi_shared.context import ROLES, Grant, Principal
from fazhi_shared.errors import Forbidden, ValidationFailed
from fazhi_shared.paths import LEVELS

from org import identity
from org.domain import tree

PARENT_PATH = {"street": "/c", "community": "/c/s", "compound": "/c/s/m",
               "building": "/c/s/m/k", "unit": "/c/s/m/k/b"}
GRANT_PATH = {"city": "/c", "street": "/c/s", "community": "/c/s/m", "compound": "/c/s/m/k",
              "building": "/c/s/m/k/b"}


@pytest.mark.parametrize("parent,kind", itertools.product([None, *LEVELS], LEVELS))
def test_child_kind_is_exactly_one_level_down(parent, kind):
    ok = (parent is None and kind == "city") or (
        parent is not None and LEVELS.index(kind) == LEVELS.index(parent) + 1)
    if ok:
        tree.check_child(parent, kind)
    else:
        with pytest.raises(ValidationFailed) as info:
            tree.check_child(parent, kind)
        assert "kind" in info.value.fields["zh"]


@pytest.mark.parametrize("role,kind,grant_level",
                         itertools.product(ROLES, LEVELS[1:], ["city", "street", "community"]))
def test_unit_writers(role, kind, grant_level):
    p = Principal(kind="user", grants=(Grant(role, GRANT_PATH[grant_level]),))
    parent_path = PARENT_PATH[kind]
    covers = parent_path.startswith(GRANT_PATH[grant_level])
    allowed = role in tree.UNIT_WRITERS[kind] and covers
    if allowed:
        tree.require_unit_writer(p, kind, parent_path)
    else:
        with pytest.raises(Forbidden):
            tree.require_unit_writer(p, kind, parent_path)


def test_unit_writers_by_kind():
    assert tree.UNIT_WRITERS["street"] == ("city_admin",)
    assert "street_admin" in tree.UNIT_WRITERS["compound"]
    assert "community_worker" not in tree.UNIT_WRITERS["compound"]
    assert "community_worker" in tree.UNIT_WRITERS["building"]
    assert "resident" not in set(itertools.chain(*tree.UNIT_WRITERS.values()))


def test_only_the_system_creates_cities():
    with pytest.raises(Forbidden):
        tree.require_unit_writer(Principal(kind="user", grants=(Grant("city_admin", "/c"),)),
                                  "city", None)
    tree.require_unit_writer(Principal.system(), "city", None)


@pytest.mark.parametrize("unit_kind,parent_kind", itertools.product(LEVELS[1:], LEVELS))
def test_move_needs_the_level_above(unit_kind, parent_kind):
    ok = LEVELS.index(parent_kind) == LEVELS.index(unit_kind) - 1
    if ok:
        tree.check_move("/c/x/y", unit_kind, "/c/other", parent_kind)
    else:
        with pytest.raises(ValidationFailed):
            tree.check_move("/c/x/y", unit_kind, "/c/other", parent_kind)


def test_cannot_move_under_itself():
    with pytest.raises(ValidationFailed):
        tree.check_move("/c/s", "street", "/c/s/m", "city")


@pytest.mark.parametrize("value,masked", [
    ("321283199001011234", "3212**********1234"), ("32128319900101123X", "3212**********123X"),
    (None, None)])
def test_id_number_mask(value, masked):
    assert identity.mask_id_number(value) == masked


@pytest.mark.parametrize("value,masked", [
    ("13812345678", "138****5678"), ("+8613812345678", "+86138****5678"), ("654321", "****21"),
    (None, None)])
def test_phone_mask(value, masked):
    assert identity.mask_phone(value) == masked


def test_id_number_encryption_and_blind_index():
    blob = identity.encrypt("321283199001011234", "p1")
    assert b"3212831990" not in blob
    assert identity.decrypt(blob, "p1") == identity.decrypt(blob) == "321283199001011234"
    assert identity.encrypt("321283199001011234", "p1") != blob     # fresh nonce
    assert identity.blind_index("32128319900101123x") == identity.blind_index("32128319900101123X")
    assert identity.blind_index("321283199001011234") != identity.blind_index("321283199001011235")


def test_passwords():
    h = identity.hash_password("correct horse")
    assert h.startswith("$argon2id$")
    assert identity.verify_password(h, "correct horse")
    assert not identity.verify_password(h, "wrong horse")
    assert not identity.verify_password(None, "anything")


def _custom_messages():
    """Every message a validator of org's contract schemas was given by hand."""
    import inspect

    from marshmallow import Schema

    from fazhi_org_contract import schemas

    seen = set()
    for _, cls in inspect.getmembers(schemas, inspect.isclass):
        if not issubclass(cls, Schema) or cls is Schema:
            continue
        for field in cls._declared_fields.values():
            inner = [field] + [getattr(field, "inner", None)] + [getattr(field, "nested", None)]
            for f in filter(None, inner):
                for validator in getattr(f, "validators", []):
                    message = getattr(validator, "error", None)
                    if isinstance(message, str) and "{" not in message:
                        seen.add(message)
    return sorted(seen)


@pytest.mark.parametrize("message", _custom_messages())
def test_every_custom_message_has_chinese(message):
    from fazhi_shared.i18n import field_message_zh

    assert not field_message_zh(message).startswith("输入无效："), message
