"""Expected refusals are logged as what they are (issue 8, point 12): a 401, 403, 404, 409,
422 or a passed deadline is the caller's business, not a fault of the service — one line
(INFO, a deadline WARNING), no traceback. nameko used to log each at ERROR with its
traceback. A real fault still is an ERROR with its traceback."""
import logging
import time

import pytest
from marshmallow import fields

from fazhi_shared.context import Principal
from fazhi_shared.errors import (Conflict, DeadlineExceeded, FazhiError, Forbidden, NotFound,
                                 Unauthenticated, ValidationFailed)
from fazhi_shared.schemas import BaseSchema
from fazhi_shared.service.rpc import ServiceBase, endpoint
from fazhi_shared.service.rpc_client import RpcClient
from fazhi_shared.service.testing import call_as, private_vhost, running_services

USER = Principal(kind="user", account_id="acc-1")


class Named(BaseSchema):
    name = fields.String(required=True)


class RefusingService(ServiceBase):
    name = "refusing"

    @endpoint()
    def forbidden(self, caller, data):
        raise Forbidden()

    @endpoint()
    def missing(self, caller, data):
        raise NotFound()

    @endpoint()
    def taken(self, caller, data):
        raise Conflict()

    @endpoint(Named)
    def named(self, caller, data):
        return data["name"]

    @endpoint()
    def broken(self, caller, data):
        raise RuntimeError("a real fault")


@pytest.fixture(scope="module")
def refusing():
    # Its own vhost: the module's service must not meet other modules' in-process services.
    with private_vhost("fazhi-refusal-test"), running_services(RefusingService):
        yield


def records_of(caplog, method):
    return [r for r in caplog.records if f"refusing.{method}" in r.getMessage()
            or f"[refusing.{method}]" in r.getMessage()]


@pytest.mark.parametrize("method,kwargs,error,level", [
    ("forbidden", {}, Forbidden, logging.INFO),
    ("missing", {}, NotFound, logging.INFO),
    ("taken", {}, Conflict, logging.INFO),
    ("named", {"name": 1}, ValidationFailed, logging.INFO),
])
def test_a_refusal_is_one_line_without_traceback(refusing, caplog, method, kwargs, error,
                                                 level):
    caplog.set_level(logging.INFO)
    with pytest.raises(error):
        call_as(USER, "refusing", method, **kwargs)
    time.sleep(0.1)         # nameko logs after the reply is sent
    lines = records_of(caplog, method)
    assert [r.levelno for r in lines] == [level], [(r.levelname, r.getMessage()) for r in lines]
    assert lines[0].exc_info is None and lines[0].exc_text is None
    assert error.code in lines[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [
        r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_unauthenticated_call_is_one_line(refusing, caplog):
    caplog.set_level(logging.INFO)
    client = RpcClient()
    try:
        with pytest.raises(Unauthenticated):
            client.call("refusing", "missing", {}, {}, timeout=5)
    finally:
        client.close()
    time.sleep(0.1)
    lines = records_of(caplog, "missing")
    assert [r.levelno for r in lines] == [logging.INFO]
    assert lines[0].exc_info is None and "unauthenticated" in lines[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_passed_deadline_is_one_warning(refusing, caplog):
    import dataclasses

    from fazhi_shared.context import sign
    from fazhi_shared.service.rpc_client import client, context_for

    caplog.set_level(logging.INFO)
    late = dataclasses.replace(USER, deadline=time.time() - 1)
    with pytest.raises(DeadlineExceeded):
        client().call("refusing", "taken", {}, context_for(sign(late), "test"), 5)
    time.sleep(0.1)
    lines = records_of(caplog, "taken")
    assert [r.levelno for r in lines] == [logging.WARNING]
    assert lines[0].exc_info is None and "deadline_exceeded" in lines[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_real_fault_is_still_an_error_with_its_traceback(refusing, caplog):
    caplog.set_level(logging.INFO)
    with pytest.raises(FazhiError):
        call_as(USER, "refusing", "broken")
    time.sleep(0.1)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(r.exc_info and isinstance(r.exc_info[1], RuntimeError) for r in errors)
