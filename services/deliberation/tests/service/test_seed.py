"""The demo seed, as ``make run`` runs it: org's seed, then ``python -m deliberation.seed``
in its own process with the service's environment; a second run creates nothing."""
import json
import os
import subprocess
import sys

from fazhi_shared.context import Grant, Principal
from fazhi_shared.service.testing import call_as


def run_seed(module: str) -> dict:
    done = subprocess.run([sys.executable, "-m", module], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "FAZHI_CLOCK_FILE": ""})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_demo_has_a_closed_vote_a_running_one_appeals_and_a_meeting(deliberation):
    run_seed("org.seed")
    first = run_seed("deliberation.seed")
    assert first["created"] == {"matters": 2, "appeals": 4, "meetings": 1}
    again = run_seed("deliberation.seed")
    assert again["created"] == {"matters": 0, "appeals": 0, "meetings": 0}
    assert again["matters"] == first["matters"]
    system = Principal.system()
    closed = call_as(system, "deliberation", "get_matter", matter_id=first["matters"]["closed"])
    running = call_as(system, "deliberation", "get_matter",
                      matter_id=first["matters"]["running"])
    assert (closed["status"], running["status"]) == ("closed", "voting")
    result = call_as(system, "deliberation", "get_result", matter_id=closed["id"])
    assert result["items"][0]["participating_owners"] > 0
    worker = Principal(kind="user", grants=(Grant("community_worker", closed["path"]),))
    board = call_as(worker, "deliberation", "list_appeals", compound_id=first["compound_id"])
    assert {a["status"] for a in board["items"]} >= {"answered", "assigned", "submitted"}
    assert any(a["overdue"] for a in board["items"])
    # the bench's cast (the demo resident, online) is a repeatable POST
    from importlib.util import module_from_spec, spec_from_file_location
    spec = spec_from_file_location("deliberation_bench_routes", os.path.join(
        os.path.dirname(os.path.dirname(__file__)), "bench", "routes.py"))
    bench = module_from_spec(spec)
    spec.loader.exec_module(bench)
    cast, read = bench.routes(first)
    assert cast["method"] == "POST" and read["path"].endswith(f"{closed['id']}/result")
