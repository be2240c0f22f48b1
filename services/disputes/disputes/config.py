"""Every setting the disputes service reads (the deploy tests check they are all passed)."""
from fazhi_shared.config import COMMON_SETTINGS, Setting, database_setting, signing_key_setting

DATABASE_URL = database_setting("disputes")
# disputes's own Ed25519 key: signs the calls disputes makes as itself (its unit-tree
# bootstrap, calls from event handlers); its public key is disputes=... in
# FAZHI_SIGNING_PUBLIC_KEYS. The default is a development key, refused outside
# development mode: make a pair with `python -m fazhi_shared.keys new disputes`.
SIGNING_KEY = signing_key_setting("disputes")
TIME_LIMIT_DAYS = Setting(
    "DISPUTES_TIME_LIMIT_DAYS", 30, int,
    doc="days a case may stay at one level (accepted or escalated) before it is overdue "
        "(People's Mediation Law: about one month); counted under the holiday calendar")
OVERDUE_SWEEP_SECONDS = Setting(
    "DISPUTES_OVERDUE_SWEEP_SECONDS", 300.0, float,
    doc="how often the overdue timer flags cases past their time limit")

SETTINGS = COMMON_SETTINGS + [DATABASE_URL, SIGNING_KEY, TIME_LIMIT_DAYS, OVERDUE_SWEEP_SECONDS]
