"""Who may do what in the deliberation service, in one place.

The use cases check these on the caller's grants (``Principal.can_act_at``, through
``deliberation.domain``); the routes in ``http.py`` use the same tuples as the gateway's
first gate, so the door and the service's own check cannot drift apart. Pure data.
"""
from fazhi_shared.context import ROLES, STAFF_ROLES

# Who prepares a matter, gives its notice, opens and closes its vote (on the compound).
MATTER_WRITERS = ("city_admin", "street_admin", "community_worker", "owners_committee")
# Who enters paper ballots, door-to-door records and proxy ballots. Property staff are
# left out: the property company is often a party to what owners decide.
BALLOT_CLERKS = ("city_admin", "street_admin", "community_worker", "grid_worker",
                 "owners_committee")
# Who may read other owners' ballots (each read audited).
BALLOT_AUDITORS = ("auditor",)
# Who categorises, assigns, answers and refers appeals.
APPEAL_HANDLERS = ("city_admin", "street_admin", "community_worker", "grid_worker",
                   "property_staff", "owners_committee")
# Who records law-aided deliberation meetings.
MEETING_WRITERS = ("city_admin", "street_admin", "community_worker", "grid_worker",
                   "owners_committee", "lawyer", "legal_literate")
# Staff who read matters, turnout, the roll, appeals boards and rankings in their scope.
STAFF_READERS = STAFF_ROLES
# Everyone with a role: residents read their compound's matters, results and mirror.
READERS = ROLES
