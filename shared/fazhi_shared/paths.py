"""Unit paths made of ids: ``/<city>/<street>/<community>/<compound>/<building>/<unit>``.

Renaming never changes a path; moving changes the path of the unit and everything
under it (the org service emits ``org.unit.moved`` with both paths).
"""
from __future__ import annotations

LEVELS = ("city", "street", "community", "compound", "building", "unit")


def level_depth(kind: str) -> int:
    """Depth of a unit kind: city 1 … unit 6."""
    return LEVELS.index(kind) + 1


def child_kind(kind: str) -> str | None:
    i = LEVELS.index(kind)
    return LEVELS[i + 1] if i + 1 < len(LEVELS) else None


def ids(path: str) -> list[str]:
    return [p for p in path.split("/") if p]


def depth(path: str) -> int:
    return len(ids(path))


def join(*unit_ids: str) -> str:
    return "/" + "/".join(unit_ids)


def child_path(parent_path: str | None, unit_id: str) -> str:
    return (parent_path or "") + "/" + unit_id


def is_within(path: str, ancestor: str) -> bool:
    """True when ``path`` is ``ancestor`` itself or lies under it (by whole ids)."""
    return path == ancestor or path.startswith(ancestor.rstrip("/") + "/")


def ancestor_at(path: str, level: str) -> str | None:
    """The path of the ancestor at ``level`` (e.g. the compound of a unit), if deep enough."""
    parts = ids(path)
    d = level_depth(level)
    if len(parts) < d:
        return None
    return join(*parts[:d])


def rebase(path: str, old_prefix: str, new_prefix: str) -> str:
    """Move ``path`` from under ``old_prefix`` to under ``new_prefix``."""
    if not is_within(path, old_prefix):
        raise ValueError(f"{path} is not under {old_prefix}")
    return new_prefix + path[len(old_prefix):]


def is_valid(path: str) -> bool:
    parts = path.split("/")
    return (path.startswith("/") and 1 <= len(parts) - 1 <= len(LEVELS)
            and all(parts[1:]))
