"""Delivery channels: how a text reaches a person's phone (SMS, WeChat) behind one interface.

The notify service will own channels and inboxes; until then services that must reach a
phone directly (a registration code cannot wait for an inbox) use this interface. The
``log`` channel, the development default, writes the message to the log and keeps the
last messages in memory so tests can read a code.
"""
from __future__ import annotations

import collections
import logging

from .config import DELIVERY_CHANNEL as CHANNEL

log = logging.getLogger("fazhi.delivery")
sent: collections.deque = collections.deque(maxlen=100)   # (phone, text), log channel only


class DeliveryError(RuntimeError):
    pass


def send_text(phone: str, text: str) -> None:
    channel = CHANNEL.get()
    if channel != "log":
        raise DeliveryError(f"delivery channel {channel!r} is not available")
    sent.append((phone, text))
    log.info("text to %s: %s", phone, text)


def last_text_to(phone: str) -> str | None:
    for to, text in reversed(sent):
        if to == phone:
            return text
    return None
