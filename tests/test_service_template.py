"""The service template works end to end: ``deploy/new_service.py`` on a copy of the
repository makes a service that passes its own tests and runs behind the gateway.

In a throw-away copy (git-tracked and untracked-not-ignored files; no .venv, no .run):

- the generator refuses clashing names and writes nothing then;
- generating ``tplcheck`` changes only ``services/tplcheck/`` and adds exactly one line
  each to the root ``docker-compose.yml`` (``include:``) and to
  ``deploy/k8s/base/kustomization.yaml`` (``resources:``), in org's format;
- a private virtualenv (this one's packages through a ``.pth`` file, plus the new contract
  and service installed editable) runs the new service's own tests, then org, the new
  service and the gateway as processes on a private vhost and throw-away databases:
  ``/readyz`` pings it, the OpenAPI document lists its routes, a signed-in user calls
  ``/ping`` and the declared routes through the gateway;
- ``deploy/local/stack.py`` (``make run``) would start it; compose and kustomize include it,
  and the copy's static deploy tests pass with it.

This repository's own ``.venv`` is only read.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import uuid
from pathlib import Path

import pytest
import yaml

from fazhi_shared.context import Principal
from fazhi_shared.service.testing import TEST_PG, call_as, private_vhost, wait_until

ROOT = Path(__file__).resolve().parent.parent
NAME = "tplcheck"
COMPOSE = "docker-compose.yml"
KUSTOMIZATION = "deploy/k8s/base/kustomization.yaml"
SKIP_DIRS = {".venv", ".run", ".git"}
SYSTEM = Principal.system()

pytestmark = pytest.mark.timeout(420)


# -- helpers ---------------------------------------------------------------------------------
def run(argv, cwd, env=None, timeout=180, check=True) -> subprocess.CompletedProcess:
    out = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True,
                         text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if check and out.returncode != 0:
        pytest.fail(f"{' '.join(map(str, argv))} (in {cwd}) exited {out.returncode}:\n"
                    f"{out.stdout[-6000:]}\n{out.stderr[-6000:]}")
    return out


def git(copy: Path, *args) -> str:
    return run(["git", *args], copy).stdout


def child_env(**overrides) -> dict:
    """This process's environment without what this test session pointed at its own
    broker vhost, databases or clock, plus ``overrides``."""
    env = {k: v for k, v in os.environ.items()
           if not k.endswith("_DATABASE_URL") and k not in {
               "AMQP_URI", "FAZHI_CLOCK_FILE", "PYTEST_CURRENT_TEST", "PYTEST_ADDOPTS"}}
    env.update(overrides)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_repository(dest: Path) -> None:
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                 ROOT).stdout.split("\0")
    for rel in filter(None, listed):
        if rel.split("/", 1)[0] in SKIP_DIRS:
            continue
        source = ROOT / rel
        if not source.is_file():        # deleted in the working tree
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def load_generator(copy: Path):
    spec = importlib.util.spec_from_file_location(
        f"new_service_{uuid.uuid4().hex[:6]}", copy / "deploy" / "new_service.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def added_lines(copy: Path, path: str) -> list[str]:
    diff = git(copy, "diff", "-U0", "--", path)
    return [line[1:] for line in diff.splitlines()
            if line.startswith("+") and not line.startswith("+++")]


def org_line(copy: Path, path: str) -> str:
    [line] = [ln for ln in (copy / path).read_text().splitlines()
              if re.search(r"services/org/deploy\b", ln) and ln.strip().startswith("- ")]
    return line


# -- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def timings():
    marks = {}
    yield marks
    if marks:
        print("\ntemplate check timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in marks.items()))


@pytest.fixture(scope="module")
def copy(tmp_path_factory, timings):
    """A copy of the repository, its files staged in a fresh git index (nothing committed)."""
    started = time.monotonic()
    dest = tmp_path_factory.mktemp("template-check") / "repo"
    dest.mkdir()
    copy_repository(dest)
    crds = ROOT.parent / "shared" / "k8s-crds"      # read by tests/test_deploy_static.py
    if crds.is_dir():
        (dest.parent / "shared").mkdir()
        (dest.parent / "shared" / "k8s-crds").symlink_to(crds)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    assert git(dest, "status", "--porcelain").strip().startswith("A"), "nothing copied"
    timings["copy"] = time.monotonic() - started
    return dest


@pytest.fixture(scope="module")
def generated(copy, timings):
    """``deploy/new_service.py tplcheck`` run in the copy; its output."""
    started = time.monotonic()
    assert not (copy / "services" / NAME).exists()
    out = run([sys.executable, "deploy/new_service.py", NAME, "--title-zh", "模板检查",
               "--title-en", "template check"], copy, env=child_env())
    timings["generate"] = time.monotonic() - started
    return out.stdout


@pytest.fixture(scope="module")
def venv(copy, generated, tmp_path_factory, timings):
    """A virtualenv that sees this one's packages (a .pth file) and has the new contract
    and service installed editable from the copy. This repository's .venv is untouched."""
    started = time.monotonic()
    path = tmp_path_factory.mktemp("template-venv") / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", path], copy)
    python = path / "bin" / "python"
    purelib = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                       copy).stdout.strip())
    ours = sysconfig.get_paths()["purelib"]
    (purelib / "_fazhi_main_venv.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    # Without build isolation when the setuptools here can build editable wheels itself;
    # otherwise pip fetches a build backend like `make install` does.
    isolation = ["--no-build-isolation"] if _can_build_editable() else []
    run([python, "-m", "pip", "install", "-q", "--no-deps", *isolation,
         "-e", f"services/{NAME}/contract", "-e", f"services/{NAME}"], copy,
        env=child_env(PIP_DISABLE_PIP_VERSION_CHECK="1"), timeout=300)
    timings["venv"] = time.monotonic() - started
    return python


def _can_build_editable() -> bool:
    import setuptools

    major_minor = tuple(int(p) for p in setuptools.__version__.split(".")[:2])
    return major_minor >= (70, 1) or importlib.util.find_spec("wheel") is not None


# -- the generator -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["org", "copy", "json", "class", "gateway", "shared", "Notes",
                                  "my_service", "9lives", "x", "nameko", "requests"])
def test_the_generator_refuses_clashing_or_malformed_names(copy, name):
    generator = load_generator(copy)
    before = git(copy, "status", "--porcelain", "--untracked-files=all")
    with pytest.raises(SystemExit) as info:
        generator.generate(name, root=copy)
    assert "new_service:" in str(info.value.code)
    assert git(copy, "status", "--porcelain", "--untracked-files=all") == before, (
        f"refusing {name!r} changed the copy")


def test_generating_changes_only_the_service_folder_and_two_lines(copy, generated):
    # Every copied file is staged (column 1 "A"); column 2 is the working tree against it.
    status = git(copy, "status", "--porcelain", "--untracked-files=all").splitlines()
    modified = sorted(line[3:] for line in status if line[1] not in " ?")
    untracked = [line[3:] for line in status if line.startswith("??")]
    assert modified == sorted([COMPOSE, KUSTOMIZATION]), status
    assert untracked and all(p.startswith(f"services/{NAME}/") for p in untracked), untracked
    assert not [p for p in untracked if p.endswith(".tmpl") or "{{" in p or "__name__" in p]
    numstat = sorted(git(copy, "diff", "--numstat").splitlines())
    assert numstat == sorted([f"1\t0\t{COMPOSE}", f"1\t0\t{KUSTOMIZATION}"]), numstat
    for path in (COMPOSE, KUSTOMIZATION):
        # org's entry, with the new name: the format the file already uses
        expected = re.sub(r"\s+#.*$", "", org_line(copy, path))
        assert added_lines(copy, path) == [expected.replace(
            "services/org/", f"services/{NAME}/")], path
    for path in (copy / "services" / NAME).rglob("*"):
        assert not path.is_file() or "{{" not in path.read_text(), f"unrendered: {path}"
    assert f"services/{NAME}" in generated and "make install" in generated
    # the template itself is never collected or imported (no .py files in it)
    assert not list((copy / "deploy" / "service-template").rglob("*.py"))


def test_the_generated_schema_names_carry_the_service_name(copy, generated):
    """Schema class names are OpenAPI component names the gateway refuses to see twice: two
    services generated from the template must not both declare ``NoteList``."""
    import ast

    contract = copy / "services" / NAME / "contract" / f"fazhi_{NAME}_contract"
    tree = ast.parse((contract / "schemas.py").read_text())
    names = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    names += [t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
              if isinstance(t, ast.Name) and t.id != "EVENTS"]
    assert names and all(n.startswith(NAME.capitalize()) for n in names), names


def test_make_run_compose_and_kustomize_find_the_new_service(copy, generated, venv):
    spec = importlib.util.spec_from_file_location(f"stack_{uuid.uuid4().hex[:6]}",
                                                  copy / "deploy" / "local" / "stack.py")
    stack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stack)
    assert {"org", NAME} <= set(stack.services())

    compose = yaml.safe_load((copy / COMPOSE).read_text())
    included = {}
    for entry in compose.get("include") or []:
        path = entry if isinstance(entry, str) else entry["path"]
        path = path if isinstance(path, str) else path[0]
        included.update(yaml.safe_load((copy / path).read_text())["services"])
    assert included[NAME]["build"]["args"]["PACKAGE"] == f"services/{NAME}"
    env = included[NAME]["environment"]
    assert f"{NAME.upper()}_DATABASE_URL" in env

    if shutil.which("kubectl"):
        rendered = run(["kubectl", "kustomize", copy / "deploy" / "k8s" / "base"], copy).stdout
        docs = [d for d in yaml.safe_load_all(rendered) if d]
        assert NAME in {d["metadata"]["name"] for d in docs if d["kind"] == "Deployment"}
        assert f"fazhi_{NAME}" in {d["spec"]["name"] for d in docs if d["kind"] == "Database"}

    # The repository's own static deploy checks, run in the copy with the new service.
    out = run([venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
               "tests/test_deploy_static.py"], copy, env=child_env(), check=False)
    assert out.returncode == 0, f"deploy checks fail with {NAME}:\n{out.stdout[-8000:]}"


def test_the_new_service_passes_its_own_tests(copy, venv, timings):
    started = time.monotonic()
    out = run([venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"services/{NAME}"], copy,
              env=child_env(), check=False, timeout=300)
    timings["own tests"] = time.monotonic() - started
    assert out.returncode == 0, out.stdout[-8000:] + out.stderr[-4000:]
    assert re.search(r"\d+ passed", out.stdout) and " failed" not in out.stdout


# -- behind the gateway ------------------------------------------------------------------------
class Processes:
    """Child processes, each the leader of its own process group (killed as a group)."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name, argv, cwd, env) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")
        proc = subprocess.Popen([str(a) for a in argv], cwd=cwd, env=env, stdout=log,
                                stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self.procs[name] = proc
        return proc

    def wait(self, name, timeout=120) -> None:
        proc = self.procs.pop(name)
        try:
            rc = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._kill(proc)
            rc = "timeout"
        assert rc == 0, f"{name} exited {rc}:\n{self.tail(name)}"

    def tail(self, name, chars=4000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def alive(self) -> None:
        dead = {n: p.returncode for n, p in self.procs.items() if p.poll() is not None}
        assert not dead, "".join(f"\n{n} exited {rc}:\n{self.tail(n)}" for n, rc in dead.items())

    @staticmethod
    def _kill(proc) -> None:
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                proc.wait(grace)
                return
            except subprocess.TimeoutExpired:
                continue

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in self.procs.values():
            self._kill(proc)
        self.procs.clear()


@pytest.fixture(scope="module")
def platform(copy, venv, tmp_path_factory, timings):
    """org, the new service and the gateway as processes of the private venv, on a private
    vhost and throw-away databases; yields the gateway's URL."""
    import requests

    from fazhi_shared.service.db import drop_database

    started = time.monotonic()
    logs = tmp_path_factory.mktemp("template-logs")
    suffix = uuid.uuid4().hex[:8]
    urls = {svc: f"{TEST_PG.get()}/fazhi_{svc}_tpl_{suffix}" for svc in ("org", NAME, "gateway")}
    bind = f"127.0.0.1:{free_port()}"
    procs = Processes(logs)
    with private_vhost("fazhi-tpl") as amqp_uri:
        env = child_env(AMQP_URI=amqp_uri, GATEWAY_BIND=bind, GATEWAY_WORKERS="1",
                        GATEWAY_THREADS="4", FAZHI_LOG_FORMAT="text",
                        FAZHI_FILE_STORE=str(logs / "files"),
                        **{f"{svc.upper()}_DATABASE_URL": url for svc, url in urls.items()})
        try:
            procs.start("org-migrate", [venv, "-m", "org", "--migrate-only"],
                        copy / "services" / "org", env)
            procs.start(f"{NAME}-migrate", [venv, "-m", NAME, "--migrate-only"],
                        copy / "services" / NAME, env)
            procs.start("gateway-migrate", [venv, "-m", "gateway", "migrate"],
                        copy / "gateway", env)
            for name in ("org-migrate", f"{NAME}-migrate", "gateway-migrate"):
                procs.wait(name)
            procs.start("org", [venv, "-m", "org", "--no-migrate"], copy / "services" / "org", env)
            procs.start(NAME, [venv, "-m", NAME, "--no-migrate"], copy / "services" / NAME, env)
            procs.start("gateway", [venv, "-m", "gateway", "serve"], copy / "gateway", env)
            url = f"http://{bind}"

            def ready():
                procs.alive()
                r = requests.get(f"{url}/readyz", timeout=3)
                return r.status_code == 200 and r.json()

            try:
                readiness = wait_until(ready, timeout=90, interval=0.5,
                                       what="the gateway to be ready")
            except AssertionError:
                raise AssertionError("not ready:\n" + "\n".join(
                    f"--- {n}\n{procs.tail(n, 2500)}" for n in ("org", NAME, "gateway")))
            timings["platform up"] = time.monotonic() - started
            yield {"url": url, "readiness": readiness, "logs": logs, "procs": procs}
        finally:
            procs.stop_all()
            for db in urls.values():
                try:
                    drop_database(db)
                except Exception as exc:    # report, but do not hide the test's outcome
                    print(f"could not drop {db}: {exc}")


def test_the_gateway_mounts_pings_and_serves_the_new_service(platform):
    import requests

    from gateway.testing import make_login

    url = platform["url"]
    assert platform["readiness"]["checks"].get(NAME) == "ok", platform["readiness"]
    paths = requests.get(f"{url}/api/openapi.json", timeout=5).json()["paths"]
    assert {"get", "post"} <= set(paths.get(f"/api/v1/{NAME}/notes", {})), sorted(paths)
    assert f"/api/v1/{NAME}/ping" in paths
    vocabularies = requests.get(f"{url}/api/v1/{NAME}/vocabularies", timeout=5).json()
    assert "notice" in [t["code"] for t in vocabularies["note_kinds"]]
    assert requests.get(f"{url}/api/v1/{NAME}/notes", timeout=5).status_code == 401

    # A street with a compound (org, as the system); a community worker signs in.
    unit = None
    for kind in ("city", "street", "community", "compound"):
        unit = call_as(SYSTEM, "org", "create_unit", parent_id=unit and unit["id"], kind=kind,
                       name=f"模板{kind}")
    compound = unit
    login = make_login(compound["id"], "community_worker")
    r = requests.post(f"{url}/api/v1/auth/login", timeout=10,
                      json={"username": login["username"], "password": login["password"]})
    assert r.status_code == 200, r.text
    auth = {"Authorization": f"Bearer {r.json()['access_token']}"}

    r = requests.get(f"{url}/api/v1/{NAME}/ping", headers=auth, timeout=5)
    assert r.status_code == 200 and r.json() == {"service": NAME, "database": True}, r.text

    # The compound reaches the new service's unit tree through org's events.
    def create():
        platform["procs"].alive()
        r = requests.post(f"{url}/api/v1/{NAME}/notes", headers=auth, timeout=5,
                          json={"unit_id": compound["id"], "kind": "notice", "text": " 停水通知 "})
        if r.status_code == 404:
            return None
        assert r.status_code == 201, r.text
        return r.json()

    note = wait_until(create, timeout=30, interval=0.3, what="org's unit events to arrive")
    assert note["path"] == compound["path"] and note["text"] == "停水通知"
    assert note["visibility"] == "public" and note["author_person_id"] == login["person_id"]
    r = requests.get(f"{url}/api/v1/{NAME}/notes", headers=auth, timeout=5,
                     params={"unit_id": compound["id"], "limit": 10})
    assert r.status_code == 200, r.text
    assert [n["id"] for n in r.json()["items"]] == [note["id"]]
    assert r.json()["next_cursor"] is None
    r = requests.post(f"{url}/api/v1/{NAME}/notes", headers=auth, timeout=5,
                      json={"unit_id": compound["id"], "kind": "gossip", "text": "x"})
    assert r.status_code == 422 and "kind" in r.json()["error"]["fields"], r.text
