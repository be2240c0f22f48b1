"""Rewriting a phone number gets no new code allowance and no second account (issue 7,
point 7): every check and the stored number use one canonical form."""
import re

import pytest

from fazhi_shared import delivery
from fazhi_shared.context import Principal
from fazhi_shared.errors import Conflict
from fazhi_shared.service.testing import call_as

ANON = Principal.anonymous()
VARIANTS = ["+86{}", "0086{}", "{}\n", "{}"]


def full_width(digits: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in digits)


def code_for(phone):
    text = delivery.last_text_to(phone)
    return re.search(r"验证码是(\d{6})", text).group(1) if text else "000000"


def register(tree, phone, code):
    return call_as(ANON, "org", "register_resident", phone=phone, code=code, name="居民",
                   password="resident-pass", unit_id=tree["unitA"]["id"], relation="tenant")


def test_the_four_forms_of_one_number_share_one_allowance(tree):
    phone = "13900009654"
    call_as(ANON, "org", "request_phone_code", phone=phone)
    for form in [v.format(phone) for v in VARIANTS[:3]] + [full_width(phone)]:
        with pytest.raises(Conflict):          # one code a minute, whatever the spelling
            call_as(ANON, "org", "request_phone_code", phone=form)


@pytest.mark.parametrize("spell", [lambda p: p + "\n", full_width, lambda p: "+86" + p,
                                   lambda p: "0086" + p])
def test_a_rewritten_number_cannot_register_a_second_account(tree, spell):
    phone = f"1390000{9700 + len(spell(''))}"
    call_as(ANON, "org", "request_phone_code", phone=phone)
    first = register(tree, phone, code_for(phone))
    assert first["account"]["username"] == phone
    other = spell(phone)
    try:
        call_as(ANON, "org", "request_phone_code", phone=other)
    except Conflict:
        pass
    with pytest.raises(Conflict) as info:
        register(tree, other, code_for(other))
    assert "phone" in info.value.fields["zh"]


def test_the_number_is_stored_and_texted_in_its_canonical_form(tree):
    call_as(ANON, "org", "request_phone_code", phone="＋８６１３９００００９８８８")
    code = code_for("13900009888")
    result = register(tree, "+86 139 0000 9888", code)
    assert result["account"]["username"] == "13900009888"


def test_a_resident_logs_in_with_their_phone_however_spelled(tree):
    phone = "13900009777"
    call_as(ANON, "org", "request_phone_code", phone=phone)
    register(tree, phone, code_for(phone))
    for spelled in ("+86" + phone, full_width(phone), "0086 " + phone):
        account = call_as(ANON, "org", "authenticate", username=spelled,
                          password="resident-pass")
        assert account["username"] == phone
