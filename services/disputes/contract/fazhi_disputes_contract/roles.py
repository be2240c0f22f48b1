"""Who may do what in the disputes service, in one place.

The use cases check these on the caller's grants (``Principal.can_act_at``, through
``disputes.domain``); the routes in ``http.py`` use the same tuples as the gateway's first
gate, so the door and the service's own check cannot drift apart. Pure data.
"""
from fazhi_shared.context import ROLES, STAFF_ROLES

# Register a case on a unit (on a grant covering it).
CASE_REGISTRARS = ("city_admin", "street_admin", "judicial_staff", "community_worker",
                   "grid_worker", "mediator", "property_staff")
# Work a case through the workflow (accept, mediate, escalate, settle, close, …).
CASE_HANDLERS = ("city_admin", "street_admin", "judicial_staff", "community_worker",
                 "mediator")
# Residents report a problem and follow their own cases (the parties visibility class).
REPORTERS = ("resident",)
CASE_READERS = ROLES
# Check a case's log chain.
CHAIN_CHECKERS = ("city_admin", "street_admin", "judicial_staff", "auditor")
# Run campaigns, and work their rectification items.
CAMPAIGN_MANAGERS = ("city_admin", "street_admin", "judicial_staff", "community_worker")
ITEM_WORKERS = CAMPAIGN_MANAGERS + ("grid_worker", "property_staff", "owners_committee")
# Who may verify a submitted item (not those who rectify it).
ITEM_VERIFIERS = CAMPAIGN_MANAGERS
STATS_READERS = STAFF_ROLES
REPORT_EXPORTERS = ("city_admin", "street_admin", "judicial_staff", "community_worker",
                    "auditor")
