"""Reading a workbook into rows (pure): cells → typed, checked values; a row → owner and
resident; a unit's rows merged, or the rows that contradict each other left out. A bad
row is a :class:`RowProblem` with its reason in Chinese and English; an unusable file a
:class:`FileProblem`."""
from __future__ import annotations

import io
import pickle
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl

from fazhi_shared.schemas import has_control_characters

from fazhi_org_contract import identifiers
from org import identity
from org.domain.electorate import (AREA_SOURCES, ORGANISATION, PERSON, AreaFormatError,
                                   OwnerSetError, area_from_decimal, voter_of)
from org.domain.names import name_key
from org.registry import OWNER_SET_MESSAGES
from org.workbook.layout import (AREA_LABELS, AREA_PROBLEMS, COLUMNS, MAX_ROWS,
                                 OWNER_KINDS_ZH, RELATIONS_ZH, REQUIRED_HEADINGS, SHEET, YES_NO)

CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")


# -- problems -----------------------------------------------------------------------------
class FileProblem(Exception):
    """The whole file cannot be imported (not a workbook, headings missing, too big)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en

    def __reduce__(self):           # raised in an offload worker, re-raised in the service
        return type(self), (self.zh, self.en)


class RowProblem(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en

    def __reduce__(self):
        return type(self), (self.zh, self.en)


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
    if has_control_characters(s):     # refused as at the door (fazhi_shared.schemas)
        raise RowProblem(f"{zh}不能包含控制字符", f"the {en} contains control characters")
    return s


def _phone(value, zh: str, en: str) -> str | None:
    # One canonical form, as everywhere phones enter (+86, full-width digits, spaces).
    s = _number_text(value, zh, en)
    if s is None:
        return None
    phone = identifiers.canonical_phone(s)
    if phone is None:
        raise RowProblem(f"{zh}格式不正确", f"{en} is not a valid phone number")
    return phone


def _id_number(value, zh: str, en: str) -> str | None:
    s = _number_text(value, zh, en)
    if s is None:
        return None
    problem = identifiers.id_number_problem(s)
    if problem == identifiers.ID_NUMBER_CHECK_DIGIT:
        raise RowProblem(f"{zh}的校验码（最后一位）不正确",
                         f"{en} has a wrong check digit (GB 11643)")
    if problem is not None:
        raise RowProblem(f"{zh}不是有效的18位身份证号码", f"{en} is not a valid 18-digit ID number")
    return identifiers.canonical_id_number(s)


def _credit_code(value) -> str | None:
    s = _number_text(value, "统一社会信用代码", "credit code")
    if s is None:
        return None
    s = s.upper()
    if not CREDIT_CODE.fullmatch(s):
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
    blank rows are skipped. Raises :class:`FileProblem` for an unusable file, or one whose
    sheet goes on past the heading row and ``MAX_ROWS`` rows (blank rows count: they cost
    as much to read; ``limits`` counts them before). CPU-bound: the service runs it in the
    offload pool (:func:`parse_workbook`)."""
    from org.workbook.limits import TOO_MANY_ROWS

    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise FileProblem("无法读取该文件，请使用 .xlsx 格式的模板。",
                          "The file cannot be read; use the .xlsx template.") from None
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        # The rows the sheet holds, not the ones its (possibly false) dimension declares.
        ws.reset_dimensions()
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
            if number > MAX_ROWS + 1:
                raise FileProblem(*TOO_MANY_ROWS)
            cells = {key: values[i] for i, key in columns.items() if i < len(values)}
            if all(_text(v) is None for v in cells.values()):
                continue
            out.append((number, cells))
        return out
    finally:
        wb.close()


PART_ROWS = 500      # rows per piece of a parse result (see Parsed)


@dataclass
class Parsed:
    """A workbook read and its rows checked: what :func:`parse_workbook` returns.

    The rows travel in pickled pieces of ``PART_ROWS`` source rows: unpickling 50,000
    rows at once takes about a second in one C call, which would hold the service's event
    loop; piece by piece (:meth:`pieces`), other requests run in between."""
    total: int                  # data rows (blank rows skipped)
    parts: list                 # pickles of (good rows, {row number: (zh, en)})

    def pieces(self):
        """``(good rows, {row number: (zh, en)})`` piece by piece."""
        for part in self.parts:
            yield pickle.loads(part)


def parse_workbook(content: bytes, today: date) -> Parsed:
    """Read the workbook and check every row against ``today``: the CPU-bound part of an
    import, run in the offload pool (``fazhi_shared.service.offload``) — plain data in and
    out. Raises :class:`FileProblem` for an unusable file."""
    raw = read_rows(content)
    parts = []
    for start in range(0, len(raw), PART_ROWS):
        good, bad = [], {}
        for number, cells in raw[start:start + PART_ROWS]:
            try:
                good.append(parse_row(number, cells, today))
            except RowProblem as p:
                bad[number] = (p.zh, p.en)
        parts.append(pickle.dumps((good, bad), pickle.HIGHEST_PROTOCOL))
    return Parsed(total=len(raw), parts=parts)


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
    """Rows by unit (building name, unit name — normalised: "９幢" is "9幢"), in order of
    first appearance."""
    groups: dict = {}
    for row in rows:
        groups.setdefault((name_key(row.building), name_key(row.unit)), []).append(row)
    return groups
