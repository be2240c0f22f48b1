"""Who may do what in the legal service, in one place.

The use cases check these on the caller's grants (``Principal.can_act_at``, through
``legal.domain.access``); the routes in ``http.py`` use the same tuples as the gateway's
first gate, so the door and the service's own check cannot drift apart. Pure data.
"""
from fazhi_shared.context import ROLES

ADMINS = ("city_admin", "street_admin")
# Intake, assessment, training, promotion, law firms, agreements, rosters.
JUDICIAL = ADMINS + ("judicial_staff",)
# Coverage of buildings by legal-literate persons.
COVERAGE_READERS = JUDICIAL + ("community_worker", "grid_worker", "auditor")
# Intake (nominations) also comes through community workers.
NOMINATORS = JUDICIAL + ("community_worker",)
# Lawyers and volunteers on duty: their own shifts, swaps, consultations.
HELPERS = ("lawyer", "volunteer")
# Staff who book on a resident's behalf (代办) and record walk-ins.
DESK = JUDICIAL + ("community_worker", "grid_worker", "property_staff", "legal_literate")
# Who records consultations.
CONSULTANTS = HELPERS + DESK
# Who publishes a compound's lists and conventions.
PUBLISHERS = ADMINS + ("judicial_staff", "community_worker", "property_staff",
                       "owners_committee")
# Reading rosters, consultations in scope: staff.
STAFF_READERS = tuple(r for r in ROLES if r != "resident")
# Residents book; everyone with a role reads the duty board in their scope.
BOOKERS = ("resident",) + DESK
EVERYONE = ROLES
