"""The ``fazhi`` pytest plugin itself (issue 8, point 13): child processes started by tests
live in their own process group and are always ended — even one that ignores SIGTERM, even
when the fixture that started it failed; a test that needs RabbitMQ's management API says
why it fails when the API is off; under ``CI=true`` a missing prerequisite (the CRDs) is a
failure, not a skip."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from fazhi_shared.service.testing import ServiceProcess, wait_until

ROOT = Path(__file__).resolve().parents[2]

# A process that ignores SIGTERM and starts a grandchild that does too; both write their pid.
STUBBORN = textwrap.dedent("""
    import os, signal, subprocess, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    pids = sys.argv[1]
    if len(sys.argv) < 3:
        subprocess.Popen([sys.executable, __file__, pids, "child"])
    with open(pids, "a") as f:
        f.write(f"{os.getpid()}\\n")
    while True:
        time.sleep(0.1)
""")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:        # a zombie is dead; only its parent has not collected it yet
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def pids_in(path: Path, n: int) -> list[int]:
    return wait_until(lambda: [int(p) for p in path.read_text().split()]
                      if path.exists() and len(path.read_text().split()) >= n else None,
                      timeout=10, what=f"{n} pids in {path}")


def kill_all(pids) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture
def stubborn(tmp_path):
    script = tmp_path / "stubborn.py"
    script.write_text(STUBBORN)
    return script


def test_a_child_ignoring_sigterm_is_ended_with_its_whole_group(stubborn, tmp_path):
    pid_file = tmp_path / "pids"
    proc = ServiceProcess("stubborn", [sys.executable, str(stubborn), str(pid_file)]).start()
    pids = pids_in(pid_file, 2)
    try:
        assert os.getpgid(proc.proc.pid) == proc.proc.pid, "not in its own process group"
        assert os.getpgid(proc.proc.pid) != os.getpgid(0)
        started = time.monotonic()
        proc.stop(timeout=1)
        wait_until(lambda: not any(alive(p) for p in pids), timeout=5,
                   what="the child and its grandchild to end")
        assert time.monotonic() - started < 5
    finally:
        kill_all(pids)


def _inner_pytest(tmp_path: Path, files: dict, env: dict | None = None, args=()) -> tuple:
    """Run pytest in a child process on ``files`` (its own rootdir); (exit code, output)."""
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args, str(tmp_path)],
        cwd=tmp_path, env={**os.environ, **(env or {})}, capture_output=True, text=True,
        timeout=120)
    return run.returncode, run.stdout + run.stderr


def test_a_child_left_by_a_failed_fixture_is_ended_with_the_session(stubborn, tmp_path):
    pid_file, inner = tmp_path / "pids", tmp_path / "inner"
    inner.mkdir()
    code, out = _inner_pytest(inner, {
        "test_fixture_fails.py": f"""
            import sys, time
            import pytest
            from fazhi_shared.service.testing import ServiceProcess

            @pytest.fixture
            def listener():
                proc = ServiceProcess("listener", [sys.executable, {str(stubborn)!r},
                                                   {str(pid_file)!r}]).start()
                time.sleep(1)
                raise RuntimeError("the listener never answered ping")
                yield proc        # never reached: nobody stops it

            def test_uses_listener(listener):
                pass
        """})
    assert code == 1 and "the listener never answered ping" in out, out
    pids = pids_in(pid_file, 2)
    try:
        wait_until(lambda: not any(alive(p) for p in pids), timeout=5,
                   what="the session's end to end the listener and its child")
    finally:
        kill_all(pids)


def test_a_test_needing_the_management_api_says_why_when_it_is_off(tmp_path):
    code, out = _inner_pytest(tmp_path, {
        "test_needs_api.py": """
            import requests
            from fazhi_shared.service.testing import ADMIN_URL

            def test_lists_connections():
                requests.get(f"{ADMIN_URL.get()}/api/connections", timeout=2).json()
        """}, env={"FAZHI_TEST_RABBIT_ADMIN": "http://guest:guest@127.0.0.1:9"})
    assert code == 1, out
    assert "RabbitMQ's management API does not answer at http://127.0.0.1:9" in out, out
    assert "rabbitmq-plugins enable rabbitmq_management" in out
    assert "guest:guest" not in out.split("management API does not answer")[1][:200]


def test_require_management_api_fails_with_the_reason(tmp_path):
    code, out = _inner_pytest(tmp_path, {
        "test_requires_api.py": """
            from fazhi_shared.service.testing import require_management_api

            def test_needs_it():
                require_management_api()
        """}, env={"FAZHI_TEST_RABBIT_ADMIN": "http://guest:guest@127.0.0.1:9"})
    assert code == 1 and "rabbitmq-plugins enable rabbitmq_management" in out, out


HIDE_CRDS = """
    from pathlib import Path
    import pytest

    @pytest.fixture(autouse=True, scope="module")
    def hide_crds(request):
        mp = pytest.MonkeyPatch()
        mp.setattr(request.module, "CRD_DIR", Path("/nonexistent/k8s-crds"), raising=False)
        yield
        mp.undo()
"""


# The CRDs are read by a fixture: under CI its failure makes both tests errors.
@pytest.mark.parametrize("ci,outcome", [("true", "2 errors"), ("", "2 skipped")])
def test_crd_tests_fail_under_ci_when_the_crds_are_missing(tmp_path, ci, outcome):
    (tmp_path / "hide_crds.py").write_text(textwrap.dedent(HIDE_CRDS))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-p", "hide_crds",
         "-c", str(ROOT / "pytest.ini"), "--rootdir", str(ROOT),
         str(ROOT / "tests" / "test_deploy_static.py"), "-k", "crd_validation or against_crds"],
        cwd=ROOT, env={**os.environ, "CI": ci,
                       "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get(
                           "PYTHONPATH", "")])},
        capture_output=True, text=True, timeout=300)
    out = run.stdout + run.stderr
    assert outcome in out, out
    assert (run.returncode != 0) == bool(ci), out
    if ci:
        assert "CRDs not found" in out
