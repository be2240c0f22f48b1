"""Static checks of the deployment files: no network, no docker, no cluster.

One room per team: a service keeps its deployment files in ``services/<name>/deploy/``
(``compose.yaml``, ``k8s/``, ``README.md`` for its secrets); outside its folder it takes
one ``include:`` line in ``docker-compose.yml`` and one entry in
``deploy/k8s/base/kustomization.yaml``. These tests resolve both themselves (compose
``include:`` with Compose's rules, kustomize resource directories) and check that

- compose runs every package (each folder under services/ with a pyproject.toml, plus the
  gateway) next to RabbitMQ and PostgreSQL, and passes each one exactly the variables its
  ``config.py`` ``SETTINGS`` declares; a service fragment is self-contained (no anchors
  from the root file, no redeclared root resources); the file store is one volume that
  the gateway and every service mount;
- no other module reads the environment, so ``SETTINGS`` is the complete list;
- the Kubernetes custom resources validate against the operators' CRDs
  (../shared/k8s-crds), Deployments name images and get every setting, kustomizations
  list only real files;
- deploy/Dockerfile builds any package as a non-root user, and installs the repository's
  own packages from their folders in one pip command (run here with a stand-in pip), so
  no ``fazhi-*`` name is ever looked up on a package index;
- every secret is documented: common and gateway ones in deploy/README.md, a service's in
  its own folder.

Everything is generic over the folders present: a new services/<name>/ must bring its
deploy files and be included/listed before these tests pass.
"""
from __future__ import annotations

import ast
import copy
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest
import yaml
from fazhi_shared.config import COMMON_SETTINGS, Setting
from fazhi_shared.service.testing import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
RUNBOOK = ROOT / "deploy" / "README.md"
K8S_DIR = ROOT / "deploy" / "k8s"
BASE_KUSTOMIZATION = K8S_DIR / "base" / "kustomization.yaml"
CRD_DIR = ROOT.parent / "shared" / "k8s-crds"
INFRA = ("rabbitmq", "postgres")
CUSTOM_KINDS = {"RabbitmqCluster", "Cluster", "Database", "ScheduledBackup", "Pooler"}
KUSTOMIZATION_NAMES = {"kustomization.yaml", "kustomization.yml", "Kustomization"}
# What a service's compose fragment may declare at the top level (never `name`/`include`).
FRAGMENT_KEYS = {"services", "volumes", "networks", "secrets", "configs"}
RUN_USER = "10001"


# --------------------------------------------------------------------------- packages


@dataclass(frozen=True)
class Package:
    name: str    # compose service, k8s Deployment and import package name
    folder: Path  # the pip package folder (has pyproject.toml)

    @property
    def rel(self) -> str:
        return self.folder.relative_to(ROOT).as_posix()

    @property
    def fragment(self) -> Path:
        """A service's compose file (services/<name>/deploy/compose.yaml)."""
        return self.folder / "deploy" / "compose.yaml"

    @property
    def k8s_dir(self) -> Path:
        """A service's kustomize directory (services/<name>/deploy/k8s)."""
        return self.folder / "deploy" / "k8s"


def _service_packages() -> list[Package]:
    services = ROOT / "services"
    if not services.is_dir():
        return []
    return [Package(p.name, p) for p in sorted(services.iterdir())
            if p.is_dir() and (p / "pyproject.toml").is_file()]


SERVICES = _service_packages()
GATEWAY = Package("gateway", ROOT / "gateway")
PACKAGES = SERVICES + [GATEWAY]
SERVICE_NAMES = [p.name for p in SERVICES]


def _ids(packages):
    return [p.name for p in packages]


_settings_cache: dict[str, list[Setting]] = {}


def settings_of(pkg: Package) -> list[Setting]:
    """``<pkg>.config.SETTINGS``, imported from the package's own folder."""
    if pkg.name in _settings_cache:
        return _settings_cache[pkg.name]
    folder = str(pkg.folder)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    loaded = sys.modules.get(pkg.name)
    loaded_file = getattr(loaded, "__file__", None)
    if loaded is not None and (
            loaded_file is None or not Path(loaded_file).resolve().is_relative_to(
                pkg.folder.resolve())):
        # Imported from elsewhere: a namespace package (the repo root's gateway/ folder on
        # sys.path), or another checkout's editable install (the stdlib's `copy` probes
        # `org.python.core` for Jython, which imports any top-level `org` early).
        for mod in [m for m in sys.modules if m == pkg.name or m.startswith(pkg.name + ".")]:
            del sys.modules[mod]
    config = importlib.import_module(f"{pkg.name}.config")
    source = Path(config.__file__).resolve()
    assert source.is_relative_to(pkg.folder.resolve()), (
        f"{pkg.name}.config was imported from {source}, not from {pkg.folder}")
    settings = list(getattr(config, "SETTINGS", None) or [])
    assert settings, f"{pkg.rel}/{pkg.name}/config.py has no SETTINGS list"
    assert all(isinstance(s, Setting) for s in settings), f"{pkg.name}: SETTINGS holds non-Setting"
    names = [s.name for s in settings]
    assert len(names) == len(set(names)), f"{pkg.name}: duplicate names in SETTINGS: {names}"
    _settings_cache[pkg.name] = settings
    return settings


def all_setting_names() -> set[str]:
    return {s.name for pkg in PACKAGES for s in settings_of(pkg)}


def rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


# ------------------------------------------------------------------ compose: loading


@dataclass
class ComposeFile:
    path: Path
    project_dir: Path   # where its relative paths resolve (Compose: the file's folder)
    doc: dict
    text: str


@dataclass
class Compose:
    """The application model after ``include:``, resolved the way Compose does it: each
    included file is loaded on its own (its own project directory, no anchors from the
    including file) and its resources are copied into the model."""
    files: list[ComposeFile]
    services: dict[str, dict] = field(default_factory=dict)
    origin: dict[str, ComposeFile] = field(default_factory=dict)  # service -> its file
    volumes: dict[str, ComposeFile] = field(default_factory=dict)  # volume -> declaring file
    conflicts: list[str] = field(default_factory=list)

    @property
    def root(self) -> ComposeFile:
        return self.files[0]

    def file(self, path: Path) -> ComposeFile | None:
        return next((f for f in self.files if f.path == path.resolve()), None)


def include_entries(cf: ComposeFile) -> list[tuple[Path, Path]]:
    """``(file, project_dir)`` of each entry of ``cf``'s ``include:`` (short or long form)."""
    out = []
    for entry in cf.doc.get("include") or []:
        if isinstance(entry, str):
            paths, project_dir = [entry], None
        else:
            paths = entry["path"] if isinstance(entry["path"], list) else [entry["path"]]
            project_dir = entry.get("project_directory")
        assert len(paths) == 1, f"{rel(cf.path)}: include one file per entry: {paths}"
        path = (cf.project_dir / paths[0]).resolve()
        out.append((path, (cf.project_dir / project_dir).resolve() if project_dir
                    else path.parent))
    return out


def load_compose() -> Compose:
    assert COMPOSE_FILE.is_file(), "docker-compose.yml is missing at the repo root"
    files: list[ComposeFile] = []

    def load(path: Path, project_dir: Path, chain: tuple[Path, ...]) -> None:
        assert path.is_file(), f"{rel(chain[-2]) if len(chain) > 1 else ''} includes " \
                               f"{rel(path)}, which does not exist"
        text = path.read_text()
        try:  # each file alone: an alias to another file's anchor fails right here
            doc = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            pytest.fail(f"{rel(path)} does not parse on its own (Compose loads every "
                        f"included file alone; anchors never cross files): {exc}")
        cf = ComposeFile(path.resolve(), project_dir, doc, text)
        files.append(cf)
        for inc, inc_dir in include_entries(cf):
            assert inc not in chain, f"include cycle: {[rel(p) for p in chain + (inc,)]}"
            load(inc, inc_dir, chain + (inc,))

    load(COMPOSE_FILE, ROOT, (COMPOSE_FILE.resolve(),))
    model = Compose(files)
    for cf in files:
        for name, svc in (cf.doc.get("services") or {}).items():
            if name in model.services:
                model.conflicts.append(f"service {name!r}: {rel(model.origin[name].path)} "
                                       f"and {rel(cf.path)}")
                continue
            model.services[name] = svc or {}
            model.origin[name] = cf
        for name in cf.doc.get("volumes") or {}:
            if name in model.volumes:
                model.conflicts.append(f"volume {name!r}: {rel(model.volumes[name].path)} "
                                       f"and {rel(cf.path)}")
                continue
            model.volumes[name] = cf
    return model


@pytest.fixture(scope="module")
def compose() -> Compose:
    model = load_compose()
    assert model.services, "docker-compose.yml has no services"
    return model


def compose_env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {str(k): ("" if v is None else str(v)) for k, v in env.items()}


def default_of(value: str) -> str:
    """The value Compose uses when no variable is set: ``${X:-d}`` -> ``d``."""
    return re.sub(r"\$\{\w+:?-([^}]*)\}", r"\1", value)


def volume_mounts(service: dict) -> list[tuple[str, str]]:
    """``(source, target)`` of each mount (short ``src:dst[:mode]`` or long syntax)."""
    out = []
    for v in service.get("volumes") or []:
        if isinstance(v, str):
            parts = v.split(":")
            out.append((parts[0], parts[1]) if len(parts) > 1 else ("", parts[0]))
        else:
            out.append((str(v.get("source", "")), str(v.get("target", ""))))
    return out


def _is_named_volume(source: str) -> bool:
    return bool(source) and not source.startswith((".", "/", "~", "$"))


def app_services(compose: Compose) -> dict[str, dict]:
    """Compose services built from a package (every app container)."""
    return {n: s for n, s in compose.services.items() if s.get("build") is not None}


# ---------------------------------------------------------- compose: one room per team


def test_compose_includes_each_service_fragment(compose):
    included = [p for p, _ in include_entries(compose.root)]
    expected = [pkg.fragment.resolve() for pkg in SERVICES]
    missing = [rel(p) for p in expected if not p.is_file()]
    assert not missing, f"services without a compose fragment: {missing}"
    assert sorted(map(rel, included)) == sorted(map(rel, expected)), (
        "docker-compose.yml must `include:` exactly each services/<name>/deploy/compose.yaml "
        f"(one line per service); includes {sorted(map(rel, included))}")
    assert not compose.conflicts, (
        "defined in two compose files (Compose refuses differing duplicates; declare once): "
        f"{compose.conflicts}")


@pytest.mark.parametrize("pkg", SERVICES, ids=_ids(SERVICES))
def test_compose_service_lives_in_its_fragment(compose, pkg):
    fragment = compose.file(pkg.fragment)
    assert fragment is not None, f"{rel(pkg.fragment)} is not included"
    assert compose.origin.get(pkg.name) is fragment, (
        f"compose service {pkg.name!r} must be defined in {rel(pkg.fragment)}")
    for name, svc in (fragment.doc.get("services") or {}).items():
        assert name == pkg.name or name.startswith(pkg.name + "-"), (
            f"{rel(pkg.fragment)} defines {name!r}: a fragment runs only its own service "
            f"({pkg.name} or {pkg.name}-<role>)")
        package = (((svc or {}).get("build") or {}).get("args") or {}).get("PACKAGE")
        assert package in (None, pkg.rel), f"{rel(pkg.fragment)}: {name} builds {package}"


def test_compose_root_runs_only_the_shared_parts(compose):
    allowed = {*INFRA, "gateway"}
    for name in compose.root.doc.get("services") or {}:
        assert name in allowed or name.startswith("gateway-"), (
            f"docker-compose.yml defines {name!r}: a service belongs in its own "
            "services/<name>/deploy/compose.yaml")


def _yaml_anchors_and_aliases(text: str) -> tuple[set[str], set[str]]:
    anchors, aliases = set(), set()
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.AnchorToken):
            anchors.add(token.value)
        elif isinstance(token, yaml.AliasToken):
            aliases.add(token.value)
    return anchors, aliases


def test_anchor_scanner_sees_foreign_aliases():
    anchors, aliases = _yaml_anchors_and_aliases("a: &x 1\nb: *x\nc: *y\n")
    assert anchors == {"x"} and aliases == {"x", "y"}


@pytest.mark.parametrize("pkg", SERVICES, ids=_ids(SERVICES))
def test_compose_fragment_is_self_contained(compose, pkg):
    fragment = compose.file(pkg.fragment)
    assert fragment is not None, f"{rel(pkg.fragment)} is not included"
    anchors, aliases = _yaml_anchors_and_aliases(fragment.text)
    root_anchors, _ = _yaml_anchors_and_aliases(compose.root.text)
    foreign = sorted(aliases - anchors)
    assert not foreign, (
        f"{rel(pkg.fragment)} uses anchors it does not define {foreign} (anchors never "
        f"cross files; the root's are {sorted(root_anchors)}): spell the values out")
    extra = sorted(k for k in fragment.doc if k not in FRAGMENT_KEYS and not k.startswith("x-"))
    assert not extra, f"{rel(pkg.fragment)}: top-level keys a fragment must not set: {extra}"
    # What it names from elsewhere must exist once everything is merged (Compose checks
    # the included file's references only then).
    for name, svc in (fragment.doc.get("services") or {}).items():
        depends = svc.get("depends_on") or {}
        for dep in (depends if isinstance(depends, (dict, list)) else []):
            assert dep in compose.services, f"{rel(pkg.fragment)}: {name} depends on {dep!r}"
        for source, _ in volume_mounts(svc):
            if _is_named_volume(source):
                assert source in compose.volumes, (
                    f"{rel(pkg.fragment)}: {name} mounts undeclared volume {source!r}")
    # Paths resolve from the fragment's folder: the build context must be the repo root.
    for name, svc in (fragment.doc.get("services") or {}).items():
        build = svc.get("build")
        if isinstance(build, dict):
            context = (fragment.project_dir / build.get("context", ".")).resolve()
            assert context == ROOT, (
                f"{rel(pkg.fragment)}: {name}'s build context is {context}, not the "
                f"repository root (relative to the fragment: "
                f"{os.path.relpath(ROOT, fragment.project_dir)})")


# ------------------------------------------------------------------ compose: content


def test_compose_has_every_package_and_the_infrastructure(compose):
    expected = set(SERVICE_NAMES) | {"gateway", *INFRA}
    missing = expected - set(compose.services)
    assert not missing, f"compose lacks services: {sorted(missing)}"


def test_compose_builds_only_existing_packages(compose):
    for name, svc in compose.services.items():
        build = svc.get("build")
        if build is None:
            continue
        where = rel(compose.origin[name].path)
        assert isinstance(build, dict), f"{where} {name}: build must name dockerfile and args"
        assert build.get("dockerfile") == "deploy/Dockerfile", f"{where} {name}"
        context = (compose.origin[name].project_dir / build.get("context", ".")).resolve()
        assert context == ROOT, f"{where} {name}: build context {context} is not the repo root"
        assert (context / build["dockerfile"]).is_file(), name
        package = (build.get("args") or {}).get("PACKAGE")
        assert package in {p.rel for p in PACKAGES}, (
            f"compose service {name!r} builds PACKAGE={package!r}, not a package folder")
        # A package's service is named after it; its other processes are "<name>-<role>".
        base = Path(package).name
        assert name == base or name.startswith(base + "-"), (
            f"compose service {name!r} builds {package!r}")


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids(PACKAGES))
def test_compose_app_service_shape(compose, pkg):
    svc = compose.services.get(pkg.name)
    assert svc is not None, f"compose has no service {pkg.name!r}"
    assert svc.get("build", {}).get("args", {}).get("PACKAGE") == pkg.rel
    assert svc.get("restart") == "unless-stopped", pkg.name
    depends = svc.get("depends_on")
    assert isinstance(depends, dict), f"{pkg.name}: depends_on must be a mapping"
    for infra in INFRA:
        assert (depends.get(infra) or {}).get("condition") == "service_healthy", (
            f"{pkg.name} must wait for {infra} to be healthy")
    assert (svc.get("healthcheck") or {}).get("test"), f"{pkg.name}: no healthcheck"


def test_compose_infrastructure(compose):
    services = compose.services
    assert services["rabbitmq"]["image"].startswith("rabbitmq:") \
        and "management" in services["rabbitmq"]["image"]
    assert services["postgres"]["image"].startswith("postgres:")
    for infra in INFRA:
        assert (services[infra].get("healthcheck") or {}).get("test"), f"{infra}: no healthcheck"
        assert services[infra].get("restart") == "unless-stopped", infra
    pg_env = compose_env(services["postgres"])
    assert pg_env.get("POSTGRES_PASSWORD", "").startswith("${POSTGRES_PASSWORD:-"), (
        "the postgres password must come from ${POSTGRES_PASSWORD:-dev default}")
    gateway = services["gateway"]
    assert any(str(p).split(":")[-1] == "8000" for p in gateway.get("ports", [])), \
        "the gateway must publish port 8000"


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids(PACKAGES))
def test_compose_env_is_exactly_the_settings(compose, pkg):
    env = compose_env(compose.services.get(pkg.name, {}))
    names = {s.name for s in settings_of(pkg)}
    missing = sorted(names - set(env))
    unknown = sorted(set(env) - names)
    assert not missing, f"compose {pkg.name}: settings not passed: {missing}"
    assert not unknown, f"compose {pkg.name}: variables the code never reads: {unknown}"


def test_compose_extra_processes_get_their_package_settings(compose):
    """A second process of a package (e.g. gateway-listener) reads the same settings."""
    for name, svc in compose.services.items():
        package = ((svc.get("build") or {}).get("args") or {}).get("PACKAGE")
        if not package or name == Path(package).name:
            continue
        base = compose_env(compose.services[Path(package).name])
        assert compose_env(svc) == base, f"{name} must have {Path(package).name}'s environment"
        assert svc.get("command"), f"{name} must say which process it runs"


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids(PACKAGES))
def test_compose_env_values(compose, pkg):
    env = compose_env(compose.services.get(pkg.name, {}))
    for s in settings_of(pkg):
        value = env.get(s.name, "")
        if s.secret:
            # A dev default where the code has one; an optional secret (no default in
            # config.py, e.g. the S3 keys) may default to empty.
            body = r"[^}]+" if s.default is not None else r"[^}]*"
            assert re.fullmatch(r"\$\{%s:-%s\}" % (re.escape(s.name), body), value), (
                f"compose {pkg.name}: secret {s.name} must be ${{{s.name}:-dev default}}")
        if s.name.endswith("_DATABASE_URL"):
            assert re.search(rf"@postgres:5432/fazhi_{re.escape(pkg.name)}$", value), (
                f"compose {pkg.name}: {s.name} must point at postgres/fazhi_{pkg.name}")
    assert "@rabbitmq:5672" in env.get("AMQP_URI", ""), f"{pkg.name}: AMQP_URI not at rabbitmq"


def test_compose_shares_the_common_settings(compose):
    """FAZHI_SIGNING_PUBLIC_KEYS above all, but every common setting: one value everywhere
    — except that AMQP_URI names each package's own broker user (fazhi-<package>)."""
    for s in COMMON_SETTINGS:
        values = {p.name: compose_env(compose.services[p.name]).get(s.name) for p in PACKAGES}
        if s.name == "AMQP_URI":
            for name, value in values.items():
                assert (value or "").startswith(f"amqp://fazhi-{name}:"), (
                    f"{name}'s AMQP_URI must use its own broker user fazhi-{name}: {value}")
            values = {n: v.split("@", 1)[1] for n, v in values.items()}
        assert len(set(values.values())) == 1, f"{s.name} differs between containers: {values}"


def test_compose_defaults_are_consistent(compose):
    defaults: dict[str, set[str]] = {}
    where: dict[str, set[str]] = {}
    for cf in compose.files:
        for var, default in re.findall(r"\$\{(\w+):?-([^}]*)\}", cf.text):
            defaults.setdefault(var, set()).add(default)
            where.setdefault(var, set()).add(rel(cf.path))
    differing = {k: (v, sorted(where[k])) for k, v in defaults.items() if len(v) > 1}
    assert not differing, f"one variable, several defaults across the compose files: {differing}"


def test_compose_file_store_is_one_volume_everyone_mounts(compose):
    """FAZHI_FILE_STORE: the gateway and every service see the same files."""
    apps = app_services(compose)
    stores = {n: default_of(compose_env(s).get("FAZHI_FILE_STORE", "")) for n, s in apps.items()}
    assert len(set(stores.values())) == 1, f"FAZHI_FILE_STORE differs: {stores}"
    store = next(iter(stores.values()))
    if store.startswith("s3://"):
        return
    assert store.startswith("/"), f"FAZHI_FILE_STORE={store!r}: an absolute path in the container"
    volumes = set()
    for name, svc in apps.items():
        mounted = [src for src, dst in volume_mounts(svc) if dst.rstrip("/") == store.rstrip("/")]
        assert mounted, f"{name} does not mount the file store at {store}"
        assert _is_named_volume(mounted[0]), (
            f"{name}: mount a named volume at {store}, not {mounted[0]!r} (a bind mount "
            "would be created root-owned and the apps run as UID 10001)")
        volumes.add(mounted[0])
    assert len(volumes) == 1, f"the file store is several volumes: {sorted(volumes)}"
    volume = volumes.pop()
    declared = compose.volumes.get(volume)
    assert declared is compose.root, (
        f"the volume {volume!r} must be declared in docker-compose.yml (and in no fragment: "
        "Compose rejects a differing redeclaration)")
    runtime = _last_stage(_dockerfile_instructions())
    assert any(word == "RUN" and store in rest and RUN_USER in rest for word, rest in runtime), (
        f"deploy/Dockerfile's final stage must create {store} owned by {RUN_USER}, so a "
        "fresh named volume mounted there is writable")


def test_no_gateway_services_list_anywhere():
    """The gateway mounts what is installed; nothing lists the services for it."""
    files = [COMPOSE_FILE, *(p.fragment for p in SERVICES), ROOT / "deploy" / "local" / "stack.py",
             ROOT / "tests" / "bench" / "bench_gateway.py", *_k8s_files()]
    offenders = [rel(f) for f in files if f.is_file() and "GATEWAY_SERVICES" in f.read_text()]
    assert not offenders, f"GATEWAY_SERVICES is gone, yet set in {offenders}"


@pytest.mark.parametrize("runner", ["deploy/local/stack.py", "shared/fazhi_shared/service/platform.py"])
def test_local_runner_sets_only_settings(runner):
    """`make run` and the tests' and benchmarks' platform set only variables some config.py
    declares."""
    tree = ast.parse((ROOT / runner).read_text())
    prefixes = ("FAZHI_", "GATEWAY_", *(f"{n.upper()}_" for n in SERVICE_NAMES))
    named = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
             and isinstance(n.value, str) and re.fullmatch(r"[A-Z][A-Z0-9_]+", n.value)
             and (n.value.startswith(prefixes) or n.value == "AMQP_URI")}
    unknown = sorted(named - all_setting_names())
    assert not unknown, f"{runner} sets variables no package reads: {unknown}"


# ------------------------------------------------- nobody but config.py reads the env

ENV_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def env_reads(source: str, filename: str = "<src>") -> list[int]:
    """Line numbers where ``source`` touches the process environment through ``os``."""
    tree = ast.parse(source, filename=filename)
    os_aliases = {"os"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            os_aliases |= {a.asname or a.name for a in node.names if a.name == "os"}
    lines = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in ENV_NAMES
                and isinstance(node.value, ast.Name) and node.value.id in os_aliases):
            lines.append(node.lineno)
        elif (isinstance(node, ast.ImportFrom) and node.module == "os"
              and any(a.name in ENV_NAMES or a.name == "*" for a in node.names)):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_env_scanner_finds_reads():
    assert env_reads("import os\nx = os.environ.get('A')\n") == [2]
    assert env_reads("import os as o\nx = o.getenv('A')\n") == [2]
    assert env_reads("from os import environ\n") == [1]
    assert env_reads("import os\nos.path.join('a')\n") == []


def _package_sources() -> list[Path]:
    roots = [p.folder / p.name for p in PACKAGES] + [ROOT / "shared" / "fazhi_shared"]
    roots += sorted((ROOT / "services").glob("*/contract/fazhi_*_contract"))
    return sorted(f for r in roots if r.is_dir() for f in r.rglob("*.py")
                  if "__pycache__" not in f.parts)


def _may_read_env(path: Path) -> bool:
    rel_path = path.relative_to(ROOT).as_posix()
    # testing.py and platform.py start child processes for tests and benchmarks: they copy
    # the environment into the children's, as a shell would.
    return path.name == "config.py" or rel_path in ("shared/fazhi_shared/service/testing.py",
                                                    "shared/fazhi_shared/service/platform.py")


def test_only_config_modules_read_the_environment():
    sources = _package_sources()
    assert any(p.name == "config.py" for p in sources), "scanned no package sources"
    offenders = []
    for path in sources:
        if _may_read_env(path):
            continue
        for line in env_reads(path.read_text(encoding="utf-8"), str(path)):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, (
        "only config.py (and fazhi_shared/service/testing.py, platform.py) may read os.environ "
        "/ os.getenv; "
        f"declare a Setting instead: {offenders}")


# ------------------------------------------------------------------------- kubernetes


def _kustomization_file(directory: Path) -> Path | None:
    return next((directory / n for n in sorted(KUSTOMIZATION_NAMES)
                 if (directory / n).is_file()), None)


def _is_kustomization(path: Path) -> bool:
    return path.name in KUSTOMIZATION_NAMES


def _resource_entries(k: dict) -> list[str]:
    return [str(r) for r in (k.get("resources") or []) + (k.get("components") or [])
            + (k.get("bases") or [])]


def _kustomize_dirs() -> list[Path]:
    """Every kustomization under deploy/k8s and every directory they pull in as a
    resource (a service's services/<name>/deploy/k8s), transitively."""
    queue = sorted({p.parent.resolve() for p in K8S_DIR.rglob("*") if _is_kustomization(p)})
    seen: list[Path] = []
    while queue:
        directory = queue.pop(0)
        if directory in seen:
            continue
        kfile = _kustomization_file(directory)
        if kfile is None:
            continue
        seen.append(directory)
        k = yaml.safe_load(kfile.read_text()) or {}
        for entry in _resource_entries(k):
            target = (directory / entry).resolve()
            if "://" not in entry and target.is_dir():
                queue.append(target)
    return seen


def _k8s_files() -> list[Path]:
    """The YAML files of every kustomize directory (listed or not)."""
    files = set()
    for directory in _kustomize_dirs():
        files |= {p for p in directory.iterdir() if p.suffix in {".yaml", ".yml"}
                  or p.name == "Kustomization"}
    return sorted(files)


def load_k8s() -> tuple[list[tuple[Path, dict]], list[tuple[Path, dict]]]:
    """(manifests, kustomizations) of every kustomize directory, as (path, doc) pairs."""
    manifests, kustomizations = [], []
    for path in _k8s_files():
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc:
                continue
            (kustomizations if _is_kustomization(path) else manifests).append((path, doc))
    return manifests, kustomizations


@pytest.fixture(scope="module")
def k8s():
    assert BASE_KUSTOMIZATION.is_file(), "no deploy/k8s/base"
    return load_k8s()


def _strict(schema):
    """The CRD schema with unknown fields rejected, as `kubectl apply` does (strict field
    validation) where the apiserver would otherwise prune them silently."""
    if isinstance(schema, list):
        return [_strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in {"properties", "patternProperties", "definitions"}:
            out[key] = {k: _strict(v) for k, v in value.items()}
        elif key in {"items", "additionalProperties"} and isinstance(value, (dict, list)):
            out[key] = _strict(value)
        else:  # anyOf/allOf/oneOf/not only add value checks in structural schemas
            out[key] = value
    if ("properties" in out and "additionalProperties" not in out
            and not out.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


@pytest.fixture(scope="module")
def crd_schemas() -> dict[tuple[str, str], dict]:
    """{(apiVersion, kind): strict schema} from the CRDs in ../shared/k8s-crds."""
    if not CRD_DIR.is_dir():
        # A skip on a developer's machine; under CI=true a failure.
        skip_or_fail(f"CRDs not found at {CRD_DIR} (the read-only ../shared/k8s-crds folder)")
    schemas = {}
    for path in sorted(CRD_DIR.glob("*.yaml")):
        for crd in yaml.safe_load_all(path.read_text()):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                if version.get("served", True):
                    schemas[(f"{group}/{version['name']}", kind)] = _strict(
                        version["schema"]["openAPIV3Schema"])
    assert schemas, f"no CRDs in {CRD_DIR}"
    return schemas


def crd_errors(doc: dict, schemas: dict) -> list[str]:
    key = (doc.get("apiVersion"), doc.get("kind"))
    if key not in schemas:
        return [f"no served CRD for apiVersion={key[0]} kind={key[1]}"]
    validator = jsonschema.Draft4Validator(schemas[key])  # OpenAPI 3.0 ~ JSON Schema draft 4/5
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
              for e in validator.iter_errors(doc)]
    if not (doc.get("metadata") or {}).get("name"):
        errors.append("metadata.name is missing")
    return errors


def _custom_resources(manifests):
    return [(p, d) for p, d in manifests if d.get("kind") in CUSTOM_KINDS]


@pytest.mark.parametrize("pkg", SERVICES, ids=_ids(SERVICES))
def test_k8s_service_lives_in_its_folder_listed_by_the_base(k8s, pkg):
    manifests, _ = k8s
    assert _kustomization_file(pkg.k8s_dir) is not None, (
        f"{rel(pkg.k8s_dir)}/kustomization.yaml is missing")
    base = yaml.safe_load(BASE_KUSTOMIZATION.read_text()) or {}
    listed = [e for e in _resource_entries(base)
              if (BASE_KUSTOMIZATION.parent / e).resolve() == pkg.k8s_dir.resolve()]
    assert len(listed) == 1, (
        f"deploy/k8s/base/kustomization.yaml must list "
        f"{os.path.relpath(pkg.k8s_dir, BASE_KUSTOMIZATION.parent)} once under resources")
    deployments = [p for p, d in manifests
                   if d.get("kind") == "Deployment" and d["metadata"]["name"] == pkg.name]
    assert deployments and all(p.resolve().is_relative_to(pkg.k8s_dir.resolve())
                               for p in deployments), (
        f"the Deployment {pkg.name} must be defined in {rel(pkg.k8s_dir)}, found in "
        f"{[rel(p) for p in deployments]}")
    databases = [p for p, d in manifests if d.get("kind") == "Database"
                 and (d.get("spec") or {}).get("name") == f"fazhi_{pkg.name}"]
    assert all(p.resolve().is_relative_to(pkg.k8s_dir.resolve()) for p in databases), (
        f"the Database fazhi_{pkg.name} belongs in {rel(pkg.k8s_dir)}")


def test_k8s_base_lists_only_service_folders_from_services():
    base = yaml.safe_load(BASE_KUSTOMIZATION.read_text()) or {}
    rooms = {p.k8s_dir.resolve() for p in SERVICES}
    for entry in _resource_entries(base):
        target = (BASE_KUSTOMIZATION.parent / entry).resolve()
        if target.is_relative_to((ROOT / "services").resolve()):
            assert target in rooms, (
                f"deploy/k8s/base lists {entry}: from services/ only a service's deploy/k8s")


def test_k8s_custom_resources_validate_against_crds(k8s, crd_schemas):
    manifests, _ = k8s
    crs = _custom_resources(manifests)
    kinds = {d["kind"] for _, d in crs}
    assert {"RabbitmqCluster", "Cluster", "Database"} <= kinds, f"found only {kinds}"
    failures = []
    for path, doc in crs:
        for err in crd_errors(doc, crd_schemas):
            failures.append(f"{rel(path)} {doc['kind']}/"
                            f"{(doc.get('metadata') or {}).get('name')}: {err}")
    assert not failures, "\n".join(failures)


def test_crd_validation_rejects_mistakes(k8s, crd_schemas):
    """The validator is not vacuous: a misspelt field and a wrong type are caught."""
    manifests, _ = k8s
    for _, doc in _custom_resources(manifests):
        if doc["kind"] == "RabbitmqCluster":
            break
    else:
        pytest.fail("no RabbitmqCluster in deploy/k8s")
    typo = copy.deepcopy(doc)
    typo["spec"]["replica"] = 1
    wrong = copy.deepcopy(doc)
    wrong["spec"]["replicas"] = "three"
    assert crd_errors(typo, crd_schemas)
    assert crd_errors(wrong, crd_schemas)


def _deployments(manifests) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for _, d in manifests if d.get("kind") == "Deployment"}


def test_k8s_deployments_are_sound(k8s):
    manifests, _ = k8s
    deployments = _deployments(manifests)
    missing = {p.name for p in PACKAGES} - set(deployments)
    assert not missing, f"no Deployment for {sorted(missing)}"
    for name, dep in deployments.items():
        assert dep["apiVersion"] == "apps/v1", name
        spec = dep["spec"]
        selector = spec["selector"]["matchLabels"]
        labels = spec["template"]["metadata"]["labels"]
        assert selector.items() <= labels.items(), f"{name}: selector does not match pods"
        containers = spec["template"]["spec"]["containers"]
        assert containers, name
        for c in containers:
            assert c.get("image") and ":" in c["image"], f"{name}: container without tagged image"
            res = c.get("resources") or {}
            assert res.get("requests") and res.get("limits"), f"{name}: resources"
    gateway = deployments["gateway"]["spec"]["template"]["spec"]["containers"][0]
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/readyz"
    services = [d for _, d in manifests if d.get("kind") == "Service"
                and d["metadata"]["name"] == "gateway"]
    assert services, "no Service for the gateway"


def _generator_data(kustomizations) -> dict[tuple[str, str], dict[str, str]]:
    """{(ConfigMap|Secret, name): {key: value}} from configMapGenerator/secretGenerator."""
    data: dict = {}
    for path, k in kustomizations:
        for field_name, kind in (("configMapGenerator", "ConfigMap"),
                                 ("secretGenerator", "Secret")):
            for gen in k.get(field_name) or []:
                entry = data.setdefault((kind, gen["name"]), {})
                for literal in gen.get("literals") or []:
                    key, _, value = str(literal).partition("=")
                    entry[key.strip()] = value
                for env_file in gen.get("envs") or []:
                    for line in (path.parent / env_file).read_text().splitlines():
                        if line.strip() and not line.lstrip().startswith("#"):
                            key, _, value = line.partition("=")
                            entry[key.strip()] = value
    return data


def _plain_data(manifests) -> dict[tuple[str, str], dict[str, str]]:
    data = {}
    for _, d in manifests:
        if d.get("kind") in {"ConfigMap", "Secret"}:
            keys = {**(d.get("data") or {}), **(d.get("stringData") or {})}
            data[(d["kind"], d["metadata"]["name"])] = {k: str(v) for k, v in keys.items()}
    return data


def _container_env(container: dict, stores: dict, who: str) -> dict[str, str]:
    """{setting name: "ConfigMap" / "Secret" / "value" / "ref"} of one container."""
    provided: dict[str, str] = {}
    for ref in container.get("envFrom") or []:
        for kind, field_name in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            if field_name in ref:
                key = (kind, ref[field_name]["name"])
                assert key in stores, f"{who}: envFrom names unknown {kind} {key[1]}"
                provided.update(dict.fromkeys(stores[key], kind))
    for var in container.get("env") or []:
        if "valueFrom" in var:
            provided[var["name"]] = "Secret" if "secretKeyRef" in var["valueFrom"] else "ref"
        else:
            provided[var["name"]] = "value"
    return provided


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids(PACKAGES))
def test_k8s_deployment_gets_every_setting(k8s, pkg):
    manifests, kustomizations = k8s
    dep = _deployments(manifests).get(pkg.name)
    assert dep is not None, f"no Deployment {pkg.name!r} in deploy/k8s"
    container = dep["spec"]["template"]["spec"]["containers"][0]
    stores = {**_plain_data(manifests), **_generator_data(kustomizations)}
    provided = _container_env(container, stores, pkg.name)
    settings = settings_of(pkg)
    missing = sorted({s.name for s in settings} - set(provided))
    assert not missing, f"k8s {pkg.name}: settings not provided: {missing}"
    exposed = sorted(s.name for s in settings if s.secret and provided[s.name] != "Secret")
    assert not exposed, f"k8s {pkg.name}: secrets not taken from a Secret: {exposed}"
    for s in settings:
        if s.name.endswith("_DATABASE_URL"):
            value = next(v.get("value", "") for v in container["env"] if v["name"] == s.name)
            assert value.endswith(f"/fazhi_{pkg.name}"), f"{s.name}={value}"


def test_k8s_config_names_only_real_settings(k8s):
    manifests, kustomizations = k8s
    known = all_setting_names()
    stores = {**_plain_data(manifests), **_generator_data(kustomizations)}
    unknown = {f"{kind}/{name}: {key}" for (kind, name), keys in stores.items()
               for key in keys if key not in known}
    assert not unknown, f"ConfigMap/Secret keys that no package reads: {sorted(unknown)}"
    secret_names = {s.name for p in PACKAGES for s in settings_of(p) if s.secret}
    leaked = {f"{name}: {key}" for (kind, name), keys in stores.items()
              if kind == "ConfigMap" for key in keys if key in secret_names}
    assert not leaked, f"secret settings in a ConfigMap: {sorted(leaked)}"


def test_k8s_file_store_is_shared_by_every_pod(k8s):
    """Pods share no disk: the store is S3, or one ReadWriteMany volume every app mounts."""
    manifests, kustomizations = k8s
    stores = {**_plain_data(manifests), **_generator_data(kustomizations)}
    values = {v for keys in stores.values() for k, v in keys.items() if k == "FAZHI_FILE_STORE"}
    assert len(values) == 1, f"FAZHI_FILE_STORE in deploy/k8s: {sorted(values)}"
    store = values.pop()
    if store.startswith("s3://"):
        assert re.fullmatch(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?", store), store
        for name in ("FAZHI_S3_ACCESS_KEY", "FAZHI_S3_SECRET_KEY"):
            assert any(kind == "Secret" and name in keys for (kind, _), keys in stores.items()), (
                f"{name} must come from a Secret (placeholder in the base)")
        return
    claims = {d["metadata"]["name"]: d for _, d in manifests
              if d.get("kind") == "PersistentVolumeClaim"}
    for pkg in PACKAGES:
        pod = _deployments(manifests)[pkg.name]["spec"]["template"]["spec"]
        claim_of = {v["name"]: (v.get("persistentVolumeClaim") or {}).get("claimName")
                    for v in pod.get("volumes") or []}
        mounts = [m for c in pod["containers"] for m in c.get("volumeMounts") or []
                  if m["mountPath"].rstrip("/") == store.rstrip("/")]
        assert mounts, f"{pkg.name} does not mount the file store at {store}"
        claim = claims.get(claim_of.get(mounts[0]["name"]))
        assert claim and "ReadWriteMany" in claim["spec"]["accessModes"], (
            f"{pkg.name}: the file store must be a ReadWriteMany PersistentVolumeClaim")


def test_k8s_has_a_database_per_package(k8s):
    manifests, _ = k8s
    clusters = {d["metadata"]["name"] for _, d in manifests if d.get("kind") == "Cluster"}
    databases = {d["spec"]["name"]: d for _, d in manifests if d.get("kind") == "Database"}
    for pkg in PACKAGES:
        if not any(s.name.endswith("_DATABASE_URL") for s in settings_of(pkg)):
            continue
        db = databases.get(f"fazhi_{pkg.name}")
        assert db is not None, f"no CNPG Database fazhi_{pkg.name}"
        assert db["spec"]["cluster"]["name"] in clusters, f"fazhi_{pkg.name}: unknown cluster"


def _listed_paths(k: dict) -> list[str]:
    paths = _resource_entries(k) + list(k.get("crds") or [])
    paths += [p for p in k.get("patchesStrategicMerge") or [] if isinstance(p, str)
              and "\n" not in p]
    paths += [p["path"] for p in (k.get("patches") or []) + (k.get("patchesJson6902") or [])
              if isinstance(p, dict) and "path" in p]
    for field_name in ("configMapGenerator", "secretGenerator"):
        for gen in k.get(field_name) or []:
            paths += [f.split("=", 1)[-1] for f in gen.get("files") or []]
            paths += list(gen.get("envs") or [])
    return paths


def test_kustomizations_list_only_existing_files(k8s):
    _, kustomizations = k8s
    assert len(kustomizations) >= 2, "need deploy/k8s/base and at least one overlay"
    assert any("overlays" in p.parts for p, _ in kustomizations), "no overlay"
    problems = []
    for path, k in kustomizations:
        listed = _listed_paths(k)
        for entry in listed:
            if "://" in entry:
                problems.append(f"{rel(path)}: remote resource {entry}")
                continue
            target = (path.parent / entry).resolve()
            if target.is_dir():
                if _kustomization_file(target) is None:
                    problems.append(f"{rel(path)}: {entry} has no kustomization")
            elif not target.is_file():
                problems.append(f"{rel(path)}: {entry} does not exist")
        # A manifest beside a kustomization that it does not list is never deployed.
        used = {(path.parent / entry).resolve() for entry in listed}
        for sibling in path.parent.iterdir():
            if (sibling.suffix in {".yaml", ".yml"} and not _is_kustomization(sibling)
                    and sibling.resolve() not in used):
                problems.append(f"{rel(path)}: {sibling.name} is not listed")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (kustomize) not installed")
@pytest.mark.parametrize("directory", _kustomize_dirs(), ids=rel)
def test_kustomize_build_renders_valid_resources(directory, request):
    """`kubectl kustomize` renders offline; the rendered custom resources (after the
    overlays' patches) validate too, and the base and overlays run every package."""
    run = subprocess.run(["kubectl", "kustomize", str(directory)], capture_output=True,
                         text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    docs = [d for d in yaml.safe_load_all(run.stdout) if d]
    if directory.is_relative_to(K8S_DIR.resolve()):
        assert {d["metadata"]["name"] for d in docs if d["kind"] == "Deployment"} >= \
            {p.name for p in PACKAGES}
    schemas = request.getfixturevalue("crd_schemas")  # skips here if the CRDs are absent
    failures = [f"{d['kind']}/{d['metadata'].get('name')}: {e}"
                for d in docs if d.get("kind") in CUSTOM_KINDS for e in crd_errors(d, schemas)]
    assert not failures, "\n".join(failures)


# ------------------------------------------------------------------------- Dockerfile


def _dockerfile_instructions() -> list[tuple[str, str]]:
    assert DOCKERFILE.is_file(), "deploy/Dockerfile is missing"
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _last_stage(instructions):
    return instructions[max(i for i, (w, _) in enumerate(instructions) if w == "FROM"):]


def test_dockerfile_builds_any_package_as_non_root():
    instructions = _dockerfile_instructions()
    args = [rest for word, rest in instructions if word == "ARG"]
    assert any(re.fullmatch(r"PACKAGE(=.*)?", a) for a in args), "no ARG PACKAGE"
    assert "python:3.11-slim" in DOCKERFILE.read_text(), "base image must be python:3.11-slim"
    copies = " ".join(rest for word, rest in instructions if word == "COPY")
    assert re.search(r"(^|\s)shared/?\s", copies) and "${PACKAGE}" in copies
    assert re.search(r"(^|\s)services/?\s", copies), "services/ (every contract) is not copied"
    last_stage = _last_stage(instructions)
    users = [rest for word, rest in last_stage if word == "USER"]
    assert users, "the final stage has no USER line: it would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}, f"runs as {users[-1]}"
    workdirs = [rest for word, rest in last_stage if word == "WORKDIR"]
    assert workdirs and "${PACKAGE}" in workdirs[-1], "WORKDIR must be the package folder"
    assert any(word in {"CMD", "ENTRYPOINT"} for word, _ in instructions), "no default command"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _is_internal(name: str) -> bool:
    return _norm(name).startswith("fazhi-")


REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")


def _project(folder: Path) -> dict:
    return tomllib.loads((folder / "pyproject.toml").read_text())["project"]


def _internal_requirements(folder: Path, extras: set[str]) -> dict[str, set[str]]:
    """{distribution: extras} of the fazhi-* requirements of the package in ``folder``
    (its dependencies and those of the extras it is installed with)."""
    project = _project(folder)
    reqs = list(project.get("dependencies") or [])
    for extra in extras:
        reqs += (project.get("optional-dependencies") or {}).get(extra, [])
    out: dict[str, set[str]] = {}
    for req in reqs:
        m = REQUIREMENT.match(req)
        if m and _is_internal(m.group(1)) and " @ " not in req:
            out.setdefault(_norm(m.group(1)), set()).update(
                e.strip() for e in (m.group(2) or "").split(",") if e.strip())
    return out


@dataclass
class PipInstall:
    argv: list[str]
    local: list[tuple[Path, set[str], bool]] = field(default_factory=list)  # folder, extras, -e
    by_name: list[str] = field(default_factory=list)   # requirements resolved from an index
    options: list[str] = field(default_factory=list)


PIP_VALUE_OPTIONS = {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-r",
                     "--requirement", "-c", "--constraint", "-t", "--target", "--prefix",
                     "--root", "--src", "-C", "--config-settings", "--no-binary",
                     "--only-binary", "--platform", "--python-version", "--implementation",
                     "--abi", "--upgrade-strategy", "--report", "--progress-bar"}


def _parse_pip_install(argv: list[str], cwd: Path) -> PipInstall:
    assert argv and argv[0] == "install", f"pip {argv}"
    out = PipInstall(argv)
    items, i = [], 1
    while i < len(argv):
        a = argv[i]
        if a in ("-e", "--editable"):
            items.append((argv[i + 1], True))
            i += 2
        elif a.startswith("--editable="):
            items.append((a.split("=", 1)[1], True))
            i += 1
        elif a.startswith("-"):
            out.options.append(a)
            i += 2 if a in PIP_VALUE_OPTIONS else 1
        else:
            items.append((a, False))
            i += 1
    for spec, editable in items:
        m = re.match(r"^(.*?)(?:\[([^\]]*)\])?$", spec.split(" @ ")[-1].strip())
        target, extras = m.group(1), {e.strip() for e in (m.group(2) or "").split(",") if e}
        if " @ " in spec:
            extras |= {e.strip() for e in (REQUIREMENT.match(spec).group(2) or "").split(",")
                       if e.strip()}
        if target.startswith("file://"):
            target = target[len("file://"):]
        if target.startswith((".", "/")):
            folder = Path(os.path.realpath(cwd / target))
            out.local.append((folder, extras, editable))
        else:
            out.by_name.append(spec)
    return out


def _pip_installs_of_dockerfile(package: Package, tmp: Path) -> list[PipInstall]:
    """Run the Dockerfile's `pip install` steps for ``package`` with a stand-in pip that
    records its arguments: in a copy of the build context's layout (as the build stage's
    COPY lines lay it out, as symlinks into this checkout)."""
    app, bin_dir, log = tmp / "app", tmp / "bin", tmp / "pip.log"
    app.mkdir()
    bin_dir.mkdir()
    stand_in = bin_dir / "pip"
    stand_in.write_text(f"#!{sys.executable}\nimport json, os, sys\n"
                        "with open(os.environ['PIP_LOG'], 'a') as f:\n"
                        "    f.write(json.dumps(sys.argv[1:]) + '\\n')\n")
    stand_in.chmod(0o755)
    instructions = _dockerfile_instructions()
    for word, rest in instructions:
        if word == "COPY" and not rest.startswith("--from"):
            src, dest = (p.replace("${PACKAGE}", package.rel).replace("$PACKAGE", package.rel)
                         .strip("/") for p in rest.split()[-2:])
            target = app / dest
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(ROOT / src, target_is_directory=True)
    scripts = []
    for word, rest in instructions:
        if word == "RUN" and re.search(r"\bpip\s+install\b", rest):
            while rest.startswith("--"):
                rest = rest.split(None, 1)[1]
            scripts.append(rest)
    assert scripts, "deploy/Dockerfile has no `pip install` step"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "PACKAGE": package.rel, "PIP_LOG": str(log),
           "HOME": str(tmp)}
    for script in scripts:
        run = subprocess.run(["sh", "-c", script], cwd=app, env=env, capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 0, f"PACKAGE={package.rel}: {script}\n{run.stderr}"
    assert log.is_file(), "the pip install steps never ran `pip` (python -m pip is not seen)"
    return [_parse_pip_install(json.loads(line), app) for line in log.read_text().splitlines()]


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids(PACKAGES))
def test_dockerfile_installs_internal_packages_only_from_paths(pkg, tmp_path):
    """Every fazhi-* distribution comes from its folder, in one pip command that also
    holds shared/ (with the `service` extra), every services/*/contract and the package:
    pip then meets each internal requirement with a local candidate and never asks an
    index for a fazhi-* name (dependency confusion)."""
    installs = _pip_installs_of_dockerfile(pkg, tmp_path)
    by_name = [r for i in installs for r in i.by_name if _is_internal(REQUIREMENT.match(r)[1])]
    assert not by_name, f"internal packages named for an index: {by_name}"
    index_options = [o for i in installs for o in i.options
                     if o.split("=")[0] in {"-i", "--index-url", "--extra-index-url",
                                            "-r", "--requirement", "-c", "--constraint"}]
    assert not index_options, f"pip install with {index_options}: keep the index default"
    internal = [i for i in installs if i.local]
    assert len(internal) == 1, (
        f"PACKAGE={pkg.rel}: {len(internal)} pip commands install the repository's packages; "
        "install all of them in ONE command")
    install = internal[0]
    folders = {folder: (extras, editable) for folder, extras, editable in install.local}
    contracts = {c.parent.resolve() for c in (ROOT / "services").glob("*/contract/pyproject.toml")}
    expected = {(ROOT / "shared").resolve(), pkg.folder.resolve(), *contracts}
    assert set(folders) == expected, (
        f"PACKAGE={pkg.rel}: installs {sorted(map(rel, folders))}, expected shared/, every "
        f"services/*/contract and the package: {sorted(map(rel, expected))}")
    not_editable = sorted(rel(f) for f, (_, editable) in folders.items() if not editable)
    assert not not_editable, f"install editable (migrations run from source): {not_editable}"
    assert "service" in folders[(ROOT / "shared").resolve()][0], "shared needs its service extra"
    # Every internal requirement of what is installed is met by a folder of this command.
    provided = {_norm(_project(f)["name"]): extras for f, (extras, _) in folders.items()}
    for folder, (extras, _) in folders.items():
        for dist, wanted in _internal_requirements(folder, extras).items():
            assert dist in provided, (
                f"{rel(folder)} requires {dist}, which the image does not install from the "
                "repository: pip would look it up on a public index")
            assert wanted <= provided[dist], (
                f"{rel(folder)} requires {dist}[{','.join(sorted(wanted))}]; the image "
                f"installs it with [{','.join(sorted(provided[dist]))}]")


def test_pip_stand_in_parses_what_pip_gets(tmp_path):
    got = _parse_pip_install(["install", "-e", "./shared[service,s3]", "requests==2",
                              "fazhi-x @ file:///srv/x", "--extra-index-url", "u"], ROOT)
    assert got.local[0] == ((ROOT / "shared").resolve(), {"service", "s3"}, True)
    assert got.by_name == ["requests==2"] and got.local[1][0] == Path("/srv/x")
    assert "--extra-index-url" in got.options


def test_dockerignore_keeps_local_state_out():
    lines = {ln.strip().removeprefix("**/") for ln in
             (ROOT / ".dockerignore").read_text().splitlines()}
    for pattern in (".venv", ".git", "__pycache__", ".run", ".pytest_cache"):
        assert pattern in lines, f".dockerignore does not exclude {pattern}"


# ------------------------------------------------------------------------- runbooks


def test_runbook_names_the_common_and_gateway_secrets():
    runbook = RUNBOOK.read_text()
    names = {s.name for s in COMMON_SETTINGS if s.secret}
    names |= {s.name for s in settings_of(GATEWAY) if s.secret}
    names |= {"POSTGRES_PASSWORD", "RABBITMQ_PASSWORD"}
    missing = sorted(n for n in names if n not in runbook)
    assert not missing, f"deploy/README.md does not tell how to set: {missing}"
    assert "services/<name>/deploy/README.md" in runbook, (
        "deploy/README.md must say where a service's own secrets are documented")


@pytest.mark.parametrize("pkg", SERVICES, ids=_ids(SERVICES))
def test_service_secrets_are_documented_in_its_folder(pkg):
    """A new service documents its secrets in its own folder; the runbook needs no edit."""
    docs = [pkg.folder / "deploy" / "README.md", pkg.folder / "README.md"]
    text = "\n".join(p.read_text() for p in docs if p.is_file())
    common = {s.name for s in COMMON_SETTINGS}
    own = sorted(s.name for s in settings_of(pkg) if s.secret and s.name not in common)
    missing = [n for n in own if n not in text]
    assert not missing, (
        f"{pkg.name}'s secrets {missing} are not documented in "
        f"{rel(docs[0])} (or {rel(docs[1])})")
