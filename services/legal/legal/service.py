"""The legal service's nameko adapter: validate → call the use case → dump.

``@endpoint`` validates the input, checks the caller and commits a successful write;
``Service`` gives ``db``, ``outbox``, ``unit_tree`` and ``ping``
(``fazhi_shared.service.defaults``). Rules live in ``legal.domain``, use cases in
``legal.notes``; nothing else belongs here.
"""
from __future__ import annotations

from fazhi_shared.service.defaults import Service
from fazhi_shared.service.rpc import endpoint

from fazhi_legal_contract import CONTRACT
from fazhi_legal_contract import schemas as s

from legal.config import DATABASE_URL, SETTINGS
from legal.handlers import UnitTreeHandlers
from legal.models import tables


class LegalService(Service, UnitTreeHandlers):
    name = "legal"
    database = DATABASE_URL
    tables = tables
    settings = SETTINGS
    contract = CONTRACT      # service_callable: what other services may call as themselves
