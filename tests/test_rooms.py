"""One room per team: consumers depend on contracts, never on another service's package.

Checked statically over the repository (imports read with ``ast``, dependencies from each
``pyproject.toml``) and by importing in a clean interpreter:

- a contract package depends on marshmallow and the pure part of fazhi-shared only, and
  importing it loads no nameko, eventlet, SQLAlchemy, kombu, openpyxl or argon2;
- the pure part of fazhi-shared imports none of those either;
- the gateway, the test consumer and every service import no service package but their
  own (the gateway's HTTP app loads no nameko or eventlet at all);
- no package depends on a service distribution (only on ``fazhi-<name>-contract``).
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVICES = sorted(p.parent for p in (ROOT / "services").glob("*/pyproject.toml"))
SERVICE_PACKAGES = {p.name for p in SERVICES}          # services/org -> package "org"
HEAVY = ("nameko", "eventlet", "sqlalchemy", "kombu", "amqp", "openpyxl", "argon2",
         "alembic", "pg8000")


def imported_roots(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports (relative imports excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def sources(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.py") if ".venv" not in p.parts]


def dependencies(pyproject: Path, extras=()) -> list[str]:
    project = tomllib.loads(pyproject.read_text())["project"]
    deps = list(project.get("dependencies", []))
    for extra in extras:
        deps += project.get("optional-dependencies", {}).get(extra, [])
    return deps


def dist_name(requirement: str) -> str:
    name = requirement
    for stop in "[<>=!~; @":
        name = name.split(stop)[0]
    return name.strip().lower()


def loaded_modules(code: str) -> list[str]:
    """Top-level modules loaded by ``code`` in a fresh interpreter (no test plugins)."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd="/", env={**os.environ, "PYTHONPATH": ""}, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def service_modules_loaded(code: str) -> list[str]:
    """Modules loaded by ``code`` whose files lie in a service package (not a contract).
    (The stdlib's ``copy`` probes for a Jython package named ``org``; a probe that finds
    our ``org`` loads only its empty ``__init__``, so files, not names, are compared.)"""
    probe = code + (
        "\nimport json, sys\nprint(json.dumps(sorted(m for m, mod in list(sys.modules.items())"
        " if getattr(mod, '__file__', None) and '/services/' in mod.__file__"
        " and '/contract/' not in mod.__file__ and not mod.__file__.endswith('__init__.py'))))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd="/", timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_every_service_has_a_contract_package():
    assert SERVICES, "no services found"
    for service in SERVICES:
        contract = service / "contract"
        name = service.name
        assert (contract / "pyproject.toml").exists(), f"{name} has no contract package"
        project = tomllib.loads((contract / "pyproject.toml").read_text())["project"]
        assert project["name"] == f"fazhi-{name}-contract"
        eps = project["entry-points"]["fazhi.contracts"]
        assert eps == {name: f"fazhi_{name}_contract:CONTRACT"}
        assert f"fazhi-{name}-contract" in map(dist_name, dependencies(service / "pyproject.toml"))


@pytest.mark.parametrize("service", SERVICES, ids=lambda p: p.name)
def test_a_contract_depends_on_marshmallow_and_pure_shared_only(service):
    deps = dependencies(service / "contract" / "pyproject.toml")
    assert {dist_name(d) for d in deps} <= {"fazhi-shared", "marshmallow"}, deps
    assert all("[" not in d for d in deps if dist_name(d) == "fazhi-shared"), \
        "a contract needs the pure part of fazhi-shared only (no extras)"
    package = f"fazhi_{service.name}_contract"
    for path in sources(service / "contract"):
        roots = imported_roots(path)
        assert not roots & (set(HEAVY) | SERVICE_PACKAGES), (path, roots)
    loaded = loaded_modules(f"import {package}; {package}.CONTRACT.routes")
    assert not set(loaded) & set(HEAVY), f"importing {package} loads {set(loaded) & set(HEAVY)}"
    assert not service_modules_loaded(f"import {package}")


def test_the_pure_part_of_shared_imports_no_broker_or_database_library():
    pure = sorted(p for p in (ROOT / "shared" / "fazhi_shared").glob("*.py"))
    assert len(pure) >= 10
    for path in pure:
        roots = imported_roots(path)
        assert not roots & set(HEAVY), f"{path.name} imports {roots & set(HEAVY)}"
    modules = ", ".join(f"fazhi_shared.{p.stem}" for p in pure if p.stem != "__init__")
    loaded = loaded_modules(f"import {modules}")
    assert not set(loaded) & set(HEAVY), set(loaded) & set(HEAVY)
    base = {dist_name(d) for d in dependencies(ROOT / "shared" / "pyproject.toml")}
    assert not base & {"nameko", "eventlet", "sqlalchemy", "kombu", "alembic", "pg8000"}, base


def test_the_gateway_app_loads_no_nameko_eventlet_or_service_module():
    code = "from gateway.app import create_app\napp = create_app({'TESTING': True})"
    loaded = set(loaded_modules(code))
    assert not loaded & {"nameko", "eventlet"}, loaded & {"nameko", "eventlet"}
    assert not service_modules_loaded(code)


@pytest.mark.parametrize("consumer", [
    ROOT / "gateway" / "gateway", ROOT / "tests" / "consumer_service.py",
    *[s / s.name for s in SERVICES]], ids=lambda p: str(p.relative_to(ROOT)))
def test_consumers_import_contracts_never_another_service(consumer):
    own = consumer.name if consumer.parent.parent.name == "services" else None
    paths = sources(consumer) if consumer.is_dir() else [consumer]
    for path in paths:
        other = imported_roots(path) & (SERVICE_PACKAGES - {own})
        assert not other, f"{path.relative_to(ROOT)} imports service package(s) {other}"


@pytest.mark.parametrize("pyproject", [
    ROOT / "gateway" / "pyproject.toml", *[s / "pyproject.toml" for s in SERVICES],
    *[s / "contract" / "pyproject.toml" for s in SERVICES]],
    ids=lambda p: str(p.relative_to(ROOT)))
def test_no_package_depends_on_a_service_distribution(pyproject):
    services = {f"fazhi-{name}" for name in SERVICE_PACKAGES}
    deps = {dist_name(d) for d in dependencies(pyproject, extras=("test",))}
    assert not deps & services, f"{pyproject.relative_to(ROOT)} depends on {deps & services}"
