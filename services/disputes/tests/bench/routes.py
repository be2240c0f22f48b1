"""``make bench``: the disputes routes to load (``seed`` is what ``disputes.seed`` printed;
the bench has loaded 100,000 cases first: ``prepare.py``). A street admin's scope holds
three of the four demo compounds, about 75,000 of them."""
from urllib.parse import urlencode


def routes(seed: dict) -> list[dict]:
    community = seed.get("compounds", {}).get("阳光花园")
    period = {"from_month": seed.get("from_month", "2025-12"),
              "to_month": seed.get("to_month", "2026-12")}
    listed = {"state": "closed", "category": "property", "limit": 50}
    if community:
        listed["unit_id"] = community
    return [
        {"label": "disputes: filtered list", "method": "GET", "username": "street_admin",
         "path": "/api/v1/disputes/cases?" + urlencode(listed), "json": None},
        {"label": "disputes: search + filter", "method": "GET", "username": "street_admin",
         "path": "/api/v1/disputes/cases?" + urlencode(
             {"q": seed.get("search", "漏水"), "state": "mediating", "limit": 50}),
         "json": None},
        {"label": "disputes: statistics (a year)", "method": "GET", "username": "street_admin",
         "path": "/api/v1/disputes/statistics?" + urlencode(period), "json": None},
    ]
