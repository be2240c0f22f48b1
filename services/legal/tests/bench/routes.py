"""legal's hot routes for ``make bench`` (tests/bench/bench_gateway.py), given what
``legal.seed`` printed: residents' "on duty now and next" (the duty board read model)."""


def routes(seed: dict) -> list[dict]:
    compound = seed.get("compound_id")
    if not compound:
        return []
    return [{"label": "legal: on duty now", "method": "GET", "json": None,
             "path": f"/api/v1/legal/duty?compound_id={compound}",
             "username": seed.get("resident", "resident")}]
