"""A refusal that names every problem at once, per field, in Chinese and English, so the
caller can show exactly what to fix (pure)."""
from __future__ import annotations

from dataclasses import dataclass

from fazhi_shared.errors import ValidationFailed


@dataclass(frozen=True)
class Problem:
    field: str
    zh: str
    en: str


def refusal(what_zh: str, what_en: str, problems: list[Problem]) -> ValidationFailed:
    """One error naming every problem: the message lists the reasons, ``fields`` places them."""
    fields_zh: dict = {}
    fields_en: dict = {}
    for p in problems:
        fields_zh.setdefault(p.field, []).append(p.zh)
        fields_en.setdefault(p.field, []).append(p.en)
    return ValidationFailed(f"{what_zh}：" + "".join(p.zh for p in problems),
                            f"{what_en}: " + " ".join(p.en for p in problems),
                            fields={"zh": fields_zh, "en": fields_en})


def raise_if(problems: list[Problem], what_zh: str, what_en: str) -> None:
    if problems:
        raise refusal(what_zh, what_en, problems)
