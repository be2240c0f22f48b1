"""Static checks of the deployment files: no network, no docker, no cluster.

- docker-compose.yml runs every package (each folder under services/ with a
  pyproject.toml, plus the gateway) next to RabbitMQ and PostgreSQL, and passes each one
  exactly the variables its ``config.py`` ``SETTINGS`` declares;
- no other module reads the environment, so ``SETTINGS`` is the complete list;
- deploy/k8s custom resources validate against the operators' CRDs (../shared/k8s-crds),
  Deployments name images and get every setting, kustomizations list only real files;
- deploy/Dockerfile builds any package as a non-root user.

Everything is generic over the folders present: a new services/<name>/ must show up in
compose, in deploy/k8s and in the runbook before these tests pass.
"""
from __future__ import annotations

import ast
import copy
import importlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml
from fazhi_shared.config import Setting

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
K8S_DIR = ROOT / "deploy" / "k8s"
CRD_DIR = ROOT.parent / "shared" / "k8s-crds"
INFRA = ("rabbitmq", "postgres")
CUSTOM_KINDS = {"RabbitmqCluster", "Cluster", "Database", "ScheduledBackup", "Pooler"}
KUSTOMIZATION_NAMES = {"kustomization.yaml", "kustomization.yml", "Kustomization"}


# --------------------------------------------------------------------------- packages


@dataclass(frozen=True)
class Package:
    name: str    # compose service, k8s Deployment and import package name
    folder: Path  # the pip package folder (has pyproject.toml)

    @property
    def rel(self) -> str:
        return self.folder.relative_to(ROOT).as_posix()


def _service_packages() -> list[Package]:
    services = ROOT / "services"
    if not services.is_dir():
        return []
    return [Package(p.name, p) for p in sorted(services.iterdir())
            if p.is_dir() and (p / "pyproject.toml").is_file()]


SERVICES = _service_packages()
PACKAGES = SERVICES + [Package("gateway", ROOT / "gateway")]
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


# ---------------------------------------------------------------------------- compose


@pytest.fixture(scope="module")
def compose() -> dict:
    assert COMPOSE_FILE.is_file(), "docker-compose.yml is missing at the repo root"
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data.get("services"), dict), "docker-compose.yml has no services"
    return data


def compose_env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {str(k): ("" if v is None else str(v)) for k, v in env.items()}


def test_compose_has_every_package_and_the_infrastructure(compose):
    expected = set(SERVICE_NAMES) | {"gateway", *INFRA}
    missing = expected - set(compose["services"])
    assert not missing, f"docker-compose.yml lacks services: {sorted(missing)}"


def test_compose_builds_only_existing_packages(compose):
    for name, svc in compose["services"].items():
        build = svc.get("build")
        if build is None:
            continue
        assert isinstance(build, dict), f"{name}: build must name dockerfile and args"
        assert build.get("dockerfile") == "deploy/Dockerfile", name
        assert (ROOT / build.get("context", ".") / build["dockerfile"]).is_file(), name
        package = (build.get("args") or {}).get("PACKAGE")
        assert package in {p.rel for p in PACKAGES}, (
            f"compose service {name!r} builds PACKAGE={package!r}, not a package folder")
        # A package's service is named after it; its other processes are "<name>-<role>".
        base = Path(package).name
        assert name == base or name.startswith(base + "-"), (
            f"compose service {name!r} builds {package!r}")


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids(PACKAGES))
def test_compose_app_service_shape(compose, pkg):
    svc = compose["services"].get(pkg.name)
    assert svc is not None, f"docker-compose.yml has no service {pkg.name!r}"
    assert svc.get("build", {}).get("args", {}).get("PACKAGE") == pkg.rel
    assert svc.get("restart") == "unless-stopped", pkg.name
    depends = svc.get("depends_on")
    assert isinstance(depends, dict), f"{pkg.name}: depends_on must be a mapping"
    for infra in INFRA:
        assert (depends.get(infra) or {}).get("condition") == "service_healthy", (
            f"{pkg.name} must wait for {infra} to be healthy")
    assert (svc.get("healthcheck") or {}).get("test"), f"{pkg.name}: no healthcheck"


def test_compose_infrastructure(compose):
    services = compose["services"]
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
    env = compose_env(compose["services"].get(pkg.name, {}))
    names = {s.name for s in settings_of(pkg)}
    missing = sorted(names - set(env))
    unknown = sorted(set(env) - names)
    assert not missing, f"compose {pkg.name}: settings not passed: {missing}"
    assert not unknown, f"compose {pkg.name}: variables the code never reads: {unknown}"


def test_compose_extra_processes_get_their_package_settings(compose):
    """A second process of a package (e.g. gateway-listener) reads the same settings."""
    for name, svc in compose["services"].items():
        package = ((svc.get("build") or {}).get("args") or {}).get("PACKAGE")
        if not package or name == Path(package).name:
            continue
        base = compose_env(compose["services"][Path(package).name])
        assert compose_env(svc) == base, f"{name} must have {Path(package).name}'s environment"
        assert svc.get("command"), f"{name} must say which process it runs"


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids(PACKAGES))
def test_compose_env_values(compose, pkg):
    env = compose_env(compose["services"].get(pkg.name, {}))
    for s in settings_of(pkg):
        value = env.get(s.name, "")
        if s.secret:
            assert re.fullmatch(r"\$\{%s:-[^}]+\}" % re.escape(s.name), value), (
                f"compose {pkg.name}: secret {s.name} must be ${{{s.name}:-dev default}}")
        if s.name.endswith("_DATABASE_URL"):
            assert re.search(rf"@postgres:5432/fazhi_{re.escape(pkg.name)}$", value), (
                f"compose {pkg.name}: {s.name} must point at postgres/fazhi_{pkg.name}")
    assert "@rabbitmq:5672" in env.get("AMQP_URI", ""), f"{pkg.name}: AMQP_URI not at rabbitmq"


def test_compose_shares_one_context_key(compose):
    keys = {compose_env(compose["services"][p.name]).get("FAZHI_CONTEXT_KEY") for p in PACKAGES}
    assert len(keys) == 1, f"FAZHI_CONTEXT_KEY differs between containers: {keys}"


def test_compose_defaults_are_consistent():
    defaults: dict[str, set[str]] = {}
    for var, default in re.findall(r"\$\{(\w+):?-([^}]*)\}", COMPOSE_FILE.read_text()):
        defaults.setdefault(var, set()).add(default)
    differing = {k: v for k, v in defaults.items() if len(v) > 1}
    assert not differing, f"one variable, several defaults in docker-compose.yml: {differing}"


def test_compose_gateway_knows_every_service(compose):
    gateway = compose["services"]["gateway"]
    listed = compose_env(gateway).get("GATEWAY_SERVICES", "")
    assert sorted(filter(None, map(str.strip, listed.split(",")))) == sorted(SERVICE_NAMES)
    missing = set(SERVICE_NAMES) - set(gateway.get("depends_on") or {})
    assert not missing, f"gateway should depend_on every service: {sorted(missing)}"


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
    return sorted(f for r in roots if r.is_dir() for f in r.rglob("*.py")
                  if "__pycache__" not in f.parts)


def _may_read_env(path: Path) -> bool:
    rel = path.relative_to(ROOT).as_posix()
    return path.name == "config.py" or rel == "shared/fazhi_shared/service/testing.py"


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
        "only config.py (and fazhi_shared/service/testing.py) may read os.environ / os.getenv; "
        f"declare a Setting instead: {offenders}")


# ------------------------------------------------------------------------- kubernetes


def _k8s_files() -> list[Path]:
    return sorted(p for p in K8S_DIR.rglob("*") if p.suffix in {".yaml", ".yml"}
                  or p.name == "Kustomization")


def _is_kustomization(path: Path) -> bool:
    return path.name in KUSTOMIZATION_NAMES


def load_k8s() -> tuple[list[tuple[Path, dict]], list[tuple[Path, dict]]]:
    """(manifests, kustomizations) under deploy/k8s, as (path, document) pairs."""
    manifests, kustomizations = [], []
    for path in _k8s_files():
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc:
                continue
            (kustomizations if _is_kustomization(path) else manifests).append((path, doc))
    return manifests, kustomizations


@pytest.fixture(scope="module")
def k8s():
    assert (K8S_DIR / "base" / "kustomization.yaml").is_file(), "no deploy/k8s/base"
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
        pytest.skip(f"CRDs not found at {CRD_DIR} (the read-only ../shared/k8s-crds folder)")
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


def test_k8s_custom_resources_validate_against_crds(k8s, crd_schemas):
    manifests, _ = k8s
    crs = _custom_resources(manifests)
    kinds = {d["kind"] for _, d in crs}
    assert {"RabbitmqCluster", "Cluster", "Database"} <= kinds, f"found only {kinds}"
    failures = []
    for path, doc in crs:
        for err in crd_errors(doc, crd_schemas):
            failures.append(f"{path.relative_to(ROOT)} {doc['kind']}/"
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
        for field, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
            for gen in k.get(field) or []:
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


@pytest.mark.parametrize("pkg", PACKAGES, ids=_ids(PACKAGES))
def test_k8s_deployment_gets_every_setting(k8s, pkg):
    manifests, kustomizations = k8s
    dep = _deployments(manifests).get(pkg.name)
    assert dep is not None, f"no Deployment {pkg.name!r} in deploy/k8s"
    container = dep["spec"]["template"]["spec"]["containers"][0]
    stores = {**_plain_data(manifests), **_generator_data(kustomizations)}
    provided: dict[str, str] = {}  # setting name -> "ConfigMap" / "Secret" / "value"
    for ref in container.get("envFrom") or []:
        for kind, field in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            if field in ref:
                key = (kind, ref[field]["name"])
                assert key in stores, f"{pkg.name}: envFrom names unknown {kind} {key[1]}"
                provided.update(dict.fromkeys(stores[key], kind))
    for var in container.get("env") or []:
        if "valueFrom" in var:
            provided[var["name"]] = "Secret" if "secretKeyRef" in var["valueFrom"] else "ref"
        else:
            provided[var["name"]] = "value"
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
    services = [v for (kind, _), keys in stores.items() for k, v in keys.items()
                if k == "GATEWAY_SERVICES"]
    assert services, "GATEWAY_SERVICES is not configured in deploy/k8s"
    for value in services:
        assert sorted(filter(None, map(str.strip, value.split(",")))) == sorted(SERVICE_NAMES)


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
    paths = list(k.get("resources") or []) + list(k.get("components") or [])
    paths += list(k.get("bases") or []) + list(k.get("crds") or [])
    paths += [p for p in k.get("patchesStrategicMerge") or [] if isinstance(p, str)
              and "\n" not in p]
    paths += [p["path"] for p in (k.get("patches") or []) + (k.get("patchesJson6902") or [])
              if isinstance(p, dict) and "path" in p]
    for field in ("configMapGenerator", "secretGenerator"):
        for gen in k.get(field) or []:
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
        for rel in listed:
            if "://" in rel:
                problems.append(f"{path.relative_to(ROOT)}: remote resource {rel}")
                continue
            target = (path.parent / rel).resolve()
            if target.is_dir():
                if not any((target / n).is_file() for n in KUSTOMIZATION_NAMES):
                    problems.append(f"{path.relative_to(ROOT)}: {rel} has no kustomization")
            elif not target.is_file():
                problems.append(f"{path.relative_to(ROOT)}: {rel} does not exist")
        # A manifest beside a kustomization that it does not list is never deployed.
        used = {(path.parent / rel).resolve() for rel in listed}
        for sibling in path.parent.iterdir():
            if (sibling.suffix in {".yaml", ".yml"} and not _is_kustomization(sibling)
                    and sibling.resolve() not in used):
                problems.append(f"{path.relative_to(ROOT)}: {sibling.name} is not listed")
    assert not problems, "\n".join(problems)


def _kustomize_dirs() -> list[Path]:
    return sorted({p.parent for p in _k8s_files() if _is_kustomization(p)})


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (kustomize) not installed")
@pytest.mark.parametrize("directory", _kustomize_dirs(),
                         ids=lambda p: p.relative_to(K8S_DIR).as_posix())
def test_kustomize_build_renders_valid_resources(directory, request):
    """`kubectl kustomize` renders offline; the rendered custom resources (after the
    overlays' patches) validate too."""
    run = subprocess.run(["kubectl", "kustomize", str(directory)], capture_output=True,
                         text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    docs = [d for d in yaml.safe_load_all(run.stdout) if d]
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


def test_dockerfile_builds_any_package_as_non_root():
    instructions = _dockerfile_instructions()
    args = [rest for word, rest in instructions if word == "ARG"]
    assert any(re.fullmatch(r"PACKAGE(=.*)?", a) for a in args), "no ARG PACKAGE"
    assert "python:3.11-slim" in DOCKERFILE.read_text(), "base image must be python:3.11-slim"
    runs = " ".join(rest for word, rest in instructions if word == "RUN")
    assert re.search(r"pip install[^;&|]*-e\s+(\./)?shared\b", runs), "shared is not installed"
    assert re.search(r"pip install[^;&|]*-e\s+\S*\$\{?PACKAGE", runs), "PACKAGE not installed"
    copies = " ".join(rest for word, rest in instructions if word == "COPY")
    assert re.search(r"(^|\s)shared/?\s", copies) and "${PACKAGE}" in copies
    last_stage = instructions[max(i for i, (w, _) in enumerate(instructions) if w == "FROM"):]
    users = [rest for word, rest in last_stage if word == "USER"]
    assert users, "the final stage has no USER line: it would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}, f"runs as {users[-1]}"
    workdirs = [rest for word, rest in last_stage if word == "WORKDIR"]
    assert workdirs and "${PACKAGE}" in workdirs[-1], "WORKDIR must be the package folder"
    assert any(word in {"CMD", "ENTRYPOINT"} for word, _ in instructions), "no default command"


def test_dockerignore_keeps_local_state_out():
    lines = {ln.strip().removeprefix("**/") for ln in
             (ROOT / ".dockerignore").read_text().splitlines()}
    for pattern in (".venv", ".git", "__pycache__", ".run", ".pytest_cache"):
        assert pattern in lines, f".dockerignore does not exclude {pattern}"


def test_runbook_names_every_secret():
    runbook = (ROOT / "deploy" / "README.md").read_text()
    names = {s.name for p in PACKAGES for s in settings_of(p) if s.secret} | {"POSTGRES_PASSWORD"}
    missing = sorted(n for n in names if n not in runbook)
    assert not missing, f"deploy/README.md does not tell how to set: {missing}"
