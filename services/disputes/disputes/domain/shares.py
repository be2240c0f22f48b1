"""The three resolution shares of the seed (DOMAIN-RULES §5): of the cases concluded in
a period (settled, failed, or passed out), the share concluded inside the compound
("small matters stay in the compound"), at or below the street ("big matters stay in
the street") and passed above the street — to the city centre or out to a court or
another body ("conflicts not passed upward", target 0). Numerator and denominator,
never floats.
"""
from __future__ import annotations

from collections.abc import Mapping

BUCKETS = ("compound", "community", "street", "city", "out")
IN_COMPOUND = ("compound",)
AT_OR_BELOW_STREET = ("compound", "community", "street")
ABOVE_STREET = ("city", "out")


def bucket_of(outcome: str, concluded_level: str) -> str:
    """Where a concluded case counts: ``out`` when passed out, else the level it was
    concluded at."""
    if outcome not in ("settled", "failed", "passed_out"):
        raise ValueError(f"not a conclusion: {outcome}")
    if outcome == "passed_out":
        return "out"
    if concluded_level not in BUCKETS[:-1]:
        raise ValueError(f"unknown level: {concluded_level}")
    return concluded_level


def fraction(numerator: int, denominator: int) -> dict:
    return {"numerator": numerator, "denominator": denominator}


def three_shares(counts: Mapping[str, int]) -> dict:
    """``counts``: concluded cases per bucket (missing buckets are 0)."""
    unknown = set(counts) - set(BUCKETS)
    if unknown:
        raise ValueError(f"unknown buckets: {sorted(unknown)}")
    total = sum(counts.values())

    def share(buckets):
        return fraction(sum(counts.get(b, 0) for b in buckets), total)

    return {"in_compound": share(IN_COMPOUND),
            "at_or_below_street": share(AT_OR_BELOW_STREET),
            "above_street": share(ABOVE_STREET)}
