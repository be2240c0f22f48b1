"""``make bench``: the deliberation routes to load (``seed`` is what ``deliberation.seed``
printed). The demo resident 蒋居民 (login ``resident``) is a voter of the running demo
vote and casts online: each cast replaces the last while voting is open, so the POST
repeats; the closed vote's result is what every resident reads."""


def routes(seed: dict) -> list[dict]:
    matters = seed.get("matters") or {}
    items = seed.get("running_items") or []
    out = []
    if matters.get("running") and items:
        out.append({"label": "deliberation: cast a ballot (replaces itself)", "method": "POST",
                    "username": "resident",
                    "path": f"/api/v1/deliberation/matters/{matters['running']}/ballots",
                    "json": {"choices": [{"item_id": i, "choice": "yes"} for i in items]}})
    if matters.get("closed"):
        out.append({"label": "deliberation: read a result", "method": "GET",
                    "username": "resident",
                    "path": f"/api/v1/deliberation/matters/{matters['closed']}/result",
                    "json": None})
    return out
