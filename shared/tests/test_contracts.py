"""Errors, caller context, pagination cursors and the clock."""
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
from marshmallow import fields
from nameko.exceptions import serialize

from fazhi_shared import clock
from fazhi_shared.context import Grant, Principal, sign, verify
from fazhi_shared.errors import (BadRequest, Conflict, DeadlineExceeded, FazhiError,
                                 NotFound, Unauthenticated, ValidationFailed, from_wire)
from fazhi_shared.i18n import field_message_zh, pick_language
from fazhi_shared.schemas import BaseSchema, PageInput, decode_cursor, encode_cursor
from fazhi_shared.service.rpc import load


class Sample(BaseSchema):
    name = fields.String(required=True)
    size = fields.Integer()
    tags = fields.List(fields.String())


def test_validation_errors_name_each_field_in_chinese_and_english():
    with pytest.raises(ValidationFailed) as info:
        load(Sample(), {"size": "x", "tags": [1], "colour": "red"})
    err = info.value
    assert err.status == 422
    zh = err.to_payload("zh")["fields"]
    en = err.to_payload("en")["fields"]
    assert zh["name"] == ["缺少必填字段。"] and en["name"] == ["Missing data for required field."]
    assert zh["size"] == ["不是有效的整数。"]
    assert zh["colour"] == ["未知字段。"]
    assert zh["tags.0"] == ["不是有效的字符串。"]


def test_unknown_marshmallow_message_keeps_english():
    assert field_message_zh("Something odd.") == "输入无效：Something odd."
    assert field_message_zh("Longer than maximum length 200.") == "长度不能超过 200。"
    assert field_message_zh("Must be one of: a, b.") == "必须是以下之一：a, b。"


def test_language_choice():
    assert pick_language(None) == "zh"
    assert pick_language("en-US,en;q=0.9") == "en"
    assert pick_language("zh-CN,zh;q=0.9,en;q=0.8") == "zh"


@pytest.mark.parametrize("exc", [NotFound(), Conflict("冲突", "conflict"),
                                 ValidationFailed.for_field("x", "错", "wrong"),
                                 DeadlineExceeded(), FazhiError()])
def test_typed_errors_survive_the_rpc_wire(exc):
    # nameko serialises on the service side; our wire decoder (no nameko) reads it back.
    back = from_wire(json.loads(json.dumps(serialize(exc))))
    assert type(back) is type(exc)
    assert back.to_payload("zh") == exc.to_payload("zh")
    assert back.to_payload("en") == exc.to_payload("en")
    assert back.status == exc.status


def test_nameko_dispatch_errors_are_bad_requests_and_others_stay_opaque():
    from nameko.exceptions import MethodNotFound

    assert type(from_wire(serialize(MethodNotFound("nope")))) is BadRequest
    back = from_wire(serialize(KeyError("secret internals")))
    assert type(back) is FazhiError and "secret" not in back.to_payload("en")["message"]


def test_statuses_follow_the_contract():
    assert [c.status for c in (NotFound, Conflict, Unauthenticated, DeadlineExceeded)] == \
        [404, 409, 401, 503]


def test_context_round_trip_and_forgery():
    p = Principal(kind="user", account_id="a", person_id="p",
                  grants=(Grant("street_admin", "/c/s"),), request_id="r",
                  deadline=time.time() + 5, lang="en")
    token = sign(p)
    assert verify(token) == p
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    with pytest.raises(Unauthenticated):                # signed with another key
        verify(sign(p, key=Ed25519PrivateKey.generate()))
    with pytest.raises(Unauthenticated):
        verify(None)
    with pytest.raises(Unauthenticated):
        verify(token[:-2] + "xx")


def test_deadline():
    Principal(kind="user", deadline=time.time() + 1).check_deadline()
    with pytest.raises(DeadlineExceeded):
        Principal(kind="user", deadline=time.time() - 0.001).check_deadline()
    Principal(kind="user", deadline=None).check_deadline()


def test_cursor_round_trip_and_garbage():
    assert decode_cursor(encode_cursor(["名字", "id-1"]), 2) == ["名字", "id-1"]
    for bad in ("%%%", encode_cursor(["a"]), "bm90IGpzb24"):
        with pytest.raises(ValidationFailed) as info:
            decode_cursor(bad, 2)
        assert "cursor" in info.value.fields["zh"]


def test_page_limits():
    assert PageInput().load({}) == {"cursor": None, "limit": 50}
    for bad in (0, 201, "x"):
        with pytest.raises(Exception):
            load(PageInput(), {"limit": bad})


def test_clock_follows_the_file_in_every_process(clock_file):
    frozen = datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc)
    clock.set_clock(clock_file, frozen=frozen)
    assert clock.now() == frozen
    assert clock.today_local().isoformat() == "2026-03-01"
    child = subprocess.run(
        [sys.executable, "-c", "from fazhi_shared import clock; print(clock.now().isoformat())"],
        capture_output=True, text=True, env=os.environ, check=True)
    assert child.stdout.strip() == frozen.isoformat()
    clock.set_clock(clock_file, offset_seconds=86400)
    assert abs((clock.now() - datetime.now(timezone.utc)) - timedelta(days=1)) < timedelta(seconds=5)


def test_local_dates_are_shanghai():
    late_utc = datetime(2026, 3, 1, 17, 0, tzinfo=timezone.utc)      # 01:00 on 2 March local
    assert clock.to_local(late_utc).date().isoformat() == "2026-03-02"
    assert clock.parse_time("2026-03-02T01:00:00") == late_utc
