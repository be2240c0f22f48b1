"""Input the shared base refuses cleanly, once for every service (issue 8, point 1):
control characters in any text field, dates a term cannot be added to, crafted cursors.
Each is a 422 naming the field, in Chinese and English, instead of a 500 further down."""
import base64
import json
from datetime import date

import pytest
from marshmallow import fields

from fazhi_shared.errors import ValidationFailed
from fazhi_shared.schemas import BaseSchema, PageInput, decode_cursor, encode_cursor
from fazhi_shared.service.rpc import load


class Member(BaseSchema):
    name = fields.String(required=True)


class Sample(BaseSchema):
    name = fields.String()
    note = fields.String()
    tags = fields.List(fields.String())
    members = fields.List(fields.Nested(Member))
    start = fields.Date()
    at = fields.DateTime()


def refused(data, schema=Sample) -> dict:
    with pytest.raises(ValidationFailed) as info:
        load(schema(), data)
    return info.value.fields


@pytest.mark.parametrize("bad", ["\x00", "a\x00b", "\x01", "\x08", "\x0b", "\x1b[31m",
                                 "\x7f", "\x85", "\ud800", "\uffff"])
def test_control_characters_are_refused_naming_the_field(bad):
    got = refused({"name": f"阳光{bad}小区"})
    assert got["zh"] == {"name": ["不能包含控制字符。"]}
    assert got["en"] == {"name": ["Must not contain control characters."]}


def test_control_characters_are_refused_in_lists_nested_schemas_and_page_input():
    got = refused({"tags": ["ok", "x\x00"], "members": [{"name": "ok"}, {"name": "\x00"}]})
    assert set(got["zh"]) == {"tags.1", "members.1.name"}
    got = refused({"q": "\x00"}, type("Search", (PageInput,), {"q": fields.String()}))
    assert got["zh"] == {"q": ["不能包含控制字符。"]}


def test_tab_and_newline_stay_allowed_in_text():
    assert load(Sample(), {"note": "第一行\n第二行\r\n\t缩进"})["note"] == "第一行\n第二行\r\n\t缩进"


@pytest.mark.parametrize("field,value", [("start", "9999-12-31"), ("start", "0001-01-01"),
                                         ("at", "9999-12-31T23:59:59+00:00")])
def test_dates_a_term_cannot_be_added_to_are_refused(field, value):
    got = refused({field: value})
    assert got["zh"] == {field: ["日期须在 1900-01-01 至 2999-12-31 之间。"]}
    assert got["en"] == {field: ["Must be between 1900-01-01 and 2999-12-31."]}


def test_ordinary_dates_pass():
    assert load(Sample(), {"start": "2026-02-28"})["start"] == date(2026, 2, 28)


def _b64(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize("values,n", [([1], 1), ([True], 1), ([1e308], 1), ([1, 2], 2),
                                      ([None], 1), ([["x"]], 1), ([{"a": 1}], 1),
                                      (["a\x00"], 1), (["x" * 5000], 1), ([1, 2], 1)])
def test_crafted_cursors_are_a_422_naming_cursor(values, n):
    with pytest.raises(ValidationFailed) as info:
        decode_cursor(_b64(values), n)
    assert info.value.fields["zh"] == {"cursor": ["分页游标无效。"]}


def test_crafted_cursor_text_is_a_422_naming_cursor():
    for bad in ("\x00", "é" * 10, "A" * 5000, "[1]", "W1066"):
        with pytest.raises(ValidationFailed) as info:
            decode_cursor(bad, 1)
        assert "cursor" in info.value.fields["zh"]


def test_real_cursors_still_round_trip():
    assert decode_cursor(encode_cursor(["阳光小区", "0190f0a0-0000-7000-8000-000000000000"]),
                         2) == ["阳光小区", "0190f0a0-0000-7000-8000-000000000000"]
