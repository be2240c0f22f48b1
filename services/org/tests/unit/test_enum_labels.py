"""Every code field of org's contract names the Chinese labels when refused (issue 9,
point 5): kinds, relations, owner types, area sources, roles, genders, claim statuses,
positions, Party organisation and body kinds."""
from marshmallow import validate

from fazhi_shared.errors import ValidationFailed
from fazhi_org_contract import schemas as s
from fazhi_org_contract.http import ROUTES


def _fields(schema, prefix=""):
    for name, field in schema().fields.items() if isinstance(schema, type) else ():
        yield prefix + name, field
        inner = getattr(field, "inner", None)
        if inner is not None:
            yield prefix + name + "[]", inner
        nested = getattr(field, "nested", None) or getattr(inner, "nested", None)
        if isinstance(nested, type):
            yield from _fields(nested, prefix + name + ".")


def test_every_code_field_of_the_inputs_is_a_vocabulary_field():
    plain = sorted({f"{route.input.__name__}.{name}"
                    for route in ROUTES if route.input is not None
                    for name, field in _fields(route.input)
                    for v in field.validators
                    if isinstance(v, validate.OneOf) and not hasattr(v, "vocabulary")})
    assert plain == [], f"enum fields whose refusal names codes only: {plain}"


def _zh(schema, data, field):
    errors = schema().validate(data)
    return ValidationFailed.from_marshmallow(errors).fields["zh"][field]


def test_refusals_name_the_labels():
    assert _zh(s.UnitCreate, {"parent_id": None, "kind": "house", "name": "x"}, "kind") == [
        "必须是以下之一：市、街道、社区、小区、楼栋、房屋。"]
    assert _zh(s.MoveIn, {"unit_id": "x", "name": "x", "relation": "friend"}, "relation") == [
        "必须是以下之一：业主自住、租户、家庭成员。"]
    assert _zh(s.OwnerCreate, {"compound_id": "x", "kind": "bank"}, "kind") == [
        "必须是以下之一：自然人、单位、建设单位（开发商）。"]
    assert "街道管理员" in _zh(s.GrantCreate, {"account_id": "x", "role": "boss",
                                             "unit_id": "x"}, "role")[0]
