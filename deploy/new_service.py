"""Add a service to the platform from ``deploy/service-template/``.

    python deploy/new_service.py NAME [--title-zh 中文名] [--title-en "English name"]
    make new-service NAME=<name>

Renders the template into ``services/NAME/`` (the service, its contract package, its
migrations, tests, README and deploy files) and adds exactly two lines outside it: the
service's compose fragment to the ``include:`` list of the root ``docker-compose.yml``
and its kustomize directory to the ``resources:`` list of ``deploy/k8s/base``. Nothing
else needs editing: ``make install``/``make run`` and pytest find ``services/*/``, the
gateway mounts every installed contract. See ``docs/adding-a-service.md``.

Template files all end in ``.tmpl`` (nothing in the template is importable or collected
by pytest); ``__name__`` in a path and ``{{name}}``, ``{{Name}}``, ``{{NAME}}``,
``{{title_zh}}``, ``{{title_en}}``, ``{{date}}`` and ``{{dev_signing_key}}`` (the
service's development signing key, the default of ``NAME_SIGNING_KEY``) in a file are
replaced.
"""
from __future__ import annotations

import argparse
import base64
import builtins
import datetime
import hashlib
import importlib.util
import keyword
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).resolve().parent / "service-template"
COMPOSE = "docker-compose.yml"
KUSTOMIZATION = "deploy/k8s/base/kustomization.yaml"

NAME_RE = re.compile(r"^[a-z][a-z0-9]{1,29}$")
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
# Names that would clash with a folder, a compose/Kubernetes object or a module that the
# platform already has. ``org``/``java``/``com``/``net``: the stdlib's ``copy`` imports
# ``org.python.core`` (Jython) and such probes would import a service package by accident.
RESERVED = {
    "shared", "gateway", "services", "service", "deploy", "docs", "tests", "test", "web",
    "fazhi", "api", "rabbitmq", "postgres", "postgresql", "migrations", "contract", "domain",
    "conftest", "setup", "site", "org", "java", "javax", "com", "net", "jython", "python",
    "all", "base", "overlays", "local", "template", "listener", "files",
}


class Refused(SystemExit):
    def __init__(self, message: str):
        super().__init__(f"new_service: {message}")


def check_name(name: str, root: Path) -> None:
    """Refuse names that are not plain lowercase identifiers or that clash."""
    if not NAME_RE.match(name):
        raise Refused(f"{name!r}: use 2–30 lowercase letters and digits, starting with a "
                      "letter (it becomes a Python package, an env prefix and a k8s name)")
    if (keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in dir(builtins)
            or name in sys.stdlib_module_names):
        raise Refused(f"{name!r} is a Python keyword, builtin or standard-library module")
    if (root / "services" / name).exists():
        raise Refused(f"services/{name} already exists")
    if name in RESERVED:
        raise Refused(f"{name!r} is reserved by the platform")
    for module in (name, f"fazhi_{name}_contract"):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = True
        if found:
            raise Refused(f"a module named {module!r} is already importable here "
                          "(an installed package); choose another name")


def check_title(title: str, what: str) -> None:
    if not title.strip() or any(c in title for c in '"\\{}\n\r'):
        raise Refused(f"{what} must be one line without quotes, backslashes or braces")


def render_text(text: str, values: dict, where: str) -> str:
    def sub(match):
        key = match.group(1)
        if key not in values:
            raise Refused(f"{where}: unknown placeholder {{{{{key}}}}}")
        return values[key]

    return PLACEHOLDER.sub(sub, text)


def render_template(name: str, values: dict, target: Path) -> list[Path]:
    """Write every template file into ``target``; returns the files written."""
    written = []
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        rel = source.relative_to(TEMPLATE)
        if not rel.name.endswith(".tmpl"):
            raise Refused(f"template file without .tmpl: {rel}")
        out = target / Path(*[part.replace("__name__", name) for part in rel.parts])
        out = out.with_name(out.name[:-len(".tmpl")])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_text(source.read_text(encoding="utf-8"), values, str(rel)),
                       encoding="utf-8")
        written.append(out)
    return written


# -- the two lines outside services/NAME ------------------------------------------------------
SERVICE_REF = re.compile(r"services/([a-z][a-z0-9]*)/deploy\b")


def _list_block(lines: list[str], key: str, path: str) -> tuple[int, int, str]:
    """(first, end, indent) of the top-level YAML list ``key:`` (its ``- `` lines)."""
    starts = [i for i, line in enumerate(lines) if re.match(rf"^{key}:\s*(#.*)?$", line)]
    if len(starts) != 1:
        raise Refused(f"{path}: expected one top-level `{key}:` list, found {len(starts)}")
    first = starts[0] + 1
    end, indent = first, None
    for i in range(first, len(lines)):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not lines[i][:1].isspace() and not stripped.startswith("- "):
            break                                     # the next top-level key
        end = i + 1
        if indent is None and stripped.startswith("- "):
            indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
    return first, end, indent or "  "


def add_list_line(root: Path, path: str, key: str, name: str) -> str:
    """Add the entry of services/NAME to the list ``key:`` of ``path``, in the format of
    the entries already there (one line each), keeping service entries in name order."""
    file = root / path
    text = file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    first, end, indent = _list_block(lines, key, path)
    entries = [(i, SERVICE_REF.search(lines[i]).group(1)) for i in range(first, end)
               if lines[i].strip().startswith("- ") and SERVICE_REF.search(lines[i])]
    if not entries:
        raise Refused(f"{path}: `{key}:` lists no services/<name>/deploy entry to follow")
    if any(n == name for _, n in entries):
        raise Refused(f"{path}: `{key}:` already lists services/{name}")
    model_index, model_name = entries[-1]
    model = lines[model_index]
    # The entry must be a single line (the next line is not its continuation).
    nxt = model_index + 1
    if nxt < len(lines) and lines[nxt].strip() and not lines[nxt].strip().startswith(("- ", "#")) \
            and lines[nxt].startswith(indent + " "):
        raise Refused(f"{path}: the entry of services/{model_name} spans several lines; "
                      f"add services/{name} by hand")
    new_line = SERVICE_REF.sub(f"services/{name}/deploy", model, count=1)
    new_line = re.sub(r"\s+#.*$", "", new_line.rstrip("\n")) + "\n"   # not org's comment
    after = [i for i, n in entries if n < name]
    at = (after[-1] + 1) if after else entries[0][0]
    lines.insert(at, new_line)
    file.write_text("".join(lines), encoding="utf-8")
    _check_listed(file, key, name)
    return new_line.strip()


def _check_listed(file: Path, key: str, name: str) -> None:
    try:
        import yaml
    except ImportError:          # the venv has it; a bare python3 skips the check
        return
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    items = [i if isinstance(i, str) else (i or {}).get("path", "") for i in data.get(key) or []]
    if not any(f"services/{name}/deploy" in str(i) for i in items):
        raise Refused(f"{file}: services/{name} did not land in `{key}:`")


def dev_signing_key(name: str) -> str:
    """``fazhi_shared.config.dev_signing_key`` (this script runs without the venv too)."""
    return base64.b64encode(hashlib.sha256(f"fazhi-dev:{name}".encode()).digest()).decode()


# -- main --------------------------------------------------------------------------------------
def generate(name: str, title_zh: str | None = None, title_en: str | None = None,
             root: Path = ROOT) -> dict:
    check_name(name, root)
    title_zh = title_zh or f"{name} 服务"
    title_en = title_en or f"the {name} service"
    check_title(title_zh, "--title-zh")
    check_title(title_en, "--title-en")
    # Both files must take their line before anything is written.
    for path, key in ((COMPOSE, "include"), (KUSTOMIZATION, "resources")):
        if not (root / path).is_file():
            raise Refused(f"{path} is missing")
        lines = (root / path).read_text(encoding="utf-8").splitlines(keepends=True)
        _list_block(lines, key, path)
    values = {"name": name, "Name": name[:1].upper() + name[1:], "NAME": name.upper(),
              "title_zh": title_zh, "title_en": title_en,
              "date": datetime.date.today().isoformat(),
              "dev_signing_key": dev_signing_key(name)}
    target = root / "services" / name
    files = render_template(name, values, target)
    compose_line = add_list_line(root, COMPOSE, "include", name)
    k8s_line = add_list_line(root, KUSTOMIZATION, "resources", name)
    return {"target": target, "files": files, "compose": compose_line, "k8s": k8s_line}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="deploy/new_service.py",
                                     description="Add services/NAME from the service template.")
    parser.add_argument("name", help="lowercase letters and digits, e.g. disputes")
    parser.add_argument("--title-zh", help="Chinese title (OpenAPI tag, README)")
    parser.add_argument("--title-en", help="English title")
    args = parser.parse_args(argv)
    done = generate(args.name, args.title_zh, args.title_en)
    name = args.name
    rel = done["target"].relative_to(ROOT)
    print(f"✓ {rel}/ created ({len(done['files'])} files)")
    print(f"✓ {COMPOSE}: include  {done['compose']}")
    print(f"✓ {KUSTOMIZATION}: resources  {done['k8s']}")
    print(f"""
Next steps (docs/adding-a-service.md has the whole checklist):
  1. make install                       # installs fazhi-{name} and fazhi-{name}-contract
  2. .venv/bin/python -m pytest {rel}   # the example's unit and service tests pass as generated
  3. make run                           # starts {name} too; the gateway mounts /api/v1/{name}
  4. Replace the example notes with {name}'s own records: contract first
     (services/{name}/contract), then domain/, the use cases, models + a migration, tests.
  5. Keep README.md (what it owns, RPC methods, events in/out, settings) and
     services/{name}/deploy/ in step with config.py SETTINGS.""")


if __name__ == "__main__":
    main()
