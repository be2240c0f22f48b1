"""Resident ID numbers carry a GB 11643 check digit (issue 7, point 12): weights
7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over the first 17 digits, the sum mod 11 picks the
last character from "10X98765432". Wherever an ID number enters, a wrong one is refused
with a clear message."""
import pytest
from marshmallow import ValidationError

from fazhi_shared.i18n import field_message_zh

from fazhi_org_contract import schemas as s
from fazhi_org_contract.identifiers import canonical_id_number, id_number_check_digit

UNIT = "01900000-0000-7000-8000-000000000000"
WRONG_CHECK = "The ID number's check digit is wrong."

# (first 17 digits, check character) computed by hand from the standard's table
KNOWN = [("11010519491231002", "X"),      # the standard's own example
         ("44052418800101001", "4"),
         ("32128319900101123", "7"),
         ("32128319850101123", "9")]


@pytest.mark.parametrize("body,check", KNOWN)
def test_check_digit(body, check):
    assert id_number_check_digit(body) == check


def test_every_check_value_occurs():
    seen = {id_number_check_digit(f"3212831990010{n:04d}") for n in range(200)}
    assert seen == set("10X98765432")


@pytest.mark.parametrize("raw,canonical", [
    ("11010519491231002X", "11010519491231002X"), ("11010519491231002x", "11010519491231002X"),
    (" 440524188001010014\n", "440524188001010014"),
    ("４４０５２４１８８００１０１００１４", "440524188001010014")])
def test_valid_numbers_in_their_canonical_form(raw, canonical):
    assert canonical_id_number(raw) == canonical


@pytest.mark.parametrize("raw", [
    "321283199001011234",          # the number: the check digit should be 7
    "110105194912310020", "44052418800101001X", "4405241880010100\u0661\u0664",
    "44052418800101001", "4405241880010100144", "44052418800101001\n4", ""])
def test_wrong_numbers_are_refused(raw):
    assert canonical_id_number(raw) is None


@pytest.mark.parametrize("schema,data", [
    (s.PersonCreate, {"name": "甲", "unit_id": UNIT}),
    (s.PersonUpdate, {"id": UNIT}),
    (s.OwnerCreate, {"kind": "person", "name": "甲", "compound_id": UNIT}),
    (s.MoveIn, {"name": "甲", "relation": "tenant", "unit_id": UNIT}),
])
def test_every_schema_taking_an_id_number_checks_the_digit(schema, data):
    with pytest.raises(ValidationError) as info:
        schema().load({**data, "id_number": "321283199001011234"})
    assert info.value.messages == {"id_number": [WRONG_CHECK]}
    loaded = schema().load({**data, "id_number": "11010519491231002x"})
    assert loaded["id_number"] == "11010519491231002X"


def test_the_message_is_clear_in_chinese():
    zh = field_message_zh(WRONG_CHECK)
    assert "校验" in zh and not zh.startswith("输入无效")


def test_the_workbook_templates_example_is_valid():
    from org.workbook.layout import COLUMNS

    [column] = [c for c in COLUMNS if c.key == "owner_id_number"]
    examples = [v for v in vars(column).values()
                if isinstance(v, str) and len(v) == 18 and v[:17].isdigit()]
    assert examples and all(canonical_id_number(v) == v for v in examples)
