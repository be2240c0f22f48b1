"""legal's calls to org, made as legal's own identity (a service principal signed with
``LEGAL_SIGNING_KEY``; org's contract opens these methods to services), within the
time the user's request has left. org not answering is a 503, raised before legal writes
anything."""
from __future__ import annotations

import time

from fazhi_shared.config import RPC_TIMEOUT
from fazhi_shared.context import Principal
from fazhi_shared.errors import DeadlineExceeded, NotFound, ServiceUnavailable, unavailable
from fazhi_shared.service.calls import call, service_context


class Org:
    def __init__(self, principal: Principal, amqp_uri: str | None,
                 patience: float | None = None):
        self.principal = principal
        self.amqp_uri = amqp_uri
        self.patience = patience          # seconds per call for a caller without deadline

    def _seconds(self) -> float:
        if self.principal.deadline is None:
            return self.patience or RPC_TIMEOUT.get()
        return self.principal.deadline - time.time()

    def call(self, method: str, **kwargs):
        seconds = self._seconds()
        if seconds <= 0:
            raise DeadlineExceeded()
        context = service_context("legal", seconds, self.principal.request_id)
        try:
            return call("org", method, kwargs, context=context, amqp_uri=self.amqp_uri)
        except ServiceUnavailable:
            raise unavailable("org") from None

    def person(self, person_id: str) -> dict | None:
        """The person, masked (``get_person``); None when org does not know them."""
        try:
            return self.call("get_person", id=person_id)
        except NotFound:
            return None

    def person_facts(self, person_id: str, on: str) -> dict:
        """Age and gender on a day, derived by org from the ID number (never revealed)."""
        return self.call("person_facts", person_id=person_id, on=on)

    def grant_role(self, person_id: str, role: str, unit_id: str, reason: str) -> dict:
        return self.call("grant_person_role", person_id=person_id, role=role,
                         unit_id=unit_id, reason=reason)

    def seat_mediator(self, person_id: str, unit_id: str, reason: str) -> dict:
        return self.call("seat_mediation_committee_member", person_id=person_id,
                         unit_id=unit_id, reason=reason)
