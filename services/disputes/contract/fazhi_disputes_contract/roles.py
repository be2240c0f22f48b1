"""Who may do what in the disputes service, in one place.

The use cases check these on the caller's grants (``Principal.can_act_at``, through
``disputes.domain``); the routes in ``http.py`` use the same tuples as the gateway's first
gate, so the door and the service's own check cannot drift apart. Pure data.
"""
from fazhi_shared.context import ROLES

# Who may write a note on a unit (on a grant covering the unit).
NOTE_WRITERS = ("city_admin", "street_admin", "community_worker", "grid_worker",
                "property_staff")
# Anyone signed in with a role may list notes: staff see those under their grants,
# residents the public notes of their own compound (fazhi_shared.scope).
NOTE_READERS = ROLES
