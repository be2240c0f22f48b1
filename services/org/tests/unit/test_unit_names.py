"""The comparison key of sibling names (issue 9, point 2): full-width and half-width
characters, surrounding and inner spaces make no new name."""
import pytest

from org.domain.names import name_key


@pytest.mark.parametrize("variant", ["9幢", "９幢", "9 幢", " 9幢 ", "9　幢", "9\u00a0幢",
                                     "9  幢\t"])
def test_spellings_of_one_name_share_a_key(variant):
    assert name_key(variant) == name_key("9幢") == "9幢"


def test_full_width_letters_and_digits_become_ascii():
    assert name_key("Ａ座１０１室") == "A座101室"


@pytest.mark.parametrize("a, b", [("9幢", "19幢"), ("101", "102"), ("A座", "B座"),
                                  ("1号楼", "1幢")])
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)
