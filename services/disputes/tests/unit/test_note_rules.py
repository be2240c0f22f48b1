"""The pure rules of notes (``disputes.domain.notes``): no broker, no database."""
import pytest

from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Forbidden, ValidationFailed

from fazhi_disputes_contract.roles import NOTE_WRITERS
from fazhi_disputes_contract.vocabulary import MAX_NOTE_TEXT, NOTE_KINDS

from disputes.domain import notes

COMMUNITY = "/city/street/community"
UNIT = COMMUNITY + "/compound/building/unit"


def user(role, path):
    return Principal(kind="user", grants=(Grant(role, path),))


def test_every_kind_has_a_visibility_and_only_notices_are_public():
    assert set(notes.VISIBILITY_OF_KIND) == set(NOTE_KINDS.codes)
    assert [k for k in NOTE_KINDS.codes if notes.visibility_of(k) == "public"] == ["notice"]
    assert notes.visibility_of("visit") == "staff"


@pytest.mark.parametrize("raw, stored", [
    ("  走访了 101 室  ", "走访了 101 室"),
    ("第一行  \r\n第二行\r\n", "第一行\n第二行"),
    ("a\n\n\n\n\nb", "a\n\nb"),
    ("a\rb", "a\nb"),
])
def test_text_is_cleaned(raw, stored):
    assert notes.clean_text(raw) == stored


@pytest.mark.parametrize("raw", ["", "   ", "\n\r\n\t \n"])
def test_empty_text_is_refused_naming_the_field(raw):
    with pytest.raises(ValidationFailed) as info:
        notes.clean_text(raw)
    assert info.value.fields["zh"]["text"] == ["内容不能为空。"]
    assert info.value.fields["en"]["text"] == ["The text may not be empty."]


def test_the_limit_counts_the_cleaned_text():
    assert notes.clean_text("x" * MAX_NOTE_TEXT + "   \n\n") == "x" * MAX_NOTE_TEXT
    with pytest.raises(ValidationFailed) as info:
        notes.clean_text("x" * (MAX_NOTE_TEXT + 1))
    assert "text" in info.value.fields["en"]


@pytest.mark.parametrize("role", NOTE_WRITERS)
def test_writers_write_under_their_grant(role):
    notes.require_writer(user(role, COMMUNITY), UNIT)
    notes.require_writer(user(role, UNIT), UNIT)


@pytest.mark.parametrize("principal", [
    user("community_worker", "/city/street/other-community"),   # another community
    user("community_worker", UNIT),                             # below the unit: no
    user("resident", UNIT),                                     # not a writer role
    user("lawyer", COMMUNITY),
    Principal.anonymous(),
])
def test_others_may_not_write(principal):
    with pytest.raises(Forbidden):
        notes.require_writer(principal, COMMUNITY + "/compound")


def test_the_system_may_write():
    notes.require_writer(Principal.system(), UNIT)
