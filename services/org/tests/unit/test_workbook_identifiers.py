"""The workbook checks ID numbers and phones as every other entry point does (issue 7
points 7 and 12): GB 11643 check digits, one canonical phone form."""
import pytest

from org.workbook import rows


def test_id_numbers_in_a_row_need_their_check_digit():
    assert rows._id_number("321283199001011237", "业主证件号码", "ID") == "321283199001011237"
    assert rows._id_number("32128319850101101x", "业主证件号码", "ID") == "32128319850101101X"
    with pytest.raises(rows.RowProblem) as info:
        rows._id_number("321283199001011234", "业主证件号码", "ID")
    assert "校验码" in str(info.value.zh if hasattr(info.value, "zh") else info.value.args)


@pytest.mark.parametrize("written", ["+8613900009654", "008613900009654", "13900009654",
                                     "１３９００００９６５４", "139 0000 9654"])
def test_phones_in_a_row_take_the_one_canonical_form(written):
    assert rows._phone(written, "手机号", "phone") == "13900009654"


def test_a_phone_with_a_trailing_newline_or_letters_is_refused_or_cleaned():
    with pytest.raises(rows.RowProblem):
        rows._phone("1390000965a", "手机号", "phone")
