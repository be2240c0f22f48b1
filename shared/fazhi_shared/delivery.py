"""Delivery channels: how a text reaches a person's phone (SMS, WeChat) behind one interface.

The notify service will own channels and inboxes; until then services that must reach a
phone directly (a registration code cannot wait for an inbox) use this interface.

The ``log`` channel, the development default, delivers nothing: it logs that a text went
to a phone, with the phone masked and every run of 4 or more digits in the text masked, so
no verification code ever reaches a log. In development mode (``FAZHI_DEV_MODE``) it also
keeps the last text to each phone in a file, ``dev-texts/<phone>`` in the directory that
holds the file store (``.run/dev-texts/`` under ``make run``), which :func:`last_text_to`
reads: demos, browser tests and the service tests read codes there. Outside development
mode no text is kept anywhere.
"""
from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path

from .config import DELIVERY_CHANNEL as CHANNEL
from .config import DEV_MODE, FILE_STORE

log = logging.getLogger("fazhi.delivery")

# A canonical phone (digits, "+" in front for a foreign number): the dev inbox's file names.
_PHONE = re.compile(r"\+?[0-9]{6,15}")
_CODE_LIKE = re.compile(r"[0-9]{4,}")


class DeliveryError(RuntimeError):
    pass


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``; shorter numbers keep only their last 2 digits."""
    if len(phone) >= 11:
        return phone[:-8] + "****" + phone[-4:]
    return "*" * max(len(phone) - 2, 0) + phone[-2:]


def dev_texts_dir() -> Path:
    """Where development mode keeps the last text to each phone: beside the file store
    (a temporary directory when the store is S3)."""
    store = FILE_STORE.get()
    if "://" in store:
        return Path(tempfile.gettempdir()) / "fazhi-dev-texts"
    return Path(os.path.abspath(store)).parent / "dev-texts"


def send_text(phone: str, text: str) -> None:
    channel = CHANNEL.get()
    if channel != "log":
        raise DeliveryError(f"delivery channel {channel!r} is not available")
    log.info("text to %s: %s", mask_phone(phone),
             _CODE_LIKE.sub(lambda m: "*" * len(m.group()), text))
    if DEV_MODE.get():
        _keep(phone, text)


def _keep(phone: str, text: str) -> None:
    if not _PHONE.fullmatch(phone):
        log.warning("text to %s not kept: not a canonical phone number", mask_phone(phone))
        return
    folder = dev_texts_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = folder / f".{phone}.{os.getpid()}.partial"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(partial, folder / phone)      # readers see the whole text or the one before


def last_text_to(phone: str) -> str | None:
    """The last text sent to ``phone`` (canonical form), in development mode only."""
    if not DEV_MODE.get() or not isinstance(phone, str) or not _PHONE.fullmatch(phone):
        return None
    try:
        return (dev_texts_dir() / phone).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
