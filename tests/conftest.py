"""Cross-service tests: real services as child processes on a real broker and database."""
import os
import sys

import pytest

from fazhi_shared.service.testing import service_process, wait_for_ping

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORG_MIGRATIONS = os.path.join(ROOT, "services", "org", "migrations")


@pytest.fixture(scope="session")
def vhost_uri():
    """Its own vhost: other packages' tests may leave in-process services on theirs."""
    from fazhi_shared.service.testing import private_vhost

    with private_vhost("fazhi-xtest") as uri:
        yield uri


@pytest.fixture(scope="session")
def logs_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("service-logs"))


@pytest.fixture(scope="session")
def org_db(vhost_uri, make_database):
    return make_database("org", ORG_MIGRATIONS)


@pytest.fixture(scope="session")
def org_process(org_db, logs_dir):
    proc = service_process("org", "org", logs_dir).start()
    wait_for_ping("org")
    yield proc
    proc.stop()


@pytest.fixture(scope="session")
def consumer_db(vhost_uri):
    """The test consumer's database (it creates its own tables on start)."""
    import uuid

    from fazhi_shared.service.db import drop_database, engine_for
    from fazhi_shared.service.testing import TEST_PG

    url = f"{TEST_PG.get()}/fazhi_consumer_test_{uuid.uuid4().hex[:8]}"
    os.environ["CONSUMER_DATABASE_URL"] = url
    yield url
    engine_for(url).dispose()
    drop_database(url)


@pytest.fixture(scope="session")
def make_consumer(consumer_db, logs_dir):
    """``make_consumer()`` → a not-yet-started child process of ``consumer_service.py``."""
    from fazhi_shared.service.testing import ServiceProcess

    made = []

    def make():
        proc = ServiceProcess("consumer",
                              [sys.executable, os.path.join(ROOT, "tests", "consumer_service.py")],
                              log_path=os.path.join(logs_dir, "consumer.log"))
        made.append(proc)
        return proc

    yield make
    for proc in made:
        proc.stop()


@pytest.fixture(scope="session")
def gateway_db(vhost_uri, make_database):
    return make_database("gateway", os.path.join(ROOT, "gateway", "migrations"))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def gateway_url(org_process, gateway_db, logs_dir):
    """The gateway under gunicorn, as in production, in front of the org process."""
    import requests

    from fazhi_shared.service.testing import ServiceProcess, wait_until

    bind = f"127.0.0.1:{free_port()}"
    proc = ServiceProcess("gateway", [sys.executable, "-m", "gateway", "serve"],
                          env={"GATEWAY_BIND": bind, "GATEWAY_WORKERS": "2",
                               "GATEWAY_SERVICES": "org"},
                          log_path=os.path.join(logs_dir, "gateway.log")).start()
    url = f"http://{bind}"
    wait_until(lambda: requests.get(f"{url}/readyz", timeout=2).status_code == 200,
               timeout=30, what="the gateway to be ready")
    yield url
    proc.stop()


@pytest.fixture(scope="session")
def session_listener(gateway_url, logs_dir):
    """The gateway's session listener (org's account and grant events), as in production."""
    from fazhi_shared.service.testing import ServiceProcess, wait_for_ping

    proc = ServiceProcess("gateway_sessions",
                          [sys.executable, "-m", "gateway.listener", "--no-migrate"],
                          log_path=os.path.join(logs_dir, "gateway_sessions.log")).start()
    wait_for_ping("gateway_sessions")
    yield proc
    proc.stop()
