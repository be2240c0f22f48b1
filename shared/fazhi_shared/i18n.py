"""User-facing text in Simplified Chinese with English available.

Marshmallow produces English field messages; :func:`field_message_zh` renders the ones
our schemas can produce in Chinese. Unknown messages keep the English text after a
Chinese lead so nothing is lost. A message that knows its own Chinese (:class:`Translated`,
e.g. a vocabulary's "必须是以下之一：小区、楼栋。") keeps it.
"""
from __future__ import annotations

import re

LANGS = ("zh", "en")

_EXACT = {
    "Missing data for required field.": "缺少必填字段。",
    "Unknown field.": "未知字段。",
    "Field may not be null.": "不能为空值。",
    "Not a valid string.": "不是有效的字符串。",
    "Not a valid integer.": "不是有效的整数。",
    "Not a valid number.": "不是有效的数字。",
    "Not a valid boolean.": "不是有效的布尔值。",
    "Not a valid datetime.": "不是有效的日期时间。",
    "Not a valid date.": "不是有效的日期。",
    "Not a valid UUID.": "不是有效的 UUID。",
    "Not a file address.": "不是有效的文件地址。",
    "Not a valid email address.": "不是有效的电子邮件地址。",
    "Not a valid list.": "不是有效的列表。",
    "Not a valid mapping type.": "不是有效的对象。",
    "Invalid input type.": "输入类型无效。",
    "Invalid value.": "取值无效。",
    "Shorter than minimum length {min}.": "长度不能少于 {min}。",
    "String does not match expected pattern.": "格式不正确。",
    "Invalid input.": "输入无效。",
    "Not a valid phone number.": "不是有效的手机号码。",
    "Not a valid ID number.": "不是有效的18位身份证号码。",
    "The ID number's check digit is wrong.": "身份证号码的校验码（最后一位）不正确，请核对。",
    "Not a valid unified social credit code.": "不是有效的统一社会信用代码。",
    "Must be 6 digits.": "必须是6位数字。",
    "3–64 letters, digits or _.@-": "须为3–64位字母、数字或 _.@-。",
    "Must not contain control characters.": "不能包含控制字符。",
    "Must be between 1900-01-01 and 2999-12-31.": "日期须在 1900-01-01 至 2999-12-31 之间。",
}

_PATTERNS = [
    (re.compile(r"^Must be one of: (.*)\.$"), "必须是以下之一：{0}。"),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"), "长度必须在 {0} 到 {1} 之间。"),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"), "长度不能少于 {0}。"),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), "长度不能超过 {0}。"),
    (re.compile(r"^Length must be (\d+)\.$"), "长度必须为 {0}。"),
    (re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
     "必须大于等于 {0} 且小于等于 {1}。"),
    (re.compile(r"^Must be greater than or equal to (\S+)\.$"), "必须大于等于 {0}。"),
    (re.compile(r"^Must be less than or equal to (\S+)\.$"), "必须小于等于 {0}。"),
    (re.compile(r"^Must be greater than (\S+)\.$"), "必须大于 {0}。"),
    (re.compile(r"^Must be less than (\S+)\.$"), "必须小于 {0}。"),
]


class Translated(str):
    """An English field message carrying its Chinese rendering in ``zh``: for messages
    built from data (a vocabulary's labels) that no fixed table can translate."""

    def __new__(cls, en: str, zh: str):
        message = super().__new__(cls, en)
        message.zh = zh
        return message

    def __reduce__(self):
        return type(self), (str(self), self.zh)


def field_message_zh(message: str) -> str:
    zh = getattr(message, "zh", None)
    if zh:
        return zh
    if message in _EXACT:
        return _EXACT[message]
    for pattern, template in _PATTERNS:
        match = pattern.match(message)
        if match:
            return template.format(*match.groups())
    return f"输入无效：{message}"


def pick_language(accept_language: str | None) -> str:
    """'en' when the client prefers English, else Chinese (the platform's default)."""
    if not accept_language:
        return "zh"
    first = accept_language.split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "zh"
