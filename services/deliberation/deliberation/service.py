"""The deliberation service's nameko adapter: validate → call the use case → dump.

``@endpoint`` validates the input, checks the caller and commits a successful write;
``Service`` gives ``db``, ``outbox``, ``unit_tree`` and ``ping``
(``fazhi_shared.service.defaults``). Rules live in ``deliberation.domain``, use cases in
the modules beside this one; nothing else belongs here.
"""
from __future__ import annotations

from fazhi_shared.service.defaults import Service

from fazhi_deliberation_contract import CONTRACT

from deliberation.config import DATABASE_URL, SETTINGS
from deliberation.handlers import UnitTreeHandlers
from deliberation.models import tables


class DeliberationService(Service, UnitTreeHandlers):
    name = "deliberation"
    database = DATABASE_URL
    tables = tables
    settings = SETTINGS
    contract = CONTRACT
