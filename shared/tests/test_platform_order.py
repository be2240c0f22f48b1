"""The order the platform seeds services in: each after those whose contract it depends on."""
from pathlib import Path

import pytest

from fazhi_shared.service.platform import contract_dependencies, seed_order


def service(root: Path, name: str, depends_on=(), seed=True) -> None:
    folder = root / "services" / name
    (folder / name).mkdir(parents=True)
    deps = ", ".join(f'"fazhi-{d}-contract"' for d in (name, *depends_on))
    (folder / "pyproject.toml").write_text(f'[project]\nname = "fazhi-{name}"\n'
                                           f'dependencies = ["fazhi-shared[service]", {deps}]\n')
    if seed:
        (folder / name / "seed.py").write_text("")


def test_a_seed_runs_after_the_seeds_of_the_contracts_it_depends_on(tmp_path):
    service(tmp_path, "org")
    service(tmp_path, "disputes", ["org", "legal", "deliberation"])
    service(tmp_path, "legal", ["org"])
    service(tmp_path, "deliberation", ["org"])
    service(tmp_path, "notify", seed=False)
    assert contract_dependencies(tmp_path, "disputes") == {"org", "legal", "deliberation"}
    assert contract_dependencies(tmp_path, "org") == set()        # its own contract is no dependency
    assert seed_order(tmp_path) == ["org", "deliberation", "legal", "disputes"]


def test_a_dependency_without_a_seed_does_not_hold_anyone_back(tmp_path):
    service(tmp_path, "alpha", ["notify"])
    service(tmp_path, "notify", seed=False)
    assert seed_order(tmp_path) == ["alpha"]


def test_a_cycle_is_refused(tmp_path):
    service(tmp_path, "a", ["b"])
    service(tmp_path, "b", ["a"])
    with pytest.raises(ValueError, match="cycle"):
        seed_order(tmp_path)


def test_this_repository_seeds_org_first():
    root = Path(__file__).resolve().parents[2]
    order = seed_order(root)
    assert order and order[0] == "org"
