"""When two unit names are the same name: the comparison key of sibling names.

Staff type names on phones and in workbooks: "９幢" (full-width), "9 幢" and " 9幢 " are
all the building "9幢". Two live siblings (units with one parent) may not share a key.
The key is NFKC (full-width letters, digits and spaces become ASCII) with every
whitespace character removed — which trims and collapses inner spaces to none, so
"9 幢" = "9幢" and "A 座" = "A座". Names are stored as typed (trimmed); only comparisons
use the key.

The database computes the same key (SQL function ``org_name_key``, migration 0009) for
the generated column ``units.name_key`` and its unique index; this module is the Python
twin for matching names in memory (the workbook import). Both apply the same two steps.
"""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """The comparison key of a unit name: NFKC, no whitespace."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name))
