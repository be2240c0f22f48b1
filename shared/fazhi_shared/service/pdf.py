"""The one PDF renderer every service uses for printable documents (ReportLab underneath).

Name cards, meeting notices, ballots, result announcements, settlement agreements, case
files: build them through :class:`PdfDocument` — never with ReportLab directly — so that
every document

- **embeds its font**: one TrueType CJK font (WenQuanYi Zen Hei, Debian package
  ``fonts-wqy-zenhei``; the path is the setting ``FAZHI_PDF_FONT``), registered with
  ``TTFont`` and embedded as subsets. ReportLab's built-in CID fonts (STSong-Light) are
  *not* embedded (a reader without the Adobe CJK pack shows boxes) and ReportLab refuses
  CFF-flavoured OpenType fonts (Noto CJK), hence this one. Every text of the page — the
  footer included — uses it: no standard (Helvetica) font is left in the file;
- **shows user text literally**: text is escaped before ReportLab's paragraph markup sees
  it (a resident named ``<b>&`` is printed as ``<b>&``, it neither breaks the document nor
  styles it); characters a PDF text cannot hold (control characters) become U+FFFD;
- **wraps long text** with CJK line breaking (``wordWrap="CJK"``), in paragraphs and in
  table cells; a table row taller than a page is split across pages;
- carries its metadata (title, author) and numbers its pages ``第 n 页 / 共 m 页``.

Usage::

    doc = PdfDocument("业主大会会议通知", pagesize="A4")
    doc.heading("阳光花园业主大会会议通知")
    doc.paragraph("会议时间：2026年12月12日 上午9:00")
    doc.key_values([("地点", "小区会所"), ("召集人", "业主委员会")])
    doc.table([["议题", "表决方式"], ["选举业主委员会", "书面"]], col_widths_mm=[110, 50])
    doc.qr("https://fazhi.example/m/abc?x=1")
    doc.signature_lines(["业主委员会主任"])
    content = doc.render()                    # bytes of the PDF

**Rendering is CPU work** (a 30-page case file takes a noticeable fraction of a second,
all of it holding the GIL): a service never calls :meth:`PdfDocument.render` on its event
loop. The pattern: build the document in the service (cheap: the builder only records
what to draw, as plain data — a ``PdfDocument`` pickles), then render it in a worker
process with the module-level :func:`render`::

    from fazhi_shared.service import offload, pdf

    offload.prestart()                        # the worker starts while we read the DB
    doc = pdf.PdfDocument("调解协议书")
    ...                                       # headings, paragraphs from the records read
    content = offload.run(pdf.render, doc)    # bytes, rendered off the event loop

Commands and scripts (no event loop) may call ``doc.render()`` directly.

Test helpers (for every service's tests; they need ``pypdf`` from the ``test`` extra and
the Debian tools ``poppler-utils`` and ``zbar-tools``, which CI installs):
:func:`pdf_fonts` (fonts and whether each is embedded), :func:`pdf_text` (the extracted
text), :func:`pdf_to_png` (a page as PNG, through ``pdftoppm``) and :func:`decode_qr` (the
QR codes of a PNG, through ``zbarimg``).
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import tempfile
import threading
from urllib.parse import quote
from xml.sax.saxutils import escape

from ..config import PDF_FONT, ConfigError

PAGESIZES = ("A4", "A5", "A6")
ALIGNS = ("left", "center")
MISSING_FONT_HINT = (
    "set FAZHI_PDF_FONT to the path of a TrueType CJK font, or install the Debian package "
    "fonts-wqy-zenhei (apt-get install fonts-wqy-zenhei)")
# Margins and body text size by page size: an A6 name card is not an A4 agreement.
_LAYOUT = {"A4": (20.0, 10.5), "A5": (14.0, 10.0), "A6": (8.0, 8.5)}
# What a PDF text (and ReportLab's XML paragraph parser) cannot hold: C0 controls but tab
# and line feed, lone surrogates, U+FFFE/U+FFFF.
_UNPRINTABLE = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f\\ud800-\\udfff\\ufffe\\uffff]")


class PdfFontMissing(ConfigError):
    """The configured PDF font is absent or not a TrueType font ReportLab can embed."""


# -- the font ----------------------------------------------------------------------------------
_fonts: dict[str, str] = {}            # font path -> the name it is registered under
_fonts_lock = threading.Lock()


def font_name(path: str | None = None) -> str:
    """Register the TrueType font at ``path`` (default: ``FAZHI_PDF_FONT``) with ReportLab
    once per process and return its name; :class:`PdfFontMissing` names the setting and
    the Debian package when the file is absent or unusable."""
    path = path or PDF_FONT.get()
    with _fonts_lock:
        name = _fonts.get(path)
        if name:
            return name
        if not os.path.isfile(path):
            raise PdfFontMissing(f"PDF font not found at {path!r}: {MISSING_FONT_HINT}")
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        name = "FazhiCJK-" + hashlib.sha1(path.encode()).hexdigest()[:8]
        try:
            # A .ttc collection: its first face (WenQuanYi Zen Hei, not the Sharp variant).
            font = TTFont(name, path, subfontIndex=0)
        except (TTFError, OSError) as exc:
            raise PdfFontMissing(
                f"PDF font at {path!r} cannot be embedded ({exc}): {MISSING_FONT_HINT}") from exc
        pdfmetrics.registerFont(font)
        # <b>/<i> in our own markup map to the same face (there is no bold variant).
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name,
                                      boldItalic=name)
        _fonts[path] = name
        return name


# -- text --------------------------------------------------------------------------------------
def _text(value) -> str:
    """Any cell or text value as a string (None: empty)."""
    if value is None:
        return ""
    return _UNPRINTABLE.sub("\ufffd", value if isinstance(value, str) else str(value))


def _ascii_url(url) -> str:
    """``url`` with every non-ASCII character percent-encoded as UTF-8 (an IRI as its URI):
    QR readers guess the byte encoding of non-ASCII content (zbar reads UTF-8 Chinese as
    Shift JIS), while a URI is the same in every reader and every browser opens it."""
    return quote(_text(url), safe="".join(chr(c) for c in range(0x21, 0x7f)))


def _markup(value) -> str:
    """``value`` as ReportLab paragraph markup that shows it literally (line breaks kept)."""
    return escape(_text(value)).replace("\t", "    ").replace("\n", "<br/>")


# -- the document ------------------------------------------------------------------------------
class PdfDocument:
    """A printable document, built in reading order and rendered by :meth:`render`.

    The builder records plain data (what to draw), so a document pickles and can be
    rendered in an offload worker (see the module doc). Every method returns the document,
    so calls may be chained."""

    def __init__(self, title: str, pagesize: str = "A4", landscape: bool = False,
                 author: str = "Fazhi"):
        if pagesize not in PAGESIZES:
            raise ValueError(f"pagesize must be one of {', '.join(PAGESIZES)}: {pagesize!r}")
        self.title = _text(title)
        self.pagesize = pagesize
        self.landscape = bool(landscape)
        self.author = _text(author)
        self.parts: list[tuple] = []

    # The parts, each a tuple (kind, ...) of plain values.
    def heading(self, text: str, level: int = 1) -> "PdfDocument":
        if level not in (1, 2):
            raise ValueError(f"heading level must be 1 or 2: {level!r}")
        self.parts.append(("heading", _text(text), level))
        return self

    def paragraph(self, text: str, size: float | None = None,
                  align: str = "left") -> "PdfDocument":
        if align not in ALIGNS:
            raise ValueError(f"align must be one of {', '.join(ALIGNS)}: {align!r}")
        if size is not None and not 4 <= float(size) <= 72:
            raise ValueError(f"size must be between 4 and 72 points: {size!r}")
        self.parts.append(("paragraph", _text(text), None if size is None else float(size),
                           align))
        return self

    def table(self, rows, header: bool = True,
              col_widths_mm: list[float] | None = None) -> "PdfDocument":
        """``rows``: a list of rows, each a list of cell values (strings, numbers, None);
        the first row is the header (shaded, repeated on every page) when ``header``.
        Columns share the width evenly unless ``col_widths_mm`` says otherwise."""
        rows = [[_text(cell) for cell in row] for row in rows]
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
        if col_widths_mm is not None:
            col_widths_mm = [float(w) for w in col_widths_mm]
            if len(col_widths_mm) != width or any(w <= 0 for w in col_widths_mm):
                raise ValueError(f"col_widths_mm needs {width} positive widths: {col_widths_mm}")
        if rows:
            self.parts.append(("table", rows, bool(header), col_widths_mm))
        return self

    def key_values(self, pairs) -> "PdfDocument":
        """A two-column block of labels and their values (``[("案号", "…"), …]``)."""
        pairs = [(_text(k), _text(v)) for k, v in pairs]
        if pairs:
            self.parts.append(("key_values", pairs))
        return self

    def qr(self, url: str, size_mm: float = 30) -> "PdfDocument":
        """A QR code of ``url`` (error correction level M, with its quiet zone), centred;
        non-ASCII characters of ``url`` are percent-encoded (UTF-8) first."""
        if not 10 <= float(size_mm) <= 150:
            raise ValueError(f"size_mm must be between 10 and 150: {size_mm!r}")
        self.parts.append(("qr", _ascii_url(url), float(size_mm)))
        return self

    def spacer(self, mm: float) -> "PdfDocument":
        self.parts.append(("spacer", max(float(mm), 0.0)))
        return self

    def page_break(self) -> "PdfDocument":
        self.parts.append(("page_break",))
        return self

    def signature_lines(self, labels) -> "PdfDocument":
        """For each label (``"甲方（签字）"``), a line to sign on and a date to fill in."""
        labels = [_text(label) for label in labels]
        if labels:
            self.parts.append(("signatures", labels))
        return self

    def render(self) -> bytes:
        """The PDF. CPU work: from a service, go through ``offload.run(pdf.render, doc)``."""
        return _Renderer(self).render()


def render(document: PdfDocument) -> bytes:
    """``document.render()``, as a module-level function that ``offload.run`` can call in
    a worker process: ``offload.run(pdf.render, doc)``."""
    return document.render()


class _Renderer:
    """Turns a document's parts into ReportLab flowables and lays them out."""

    def __init__(self, document: PdfDocument):
        from reportlab.lib import pagesizes
        from reportlab.lib.units import mm

        self.doc = document
        self.font = font_name()
        size = getattr(pagesizes, document.pagesize)
        self.pagesize = pagesizes.landscape(size) if document.landscape else \
            pagesizes.portrait(size)
        margin_mm, self.body_size = _LAYOUT[document.pagesize]
        self.margin = margin_mm * mm
        self.width = self.pagesize[0] - 2 * self.margin
        self.footer_size = max(self.body_size - 2.5, 6.5)

    def style(self, size: float, align: str = "left", leading: float = 1.45):
        from reportlab.lib.enums import TA_CENTER, TA_LEFT
        from reportlab.lib.styles import ParagraphStyle

        return ParagraphStyle(
            f"fazhi-{size}-{align}", fontName=self.font, fontSize=size,
            leading=size * leading, wordWrap="CJK",
            alignment=TA_CENTER if align == "center" else TA_LEFT)

    def para(self, text: str, size: float | None = None, align: str = "left",
             space_after: float = 0):
        from reportlab.platypus import Paragraph

        style = self.style(size or self.body_size, align)
        style.spaceAfter = space_after
        return Paragraph(_markup(text), style)

    def render(self) -> bytes:
        from reportlab.platypus import SimpleDocTemplate

        out = io.BytesIO()
        template = SimpleDocTemplate(
            out, pagesize=self.pagesize, leftMargin=self.margin, rightMargin=self.margin,
            topMargin=self.margin, bottomMargin=self.margin + self.footer_size * 2,
            title=self.doc.title, author=self.doc.author, creator="Fazhi",
            subject=self.doc.title)
        story = [f for part in self.doc.parts for f in getattr(self, "_" + part[0])(*part[1:])]
        if not story:
            story = [self.para("")]
        template.build(story, canvasmaker=self.canvas_maker())
        return out.getvalue()

    def canvas_maker(self):
        """A canvas class whose pages get the footer ``第 n 页 / 共 m 页`` once the page
        count is known (the pages are kept until ``save``), and whose initial font is ours."""
        from reportlab.pdfgen.canvas import Canvas

        font, size, margin = self.font, self.footer_size, self.margin

        class NumberedCanvas(Canvas):
            def __init__(self, *args, **kwargs):
                # The template passes initialFontName=None: ours replaces it, or ReportLab's
                # default would put an unembedded Helvetica on every page.
                kwargs.update(initialFontName=font, initialFontSize=size)
                super().__init__(*args, **kwargs)
                self._pages = []

            def showPage(self):
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                total = len(self._pages)
                for number, state in enumerate(self._pages, start=1):
                    self.__dict__.update(state)
                    self.setFont(font, size)
                    self.setFillGray(0.35)
                    self.drawCentredString(self._pagesize[0] / 2, margin * 0.6,
                                           f"第 {number} 页 / 共 {total} 页")
                    super().showPage()
                super().save()

        return NumberedCanvas

    # -- one method per part kind: each returns its flowables ------------------------------
    def _heading(self, text, level):
        if level == 1:
            return [self.para(text, self.body_size + 6, "center", space_after=self.body_size)]
        return [self.para(text, self.body_size + 2.5, space_after=self.body_size * 0.5)]

    def _paragraph(self, text, size, align):
        return [self.para(text, size, align, space_after=(size or self.body_size) * 0.6)]

    def table_flowable(self, cells, widths, commands, **kwargs):
        """A ReportLab table of our cells: its own font is ours too (its default,
        Helvetica, would otherwise land in the file unembedded), rows split across pages."""
        from reportlab.platypus import Table, TableStyle

        style = TableStyle([("FONT", (0, 0), (-1, -1), self.font, self.body_size)] + commands)
        return Table(cells, colWidths=widths, style=style, splitInRow=1, hAlign="LEFT",
                     **kwargs)

    def _widths(self, widths_mm, columns):
        from reportlab.lib.units import mm

        if widths_mm is None:
            return [self.width / columns] * columns
        return [w * mm for w in widths_mm]

    def _table(self, rows, header, widths_mm):
        from reportlab.lib import colors

        size = self.body_size - 0.5
        cells = [[self.para(cell, size) for cell in row] for row in rows]
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF7")))
        return [self.table_flowable(cells, self._widths(widths_mm, len(rows[0])), style,
                                    repeatRows=1 if header and len(rows) > 1 else 0,
                                    spaceAfter=size)]

    def _key_values(self, pairs):
        from reportlab.lib import colors

        label_width = min(self.width * 0.3, max(len(k) for k, _ in pairs) * self.body_size
                          + 10)
        cells = [[self.para(k), self.para(v)] for k, v in pairs]
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                 ("LEFTPADDING", (0, 0), (-1, -1), 2)]
        return [self.table_flowable(cells, [label_width, self.width - label_width], style,
                                    spaceAfter=self.body_size)]

    def _qr(self, url, size_mm):
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing
        from reportlab.lib.units import mm

        widget = QrCodeWidget(url, barLevel="M", barBorder=4)   # 4 modules of quiet zone
        x0, y0, x1, y1 = widget.getBounds()
        side = min(size_mm * mm, self.width)
        drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0),
                                                 -x0 * side / (x1 - x0),
                                                 -y0 * side / (y1 - y0)])
        drawing.initialFontName, drawing.initialFontSize = self.font, self.body_size
        drawing.add(widget)
        drawing.hAlign = "CENTER"
        return [drawing]

    def _spacer(self, height_mm):
        from reportlab.lib.units import mm
        from reportlab.platypus import Spacer

        return [Spacer(1, height_mm * mm)]

    def _page_break(self):
        from reportlab.platypus import PageBreak

        return [PageBreak()]

    def _signatures(self, labels):
        size = self.body_size
        date_width = size * 9
        date_label = size * 3 + 14                      # text plus the cells' padding
        label_width = min(self.width * 0.35, (max(len(k) for k in labels) + 1) * size + 14)
        line_width = max(self.width - label_width - date_width - date_label, size * 6)
        rows = [[self.para(label + "："), "", self.para("日期："),
                 self.para("年　　月　　日", align="center")] for label in labels]
        style = [("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                 ("LINEBELOW", (1, 0), (1, -1), 0.6, "black"),
                 ("TOPPADDING", (0, 0), (-1, -1), size * 1.6)]
        return [self.table_flowable(rows, [label_width, line_width, date_label, date_width],
                                    style, spaceBefore=size)]


# -- test helpers --------------------------------------------------------------------------------
def _pdf_reader(pdf: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf))


def pdf_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """The fonts the pages of ``pdf`` use: ``(base font name, embedded)`` pairs, each once,
    in order of first use; embedded when its descriptor (or its descendant's, for a
    composite font) holds a FontFile, FontFile2 or FontFile3."""
    found: dict[str, bool] = {}
    for page in _pdf_reader(pdf).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts.get_object().values() if fonts else ()):
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for child in font.get("/DescendantFonts") or ():
                descriptors.append(child.get_object().get("/FontDescriptor"))
            embedded = any(
                any(key in d.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors if d is not None)
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            found[name] = found.get(name, False) or embedded
    return list(found.items())


def pdf_text(pdf: bytes) -> str:
    """The text of every page of ``pdf``, pages separated by a line feed."""
    return "\n".join(page.extract_text() or "" for page in _pdf_reader(pdf).pages)


def pdf_to_png(pdf: bytes, page: int = 0, dpi: int = 150) -> bytes:
    """Page ``page`` (0-based) of ``pdf`` as a PNG, rendered by poppler's ``pdftoppm``."""
    with tempfile.TemporaryDirectory(prefix="fazhi-pdf-") as folder:
        source = os.path.join(folder, "in.pdf")
        with open(source, "wb") as fh:
            fh.write(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(int(dpi)), "-f", str(page + 1),
                        "-l", str(page + 1), "-singlefile", source,
                        os.path.join(folder, "page")],
                       check=True, capture_output=True, timeout=60)
        with open(os.path.join(folder, "page.png"), "rb") as fh:
            return fh.read()


def decode_qr(png: bytes) -> list[str]:
    """The contents of the QR codes found in ``png`` (``zbarimg``; empty if none)."""
    with tempfile.NamedTemporaryFile(suffix=".png", prefix="fazhi-qr-") as fh:
        fh.write(png)
        fh.flush()
        run = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
                              fh.name], capture_output=True, timeout=60)
    if run.returncode == 4:             # zbarimg: no symbol found
        return []
    if run.returncode != 0:
        raise RuntimeError(f"zbarimg failed ({run.returncode}): {run.stderr.decode()[:300]}")
    return [line for line in run.stdout.decode("utf-8").splitlines() if line]
