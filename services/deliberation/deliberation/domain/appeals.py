"""Rules of appeals: who sees what of them, which status may follow which, and what an
event or the public mirror may carry (never who asked; no phone or ID numbers)."""
from __future__ import annotations

import re

from fazhi_shared.errors import Conflict

SUBMITTED, ASSIGNED, ANSWERED, REOPENED, REFERRED, CLOSED = (
    "submitted", "assigned", "answered", "reopened", "referred", "closed")
OPEN_FOR_REPLY = (ASSIGNED, REOPENED)
SATISFIED = ("satisfied", "basically_satisfied")

# What a summary must not carry out of the service: mainland phone numbers (mobile and
# landline with area code) and ID numbers (18 characters, or the old 15 digits).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<!\d)\d{15}(?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)"
                    r"|(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")


def scrub(text: str) -> str:
    """The text with phone and ID numbers replaced by a mark."""
    return _PHONE.sub("[电话已隐去]", _ID_NUMBER.sub("[证件号已隐去]", text))


TRANSITIONS = {
    "assign": (SUBMITTED, ASSIGNED, REOPENED),
    "answer": (ASSIGNED, REOPENED),
    "rate": (ANSWERED,),
    "reopen": (ANSWERED, CLOSED),
    "refer": (SUBMITTED, ASSIGNED, REOPENED),
}
MESSAGES = {
    "assign": ("该诉求已答复或已转出，不能再分派。", "The appeal can no longer be assigned."),
    "answer": ("该诉求尚未分派或已答复。", "The appeal is not awaiting a reply."),
    "rate": ("答复后才能评价。", "Rate an appeal once it is answered."),
    "reopen": ("只有已答复的诉求可以重新办理。", "Only an answered appeal can be reopened."),
    "refer": ("该诉求已答复或已转出。", "The appeal was answered or referred already."),
}


def require_transition(action: str, status: str) -> None:
    if status not in TRANSITIONS[action]:
        raise Conflict(*MESSAGES[action])


def status_after_rating(satisfaction: str) -> str:
    """A satisfied submitter closes the appeal; an unsatisfied one leaves it answered
    (they may reopen it)."""
    return CLOSED if satisfaction in SATISFIED else ANSWERED


def is_overdue(status: str, due_on, today) -> bool:
    """Awaiting a reply after its last day (the deadline day itself is still in time)."""
    return status in OPEN_FOR_REPLY and due_on is not None and today > due_on
