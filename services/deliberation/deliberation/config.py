"""Every setting the deliberation service reads (the deploy tests check they are all passed).

The local rules of owners' votes (DOMAIN-RULES §1) are settings: national defaults here,
overridden per city or per compound (its rules of procedure) by
``DELIBERATION_LOCAL_RULES`` (``deliberation.domain.local_rules``).
"""
import json

from fazhi_shared.config import (COMMON_SETTINGS, Setting, as_bool, database_setting,
                                 signing_key_setting)

DATABASE_URL = database_setting("deliberation")
# deliberation's own Ed25519 key: signs the calls deliberation makes as itself (its unit-tree
# bootstrap, org's electorate at notice, calls from event handlers); its public key is
# deliberation=... in FAZHI_SIGNING_PUBLIC_KEYS. The default is a development key, refused
# outside development mode: make a pair with `python -m fazhi_shared.keys new deliberation`.
SIGNING_KEY = signing_key_setting("deliberation")


def as_json_object(raw: str) -> dict:
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("must be a JSON object")
    return value


NOTICE_DAYS = Setting("DELIBERATION_NOTICE_DAYS", 15, int,
                      doc="days of notice before voting may open (national: 15)")
VOTING_DAYS = Setting("DELIBERATION_VOTING_DAYS", 15, int,
                      doc="default voting window in days (Hangzhou: 5–60)")
POSTING_DAYS = Setting("DELIBERATION_POSTING_DAYS", 15, int,
                       doc="days a result stays posted with its objection window")
ELECTRONIC_BALLOTS = Setting("DELIBERATION_ELECTRONIC_BALLOTS", True, as_bool,
                             doc="false where the city requires its official platform: "
                                 "then paper and door-to-door only")
PARKING_COUNTS = Setting("DELIBERATION_PARKING_COUNTS", True, as_bool,
                         doc="whether parking spaces count toward an owner's area")
PROXY_LIMIT = Setting("DELIBERATION_PROXY_LIMIT", 0, int,
                      doc="owners one proxy may represent per matter (0: no limit; "
                          "Weifang: 3)")
PROXY_PROPERTY_STAFF_BARRED = Setting("DELIBERATION_PROXY_PROPERTY_STAFF_BARRED", True,
                                      as_bool, doc="property-company staff may not be proxies")
DEEMED_CONSENT_ALLOWED = Setting("DELIBERATION_DEEMED_CONSENT_ALLOWED", False, as_bool,
                                 doc="a matter may report deemed consent of non-voters "
                                     "(only where the compound's rules adopt it)")
def as_local_rules(raw: str) -> dict:
    """The JSON object of local rules, each checked (a typo fails at start, not at a vote)."""
    from deliberation.domain.local_rules import check_overrides

    value = as_json_object(raw)
    check_overrides(value)
    return value


LOCAL_RULES = Setting("DELIBERATION_LOCAL_RULES", {}, as_local_rules,
                      doc='JSON: {"<city or compound id>": {"notice_days": 7, ...}}')
APPEAL_REPLY_DAYS = Setting("DELIBERATION_APPEAL_REPLY_DAYS", 5, int,
                            doc="working days to reply to an appeal, by default")
OVERDUE_CHECK_SECONDS = Setting("DELIBERATION_OVERDUE_CHECK_SECONDS", 300.0, float,
                                doc="how often overdue appeals are flagged")
POINTS = Setting("DELIBERATION_POINTS",
                 {"vote": 2, "appeal": 1, "meeting": 3, "activity": 2, "volunteering": 3},
                 as_json_object, doc="participation points per reason")

SETTINGS = COMMON_SETTINGS + [DATABASE_URL, SIGNING_KEY, NOTICE_DAYS, VOTING_DAYS,
                              POSTING_DAYS, ELECTRONIC_BALLOTS, PARKING_COUNTS, PROXY_LIMIT,
                              PROXY_PROPERTY_STAFF_BARRED, DEEMED_CONSENT_ALLOWED, LOCAL_RULES,
                              APPEAL_REPLY_DAYS, OVERDUE_CHECK_SECONDS, POINTS]
