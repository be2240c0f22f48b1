"""The server side of RPC: every method validates, checks the caller, and maps errors.

Usage in a service::

    class OrgService(Service):          # fazhi_shared.service.defaults
        name = "org"

        @endpoint(CreateUnitInput, UnitOutput)
        def create_unit(self, caller, data):
            ...

An endpoint takes keyword arguments only; they are loaded with the input schema
(``ValidationFailed`` naming each field otherwise). The caller's signed context must be
present and valid (``Unauthenticated``) and its deadline not passed (``DeadlineExceeded``:
the caller has already been told 503, so the request is not run). Another service calling
as itself (a service principal) is refused (``Forbidden``) unless the service's contract
opens the method to it (``contract = CONTRACT`` on the class; ``Contract.service_callable``). Unexpected errors are
logged and become a bare internal error, so no internals leak to clients.

Logging: one line per call (method, outcome, duration). An expected refusal — 4xx, or a
passed deadline — is that one line (INFO; a deadline WARNING) and nothing more: nameko's
own "error handling worker" record of it, which carries a traceback at ERROR, is dropped.
A real fault is logged at ERROR with its traceback, by us and by nameko.
"""
from __future__ import annotations

import functools
import logging
import time

from marshmallow import ValidationError
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc, rpc
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ..config import COMMIT_MARGIN
from ..context import CONTEXT_DATA_KEY, REQUEST_ID_KEY, Principal, verify
from ..errors import (BadRequest, Conflict, DeadlineExceeded, FazhiError, Forbidden, NotFound,
                      TooManyRequests, Unauthenticated, ValidationFailed, unavailable)
from ..logs import set_request_id
from . import idempotency

log = logging.getLogger(__name__)

# The caller's business, not a fault of the service (nameko's ``expected_exceptions``).
EXPECTED_REFUSALS = (BadRequest, ValidationFailed, Unauthenticated, Forbidden, NotFound,
                     Conflict, TooManyRequests, DeadlineExceeded)


def is_refusal(exc) -> bool:
    """An expected refusal: any typed 4xx (services may add their own) or a passed deadline."""
    return isinstance(exc, EXPECTED_REFUSALS) or (
        isinstance(exc, FazhiError) and 400 <= exc.status < 500)


class _RefusalsLoggedOnce(logging.Filter):
    """Drops nameko's record of an RPC worker that raised an expected refusal: the
    endpoint has logged it in one line already, and nameko's carries a traceback. (Event
    handlers' records are kept: their failures matter.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        worker_ctx = record.args[0] if isinstance(record.args, tuple) and record.args else None
        return not (isinstance(getattr(worker_ctx, "entrypoint", None), Rpc)
                    and record.exc_info and is_refusal(record.exc_info[1]))


logging.getLogger("nameko.containers").addFilter(_RefusalsLoggedOnce())


class CallContext:
    def __init__(self, data: dict):
        self.data = data
        self._principal = None

    @property
    def request_id(self):
        return self.data.get(REQUEST_ID_KEY)

    def principal(self) -> Principal:
        if self._principal is None:
            self._principal = verify(self.data.get(CONTEXT_DATA_KEY))
        return self._principal


class Caller(DependencyProvider):
    """``self.caller``: the verified caller of the current worker; sets the log request id."""

    def worker_setup(self, worker_ctx):
        set_request_id(worker_ctx.data.get(REQUEST_ID_KEY))

    def get_dependency(self, worker_ctx):
        return CallContext(worker_ctx.data)

    def worker_teardown(self, worker_ctx):
        set_request_id(None)


def load(schema, data: dict) -> dict:
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise ValidationFailed.from_marshmallow(exc.messages) from None


def _integrity_violation(exc: DBAPIError) -> bool:
    """Whether the driver's error is SQLSTATE class 23 (integrity constraint violation)."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None)
    if code is None and orig is not None and orig.args and isinstance(orig.args[0], dict):
        code = orig.args[0].get("C")          # pg8000: the server's error fields
    return isinstance(code, str) and code.startswith("23")


def endpoint(input_schema=None, output_schema=None, many: bool = False,
             anonymous: bool = False, readonly: bool = False):
    """Decorate a service method as a validated RPC endpoint (see module doc).

    A method that returns normally has its ``self.db`` session committed (a method that
    raises is rolled back): use cases never commit themselves. A write is not committed
    once its caller's deadline has passed (less ``FAZHI_COMMIT_MARGIN``), and a write
    carrying an Idempotency-Key runs once per key (``idempotency``).
    ``readonly``: the method only reads; its ``self.db`` session then runs without a
    transaction on a read-only connection (see ``defaults.Database``).
    """
    in_schema = input_schema() if isinstance(input_schema, type) else input_schema
    out_schema = output_schema() if isinstance(output_schema, type) else output_schema

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(self, **kwargs):
            started = time.perf_counter()
            outcome = "error"
            try:
                principal = self.caller.principal()
                if principal.kind == "anonymous" and not anonymous:
                    principal.require_user()
                if principal.is_service and not service_may_call(
                        type(self), fn.__name__, principal.service):
                    raise Forbidden("该服务无权调用此方法。",
                                    f"Service {principal.service} may not call "
                                    f"{self.name}.{fn.__name__}.")
                principal.check_deadline()
                data = load(in_schema, kwargs) if in_schema is not None else kwargs

                def dump(result):
                    if out_schema is None or result is None:
                        return result
                    if isinstance(result, dict) and "items" in result and many:
                        return {**result, "items": out_schema.dump(result["items"], many=True)}
                    return out_schema.dump(result, many=many)

                db = getattr(self, "db", None)
                if readonly or db is None:
                    result = dump(fn(self, principal, data))
                else:
                    result = _write_once(self, db, principal, lambda: dump(
                        fn(self, principal, data)))
                outcome = "ok"
                return result
            except FazhiError as exc:
                outcome = exc.code
                raise
            except IntegrityError:
                log.warning("integrity error in %s", fn.__name__, exc_info=True)
                raise Conflict() from None
            except (PoolTimeout, DBAPIError) as exc:
                if isinstance(exc, DBAPIError) and _integrity_violation(exc):
                    # pg8000 reports some constraint classes (an exclusion constraint:
                    # 23P01) as a ProgrammingError: a constraint said no all the same.
                    log.warning("integrity error in %s", fn.__name__, exc_info=True)
                    raise Conflict() from None
                if isinstance(exc, DBAPIError) and not exc.connection_invalidated \
                        and not isinstance(exc, (OperationalError, InterfaceError)):
                    log.exception("unexpected database error in %s", fn.__name__)
                    raise FazhiError() from None
                # No free connection, or the database is away: the service cannot answer
                # now — a 503 the client may retry, not an internal error.
                outcome = "service_unavailable"
                log.warning("database unavailable in %s: %s", fn.__name__,
                            type(exc).__name__)
                raise unavailable(self.name) from None
            except Exception:
                log.exception("unexpected error in %s", fn.__name__)
                raise FazhiError() from None
            finally:
                # One line per call: method, outcome, duration — with the request id. A
                # refusal is this line only (INFO; a passed deadline WARNING).
                level = logging.WARNING if outcome == DeadlineExceeded.code else logging.INFO
                log.log(level, "rpc %s.%s %s", self.name, fn.__name__, outcome,
                        extra={"duration_ms": round((time.perf_counter() - started) * 1000, 2)})

        wrapper.readonly = readonly
        return rpc(expected_exceptions=EXPECTED_REFUSALS)(wrapper)

    return decorate


def _write_once(service, db, principal: Principal, run):
    """Run a write and commit it — once per Idempotency-Key, and never after the caller
    has given up (the client was told 503: a commit then would apply a refused write)."""
    table = getattr(getattr(service, "tables", None), "idempotency_keys", None)
    keyed = principal.idempotency_key is not None and table is not None
    if keyed:
        done, answer = idempotency.replay(db, table, principal)
        if done:
            db.rollback()
            return answer
    answer = run()
    if keyed:
        idempotency.store(db, table, principal, answer)
    principal.check_deadline(margin=COMMIT_MARGIN.get())
    db.commit()
    return answer


def service_may_call(service_cls, method: str, caller: str | None) -> bool:
    """Does the contract of ``service_cls`` open ``method`` to the service ``caller``?"""
    contract = getattr(service_cls, "contract", None)
    return contract is not None and contract.callable_by(method, caller)


def identity_of(service_cls) -> str:
    """The identity a service class acts, signs and connects to the broker as: its
    ``identity`` (a second process of a package, e.g. the gateway's session listener),
    else its ``name``."""
    return getattr(service_cls, "identity", None) or service_cls.name


class ServiceBase:
    """Every service's base: a ``ping`` that proves the process, broker and database.

    ``contract``: the service's ``Contract`` — the methods it opens to other services
    acting as themselves (none without one). ``identity``: see :func:`identity_of`.
    """

    caller = Caller()
    contract = None
    identity: str | None = None

    @endpoint(anonymous=True, readonly=True)
    def ping(self, caller, data):
        """``{"service": name, "database": true}`` once the service and its database answer."""
        db_ok = False
        db = getattr(self, "db", None)
        if db is not None:
            db.execute(text("SELECT 1"))
            db_ok = True
        return {"service": self.name, "database": db_ok}
