"""One service calling another: the nested call's timeout and its message's TTL come from
the caller's remaining deadline, on the real broker."""
import dataclasses
import time

import pytest
from kombu import Connection, Exchange, Queue

from fazhi_shared.context import Grant, Principal, sign
from fazhi_shared.errors import DeadlineExceeded, FazhiError
from fazhi_shared.service.calls import ServiceCalls
from fazhi_shared.service.calls import call as nested_call
from fazhi_shared.service.rpc import ServiceBase, endpoint
from fazhi_shared.service.rpc_client import RpcClient, context_for
from fazhi_shared.service.testing import queue_depth, running_services, wait_until

STALLED = "stalled_calls"      # a service whose queue exists but nobody consumes


class Inner(ServiceBase):
    name = "inner_calls"

    @endpoint()
    def whoami(self, caller, data):
        return {"account_id": caller.account_id, "deadline": caller.deadline,
                "request_id": caller.request_id}


class Outer(ServiceBase):
    name = "outer_calls"
    calls = ServiceCalls()

    @endpoint()
    def ask_stalled(self, caller, data):
        started = time.monotonic()
        try:
            self.calls.call(STALLED, "work")
        except FazhiError as exc:
            return {"error": exc.code, "waited": time.monotonic() - started}
        return {"error": None}

    @endpoint()
    def ask_inner(self, caller, data):
        return self.calls.call("inner_calls", "whoami")


USER = Principal(kind="user", account_id="acc-1", grants=(Grant("city_admin", "/c"),),
                 request_id="req-nested")


@pytest.fixture(scope="module")
def stalled_queue(vhost_uri):
    """The request queue of a stopped service: requests wait there, nobody answers."""
    queue = Queue(f"rpc-{STALLED}", exchange=Exchange("nameko-rpc", type="topic", durable=True),
                  routing_key=f"{STALLED}.*", durable=True)
    with Connection(vhost_uri) as conn:
        queue.bind(conn.default_channel).declare()
    yield queue.name
    with Connection(vhost_uri) as conn:
        queue.bind(conn.default_channel).delete()


@pytest.fixture(scope="module")
def services(vhost_uri):
    with running_services(Outer, Inner, config={"max_workers": 4}):
        yield


def call_with_deadline(method, seconds_left):
    p = dataclasses.replace(USER, deadline=time.time() + seconds_left)
    c = RpcClient()
    try:
        return c.call("outer_calls", method, {}, context_for(sign(p), p.request_id), timeout=3)
    finally:
        c.close()


def test_nested_call_with_300ms_left_times_out_in_300ms_and_expires(services, stalled_queue,
                                                                    vhost_uri):
    started = time.monotonic()
    result = call_with_deadline("ask_stalled", 0.3)
    elapsed = time.monotonic() - started
    assert result["error"] == DeadlineExceeded.code
    assert 0.15 <= result["waited"] <= 0.4, result
    assert elapsed < 0.6
    # its message had the same TTL: it leaves the stalled service's queue by itself
    wait_until(lambda: queue_depth(vhost_uri, stalled_queue) == 0, timeout=1.5,
               interval=0.05, what="the nested request to expire in the queue")


def test_nested_call_after_the_deadline_is_not_sent(services, stalled_queue, vhost_uri):
    with pytest.raises(DeadlineExceeded):
        nested_call(STALLED, "work", {}, context=context_for(
            sign(dataclasses.replace(USER, deadline=time.time() - 1)), "late"))
    assert queue_depth(vhost_uri, stalled_queue) == 0


def test_nested_call_carries_the_callers_context(services):
    result = call_with_deadline("ask_inner", 2)
    assert result["account_id"] == "acc-1" and result["request_id"] == "req-nested"
    assert result["deadline"] == pytest.approx(time.time() + 2, abs=1)


def test_plain_call_from_a_process_with_its_own_deadline(services, stalled_queue):
    """Outside a worker (a bootstrap), the caller states its own time budget."""
    from fazhi_shared.service.calls import service_context

    started = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        nested_call(STALLED, "work", {}, context=service_context("outer_calls", 0.3))
    assert time.monotonic() - started == pytest.approx(0.3, abs=0.15)
