"""Rules of notes: who may write one, what its text may be, who sees it."""
from __future__ import annotations

import re

from fazhi_shared.context import Principal
from fazhi_shared.errors import Forbidden, ValidationFailed
from fazhi_shared.scope import PUBLIC, STAFF

from fazhi_deliberation_contract.roles import NOTE_WRITERS
from fazhi_deliberation_contract.vocabulary import MAX_NOTE_TEXT

# A notice is for the compound's residents; visit records and reminders stay with staff.
VISIBILITY_OF_KIND = {"visit": STAFF, "reminder": STAFF, "notice": PUBLIC}

_BLANK_LINES = re.compile(r"\n{3,}")


def visibility_of(kind: str) -> str:
    """The visibility class of a note of ``kind`` (``fazhi_shared.scope``)."""
    return VISIBILITY_OF_KIND[kind]


def clean_text(text: str) -> str:
    """The text as stored: line ends unified, trailing spaces and runs of blank lines
    removed, stripped. Empty, or longer than the limit after cleaning: refused, naming
    the field."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cleaned = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in lines)).strip()
    if not cleaned:
        raise ValidationFailed.for_field("text", "内容不能为空。", "The text may not be empty.")
    if len(cleaned) > MAX_NOTE_TEXT:
        raise ValidationFailed.for_field("text", f"内容不能超过 {MAX_NOTE_TEXT} 个字。",
                                         f"The text is longer than {MAX_NOTE_TEXT} characters.")
    return cleaned


def require_writer(principal: Principal, unit_path: str) -> None:
    """Raise ``Forbidden`` unless the caller holds a writer role covering the unit."""
    if not principal.can_act_at(NOTE_WRITERS, unit_path):
        raise Forbidden()
