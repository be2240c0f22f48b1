"""Workbook import and export: a compound's buildings, units, owners and residents in one
.xlsx sheet with Chinese headings, one row per unit and occupant.

Import. The RPC checks the file quickly (size, is it an .xlsx) and records a job; a
background thread then parses and validates every row (a bad row is reported with its
Excel row number and reason, in Chinese and English, and skipped; the other rows are
imported), matches rows to the registry by natural keys — building name in the compound,
unit name in the building, owners by ID-number blind index / credit code / the
compound's one developer, residents by unit and person — and writes only differences, so
importing the same workbook again changes nothing (no rows, events or audit entries).

All data of one import commits in ONE transaction: an import interrupted at any point
writes nothing. Progress goes to the job row through separate short transactions, so a
poller sees it while the data transaction is still open. Writes are batched (multi-row
INSERTs): a 2,000-unit workbook takes seconds.

Export writes the same layout back (ID numbers and phones unmasked, so the export is
restricted and audited); importing an export changes nothing.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import bindparam, func, or_, select, text, update
from sqlalchemy.orm import Session

from fazhi_shared import clock, files

from fazhi_shared.service import audit
from fazhi_shared.context import Principal
from fazhi_shared.service.db import bulk_insert, engine_for
from fazhi_shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from fazhi_shared.ids import new_id
from fazhi_shared.service.outbox import make_envelope
from fazhi_shared.paths import child_path

from org import identity, rules
from org.config import DATABASE_URL
from org.electorate import (AREA_SOURCES, DEVELOPER, ORGANISATION, PERSON, AreaFormatError,
                            OwnerSetError, area_from_decimal, area_to_decimal, voter_of)
from org.models import ImportJob, Owner, Ownership, Person, Residency, Unit, tables
from org.registry import (OWNER_SET_MESSAGES, REGISTRY_READERS, area_columns, area_event,
                          day_start, ownership_event, protect_id_number, writable)
from fazhi_org_contract.roles import WORKBOOK_EXPORTERS
from fazhi_org_contract.vocabulary import MAX_IMPORT_BYTES, XLSX
from org.units import visible_unit

log = logging.getLogger(__name__)

SHEET, NOTES_SHEET = "房屋业主住户", "说明"
MAX_BYTES = MAX_IMPORT_BYTES
MAX_ROWS = 50_000
PROGRESS_EVERY = 100        # rows between progress reports (and batch flushes)
INSERT_BATCH = 2000         # rows per bulk INSERT
MAX_ERRORS = 1000           # row errors kept on the job (one more line says how many more)
STALE_AFTER = timedelta(minutes=10)   # a running job silent this long has died


# -- layout -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    need: str           # 必填 / 选填 / 条件必填
    note: str
    example: str
    width: int = 14
    as_text: bool = False    # ID numbers and phones: text, so no digit is lost


COLUMNS = (
    Column("building", "楼栋", "必填", "楼栋名称。在本小区内按名称匹配，没有则新建。", "1幢", 10),
    Column("unit", "房号", "必填", "房号。在该楼栋内按名称匹配，没有则新建。", "1单元101", 12),
    Column("registered_area", "登记面积(㎡)", "选填",
           "不动产登记的专有部分面积，单位平方米，最多两位小数。", "89.35"),
    Column("surveyed_area", "测绘面积(㎡)", "选填", "房产测绘面积；没有登记面积时使用。", "89.60"),
    Column("contract_area", "合同面积(㎡)", "选填",
           "购房合同面积；没有登记、测绘面积时使用。", "90.12"),
    Column("owner_kind", "业主类型(个人/单位/开发商)", "条件必填",
           "填写业主时必填。开发商尚未售出的房屋填“开发商”，全部计为一名业主。", "个人", 16),
    Column("owner_name", "业主名称", "条件必填", "个人填姓名，单位、开发商填全称。", "张三", 16),
    Column("owner_id_number", "业主证件号码", "条件必填",
           "个人填18位身份证号码，单位填统一社会信用代码，开发商可填统一社会信用代码。",
           "321283199001011234", 22, True),
    Column("owner_phone", "业主电话", "选填", "仅用于新登记的人员；已登记人员的电话不会被覆盖。",
           "13812345678", 14, True),
    Column("owner_is_voter", "是否投票人(是/否)", "条件必填",
           "一户有多名共有人时，每人一行，恰好一人填“是”；只有一名业主时可不填。", "是", 12),
    Column("owner_since", "产权登记日期", "选填",
           "取得产权的日期。业主与已登记的不同时，从这一天起变更；不填则从导入时起。",
           "2020-05-01", 13),
    Column("resident_name", "住户姓名", "条件必填",
           "实际居住的人。“业主自住”且本行已填个人业主时可不填。", "张三", 12),
    Column("resident_relation", "住户关系(业主自住/租户/家庭成员)", "条件必填",
           "填写住户时必填。", "业主自住", 16),
    Column("resident_id_number", "住户证件号码", "选填",
           "18位身份证号码，用于准确识别住户；不填时在同一房屋内按姓名匹配。", "", 22, True),
    Column("resident_phone", "住户电话", "选填", "仅用于新登记的人员。", "", 14, True),
    Column("moved_in", "入住日期", "选填", "不填则为导入当天。", "2020-06-01", 13),
)
KEYS = tuple(c.key for c in COLUMNS)
HEADINGS = tuple(c.heading for c in COLUMNS)
REQUIRED_HEADINGS = ("楼栋", "房号")

GENERAL_NOTES = (
    "每一行是“一户房屋 + 一名业主和/或一名住户”。一户有多名共有人或多名住户时写多行，楼栋、房号相同。",
    "面积只需在其中一行填写；各行都填时须一致。面积留空表示不修改已登记的面积。",
    "专有部分面积按登记面积、测绘面积、合同面积的顺序取第一个已填写的（最高人民法院建筑物区分所有权司法解释第八条）。",
    "业主按证件号码（单位按统一社会信用代码）匹配；同一业主拥有多户时，各户都填同一证件号码，表决时只计一人。",
    "出错的行不导入，其余行照常导入；导入结果列出每个出错行的行号和原因。",
    "重复导入同一工作簿不会产生任何变化。导入不会删除房屋、业主或住户：迁出、过户请在系统中办理，或填写新的业主和产权登记日期。",
    "证件号码、电话请以文本格式填写（模板已设置），否则末几位数字可能丢失。文件不超过 10 MB。",
)

OWNER_KINDS_ZH = {"个人": PERSON, "单位": ORGANISATION, "开发商": DEVELOPER}
OWNER_KIND_LABELS = {v: k for k, v in OWNER_KINDS_ZH.items()}
RELATIONS_ZH = {"业主自住": "owner_occupier", "租户": "tenant", "家庭成员": "family_member"}
RELATION_LABELS = {v: k for k, v in RELATIONS_ZH.items()}
YES_NO = {"是": True, "否": False}
AREA_LABELS = {"registered_area": ("登记面积", "registered area"),
               "surveyed_area": ("测绘面积", "surveyed area"),
               "contract_area": ("合同面积", "contract area")}
AREA_PROBLEMS = {"not_number": ("不是有效数字", "is not a valid number"),
                 "too_many_decimals": ("最多两位小数", "has more than 2 decimals"),
                 "not_positive": ("必须大于0", "must be greater than 0"),
                 "too_large": ("数值过大", "is too large")}
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
PHONE = re.compile(r"^\+?\d{6,15}$")


# -- problems -----------------------------------------------------------------------------
class FileProblem(Exception):
    """The whole file cannot be imported (not a workbook, headings missing, too big)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


class RowProblem(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def row_error(row: int | None, zh: str, en: str) -> dict:
    if row is None:
        return {"row": None, "reason_zh": zh, "reason_en": en}
    return {"row": row, "reason_zh": f"第{row}行：{zh}", "reason_en": f"Row {row}: {en}"}


# -- reading cells (pure) -------------------------------------------------------------------
def _normalise_heading(value) -> str:
    s = re.sub(r"\s+", "", str(value or "")).replace("（", "(").replace("）", ")")
    return s.replace("m2", "㎡").replace("m²", "㎡")


_HEADING_KEYS = {}
for _c in COLUMNS:
    _HEADING_KEYS[_normalise_heading(_c.heading)] = _c.key
    _HEADING_KEYS[_normalise_heading(_c.heading).split("(")[0]] = _c.key


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    return s or None


def _number_text(value, zh: str, en: str) -> str | None:
    """ID numbers and phones must be text: an 18-digit number in a numeric cell has already
    lost its last digits, so it is refused rather than guessed."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e15:
        raise RowProblem(f"{zh}须以文本格式填写（数字格式会丢失末几位）",
                         f"{en} must be written as text (a number loses its last digits)")
    return _text(value)


def _date(value, zh: str, en: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = _text(value)
    if s is None:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    raise RowProblem(f"{zh}不是有效日期", f"{en} is not a valid date")


def _past_date(value, zh: str, en: str, today: date) -> date | None:
    day = _date(value, zh, en)
    if day is not None and day > today:
        raise RowProblem(f"{zh}不能晚于今天", f"{en} cannot be after today")
    return day


def _name(value, zh: str, en: str, required: bool = True) -> str | None:
    s = _text(value)
    if s is None:
        if required:
            raise RowProblem(f"{zh}不能为空", f"{en} is empty")
        return None
    if len(s) > 200:
        raise RowProblem(f"{zh}过长（最多200字）", f"{en} is longer than 200 characters")
    return s


def _phone(value, zh: str, en: str) -> str | None:
    s = _number_text(value, zh, en)
    if s is not None and not PHONE.match(s):
        raise RowProblem(f"{zh}格式不正确", f"{en} is not a valid phone number")
    return s


def _id_number(value, zh: str, en: str) -> str | None:
    s = _number_text(value, zh, en)
    if s is None:
        return None
    s = identity.normalise_id_number(s)
    if not ID_NUMBER.match(s):
        raise RowProblem(f"{zh}不是有效的18位身份证号码", f"{en} is not a valid 18-digit ID number")
    return s


def _credit_code(value) -> str | None:
    s = _number_text(value, "统一社会信用代码", "credit code")
    if s is None:
        return None
    s = s.upper()
    if not CREDIT_CODE.match(s):
        raise RowProblem("统一社会信用代码无效", "the unified social credit code is invalid")
    return s


# -- parsing rows (pure) -------------------------------------------------------------------
@dataclass
class OwnerIn:
    kind: str
    name: str
    id_number: str | None = None      # persons
    credit_code: str | None = None    # organisations, developers
    phone: str | None = None
    is_voter: bool | None = None
    since: date | None = None
    blind: str | None = None          # blind index of the ID number (the match key)

    @property
    def key(self) -> tuple:
        if self.kind == PERSON:
            return ("person", self.blind) if self.blind else ("person-name", self.name)
        if self.kind == ORGANISATION:
            return ("organisation", self.credit_code)
        return ("developer",)


@dataclass
class ResidentIn:
    name: str | None          # None: the row's person owner lives there (业主自住)
    relation: str
    id_number: str | None = None
    phone: str | None = None
    moved_in: date | None = None
    blind: str | None = None

    def key(self, owner: OwnerIn | None) -> tuple:
        if self.blind:
            return ("person", self.blind)
        if self.name is None and owner is not None:
            return owner.key
        return ("name", self.name)


@dataclass
class Row:
    number: int
    building: str
    unit: str
    areas: dict = field(default_factory=dict)      # only the areas written on this row
    owner: OwnerIn | None = None
    resident: ResidentIn | None = None


def _areas(cells: dict) -> dict:
    out = {}
    for key in AREA_SOURCES:
        col = f"{key}_area"
        if _text(cells.get(col)) is None:
            continue
        try:
            out[col] = area_from_decimal(cells[col])
        except AreaFormatError as exc:
            label, problem = AREA_LABELS[col], AREA_PROBLEMS[exc.code]
            raise RowProblem(label[0] + problem[0], f"{label[1]} {problem[1]}") from None
    return out


def _owner(cells: dict, today: date) -> OwnerIn | None:
    given = [k for k in ("owner_kind", "owner_name", "owner_id_number", "owner_phone",
                         "owner_is_voter", "owner_since") if _text(cells.get(k)) is not None]
    if not given:
        return None
    kind_text = _text(cells.get("owner_kind"))
    if kind_text is None:
        raise RowProblem("填写了业主信息，但未填写业主类型", "owner details given without the owner kind")
    kind = OWNER_KINDS_ZH.get(kind_text)
    if kind is None:
        raise RowProblem("业主类型须为“个人”“单位”或“开发商”",
                         "the owner kind must be 个人, 单位 or 开发商")
    owner = OwnerIn(kind=kind, name=_name(cells.get("owner_name"), "业主名称", "owner name"),
                    phone=_phone(cells.get("owner_phone"), "业主电话", "owner phone"),
                    since=_past_date(cells.get("owner_since"), "产权登记日期",
                                     "title date", today))
    voter = _text(cells.get("owner_is_voter"))
    if voter is not None and voter not in YES_NO:
        raise RowProblem("是否投票人须填“是”或“否”", "is-voter must be 是 or 否")
    owner.is_voter = YES_NO.get(voter)
    if kind == PERSON:
        owner.id_number = _id_number(cells.get("owner_id_number"), "业主证件号码",
                                     "owner ID number")
        owner.blind = identity.blind_index(owner.id_number) if owner.id_number else None
    else:
        owner.credit_code = _credit_code(cells.get("owner_id_number"))
        if kind == ORGANISATION and owner.credit_code is None:
            raise RowProblem("单位业主须填写统一社会信用代码",
                             "an organisation owner needs its unified social credit code")
    return owner


def _resident(cells: dict, owner: OwnerIn | None, today: date) -> ResidentIn | None:
    given = [k for k in ("resident_name", "resident_relation", "resident_id_number",
                         "resident_phone", "moved_in") if _text(cells.get(k)) is not None]
    if not given:
        return None
    relation_text = _text(cells.get("resident_relation"))
    relation = RELATIONS_ZH.get(relation_text or "")
    if relation is None:
        raise RowProblem("住户关系须为“业主自住”“租户”或“家庭成员”",
                         "the relation must be 业主自住, 租户 or 家庭成员")
    own_row_owner = relation == "owner_occupier" and owner is not None and owner.kind == PERSON
    resident = ResidentIn(
        name=_name(cells.get("resident_name"), "住户姓名", "resident name",
                   required=not own_row_owner),
        relation=relation,
        id_number=_id_number(cells.get("resident_id_number"), "住户证件号码",
                             "resident ID number"),
        phone=_phone(cells.get("resident_phone"), "住户电话", "resident phone"),
        moved_in=_past_date(cells.get("moved_in"), "入住日期", "move-in date", today))
    if own_row_owner and resident.name in (None, owner.name) and resident.id_number in (
            None, owner.id_number):
        resident.name, resident.id_number = None, None       # it is this row's owner
    resident.blind = identity.blind_index(resident.id_number) if resident.id_number else None
    return resident


def parse_row(number: int, cells: dict, today: date) -> Row:
    """One spreadsheet row → :class:`Row`, or :class:`RowProblem` naming what is wrong."""
    row = Row(number=number, building=_name(cells.get("building"), "楼栋", "building"),
              unit=_name(cells.get("unit"), "房号", "unit"), areas=_areas(cells))
    row.owner = _owner(cells, today)
    row.resident = _resident(cells, row.owner, today)
    return row


def read_rows(content: bytes) -> list[tuple[int, dict]]:
    """The data rows of the workbook as ``(excel_row_number, {column key: value})``;
    blank rows are skipped. Raises :class:`FileProblem` for an unusable file."""
    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise FileProblem("无法读取该文件，请使用 .xlsx 格式的模板。",
                          "The file cannot be read; use the .xlsx template.") from None
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        columns = {i: _HEADING_KEYS[h] for i, h in enumerate(map(_normalise_heading, header))
                   if h in _HEADING_KEYS}
        missing = [h for h in REQUIRED_HEADINGS if _HEADING_KEYS[h] not in columns.values()]
        if missing:
            raise FileProblem(f"第1行缺少列：{'、'.join(missing)}（请使用模板）。",
                              f"Row 1 lacks the column(s) {', '.join(missing)}; use the template.")
        out = []
        for number, values in enumerate(rows, start=2):
            cells = {key: values[i] for i, key in columns.items() if i < len(values)}
            if all(_text(v) is None for v in cells.values()):
                continue
            out.append((number, cells))
            if len(out) > MAX_ROWS:
                raise FileProblem(f"数据行超过{MAX_ROWS}行，请分批导入。",
                                  f"More than {MAX_ROWS} rows; split the file.")
        return out
    finally:
        wb.close()


# -- one unit's rows together (pure) ----------------------------------------------------------
@dataclass
class UnitRows:
    """The good rows of one unit merged: areas, distinct owners, distinct residents."""
    building: str
    unit: str
    rows: list
    areas: dict = field(default_factory=dict)           # column → value
    owners: dict = field(default_factory=dict)          # key → OwnerIn (merged)
    owner_rows: dict = field(default_factory=dict)      # key → [row numbers]
    residents: dict = field(default_factory=dict)       # key → (ResidentIn, Row)
    since: date | None = None

    @property
    def owner_row_numbers(self) -> list:
        return sorted(n for ns in self.owner_rows.values() for n in ns)


def _merge_row(group: UnitRows, row: Row, first: dict) -> None:
    """Add a row to its unit, or raise :class:`RowProblem` when it contradicts earlier rows."""
    for col, value in row.areas.items():
        if col in group.areas and group.areas[col] != value:
            zh, en = AREA_LABELS[col]
            raise RowProblem(f"{zh}与第{first[col]}行不一致", f"{en} differs from row {first[col]}")
    o = row.owner
    if o is not None:
        seen = group.owners.get(o.key)
        if seen is not None and (seen.kind, seen.name) != (o.kind, o.name):
            raise RowProblem(f"与第{group.owner_rows[o.key][0]}行同一业主的名称不一致",
                             f"the same owner is named differently on row "
                             f"{group.owner_rows[o.key][0]}")
        if seen is not None and None not in (seen.is_voter, o.is_voter) \
                and seen.is_voter != o.is_voter:
            raise RowProblem("同一业主的“是否投票人”前后不一致", "the same owner's is-voter differs")
        if o.since and group.since and o.since != group.since:
            raise RowProblem("同一房屋的产权登记日期前后不一致",
                             "the unit's title dates differ between rows")
    r = row.resident
    if r is not None:
        key = r.key(o)
        seen = group.residents.get(key)
        if seen is not None and (seen[0].relation, seen[0].moved_in) != (r.relation, r.moved_in):
            raise RowProblem(f"与第{seen[1].number}行同一住户的信息不一致",
                             f"the same resident differs from row {seen[1].number}")
    # Nothing contradicts: take the row.
    for col, value in row.areas.items():
        group.areas.setdefault(col, value)
        first.setdefault(col, row.number)
    if o is not None:
        seen = group.owners.setdefault(o.key, o)
        if seen.is_voter is None:
            seen.is_voter = o.is_voter
        group.owner_rows.setdefault(o.key, []).append(row.number)
        group.since = group.since or o.since
    if r is not None:
        group.residents.setdefault(r.key(o), (r, row))
    group.rows.append(row)


def merge_unit(rows: list) -> tuple[UnitRows, dict]:
    """Merge one unit's rows; returns the group and ``{row number: (zh, en)}`` of rows left
    out. Co-owners must name exactly one voter: otherwise every owner row of the unit is
    left out (the unit's ownership cannot be known), its other rows still count."""
    bad: dict = {}
    while True:
        group = UnitRows(building=rows[0].building, unit=rows[0].unit, rows=[])
        first: dict = {}
        for row in rows:
            if row.number in bad:
                continue
            try:
                _merge_row(group, row, first)
            except RowProblem as p:
                bad[row.number] = (p.zh, p.en)
        if not group.owners:
            return group, bad
        try:
            voter_of((k, o.is_voter) for k, o in group.owners.items())
            return group, bad
        except OwnerSetError as exc:
            zh, en = OWNER_SET_MESSAGES[exc.code]
            for n in group.owner_row_numbers:
                bad[n] = (f"{zh}（本房屋的业主行均未导入）",
                          f"{en} (none of this unit's owner rows was imported)")


def group_rows(rows: list) -> dict:
    """Rows by unit (building name, unit name), in order of first appearance."""
    groups: dict = {}
    for row in rows:
        groups.setdefault((row.building, row.unit), []).append(row)
    return groups


# -- the import ------------------------------------------------------------------------------
class Progress:
    """Writes the job's progress through its own short transactions (visible at once)."""

    def __init__(self, engine, job_id: str):
        self.engine = engine
        self.job_id = job_id

    def report(self, processed: int, total: int) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(update(ImportJob).where(ImportJob.id == self.job_id).values(
                processed_rows=processed, total_rows=total, updated_at=clock.now()))


@dataclass(eq=False)
class PersonNew:
    """A person to register; ``path`` None means "at the unit they live in"."""
    name: str
    phone: str | None
    id_number: str | None
    path: str | None
    id: str | None = None          # set once written


@dataclass(eq=False)
class OwnerNew:
    kind: str
    name: str
    credit_code: str | None
    person: object = None           # person owners: a person id or a PersonNew


@dataclass
class Plan:
    """What one unit's rows change, decided before anything is written."""
    building_id: str | None = None       # None: create the building
    unit: dict | None = None             # the registered unit; None: create it
    areas: dict | None = None            # the new area columns, when they change
    owner_refs: dict = field(default_factory=dict)    # owner key → owner id | OwnerNew
    shares: list | None = None           # [(owner id | OwnerNew, is_voter)] when they change
    at: datetime | None = None
    residents: list = field(default_factory=list)     # [(ResidentIn, person id | PersonNew)]
    people: dict = field(default_factory=dict)        # blind index → PersonNew (this unit)
    changed_rows: set = field(default_factory=set)

    @property
    def unit_id(self) -> str | None:
        return self.unit["id"] if self.unit else None


class Writer:
    """Collects rows, audit entries and events; writes them in bulk INSERTs."""

    TABLES = {"buildings": Unit.__table__, "units": Unit.__table__, "people": Person.__table__,
              "owners": Owner.__table__, "ownerships": Ownership.__table__,
              "residencies": Residency.__table__, "audit": tables.audit_log,
              "outbox": tables.outbox}

    def __init__(self, session, principal: Principal, now: datetime):
        self.session = session
        self.principal = principal
        self.now = now
        self.rows = {k: [] for k in self.TABLES}
        self.area_updates: list = []
        self.closes: list = []           # (ownership ids, at)
        self.wrote = False

    def audit(self, action: str, entity: str, entity_id: str, path: str, detail: dict) -> None:
        # The columns of fazhi_shared.service.audit.record, batched.
        p = self.principal
        self.rows["audit"].append({
            "id": new_id(), "at": self.now, "actor_kind": p.kind,
            "actor_account_id": p.account_id, "actor_person_id": p.person_id,
            "on_behalf_of": None, "action": action, "entity": entity, "entity_id": entity_id,
            "path": path, "detail": detail, "request_id": p.request_id})

    def emit(self, event_type: str, payload: dict, path: str) -> None:
        # The envelope of fazhi_shared.service.outbox.Outbox.emit, batched; the relay polls for it.
        envelope = make_envelope(f"org.{event_type}", payload, path, self.principal.request_id)
        self.rows["outbox"].append({"id": envelope["event_id"],
                                    "event_type": envelope["type"], "envelope": envelope})

    def flush(self) -> None:
        """Write what is collected, parents before children, inside the open transaction."""
        for name in ("buildings", "units", "people", "owners"):
            self._insert(name)
        if self.area_updates:
            self.session.execute(
                update(Unit.__table__).where(Unit.__table__.c.id == bindparam("uid")),
                self.area_updates)
        for ids, at in self.closes:       # closed before new rows open: one open voter a unit
            self.session.execute(update(Ownership.__table__).where(
                Ownership.__table__.c.id.in_(ids)).values(valid_to=at))
        self.wrote = self.wrote or bool(self.area_updates or self.closes)
        self.area_updates, self.closes = [], []
        for name in ("ownerships", "residencies", "audit", "outbox"):
            self._insert(name)

    def _insert(self, name: str) -> None:
        rows, table = self.rows[name], self.TABLES[name]
        for i in range(0, len(rows), INSERT_BATCH):
            bulk_insert(self.session, table, rows[i:i + INSERT_BATCH])
        self.wrote = self.wrote or bool(rows)
        self.rows[name] = []


# COPY's text format: tab-separated, \N for null, backslash escapes.


def _chunks(items, size: int = 1000):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


AREA_COLUMNS = ("registered_area", "surveyed_area", "contract_area", "exclusive_area",
                "area_source")


class Registry:
    """What the compound holds, loaded in a few batched queries and kept current while the
    import writes: every row is then matched by dictionary lookups."""

    def __init__(self, session, compound: Unit, blinds: set, today: date):
        self.buildings: dict = {}      # name → [{id, path}]
        self.units: dict = {}          # (building id, name) → [{id, path, areas…}]
        self.people: dict = {}         # blind index → {id, name}
        self.owners: dict = {}         # owner id → {kind, name, person_id, credit_code}
        self.owner_by_person: dict = {}
        self.owner_by_code: dict = {}
        self.developer: str | None = None
        self.shares: dict = {}         # unit id → [(ownership id, owner id, is_voter)] open
        self.latest: dict = {}         # unit id → latest valid_from
        self.residents: dict = {}      # unit id → [{person_id, name, relation, moved_in}]
        self._load_tree(session, compound)
        self._load_people(session, blinds)
        self._load_owners(session, compound)
        self._load_residents(session, today)

    def _load_tree(self, session, c: Unit) -> None:
        for b in session.execute(select(Unit.id, Unit.name, Unit.path).where(
                Unit.parent_id == c.id, Unit.kind == "building")):
            self.buildings.setdefault(b.name, []).append({"id": b.id, "path": b.path})
        self.building_ids = [b["id"] for bs in self.buildings.values() for b in bs]
        cols = [getattr(Unit, k) for k in AREA_COLUMNS]
        for chunk in _chunks(self.building_ids):
            for u in session.execute(select(Unit.id, Unit.parent_id, Unit.name, Unit.path, *cols)
                                     .where(Unit.parent_id.in_(chunk))):
                self.units.setdefault((u.parent_id, u.name), []).append(
                    {"id": u.id, "path": u.path, **{k: getattr(u, k) for k in AREA_COLUMNS}})

    def _load_people(self, session, blinds: set) -> None:
        for chunk in _chunks(sorted(blinds)):
            for p in session.execute(select(Person.id, Person.name, Person.id_number_blind)
                                     .where(Person.id_number_blind.in_(chunk))):
                self.people[p.id_number_blind] = {"id": p.id, "name": p.name}

    def _load_owners(self, session, c: Unit) -> None:
        for o in session.execute(select(Owner).where(Owner.compound_id == c.id)).scalars():
            self.add_owner(o.id, o.kind, o.name, o.person_id, o.credit_code)
        for s in session.execute(select(Ownership.id, Ownership.unit_id, Ownership.owner_id,
                                        Ownership.is_voter).where(
                Ownership.compound_id == c.id, Ownership.valid_to.is_(None))):
            self.shares.setdefault(s.unit_id, []).append((s.id, s.owner_id, s.is_voter))
        for unit_id, latest in session.execute(
                select(Ownership.unit_id, func.max(Ownership.valid_from))
                .where(Ownership.compound_id == c.id).group_by(Ownership.unit_id)):
            self.latest[unit_id] = latest

    def _load_residents(self, session, today: date) -> None:
        for chunk in _chunks(self.building_ids):
            for r in session.execute(
                    select(Residency.unit_id, Residency.person_id, Residency.relation,
                           Residency.moved_in, Person.name)
                    .join(Person, Person.id == Residency.person_id)
                    .join(Unit, Unit.id == Residency.unit_id)
                    .where(Unit.parent_id.in_(chunk),
                           or_(Residency.moved_out.is_(None), Residency.moved_out > today))):
                self.residents.setdefault(r.unit_id, []).append(
                    {"person_id": r.person_id, "name": r.name, "relation": r.relation,
                     "moved_in": r.moved_in})

    def add_owner(self, owner_id, kind, name, person_id, code) -> None:
        self.owners[owner_id] = {"kind": kind, "name": name, "person_id": person_id,
                                 "credit_code": code}
        if person_id:
            self.owner_by_person[person_id] = owner_id
        if code:
            self.owner_by_code[code] = owner_id
        if kind == DEVELOPER:
            self.developer = owner_id


class Importer:
    """Imports one workbook into one compound inside the caller's session (transaction)."""

    def __init__(self, session, principal: Principal, compound: Unit, progress: Progress):
        self.session = session
        self.principal = principal
        self.compound = compound
        self.progress = progress
        self.now = clock.now()
        self.today = clock.today_local()
        self.errors: dict = {}          # row number → (zh, en)
        self.imported: set = set()      # rows that changed something
        self.good: set = set()          # rows imported or already as given

    def run(self, content: bytes) -> dict:
        raw = read_rows(content)
        total = len(raw)
        self.progress.report(0, total)
        # One import per compound at a time (released when the transaction ends); the
        # import's time is taken once it holds the lock, so it follows the one before.
        self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                             {"k": f"org.workbook:{self.compound.id}"})
        self.now, self.today = clock.now(), clock.today_local()
        rows = []
        for number, cells in raw:
            try:
                rows.append(parse_row(number, cells, self.today))
            except RowProblem as p:
                self.errors[number] = (p.zh, p.en)
        blinds = {b for r in rows for b in (r.owner and r.owner.blind,
                                            r.resident and r.resident.blind) if b}
        self.reg = Registry(self.session, self.compound, blinds, self.today)
        self.writer = Writer(self.session, self.principal, self.now)
        processed = reported = len(self.errors)
        for unit_rows in group_rows(rows).values():
            self._import_unit(unit_rows)
            processed += len(unit_rows)
            if processed - reported >= PROGRESS_EVERY:
                self.writer.flush()
                self.progress.report(processed, total)
                reported = processed
        self.writer.flush()
        return self._summary(total)

    def _summary(self, total: int) -> dict:
        errors = [row_error(n, *self.errors[n]) for n in sorted(self.errors)]
        if len(errors) > MAX_ERRORS:
            more = len(errors) - MAX_ERRORS
            errors = errors[:MAX_ERRORS] + [row_error(None, f"另有{more}行有误，未逐一列出。",
                                                      f"{more} more rows have errors.")]
        imported = len(self.imported)
        return {"total_rows": total, "imported": imported,
                "unchanged": len(self.good) - imported, "error_rows": len(self.errors),
                "errors": errors, "changed": self.writer.wrote}

    def _import_unit(self, rows: list) -> None:
        """Settle the unit's rows — leave out each bad one and look again — then write."""
        bad: dict = {}
        plan = None
        while True:
            good = [r for r in rows if r.number not in bad]
            if not good:
                break
            group, merge_bad = merge_unit(good)
            bad.update(merge_bad)
            if not group.rows:
                break
            plan, plan_bad = self._plan(group)
            if not plan_bad:
                break
            bad.update(plan_bad)
            plan = None
        self.errors.update(bad)
        if plan is not None:
            self.good.update(r.number for r in group.rows)
            self._write(group, plan)
            self.imported.update(plan.changed_rows)

    # -- planning: reads the loaded registry, writes nothing --------------------------------
    def _plan(self, g: UnitRows) -> tuple[Plan, dict]:
        plan = Plan()
        problem = self._plan_unit(g, plan)
        if problem:
            return plan, {r.number: problem for r in g.rows}
        problem = self._plan_owners(g, plan)
        if problem:
            row, zh, en = problem
            return plan, {n: (zh, en) if n == row else (
                f"同一房屋第{row}行的业主有误，本房屋的业主行均未导入",
                f"the owner on row {row} of the same unit is wrong; none of the unit's "
                f"owner rows was imported") for n in g.owner_row_numbers}
        bad = {}
        for resident, row in g.residents.values():
            problem = self._plan_resident(g, plan, resident, row)
            if problem:
                bad[row.number] = problem
        return plan, bad

    def _plan_unit(self, g: UnitRows, plan: Plan):
        buildings = self.reg.buildings.get(g.building, [])
        if len(buildings) > 1:
            return (f"小区内有多个名为“{g.building}”的楼栋，无法确定",
                    f"the compound has several buildings named {g.building}")
        if not buildings and not self.principal.can_act_at(rules.UNIT_WRITERS["building"],
                                                           self.compound.path):
            return "您的角色无权新建楼栋", "your role may not create buildings"
        units = self.reg.units.get((buildings[0]["id"], g.unit), []) if buildings else []
        if len(units) > 1:
            return (f"楼栋“{g.building}”内有多个名为“{g.unit}”的房屋，无法确定",
                    f"building {g.building} has several units named {g.unit}")
        parent_path = buildings[0]["path"] if buildings else self.compound.path
        if not units and not self.principal.can_act_at(rules.UNIT_WRITERS["unit"], parent_path):
            return "您的角色无权新建房屋", "your role may not create units"
        plan.building_id = buildings[0]["id"] if buildings else None
        plan.unit = units[0] if units else None
        if g.areas:      # a blank area keeps what is registered
            old = plan.unit or {}
            columns = area_columns(*(g.areas.get(k, old.get(k)) for k in AREA_COLUMNS[:3]))
            if any(old.get(k) != v for k, v in columns.items()):
                plan.areas = columns
        return None

    def _plan_owners(self, g: UnitRows, plan: Plan):
        """Match the unit's owners; ``(row, zh, en)`` when one cannot be matched."""
        if not g.owners:
            return None
        current = self.reg.shares.get(plan.unit_id, [])
        for key, o in g.owners.items():
            ref = self._owner_ref(o, current, plan)
            if isinstance(ref, tuple):
                return (g.owner_rows[key][0], *ref)
            plan.owner_refs[key] = ref
        first_row = g.owner_row_numbers[0]
        known = [r for r in plan.owner_refs.values() if isinstance(r, str)]
        codes = [r.credit_code for r in plan.owner_refs.values()
                 if isinstance(r, OwnerNew) and r.credit_code]
        if len(set(known)) != len(known) or len(set(codes)) != len(codes):
            return first_row, "同一业主在本房屋重复填写", "the same owner is listed twice for the unit"
        voter = voter_of((k, o.is_voter) for k, o in g.owners.items())
        shares = [(ref, key == voter) for key, ref in plan.owner_refs.items()]
        if not any(isinstance(ref, OwnerNew) for ref, _ in shares) and \
                {(oid, v) for _, oid, v in current} == set(shares):
            return None                        # the registered owners, as given
        at = day_start(g.since) if g.since else self.now
        latest = self.reg.latest.get(plan.unit_id)
        if latest is not None and at <= latest:
            day = clock.to_local(latest).date().isoformat()
            return (first_row, f"产权登记日期须晚于该房屋现登记产权的起始日期（{day}）",
                    f"the title date must be after the registered title's start ({day})")
        plan.shares, plan.at = shares, at
        plan.changed_rows.update(g.owner_row_numbers)
        return None

    def _owner_ref(self, o: OwnerIn, current: list, plan: Plan):
        """The owner's id, an :class:`OwnerNew`, or ``(zh, en)`` why it cannot be matched."""
        reg = self.reg
        if o.kind == PERSON and o.blind is None:
            # Only an owner already registered for this unit may be named without an ID.
            named = [oid for _, oid, _ in current if reg.owners[oid]["kind"] == PERSON
                     and reg.owners[oid]["name"] == o.name]
            if len(named) == 1:
                return named[0]
            return "个人业主须填写身份证号码", "a person owner needs an ID number"
        if o.kind == PERSON:
            person = self._person(plan, o.name, o.phone, o.id_number, o.blind,
                                  self.compound.path)
            if isinstance(person, tuple):
                return person
            if isinstance(person, str) and person in reg.owner_by_person:
                return reg.owner_by_person[person]
            return OwnerNew(PERSON, o.name, None, person)
        if o.kind == ORGANISATION:
            owner_id = reg.owner_by_code.get(o.credit_code)
            if owner_id is None:
                return OwnerNew(ORGANISATION, o.name, o.credit_code)
            known = reg.owners[owner_id]
            if (known["kind"], known["name"]) != (ORGANISATION, o.name):
                return (f"该统一社会信用代码已登记为“{known['name']}”",
                        f"the credit code is registered as {known['name']}")
            return owner_id
        owner_id = reg.developer
        if owner_id is None:
            if o.credit_code and o.credit_code in reg.owner_by_code:
                return ("该统一社会信用代码已登记为其他业主",
                        "the credit code belongs to another owner")
            return OwnerNew(DEVELOPER, o.name, o.credit_code)
        known = reg.owners[owner_id]
        if known["name"] != o.name or (o.credit_code and known["credit_code"]
                                       and o.credit_code != known["credit_code"]):
            return (f"本小区的开发商已登记为“{known['name']}”",
                    f"the compound's developer is registered as {known['name']}")
        return owner_id

    def _person(self, plan: Plan, name, phone, id_number, blind, path):
        """The person with this ID number: a registered id, the one this unit already plans,
        or a new one; ``(zh, en)`` when the number is registered under another name."""
        known = self.reg.people.get(blind)
        if known is None:
            known = plan.people.get(blind)
            if known is None:
                known = plan.people[blind] = PersonNew(name, phone, id_number, path)
            if known.name != name:
                return "同一证件号码的姓名前后不一致", "the same ID number has two names"
            return known
        if known["name"] != name:
            return "该证件号码已登记为其他姓名", "the ID number is registered under another name"
        return known["id"]

    def _owner_people(self, plan: Plan) -> list:
        """``(person, name)`` of the unit's person owners once this import is done."""
        if plan.owner_refs:
            refs = list(plan.owner_refs.values())
        else:
            refs = [oid for _, oid, _ in self.reg.shares.get(plan.unit_id, [])]
        out = []
        for ref in refs:
            if isinstance(ref, OwnerNew) and ref.kind == PERSON:
                out.append((ref.person, ref.name))
            elif isinstance(ref, str) and self.reg.owners[ref]["person_id"]:
                out.append((self.reg.owners[ref]["person_id"], self.reg.owners[ref]["name"]))
        return out

    def _resident_person(self, g: UnitRows, plan: Plan, r: ResidentIn, row: Row):
        """The resident's person (id or PersonNew), or ``(zh, en)``."""
        if r.name is None:                    # this row's own person owner lives here
            ref = plan.owner_refs.get(row.owner.key)
            return ref.person if isinstance(ref, OwnerNew) else \
                self.reg.owners[ref]["person_id"]
        if r.blind:
            return self._person(plan, r.name, r.phone, r.id_number, r.blind, None)
        named = [x for x in self.reg.residents.get(plan.unit_id, []) if x["name"] == r.name]
        if len(named) > 1:
            return ("该房屋有多名同名住户，请填写住户证件号码",
                    "several residents of the unit share this name; give the ID number")
        if named:
            return named[0]["person_id"]
        if r.relation == "owner_occupier":
            owners = [p for p, name in self._owner_people(plan) if name == r.name]
            if len(owners) == 1:
                return owners[0]
        return PersonNew(r.name, r.phone, None, None)

    def _plan_resident(self, g: UnitRows, plan: Plan, r: ResidentIn, row: Row):
        person = self._resident_person(g, plan, r, row)
        if isinstance(person, tuple):
            return person
        if r.relation == "owner_occupier" and not any(
                p is person or (isinstance(p, str) and p == person)
                for p, _ in self._owner_people(plan)):
            return "业主自住的住户须是该房屋的业主", "an owner-occupier must own the unit"
        if isinstance(person, str):
            living = [x for x in self.reg.residents.get(plan.unit_id, [])
                      if x["person_id"] == person]
            if living:
                x = living[0]
                if x["relation"] == r.relation and r.moved_in in (None, x["moved_in"]):
                    return None                               # registered as given
                return ("该住户已登记（关系或入住日期不同）；如需更改，请先办理迁出",
                        "the resident is registered with another relation or date; "
                        "move them out first")
        plan.residents.append((r, person))
        plan.changed_rows.add(row.number)
        return None

    # -- writing (batched through the Writer) -----------------------------------------------
    def _write(self, g: UnitRows, plan: Plan) -> None:
        new_unit = plan.unit is None
        unit = self._ensure_unit(g, plan)
        if plan.areas is not None:
            self._write_areas(unit, plan, g, new_unit)
        if plan.shares is not None:
            self._write_shares(unit, plan)
        for r, person in plan.residents:
            self._write_resident(unit, self._ensure_person(person, unit["path"]), r)

    def _ensure_unit(self, g: UnitRows, plan: Plan) -> dict:
        reg = self.reg
        if plan.building_id is None:
            bid = new_id()
            path = child_path(self.compound.path, bid)
            self._new_unit_row("buildings", bid, self.compound.id, "building", g.building, path)
            reg.buildings[g.building] = [{"id": bid, "path": path}]
            plan.building_id = bid
        if plan.unit is None:
            uid = new_id()
            path = child_path(reg.buildings[g.building][0]["path"], uid)
            areas = plan.areas or {k: None for k in AREA_COLUMNS}
            self._new_unit_row("units", uid, plan.building_id, "unit", g.unit, path, areas)
            plan.unit = {"id": uid, "path": path, **areas}
            reg.units[(plan.building_id, g.unit)] = [plan.unit]
            plan.changed_rows.update(r.number for r in g.rows)
        return plan.unit

    def _new_unit_row(self, table, uid, parent_id, kind, name, path, areas=None) -> None:
        w = self.writer
        w.rows[table].append({"id": uid, "parent_id": parent_id, "kind": kind, "name": name,
                              "path": path, "created_at": w.now, "updated_at": w.now,
                              **{k: (areas or {}).get(k) for k in AREA_COLUMNS}})
        w.audit("unit.create", "unit", uid, path, {"name": name, "kind": kind})
        w.emit("unit.created", {"id": uid, "parent_id": parent_id, "kind": kind, "name": name,
                                "path": path}, path)

    def _write_areas(self, unit: dict, plan: Plan, g: UnitRows, new_unit: bool) -> None:
        w = self.writer
        if not new_unit:
            before = {k: unit.get(k) for k in AREA_COLUMNS[:3]}
            w.area_updates.append({"uid": unit["id"], **plan.areas, "updated_at": w.now})
            w.audit("unit.set_area", "unit", unit["id"], unit["path"],
                    {"from": before, "to": {k: plan.areas[k] for k in before}})
            unit.update(plan.areas)
            plan.changed_rows.update(r.number for r in g.rows if r.areas)
        w.emit("unit.area_changed", area_event(unit["id"], plan.areas), unit["path"])

    def _ensure_person(self, person, unit_path: str) -> str:
        if isinstance(person, str):
            return person
        if person.id:
            return person.id
        w = self.writer
        person.id = new_id()
        path = person.path or unit_path
        row = Person(id=person.id)
        if person.id_number:
            protect_id_number(row, person.id_number)
            self.reg.people[row.id_number_blind] = {"id": person.id, "name": person.name}
        w.rows["people"].append({
            "id": person.id, "name": person.name, "phone": person.phone,
            "id_number_enc": row.id_number_enc, "id_number_blind": row.id_number_blind,
            "id_number_masked": row.id_number_masked, "gender": None, "path": path,
            "created_at": w.now, "updated_at": w.now})
        # The audit row names the fields given, never their values (PIPL).
        w.audit("person.create", "person", person.id, path,
                {"fields": [f for f, v in (("id_number", person.id_number), ("name", person.name),
                                           ("phone", person.phone)) if v]})
        w.emit("person.created", {"id": person.id, "name": person.name, "path": path}, path)
        return person.id

    def _ensure_owner(self, ref, unit_path: str) -> str:
        if isinstance(ref, str):
            return ref
        reg, w, c = self.reg, self.writer, self.compound
        person_id = self._ensure_person(ref.person, unit_path) if ref.kind == PERSON else None
        owner_id = new_id()
        w.rows["owners"].append({"id": owner_id, "compound_id": c.id, "kind": ref.kind,
                                 "person_id": person_id, "name": ref.name,
                                 "credit_code": ref.credit_code, "path": c.path,
                                 "created_at": w.now})
        reg.add_owner(owner_id, ref.kind, ref.name, person_id, ref.credit_code)
        w.audit("owner.create", "owner", owner_id, c.path, {"kind": ref.kind})
        w.emit("owner.created", {"id": owner_id, "compound_id": c.id, "kind": ref.kind,
                                 "name": ref.name, "person_id": person_id}, c.path)
        return owner_id

    def _write_shares(self, unit: dict, plan: Plan) -> None:
        reg, w = self.reg, self.writer
        shares = [(self._ensure_owner(ref, unit["path"]), v) for ref, v in plan.shares]
        current = reg.shares.get(unit["id"], [])
        if current:
            w.closes.append(([sid for sid, _, _ in current], plan.at))
        opened = []
        for owner_id, is_voter in shares:
            sid = new_id()
            w.rows["ownerships"].append({"id": sid, "unit_id": unit["id"], "owner_id": owner_id,
                                         "is_voter": is_voter, "valid_from": plan.at,
                                         "valid_to": None, "compound_id": self.compound.id,
                                         "path": unit["path"]})
            opened.append((sid, owner_id, is_voter))
        reg.shares[unit["id"]], reg.latest[unit["id"]] = opened, plan.at
        from_ids = [oid for _, oid, _ in current]
        to_ids = [oid for oid, _ in shares]
        voter = next(oid for oid, v in shares if v)
        w.audit("ownership.change", "unit", unit["id"], unit["path"],
                {"at": clock.isoformat(plan.at), "from": sorted(from_ids), "to": sorted(to_ids),
                 "voter": voter})
        w.emit("ownership.changed", ownership_event(unit["id"], self.compound.id, plan.at,
                                                    from_ids, to_ids, voter), unit["path"])

    def _write_resident(self, unit: dict, person_id: str, r: ResidentIn) -> None:
        w = self.writer
        rid, day = new_id(), r.moved_in or self.today
        w.rows["residencies"].append({"id": rid, "unit_id": unit["id"], "person_id": person_id,
                                      "relation": r.relation, "moved_in": day,
                                      "moved_out": None, "path": unit["path"],
                                      "created_at": w.now})
        w.audit("resident.move_in", "residency", rid, unit["path"],
                {"relation": r.relation, "moved_in": day.isoformat()})
        w.emit("resident.moved_in", {"id": rid, "unit_id": unit["id"], "person_id": person_id,
                                     "relation": r.relation, "moved_in": day.isoformat(),
                                     "moved_out": None}, unit["path"])


# -- running an import in the background -------------------------------------------------------
def run_import(job_id: str, content: bytes, principal: Principal) -> None:
    """The background work of one import; never raises (it runs in a managed thread).

    The data and the job's final state commit together in one transaction, so a job that
    says ``done`` has its data, and a failed or killed one has none.
    """
    engine = engine_for(DATABASE_URL.get())
    try:
        with Session(engine) as session:
            job = session.get(ImportJob, job_id)
            compound = session.get(Unit, job.compound_id)
            result = Importer(session, principal, compound, Progress(engine, job_id)).run(content)
            _finish(session, principal, job, compound, result)
            session.commit()
    except FileProblem as p:
        _fail(engine, job_id, [row_error(None, p.zh, p.en)])
    except Exception:
        log.exception("workbook import %s failed", job_id)
        _fail(engine, job_id, [row_error(None, "导入中断，未写入任何数据，请重新导入。",
                                         "The import was interrupted; nothing was written. "
                                         "Please import again.")])


def _finish(session, principal: Principal, job: ImportJob, compound: Unit, result: dict) -> None:
    now = clock.now()
    job.status, job.finished_at, job.updated_at = "done", now, now
    job.total_rows = job.processed_rows = result["total_rows"]
    job.errors = result["errors"]
    job.summary = {k: result[k] for k in ("imported", "unchanged", "error_rows")}
    if result["changed"]:
        # Only an import that changed something leaves an audit entry of its own (the
        # entries of each change are written with the change); the job row is the trace.
        audit.record(session, tables.audit_log, principal, "workbook.import", "import_job",
                     job.id, compound.path, {"filename": job.filename, **job.summary})


def _fail(engine, job_id: str, errors: list) -> None:
    try:
        with Session(engine) as s, s.begin():
            now = clock.now()
            s.execute(update(ImportJob).where(ImportJob.id == job_id).values(
                status="failed", errors=errors, finished_at=now, updated_at=now))
    except Exception:
        log.exception("could not mark import %s failed", job_id)


# -- RPC use cases ------------------------------------------------------------------------------
def _read(file_ref: dict) -> bytes:
    """The uploaded workbook from the shared file store, checked to be an .xlsx."""
    if file_ref["size"] > MAX_BYTES:
        raise ValidationFailed.for_field("file", "文件不能超过 10 MB。",
                                         "The file is larger than 10 MB.")
    try:
        content = files.read_bytes(file_ref)
    except NotFound:
        raise ValidationFailed.for_field("file", "上传的文件已不存在，请重新上传。",
                                         "The uploaded file is gone; upload it again.") from None
    if len(content) > MAX_BYTES:
        raise ValidationFailed.for_field("file", "文件不能超过 10 MB。",
                                         "The file is larger than 10 MB.")
    try:
        names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    except zipfile.BadZipFile:
        names = set()
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise ValidationFailed.for_field("file", "不是有效的 .xlsx 文件，请使用模板。",
                                         "Not an .xlsx workbook; use the template.")
    return content


def _stale(job: ImportJob, now: datetime) -> bool:
    return job.status == "running" and (job.updated_at or job.created_at) < now - STALE_AFTER


def start_import(session, principal: Principal, data: dict) -> tuple[ImportJob, bytes]:
    """Check the file, record a running job; the caller commits and starts :func:`run_import`."""
    compound = writable(session, principal, data["compound_id"], "compound", "compound_id")
    content = _read(data["file"])
    now = clock.now()
    running = session.execute(select(ImportJob).where(
        ImportJob.compound_id == compound.id, ImportJob.status == "running")).scalars().all()
    if any(not _stale(j, now) for j in running):
        raise Conflict("该小区已有导入正在进行，请稍后再试。",
                       "An import into this compound is already running.")
    job = ImportJob(id=new_id(), compound_id=compound.id, filename=data["file"]["filename"],
                    status="running", total_rows=0, processed_rows=0, summary={}, errors=[],
                    created_by=principal.account_id, path=compound.path, created_at=now,
                    updated_at=now)
    session.add(job)
    session.flush()
    return job, content


def job_view(job: ImportJob, now: datetime | None = None) -> dict:
    status, errors = job.status, list(job.errors or [])
    if _stale(job, now or clock.now()):
        # Its process died mid-way: the data transaction was never committed.
        status = "failed"
        errors.append(row_error(None, "导入已中断（长时间没有进度），未写入任何数据，请重新导入。",
                                "The import stopped (no progress for a long time); nothing "
                                "was written. Please import again."))
    summary = job.summary or {}
    return {"id": job.id, "compound_id": job.compound_id, "filename": job.filename,
            "status": status, "total_rows": job.total_rows, "processed_rows": job.processed_rows,
            "imported": summary.get("imported", 0), "unchanged": summary.get("unchanged", 0),
            "errors": errors, "created_at": job.created_at, "finished_at": job.finished_at}


def get_import(session, principal: Principal, data: dict) -> dict:
    job = session.get(ImportJob, data["job_id"])
    if job is None:
        raise NotFound()
    compound = visible_unit(session, principal, job.compound_id)
    if not principal.can_act_at(REGISTRY_READERS, compound.path):
        raise NotFound()
    return job_view(job)


# -- writing workbooks ------------------------------------------------------------------------
def _sheet(wb) -> object:
    ws = wb.active
    ws.title = SHEET
    ws.append(list(HEADINGS))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = cell.column_letter
        ws.column_dimensions[letter].width = col.width
        if col.as_text:     # cells typed later by the user keep every digit
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"
    for key, choices in (("owner_kind", OWNER_KINDS_ZH), ("owner_is_voter", YES_NO),
                         ("resident_relation", RELATIONS_ZH)):
        letter = ws.cell(row=1, column=KEYS.index(key) + 1).column_letter
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                            allow_blank=True, showErrorMessage=True,
                            error="请从下拉列表中选择。", errorTitle="取值无效")
        dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        ws.add_data_validation(dv)
    return ws


def _notes(wb) -> None:
    ws = wb.create_sheet(NOTES_SHEET)
    ws.append(["填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in GENERAL_NOTES:
        ws.append([line])
    ws.append([])
    ws.append(["列名", "是否必填", "说明", "示例"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for col in COLUMNS:
        ws.append([col.heading, col.need, col.note, col.example])
    for letter, width in (("A", 30), ("B", 10), ("C", 80), ("D", 22)):
        ws.column_dimensions[letter].width = width


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_bytes() -> bytes:
    wb = openpyxl.Workbook()
    _sheet(wb)
    _notes(wb)
    return _save(wb)


def import_template(session, principal: Principal, data: dict) -> dict:
    content = template_bytes()
    return {**files.put_bytes(content, XLSX, "房屋业主住户导入模板.xlsx"), "rows": 0}


def _natural(name: str) -> tuple:
    # "2幢" before "10幢": digits compare as numbers.
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"(\d+)", name) if p)


def _export_units(session, compound: Unit) -> list:
    buildings = {b.id: b.name for b in session.execute(select(Unit.id, Unit.name).where(
        Unit.parent_id == compound.id, Unit.kind == "building"))}
    units = []
    for chunk in _chunks(list(buildings)):
        units += session.execute(select(Unit).where(Unit.parent_id.in_(chunk))).scalars().all()
    units.sort(key=lambda u: (_natural(buildings[u.parent_id]), _natural(u.name), u.id))
    return [(buildings[u.parent_id], u) for u in units]


def _export_owners(session, compound: Unit) -> dict:
    by_unit: dict = {}
    rows = session.execute(
        select(Ownership.unit_id, Ownership.is_voter, Ownership.valid_from, Owner, Person)
        .join(Owner, Owner.id == Ownership.owner_id)
        .outerjoin(Person, Person.id == Owner.person_id)
        .where(Ownership.compound_id == compound.id, Ownership.valid_to.is_(None))
        .order_by(Ownership.unit_id, Ownership.is_voter.desc(), Owner.id)).all()
    for unit_id, is_voter, since, owner, person in rows:
        code = owner.credit_code
        if person is not None:
            code = identity.decrypt(person.id_number_enc) if person.id_number_enc else None
        by_unit.setdefault(unit_id, []).append({
            "owner_kind": OWNER_KIND_LABELS[owner.kind], "owner_name": owner.name,
            "owner_id_number": code, "owner_phone": person.phone if person else None,
            "owner_is_voter": "是" if is_voter else "否",
            "owner_since": clock.to_local(since).date()})
    return by_unit


def _export_residents(session, unit_ids: list, today: date) -> dict:
    by_unit: dict = {}
    for chunk in _chunks(unit_ids):
        for r, p in session.execute(
                select(Residency, Person).join(Person, Person.id == Residency.person_id)
                .where(Residency.unit_id.in_(chunk),
                       or_(Residency.moved_out.is_(None), Residency.moved_out > today))
                .order_by(Residency.unit_id, Residency.moved_in, Residency.id)):
            by_unit.setdefault(r.unit_id, []).append({
                "resident_name": p.name, "resident_relation": RELATION_LABELS[r.relation],
                "resident_id_number": identity.decrypt(p.id_number_enc)
                if p.id_number_enc else None,
                "resident_phone": p.phone, "moved_in": r.moved_in})
    return by_unit


def export_rows(session, compound: Unit) -> list[dict]:
    """The compound as workbook rows: per unit, owner i and resident i share row i."""
    units = _export_units(session, compound)
    owners = _export_owners(session, compound)
    residents = _export_residents(session, [u.id for _, u in units], clock.today_local())
    out = []
    for building, u in units:
        areas = {k: area_to_decimal(getattr(u, k)) for k in AREA_COLUMNS[:3]}
        mine_o, mine_r = owners.get(u.id, []), residents.get(u.id, [])
        for i in range(max(1, len(mine_o), len(mine_r))):
            row = {"building": building, "unit": u.name, **areas}
            row.update(mine_o[i] if i < len(mine_o) else {})
            row.update(mine_r[i] if i < len(mine_r) else {})
            out.append(row)
    return out


def export_workbook(session, principal: Principal, data: dict) -> dict:
    """The compound in the import layout, ID numbers and phones unmasked (audited)."""
    compound = visible_unit(session, principal, data["compound_id"])
    if not principal.can_act_at(WORKBOOK_EXPORTERS, compound.path):
        raise Forbidden()
    writable(session, principal, compound.id, "compound", "compound_id")
    rows = export_rows(session, compound)
    wb = openpyxl.Workbook()
    ws = _sheet(wb)
    _notes(wb)
    text_cols = {c.key for c in COLUMNS if c.as_text}
    for n, row in enumerate(rows, start=2):
        for i, key in enumerate(KEYS, start=1):
            value = row.get(key)
            if value is None:
                continue
            cell = ws.cell(row=n, column=i, value=value)
            if key in text_cols:
                cell.number_format = "@"
            elif key.endswith("_area"):
                cell.number_format = "0.00"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    audit.record(session, tables.audit_log, principal, "workbook.export", "unit", compound.id,
                 compound.path, {"rows": len(rows), "fields": ["id_number", "phone"]})
    return {**files.put_bytes(_save(wb), XLSX, f"{compound.name}-房屋业主住户.xlsx"),
            "rows": len(rows)}
