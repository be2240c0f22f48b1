"""``python -m org.first_admin``: a deployment's city and its first administrator.

A real deployment starts with an empty org database, and the demo seed (``org.seed``)
is no way to begin: it makes demo streets and fifteen logins with a published password.
This command creates exactly the city (the root of the unit tree), one person in it, that
person's account and the ``city_admin`` grant on the city — nothing else — through the
same use cases as the RPC methods, so each change is audited and goes out as an event
(published by org's outbox relay once org runs), plus one ``account.first_admin`` audit
row for the run. The city admin then builds the tree and the other accounts through the
API.

    printf '%s\\n' "$PASSWORD" | python -m org.first_admin --city 泰兴市 --username city_admin \\
        [--name 王某] [--reuse-city] [--password-file PATH]

- The password comes from stdin (asked twice on a terminal) or ``--password-file``;
  never from an argument (it would be in the process list and the shell's history), and
  it is never printed. A weak one is refused (``org.domain.passwords``: 12 characters,
  three kinds, not the demo password, not the username, no common weak password).
- A city of that name that exists already is refused, unless ``--reuse-city`` says to add
  the administrator to it (e.g. a second administrator, or the first one lost). An
  existing username is always refused: no account is ever taken over.
- Names follow the API's own rules (the contract's schemas).
- Everything commits in one transaction: a refused run writes nothing.

Like every process, it refuses development secrets outside development mode. Exit
status: 0 done (a JSON line with the city and account ids on stdout), 1 refused (the
reason in Chinese and English on stderr), 2 wrong arguments or settings.
"""
from __future__ import annotations

from fazhi_shared.service.green import quiet

quiet()

import argparse  # noqa: E402
import getpass  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

from marshmallow import ValidationError  # noqa: E402
from sqlalchemy import select  # noqa: E402

from fazhi_shared import logs  # noqa: E402
from fazhi_shared.context import Principal  # noqa: E402
from fazhi_shared.errors import FazhiError, ValidationFailed  # noqa: E402
from fazhi_shared.ids import new_id  # noqa: E402
from fazhi_shared.service import audit  # noqa: E402
from fazhi_shared.service.db import transaction  # noqa: E402
from fazhi_shared.service.outbox import Outbox  # noqa: E402
from fazhi_shared.service.runner import check_settings  # noqa: E402

from fazhi_org_contract import schemas as s  # noqa: E402

from org import accounts, people, units  # noqa: E402
from org.config import DATABASE_URL, SETTINGS  # noqa: E402
from org.domain.passwords import problems  # noqa: E402
from org.models import Account, Unit, tables  # noqa: E402

ROLE = "city_admin"
REQUEST_ID = "first-admin"


class Refused(Exception):
    """The run is refused: nothing was written."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def _checked(schema, data: dict) -> dict:
    try:
        return schema.load(data)
    except ValidationError as exc:
        failed = ValidationFailed.from_marshmallow(exc.messages)
        zh = "；".join(f"{k}：{'、'.join(v)}" for k, v in failed.fields.get("zh", {}).items())
        en = "; ".join(f"{k}: {' '.join(v)}" for k, v in failed.fields.get("en", {}).items())
        raise Refused(zh, en) from None


def create_first_admin(url: str, city: str, username: str, name: str, password: str,
                       reuse_city: bool = False) -> dict:
    """Create the city (or reuse it) and its ``city_admin``; returns what was made.
    Raises :class:`Refused`, having written nothing."""
    weak = problems(password, username)
    if weak:
        raise Refused("密码太弱：" + "".join(zh for zh, _ in weak),
                      "The password is too weak: " + " ".join(en for _, en in weak))
    city = _checked(s.UnitCreate(), {"parent_id": None, "kind": "city", "name": city})["name"]
    username = _checked(s.AccountCreate(), {"username": username, "password": password,
                                            "person_id": new_id()})["username"]
    name = _checked(s.PersonCreate(), {"name": name, "unit_id": new_id()})["name"]
    system = Principal.system(REQUEST_ID)
    outbox = Outbox("org", tables.outbox, request_id=REQUEST_ID)
    with transaction(url) as session:
        found = session.execute(select(Unit).where(
            Unit.parent_id.is_(None), Unit.kind == "city", Unit.name == city.strip())
            .with_for_update()).scalars().first()
        if found is not None and not reuse_city:
            raise Refused(f"城市“{city}”已存在；如要为其再添加一名管理员，请加 --reuse-city。",
                          f"The city {city} already exists; to add an administrator to it, "
                          f"add --reuse-city.")
        if session.execute(select(Account.id).where(Account.username == username)).scalar():
            raise Refused(f"用户名 {username} 已被占用，未做任何修改。",
                          f"The username {username} is taken; nothing was changed.")
        unit = found or units.create_unit(session, outbox, system, {
            "parent_id": None, "kind": "city", "name": city})
        person = people.create_person(session, outbox, system, {
            "name": name, "unit_id": unit.id, "phone": None, "id_number": None,
            "gender": None})
        account = accounts.create_account(session, outbox, system, {
            "username": username, "password": password, "person_id": person["id"]})
        grant = accounts.grant_role(session, outbox, system, {
            "account_id": account["id"], "role": ROLE, "unit_id": unit.id})
        audit.record(session, tables.audit_log, system, "account.first_admin", "account",
                     account["id"], unit.path, {"username": username, "role": ROLE,
                                                "city_reused": found is not None})
    return {"city": {"id": unit.id, "name": unit.name, "path": unit.path,
                     "reused": found is not None},
            "account": {"id": account["id"], "username": username,
                        "person_id": person["id"]},
            "role": ROLE, "grant_id": grant["id"]}


def _password(path: str | None) -> str:
    if path:
        with open(path, encoding="utf-8") as f:
            return f.read().rstrip("\r\n")
    if sys.stdin.isatty():
        first = getpass.getpass("密码 / password: ")
        if getpass.getpass("再输入一次 / again: ") != first:
            raise Refused("两次输入的密码不一致。", "The two passwords differ.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m org.first_admin",
                                     description=__doc__.split("\n\n")[1])
    parser.add_argument("--city", required=True, help="the city's name, e.g. 泰兴市")
    parser.add_argument("--username", required=True, help="the administrator's login name")
    parser.add_argument("--name", help="the administrator's name as shown (default: the username)")
    parser.add_argument("--reuse-city", action="store_true",
                        help="add the administrator to a city that exists already")
    parser.add_argument("--password-file", metavar="PATH",
                        help="read the password from this file (default: stdin)")
    args = parser.parse_args(argv)
    logs.configure("org")
    check_settings(SETTINGS, "org")        # no development secret outside development
    try:
        result = create_first_admin(DATABASE_URL.get(), args.city, args.username,
                                    args.name or args.username, _password(args.password_file),
                                    args.reuse_city)
    except Refused as r:
        print(f"{r.zh}\n{r.en}", file=sys.stderr)
        return 1
    except FazhiError as exc:          # a use case's own refusal (e.g. a name rule)
        print(f"{exc.message_zh}\n{exc.message_en}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
