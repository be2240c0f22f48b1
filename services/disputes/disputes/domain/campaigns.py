"""Special campaigns and rectify-and-close (整改销号) as data: the item workflow and the
rule that a campaign closes only when every item is verified and closed."""
from __future__ import annotations

from fazhi_shared.errors import Conflict

# item action -> (states it is allowed in, the state it leads to)
ITEM_WORKFLOW = {
    "start": (("assigned", "sent_back"), "rectifying"),
    "submit": (("rectifying",), "submitted"),
    "verify": (("submitted",), "verified"),
    "send_back": (("submitted", "verified"), "sent_back"),
    "close": (("verified",), "closed"),
}
ITEM_STATES = ("assigned", "rectifying", "submitted", "verified", "closed", "sent_back")
VERIFYING_ACTIONS = ("verify", "send_back", "close")


def item_next_state(state: str, action: str) -> str:
    allowed, to = ITEM_WORKFLOW[action]
    if state not in allowed:
        raise Conflict("整改事项当前状态不允许此操作。",
                       f"An item that is {state} does not allow {action}.")
    return to


def unfinished(item_states) -> int:
    """How many items are not yet verified and closed."""
    return sum(1 for s in item_states if s != "closed")


def require_closable(item_states) -> None:
    """``Conflict`` naming how many items are still open."""
    n = unfinished(item_states)
    if n:
        raise Conflict(f"还有 {n} 个整改事项未核验销号，专项行动不能结束。",
                       f"{n} rectification item(s) are not verified and closed yet.")
