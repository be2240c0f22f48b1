"""``org.domain`` stays pure: importing every rule module loads no database driver, ORM,
broker client, nameko, nor any of org's database modules (checked in a fresh process,
since the test session has loaded them all)."""
import pkgutil
import subprocess
import sys

import org.domain

FORBIDDEN = ("sqlalchemy", "pg8000", "nameko", "kombu", "eventlet", "openpyxl",
             "org.models", "org.config", "org.identity", "fazhi_shared.service")


def test_domain_modules_are_pure():
    modules = [f"org.domain.{m.name}" for m in pkgutil.iter_modules(org.domain.__path__)]
    assert {"tree", "electorate", "bodies", "party", "five_haves"} <= {
        m.rsplit(".", 1)[1] for m in modules}
    check = (f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
             f"print(sorted(m for m in sys.modules if any(m == f or m.startswith(f + '.') "
             f"for f in {FORBIDDEN!r})))")
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]", f"org.domain imports {out}"
