"""Phones have one canonical form, checked with full-match ASCII patterns (issue 7,
point 7): ``+86``/``0086`` prefixes, full-width digits, spaces and a trailing newline
all give the same number; other Unicode digits are refused."""
import pytest
from marshmallow import ValidationError

from fazhi_org_contract.identifiers import canonical_phone
from fazhi_org_contract.schemas import PhoneCodeRequest, PersonCreate

SAME = ["13900009654", "+8613900009654", "008613900009654", "8613900009654",
        "13900009654\n", " 13900009654 ", "１３９００００９６５４", "+86 139-0000-9654",
        "＋８６１３９００００９６５４", "0086 139 0000 9654\r\n"]


@pytest.mark.parametrize("raw", SAME)
def test_variants_of_one_mobile_number_are_one_number(raw):
    assert canonical_phone(raw) == "13900009654"


@pytest.mark.parametrize("raw,canonical", [
    ("+4915112345678", "+4915112345678"), ("004915112345678", "+4915112345678"),
    ("051287654321", "051287654321"), ("654321", "654321")])
def test_other_numbers_keep_their_digits(raw, canonical):
    assert canonical_phone(raw) == canonical


@pytest.mark.parametrize("raw", [
    "", "abc", "12345", "1390000965\n4", "1390000965\u0664",      # an Arabic-Indic 4
    "١٣٩٠٠٠٠٩٦٥٤", "13900009654\n\n1", "+86", "+8612", "1" * 16, "139\u00a0000\u00a09654x",
    "13900009654\x00"])
def test_what_is_not_a_phone(raw):
    assert canonical_phone(raw) is None


@pytest.mark.parametrize("raw", SAME)
def test_the_schemas_load_the_canonical_form(raw):
    assert PhoneCodeRequest().load({"phone": raw}) == {"phone": "13900009654"}
    assert PersonCreate().load({"name": "甲", "phone": raw,
                                "unit_id": "01900000-0000-7000-8000-000000000000"}
                               )["phone"] == "13900009654"


@pytest.mark.parametrize("raw", ["654321", "051287654321", "+4915112345678"])
def test_codes_are_sent_to_mainland_mobiles_only(raw):
    with pytest.raises(ValidationError) as info:
        PhoneCodeRequest().load({"phone": raw})
    assert info.value.messages == {"phone": ["Not a valid phone number."]}


@pytest.mark.parametrize("code", ["123456\n", "１２３４５６", "12345\u0666"])
def test_codes_are_six_ascii_digits(code):
    from fazhi_org_contract.schemas import Registration

    with pytest.raises(ValidationError) as info:
        Registration().load({"phone": "13900009654", "code": code, "name": "甲",
                             "password": "long-enough-1", "relation": "tenant",
                             "unit_id": "01900000-0000-7000-8000-000000000000"})
    assert set(info.value.messages) == {"code"}


@pytest.mark.parametrize("username", ["admin\n", "ａｄｍｉｎ", "adm\u0661n"])
def test_usernames_match_in_full_and_in_ascii(username):
    from fazhi_org_contract.schemas import AccountCreate

    with pytest.raises(ValidationError) as info:
        AccountCreate().load({"username": username, "password": "long-enough-1",
                              "person_id": "01900000-0000-7000-8000-000000000000"})
    assert set(info.value.messages) == {"username"}
