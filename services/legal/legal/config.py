"""Every setting the legal service reads (the deploy tests check they are all passed).

Add a setting here as a ``Setting("LEGAL_…", default, cast, doc=…)`` and to
``SETTINGS``; then give it to the container in ``deploy/compose.yaml`` and
``deploy/k8s/`` (secrets through a Secret), and list it in the README.
"""
from fazhi_shared.config import (COMMON_SETTINGS, Setting, database_setting,
                                 signing_key_setting)

from legal.domain.roster import parse_shift_times

DATABASE_URL = database_setting("legal")
# legal's own Ed25519 key: signs the calls legal makes as itself (its unit-tree
# bootstrap, its calls to org); its public key is legal=... in
# FAZHI_SIGNING_PUBLIC_KEYS. The default is a development key, refused outside
# development mode: make a pair with `python -m fazhi_shared.keys new legal`.
SIGNING_KEY = signing_key_setting("legal")


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError("must be at least 1")
    return value


def _shift_times(raw: str) -> str:
    parse_shift_times(raw)
    return raw


COMMUNITY_TARGET = Setting(
    "LEGAL_COMMUNITY_TARGET", 3, _positive,
    doc="the national target of confirmed legal-literate persons per village or community")
TRAINING_MINIMUM = Setting(
    "LEGAL_TRAINING_MINIMUM", 1, _positive,
    doc="training sessions a legal-literate person attends a year; fewer are flagged")
SHIFT_TIMES = Setting(
    "LEGAL_SHIFT_TIMES", "09:00-12:00,14:00-17:30", _shift_times,
    doc="the two half-day duty shifts, local time (Asia/Shanghai): 'HH:MM-HH:MM,HH:MM-HH:MM'")
PROFILE_BASE_URL = Setting(
    "LEGAL_PROFILE_BASE_URL", "http://127.0.0.1:8000",
    doc="the public address of the web pages: a name card's QR code opens "
        "<base>/h5/legal/people/<id>, and calendar feed URLs start with it")
AGREEMENT_WARNING_DAYS = Setting(
    "LEGAL_AGREEMENT_WARNING_DAYS", 30, _positive,
    doc="days before an adviser agreement ends when legal.agreement.expiring is sent")
AGREEMENT_CHECK_SECONDS = Setting(
    "LEGAL_AGREEMENT_CHECK_SECONDS", 3600, _positive,
    doc="seconds between checks for agreements ending soon")

SETTINGS = COMMON_SETTINGS + [DATABASE_URL, SIGNING_KEY, COMMUNITY_TARGET, TRAINING_MINIMUM,
                              SHIFT_TIMES, PROFILE_BASE_URL, AGREEMENT_WARNING_DAYS,
                              AGREEMENT_CHECK_SECONDS]
