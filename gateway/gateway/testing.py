"""Helpers for tests that drive the gateway (its own tests and other packages'):
logins made through org's RPCs as the system, and bearer headers from a real login."""
from __future__ import annotations

import uuid

from fazhi_shared.context import Principal
from fazhi_shared.service.testing import call_as

SYSTEM = Principal.system()
PASSWORD = "correct-horse-42"


def make_login(unit_id: str, role: str | None, person_id: str | None = None,
               username: str | None = None) -> dict:
    """A new account (and person, unless given) holding ``role`` on the unit, if any."""
    username = username or f"u_{uuid.uuid4().hex[:10]}"
    if person_id is None:
        person_id = call_as(SYSTEM, "org", "create_person", name=f"{username}的主人",
                            unit_id=unit_id)["id"]
    account = call_as(SYSTEM, "org", "create_account", username=username, password=PASSWORD,
                      person_id=person_id)
    grant = None
    if role:
        grant = call_as(SYSTEM, "org", "grant_role", account_id=account["id"], role=role,
                        unit_id=unit_id)
    return {"username": username, "password": PASSWORD, "id": account["id"],
            "person_id": person_id, "grant": grant}


def headers_for(client, account: dict) -> dict:
    """``Authorization`` headers from a real login through the gateway (asserting 200)."""
    r = client.post("/api/v1/auth/login", json={"username": account["username"],
                                                 "password": account["password"]})
    assert r.status_code == 200, r.get_json()
    return {"Authorization": f"Bearer {r.get_json()['access_token']}"}


# -- a fake RPC for the gateway's own tests ---------------------------------------------------
def example(schema) -> dict:
    """A plausible instance of a marshmallow output schema (class or instance): what the
    fake RPC answers when a test did not say otherwise. Lists hold one example item."""
    from marshmallow import fields as f

    schema = schema() if isinstance(schema, type) else schema
    out = {}
    for name, field in schema.fields.items():
        if field.load_only:
            continue
        out[field.data_key or name] = _example_value(field, f)
    return out


def _example_value(field, f):
    if isinstance(field, f.Nested):
        nested = field.nested() if callable(field.nested) and not isinstance(
            field.nested, type) else field.nested
        value = example(nested)
        return [value] if field.many else value
    if isinstance(field, f.List):
        return [_example_value(field.inner, f)]
    if isinstance(field, f.Dict):
        return {}
    if isinstance(field, f.Boolean):
        return True
    if isinstance(field, (f.Integer, f.Float, f.Decimal)):
        return 1
    if isinstance(field, f.DateTime):
        return "2026-11-30T08:00:00+00:00"
    if isinstance(field, f.Date):
        return "2026-11-30"
    return "示例"


class FakeRpc:
    """Stands in for the RPC client (``gateway.rpc.client``): records every call with its
    verified caller, and answers from ``answers`` — a value, an exception to raise, or a
    function of the keyword arguments — else with an example of the route's output."""

    def __init__(self):
        from fazhi_shared.context import verify

        self._verify = verify
        self.calls: list = []
        self.answers: dict = {}
        self.examples: dict = {}

    def answer(self, service: str, method: str, value) -> None:
        self.answers[(service, method)] = value

    def call(self, service, method, kwargs=None, context=None, timeout=None):
        principal = self._verify((context or {}).get("fazhi_caller"))
        self.calls.append((service, method, kwargs or {}, principal))
        value = self.answers.get((service, method), self.examples.get((service, method)))
        if isinstance(value, Exception):
            raise value
        if callable(value):
            return value(**(kwargs or {}))
        return value

    def call_many(self, calls, context=None, timeout=None):
        out = []
        for service, method, kwargs in calls:
            try:
                out.append(self.call(service, method, kwargs, context, timeout))
            except Exception as exc:   # call_many returns errors as values
                out.append(exc)
        return out

    def calls_to(self, service: str, method: str) -> list:
        return [c for c in self.calls if c[0] == service and c[1] == method]


def fake_account(grants=(), disabled=False, password_changed_at=None) -> dict:
    """An org account as ``authenticate``/``get_account`` answer it, holding ``grants``
    (pairs of role and path)."""
    return {"id": str(uuid.uuid4()), "username": f"u_{uuid.uuid4().hex[:8]}",
            "person_id": str(uuid.uuid4()), "disabled": disabled,
            "password_changed_at": password_changed_at,
            "grants": [{"id": str(uuid.uuid4()), "role": role, "path": path}
                       for role, path in grants]}


def fake_rpc_for(contracts) -> FakeRpc:
    """A fake whose default answers are examples of each contract route's output."""
    fake = FakeRpc()
    for contract in contracts:
        fake.examples[(contract.service, "ping")] = {"service": contract.service,
                                                     "database": True}
        for route in contract.routes:
            if route.output is not None:
                fake.examples[(contract.service, route.rpc)] = example(route.output)
    return fake
