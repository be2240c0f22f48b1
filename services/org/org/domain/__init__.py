"""org's pure rules: functions of their arguments only — no database, no nameko, no
clock (a day or a moment is always passed in). Use cases load rows, call these, and
write what they decide; every rule here has exhaustive unit tests in ``tests/``.

- ``tree``        the shape of the unit tree, who may write units
- ``account_admin`` who may see an account and grant, revoke, reset or disable it
- ``electorate``  areas (SPC art. 8) and who counts once in owners' votes (art. 9)
- ``refusals``    a refusal naming every problem, per field, in Chinese and English
- ``periods``     on which days a term, a contract, a membership or a duty counts
- ``bodies``      compound bodies: mediation committee, owners' committee, property company
- ``party``       Party organisations: which kind sits at which level, under which parent
- ``five_haves``  the five haves (五有) of a compound on a day, and their coverage

Codes (kinds, positions, sources…) come from ``fazhi_org_contract.vocabulary``;
``tests/test_vocabulary.py`` checks that every table keyed by code covers exactly them.
"""
