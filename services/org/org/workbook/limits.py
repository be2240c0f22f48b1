"""What a workbook may hold, checked before any parsing (pure; no openpyxl).

openpyxl needs ~0.2 ms a row even for rows of blank cells: a 3.3 MB file of 100,000 such
rows took ~20 s to read, a million empty rows as long. So before a workbook is parsed,
``check`` looks at its zip directory and counts the import sheet's rows in its XML as it
is inflated (no parsing: a byte search over 1 MB pieces, ~0.1 s for 50,000 rows):

- the import sheet (the one named ``SHEET``, else the first) and the shared strings
  unpack to at most ``MAX_XML_BYTES`` (a zip bomb is refused unopened);
- the sheet has at most ``MAX_SHEET_ROWS`` rows: the heading row and ``MAX_ROWS`` below
  it, **blank rows included** (a row a spreadsheet keeps for its formatting counts).

The parse (``rows.read_rows``) stops at the same row too, and runs in the offload pool
under its time limit, so a file that gets past these checks still cannot stall org.
Raises :class:`rows.FileProblem` with the reason in Chinese and English.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from xml.etree import ElementTree

from org.workbook.layout import MAX_ROWS, SHEET
from org.workbook.rows import FileProblem

MAX_SHEET_ROWS = MAX_ROWS + 1            # the heading row and MAX_ROWS rows below it
MAX_XML_BYTES = 256 * 2**20              # the sheet and shared strings, unpacked
MAX_PART_BYTES = 8 * 2**20               # workbook.xml and its relationships, unpacked
CHUNK = 2**20
# A row's start tag, with or without a namespace prefix: <row r="2">, <x:row>, <row/>.
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?row[\s/>]")

TOO_MANY_ROWS = (f"工作表超过{MAX_ROWS}行（第1行为列名，空行也计入），请删除多余的空行或分批导入。",
                 f"The sheet has more than {MAX_ROWS} rows below the headings (blank rows "
                 f"count too); delete the blank rows or split the file.")
TOO_BIG = ("文件解压后过大，请删除多余的空行、格式或工作表，或分批导入。",
           "The file is too large unpacked; remove blank rows, formatting or sheets, or "
           "split the file.")
UNREADABLE = ("无法读取该文件，请使用 .xlsx 格式的模板。",
              "The file cannot be read; use the .xlsx template.")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read_small(zf: zipfile.ZipFile, name: str) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise FileProblem(*TOO_BIG)
    return zf.read(info)


def sheet_part(zf: zipfile.ZipFile) -> str:
    """The zip member holding the import sheet: ``SHEET`` by name, else the first sheet
    (as ``rows.read_rows`` chooses it)."""
    names = {n.lower(): n for n in zf.namelist()}
    try:
        book = ElementTree.fromstring(_read_small(zf, names["xl/workbook.xml"]))
        rels_name = names.get("xl/_rels/workbook.xml.rels")
        rels = ElementTree.fromstring(_read_small(zf, rels_name)) if rels_name else None
    except (KeyError, ElementTree.ParseError):
        raise FileProblem(*UNREADABLE) from None
    sheets = [(s.get("name"), next((v for k, v in s.attrib.items() if _local(k) == "id"), None))
              for s in book.iter() if _local(s.tag) == "sheet"]
    targets = {r.get("Id"): r.get("Target") for r in (rels if rels is not None else ())
               if _local(r.tag) == "Relationship"}
    if not sheets:
        raise FileProblem(*UNREADABLE)
    chosen = next((s for s in sheets if s[0] == SHEET), sheets[0])
    target = targets.get(chosen[1]) or ""
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join("xl", target))
    if path.lower() not in names:
        raise FileProblem(*UNREADABLE)
    return names[path.lower()]


def count_rows(stream, stop_after: int) -> int:
    """Row start tags in the XML ``stream``, counting no further than ``stop_after + 1``."""
    count, carry = 0, b""
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return count + len(ROW_TAG.findall(carry))
        data = carry + chunk
        cut = data.rfind(b">") + 1           # a tag is never split across what is searched
        count += len(ROW_TAG.findall(data, 0, cut))
        carry = data[cut:]
        if count > stop_after:
            return count


def check(content: bytes) -> None:
    """Refuse, before any parsing, a workbook over the limits above (``FileProblem``)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError):
        raise FileProblem(*UNREADABLE) from None
    with zf:
        part = sheet_part(zf)
        unpacked = zf.getinfo(part).file_size + sum(
            i.file_size for i in zf.infolist() if i.filename.lower().endswith("sharedstrings.xml"))
        if unpacked > MAX_XML_BYTES:
            raise FileProblem(*TOO_BIG)
        try:
            with zf.open(part) as stream:
                rows = count_rows(stream, MAX_SHEET_ROWS)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError):
            raise FileProblem(*UNREADABLE) from None
        if rows > MAX_SHEET_ROWS:
            raise FileProblem(*TOO_MANY_ROWS)
