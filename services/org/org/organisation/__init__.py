"""Use cases of the organisation (Step 1 of the seed): Party organisations and their
members, public profiles (``party``), the compound's bodies (``bodies``), the micro-grid
and its grid workers (``grids``), and the "five haves" checklist and coverage report
(``five_haves``); ``common`` holds what they share.

The rules are pure (``org.domain``); these modules load, check scope and role, write,
audit and emit through the outbox — they never commit (``@endpoint`` does). Scope is
always judged on the unit's *current* path (joined from ``units``), so a compound moved
to another community is seen by its new staff at once.
"""
