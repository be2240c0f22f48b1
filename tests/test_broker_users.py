"""``make run`` gives each process its own broker user (issue 7, point 3).

``deploy/local/stack.py`` creates ``fazhi-<name>`` for every service and the gateway with
the permissions of ``fazhi_shared.keys.broker_permissions`` (through the management API,
or ``rabbitmqctl``), and starts each process with an ``AMQP_URI`` naming its user: org may
publish on ``org.events``, the gateway may not.
"""
import importlib.util
import uuid
from pathlib import Path

import pytest
from kombu import Connection, Exchange, Producer

from fazhi_shared.service.testing import private_vhost

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def stack(monkeypatch):
    spec = importlib.util.spec_from_file_location(f"stack_{uuid.uuid4().hex[:6]}",
                                                  ROOT / "deploy" / "local" / "stack.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with private_vhost("fazhi-stack-test") as uri:
        monkeypatch.setenv("AMQP_URI", uri)
        yield module


def publish(uri, exchange):
    with Connection(uri, transport_options={"confirm_publish": True}) as conn:
        Producer(conn.channel()).publish({"x": 1}, exchange=exchange, routing_key="a.b",
                                         declare=[Exchange(exchange, type="topic",
                                                           durable=True)],
                                         retry=False)


def test_make_run_gives_each_process_its_own_user(stack, capsys):
    stack.ensure_broker_users(["org", "gateway"])
    assert "fazhi-org, fazhi-gateway" in capsys.readouterr().out
    org, gateway = stack.broker_uri("org"), stack.broker_uri("gateway")
    assert org.startswith("amqp://fazhi-org:") and "/fazhi-stack-test-" in org
    publish(org, "org.events")
    with pytest.raises(Exception, match="ACCESS_REFUSED|403"):
        publish(gateway, "org.events")
    publish(gateway, "gateway.events")
