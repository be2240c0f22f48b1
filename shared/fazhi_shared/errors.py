"""Typed errors that cross RPC intact and map to HTTP.

Services raise these; nameko serialises an exception as ``{"exc_type", "exc_path",
"exc_args", "value"}`` and :func:`from_wire` turns that back into the same class (every
subclass registers itself by its import path), so the gateway's client gets the typed
error and answers ``{"error": {"code", "message", "fields"}}`` with the contract's status.
Every error carries its message in Chinese and English. This module imports no nameko:
the wire form is plain data.
"""
from __future__ import annotations

from .i18n import field_message_zh

_REGISTRY: dict = {}


class FazhiError(Exception):
    status = 500
    code = "internal_error"
    default_zh = "服务器内部错误。"
    default_en = "Internal error."

    def __init__(self, message_zh: str | None = None, message_en: str | None = None,
                 fields: dict | None = None):
        message_zh = message_zh or self.default_zh
        message_en = message_en or self.default_en
        fields = fields or {}
        # args are what nameko sends across the wire: keep them plain JSON.
        super().__init__(message_zh, message_en, fields)
        self.message_zh = message_zh
        self.message_en = message_en
        self.fields = fields  # {"zh": {field: [..]}, "en": {field: [..]}}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _REGISTRY[f"{cls.__module__}.{cls.__name__}"] = cls

    def __str__(self):
        return f"{self.code}: {self.message_en}"

    def to_payload(self, lang: str = "zh") -> dict:
        body = {"code": self.code,
                "message": self.message_en if lang == "en" else self.message_zh}
        if self.fields:
            body["fields"] = self.fields.get(lang) or self.fields.get("zh") or {}
        return body


_REGISTRY[f"{FazhiError.__module__}.FazhiError"] = FazhiError

class BadRequest(FazhiError):
    status = 400
    code = "bad_request"
    default_zh = "请求无效。"
    default_en = "Bad request."


class ValidationFailed(FazhiError):
    status = 422
    code = "validation_failed"
    default_zh = "输入有误，请检查标出的字段。"
    default_en = "Some fields are invalid."

    @classmethod
    def from_marshmallow(cls, messages: dict) -> "ValidationFailed":
        """Build from marshmallow's ``ValidationError.messages`` (nested dicts flattened)."""
        flat_en = _flatten(messages)
        flat_zh = {k: [field_message_zh(m) for m in v] for k, v in flat_en.items()}
        return cls(fields={"zh": flat_zh, "en": flat_en})

    @classmethod
    def for_field(cls, field: str, zh: str, en: str) -> "ValidationFailed":
        return cls(fields={"zh": {field: [zh]}, "en": {field: [en]}})


def _flatten(messages, prefix="") -> dict:
    out: dict = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix or "_schema"
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out[prefix or "_schema"] = list(messages)
    elif isinstance(messages, list):
        for i, item in enumerate(messages):
            out.update(_flatten(item, f"{prefix}.{i}" if prefix else str(i)))
    else:
        out[prefix or "_schema"] = [str(messages)]
    return out


class Unauthenticated(FazhiError):
    status = 401
    code = "unauthenticated"
    default_zh = "请先登录。"
    default_en = "Authentication required."


class Forbidden(FazhiError):
    status = 403
    code = "forbidden"
    default_zh = "您的角色无权执行此操作。"
    default_en = "Your role may not do this."


class NotFound(FazhiError):
    # Also the answer for records outside the caller's scope: never confirm they exist.
    status = 404
    code = "not_found"
    default_zh = "记录不存在。"
    default_en = "Not found."


class Conflict(FazhiError):
    status = 409
    code = "conflict"
    default_zh = "与现有数据冲突。"
    default_en = "Conflicts with existing data."


class TooManyRequests(FazhiError):
    # Throttled (e.g. failed sign-ins); the HTTP answer says when to retry (Retry-After).
    status = 429
    code = "too_many_requests"
    default_zh = "请求过于频繁，请稍后再试。"
    default_en = "Too many requests; try again later."


class DeadlineExceeded(FazhiError):
    # The caller gave up before the service got to the request; nothing was done.
    status = 503
    code = "deadline_exceeded"
    default_zh = "请求已超时，未执行。"
    default_en = "The request expired before it ran; nothing was done."


class ServiceUnavailable(FazhiError):
    status = 503
    code = "service_unavailable"
    default_zh = "服务暂时不可用，请稍后再试。"
    default_en = "Service unavailable, try again later."


def unavailable(service: str) -> ServiceUnavailable:
    return ServiceUnavailable(f"{service} 服务暂时不可用，请稍后再试。",
                              f"The {service} service is unavailable, try again later.")


# nameko's own errors for a request it could not dispatch: the caller's mistake.
_CALLER_MISTAKES = ("IncorrectSignature", "MalformedRequest", "MethodNotFound")


def from_wire(error: dict) -> Exception:
    """The exception a service raised, from nameko's serialised form of it.

    A registered ``FazhiError`` comes back as itself; nameko's dispatch errors (unknown
    method, wrong arguments) as ``BadRequest``; anything else as a bare internal error
    (its details stay in the service's log)."""
    cls = _REGISTRY.get(error.get("exc_path") or "")
    if cls is not None:
        try:
            return cls(*(error.get("exc_args") or ()))
        except TypeError:
            return cls()
    if error.get("exc_type") in _CALLER_MISTAKES:
        return BadRequest("请求格式不正确。", f"Bad request: {error.get('value')}")
    return FazhiError()
