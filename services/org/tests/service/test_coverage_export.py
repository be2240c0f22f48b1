"""The five-haves coverage report as an .xlsx (issue 9, point 6): one row per compound
with its street and community, 有/无 per have, what it lacks and whether a grid worker is
on duty; a summary sheet with the counts; for staff in scope, like the report itself."""
import io
import uuid
from datetime import date, timedelta

import openpyxl
import pytest

from fazhi_shared import files
from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import NotFound, ValidationFailed
from fazhi_shared.service.testing import call_as

SYSTEM = Principal.system()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def user(role, path):
    return Principal(kind="user", account_id=None, grants=(Grant(role, path),))


@pytest.fixture(scope="module")
def community(tree):
    """A community of street A with two compounds: 甲 has a property company, 乙 nothing."""
    admin = user("street_admin", tree["streetA"]["path"])
    com = call_as(admin, "org", "create_unit", parent_id=tree["streetA"]["id"],
                  kind="community", name=f"报表社区{uuid.uuid4().hex[:6]}")
    a = call_as(admin, "org", "create_unit", parent_id=com["id"], kind="compound", name="甲小区")
    b = call_as(admin, "org", "create_unit", parent_id=com["id"], kind="compound",
                name="=乙小区")     # a name like a formula stays text
    today = date.today()
    call_as(admin, "org", "set_up_property_company", compound_id=a["id"], name="好物业",
            contract_start=str(today - timedelta(days=30)),
            contract_end=str(today + timedelta(days=300)))
    return {"admin": admin, "community": com, "a": a, "b": b}


def workbook(ref):
    assert ref["content_type"] == XLSX and ref["filename"].endswith(".xlsx")
    return openpyxl.load_workbook(io.BytesIO(files.read_bytes(ref)))


def test_the_report_of_a_community_as_a_workbook(community, tree):
    c = community
    ref = call_as(c["admin"], "org", "export_five_haves_coverage",
                  unit_id=c["community"]["id"])
    assert ref["rows"] == 2 and c["community"]["name"] in ref["filename"]
    wb = workbook(ref)
    assert wb.sheetnames == ["五有覆盖情况", "汇总"]
    rows = list(wb["五有覆盖情况"].iter_rows(values_only=True))
    assert rows[0] == ("街道", "社区", "小区", "物业服务企业", "业主委员会", "党小组",
                       "人民调解委员会", "援法议事场所", "五有齐全", "缺少", "网格员在岗")
    body = {r[2]: r for r in rows[1:]}
    assert set(body) == {"甲小区", "=乙小区"}
    assert body["甲小区"][:2] == ("街道A", c["community"]["name"])
    assert body["甲小区"][3:9] == ("有", "无", "无", "无", "无", "否")
    assert body["甲小区"][9] == "业主委员会、党小组、人民调解委员会、援法议事场所"
    assert body["=乙小区"][3] == "无" and body["=乙小区"][10] == "否"
    cell = [cell for cell in wb["五有覆盖情况"]["C"] if cell.value == "=乙小区"][0]
    assert cell.data_type == "s"                       # text, not a formula
    summary = {r[0]: r[1:] for r in wb["汇总"].iter_rows(values_only=True) if r[0]}
    assert summary["统计范围"][0] == c["community"]["name"]
    assert summary["小区数"][0] == 2 and summary["五有齐全"][0] == 0
    assert summary["物业服务企业"][:2] == (1, 1)


def test_as_of_a_day_before_the_contract(community):
    c = community
    ref = call_as(c["admin"], "org", "export_five_haves_coverage",
                  unit_id=c["community"]["id"],
                  as_of=str(date.today() - timedelta(days=60)))
    rows = list(workbook(ref)["五有覆盖情况"].iter_rows(values_only=True))
    assert all(r[3] == "无" for r in rows[1:])


def test_scope_and_level_are_those_of_the_report(community, tree):
    c = community
    with pytest.raises(NotFound):
        call_as(user("street_admin", tree["streetB"]["path"]), "org",
                "export_five_haves_coverage", unit_id=c["community"]["id"])
    with pytest.raises(NotFound):
        call_as(user("resident", tree["unitA"]["path"]), "org",
                "export_five_haves_coverage", unit_id=c["community"]["id"])
    with pytest.raises(ValidationFailed) as info:
        call_as(c["admin"], "org", "export_five_haves_coverage", unit_id=c["a"]["id"])
    assert "unit_id" in info.value.fields["zh"]
    # a street's report has its communities' compounds
    ref = call_as(c["admin"], "org", "export_five_haves_coverage",
                  unit_id=tree["streetA"]["id"])
    names = {r[2] for r in list(workbook(ref)["五有覆盖情况"].iter_rows(values_only=True))[1:]}
    assert {"甲小区", "=乙小区", "小区A"} <= names and "小区B" not in names
