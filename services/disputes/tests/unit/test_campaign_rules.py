"""Rectification items (``disputes.domain.campaigns``): the item workflow and the close rule."""
import itertools

import pytest

from fazhi_shared.errors import Conflict

from fazhi_disputes_contract.vocabulary import ITEM_ACTIONS, ITEM_STATES

from disputes.domain import campaigns as c

ALLOWED = {("assigned", "start"): "rectifying", ("sent_back", "start"): "rectifying",
           ("rectifying", "submit"): "submitted", ("submitted", "verify"): "verified",
           ("submitted", "send_back"): "sent_back", ("verified", "send_back"): "sent_back",
           ("verified", "close"): "closed"}


def test_tables_match_the_vocabularies():
    assert set(c.ITEM_WORKFLOW) == set(ITEM_ACTIONS.codes)
    assert set(c.ITEM_STATES) == set(ITEM_STATES.codes)


@pytest.mark.parametrize("state, action", list(itertools.product(c.ITEM_STATES, c.ITEM_WORKFLOW)))
def test_every_state_and_action(state, action):
    if (state, action) in ALLOWED:
        assert c.item_next_state(state, action) == ALLOWED[(state, action)]
    else:
        with pytest.raises(Conflict):
            c.item_next_state(state, action)


def test_a_campaign_with_one_unverified_item_refuses_to_close():
    c.require_closable([])
    c.require_closable(["closed", "closed"])
    for other in ("assigned", "rectifying", "submitted", "verified", "sent_back"):
        with pytest.raises(Conflict) as info:
            c.require_closable(["closed", other, "closed"])
        assert "1 个" in info.value.message_zh
