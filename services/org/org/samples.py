"""A reproducible sample workbook: a compound of 2,000 units (20 buildings × 100) with one
owner of three units, the developer's unsold units, co-owners' voters, tenants and
owner-occupiers, and three rows that are wrong on purpose. Used by the org and gateway
tests (and handy for demos and import benchmarks); rows are dicts by column key of
``org.workbook.KEYS``.
"""
from __future__ import annotations

import io

import openpyxl

from fazhi_org_contract.identifiers import id_number_check_digit

from org.workbook import HEADINGS, KEYS, SHEET


def id_number(first17: str) -> str:
    """A valid ID number (GB 11643 check digit) from its first 17 digits."""
    return first17 + id_number_check_digit(first17)


DEVELOPER = "泰兴置业有限公司"
TRIPLE_OWNER_ID = id_number("32128319700101000")
# Excel row → the reason the import reports for it.
BAD_ROWS = {12: "第12行：登记面积不是有效数字",
            1000: "第1000行：业主证件号码不是有效的18位身份证号码",
            1999: "第1999行：业主类型须为“个人”“单位”或“开发商”"}


def unit_row(i: int) -> dict:
    """Unit i (0-based) of 20 buildings × 100 units; Excel row i + 2."""
    row = {"building": f"{i // 100 + 1}幢", "unit": f"{(i % 100) // 4 + 1}{i % 4 + 1:02d}",
           "registered_area": f"{80 + i % 50}.{i % 100:02d}"}
    if i % 7 == 0:       # some units only have a contract area, written as a number
        row = {**row, "registered_area": None, "contract_area": 95.5}
    if i < 3:            # one person owns the first three units
        row.update(owner_kind="个人", owner_name="三套业主", owner_id_number=TRIPLE_OWNER_ID,
                   owner_is_voter="是")
    elif i % 10 == 0:    # the developer's unsold units
        row.update(owner_kind="开发商", owner_name=DEVELOPER)
    else:
        row.update(owner_kind="个人", owner_name=f"业主{i}", owner_id_number=id_number(f"321283{i:011d}"),
                   owner_phone=f"138{i:08d}", owner_since="2020-05-01")
        if i % 3 == 0:
            row.update(resident_relation="业主自住", moved_in="2020-06-01")
        elif i % 3 == 1:
            row.update(resident_name=f"租客{i}", resident_relation="租户",
                       resident_phone=f"139{i:08d}")
    return row


def big_rows() -> list:
    """The 2,000 rows, with the three of ``BAD_ROWS`` broken."""
    rows = [unit_row(i) for i in range(2000)]
    rows[12 - 2]["registered_area"] = "abc"
    rows[1000 - 2]["owner_id_number"] = "12345"
    rows[1999 - 2]["owner_kind"] = "其他"
    return rows


def area_of(row: dict) -> int:
    """A row's exclusive area in 0.01 m², as the registry counts it."""
    if row.get("registered_area"):
        return int(row["registered_area"].replace(".", ""))
    return 9550


def xlsx(rows: list, headings=HEADINGS) -> bytes:
    """A workbook of ``rows`` under ``headings`` (the template's by default)."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append(list(headings))
    for row in rows:
        ws.append([row.get(k) for k in KEYS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
