"""The local rules of owners' votes (DOMAIN-RULES §1): national defaults, overridden by a
city's rules, overridden by a compound's rules of procedure.

Pure: the settings are passed in. ``overrides`` maps a city's or a compound's unit id to
the rules it changes; a compound's path names its city, so the most specific wins.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

from fazhi_shared.paths import ancestor_at, ids


@dataclass(frozen=True)
class LocalRules:
    notice_days: int = 15
    voting_days: int = 15
    posting_days: int = 15
    electronic_ballots: bool = True
    parking_counts: bool = True
    proxy_limit: int = 0                       # 0: no limit
    proxy_property_staff_barred: bool = True
    deemed_consent_allowed: bool = False


_TYPES = {f.name: f.type for f in fields(LocalRules)}


def _checked(name: str, value):
    kind = _TYPES.get(name)
    if kind is None:
        raise ValueError(f"unknown local rule {name!r}")
    if kind == "bool" and not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    if kind == "int" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValueError(f"{name} must be a non-negative integer")
    if name.endswith("_days") and value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value


def rules_for(compound_path: str, defaults: LocalRules, overrides: dict) -> LocalRules:
    """The rules of the compound at ``compound_path``: defaults ← its city ← itself."""
    rules = defaults
    city = ancestor_at(compound_path, "city")
    keys = [ids(city)[-1]] if city else []
    keys.append(ids(compound_path)[-1])
    for key in keys:
        changes = overrides.get(key) or {}
        rules = replace(rules, **{k: _checked(k, v) for k, v in changes.items()})
    return rules


def check_overrides(overrides: dict) -> None:
    """Refuse a malformed setting at start rather than at the first vote."""
    for key, changes in overrides.items():
        if not isinstance(changes, dict):
            raise ValueError(f"local rules of {key} must be an object")
        for name, value in changes.items():
            _checked(name, value)
