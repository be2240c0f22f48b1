"""Verification codes stay out of the logs (issue 7, point 10, org's part): the ``log``
delivery channel writes the phone masked and never the code; in development mode the
last text to each phone is readable in one place, a file under the directory beside the
file store (``.run/dev-texts/`` under ``make run``), for demos and browser tests — and
outside development mode there is no such file."""
import logging
import os
import re
from pathlib import Path

import pytest

from fazhi_shared import delivery
from fazhi_shared.context import Principal
from fazhi_shared.service.testing import call_as, production_keys

ANON = Principal.anonymous()


def dev_texts() -> Path:
    return Path(os.environ["FAZHI_FILE_STORE"]).parent / "dev-texts"


def test_a_code_is_logged_without_the_phone_or_the_code(tree, caplog):
    phone = "13900007001"
    with caplog.at_level(logging.DEBUG):
        call_as(ANON, "org", "request_phone_code", phone=phone)
    code = re.search(r"验证码是(\d{6})", delivery.last_text_to(phone)).group(1)
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert phone not in logged and code not in logged
    assert "139****7001" in logged                     # the channel says where it went


def test_in_development_mode_the_last_text_is_in_a_file_beside_the_file_store(tree):
    phone = "13900007003"
    call_as(ANON, "org", "request_phone_code", phone=phone)
    text = (dev_texts() / phone).read_text(encoding="utf-8")
    assert re.search(r"验证码是(\d{6})", text)
    assert delivery.last_text_to(phone) == text


def test_outside_development_mode_no_code_is_kept_anywhere(tree, caplog, monkeypatch):
    production_keys(monkeypatch, "gateway")     # outside development mode, real keys
    phone = "13900007002"
    with caplog.at_level(logging.DEBUG):
        call_as(ANON, "org", "request_phone_code", phone=phone)
    assert not (dev_texts() / phone).exists()
    assert delivery.last_text_to(phone) is None
    assert phone not in "\n".join(r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("phone", ["../etc/passwd", "139 0000", ""])
def test_the_dev_inbox_names_files_by_canonical_phones_only(phone):
    assert delivery.last_text_to(phone) is None
