"""Every setting the disputes service reads (the deploy tests check they are all passed).

Add a setting here as a ``Setting("DISPUTES_…", default, cast, doc=…)`` and to
``SETTINGS``; then give it to the container in ``deploy/compose.yaml`` and
``deploy/k8s/`` (secrets through a Secret), and list it in the README.
"""
from fazhi_shared.config import COMMON_SETTINGS, database_setting, signing_key_setting

DATABASE_URL = database_setting("disputes")
# disputes's own Ed25519 key: signs the calls disputes makes as itself (its unit-tree
# bootstrap, calls from event handlers); its public key is disputes=... in
# FAZHI_SIGNING_PUBLIC_KEYS. The default is a development key, refused outside
# development mode: make a pair with `python -m fazhi_shared.keys new disputes`.
SIGNING_KEY = signing_key_setting("disputes")

SETTINGS = COMMON_SETTINGS + [DATABASE_URL, SIGNING_KEY]
