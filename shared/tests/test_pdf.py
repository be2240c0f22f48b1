"""The shared PDF renderer (``fazhi_shared.service.pdf``): embedded CJK font, literal user
text, wrapping, QR codes that scan, page numbers, page sizes, rendering off the loop.

Needs the Debian packages fonts-wqy-zenhei, poppler-utils (pdftoppm) and zbar-tools
(zbarimg); .ci/run installs them.
"""
from __future__ import annotations

import io
import pickle
import re
import time

import pytest
from PIL import Image
from pypdf import PdfReader

from fazhi_shared.service import offload, pdf
from fazhi_shared.service.pdf import (PdfDocument, PdfFontMissing, decode_qr, pdf_fonts,
                                      pdf_text, pdf_to_png)

# The 14 standard PDF fonts and ReportLab's built-in (never embedded) CID fonts.
STANDARD_FONTS = {"Courier", "Helvetica", "Times-Roman", "Symbol", "ZapfDingbats"}
CID_FONTS = {"STSong-Light", "MSung-Light", "HeiseiMin-W3", "HeiseiKakuGo-W5",
             "HYSMyeongJo-Medium"}
URL = "https://fazhi.example/v/2026-0042?token=Ab3_x-9&lang=zh-CN&return=%2Fhome"
HOSTILE = '<b>张三</b> & <font size="40">李四</font> <br/> &amp; <para a < b <unclosed'


def squeeze(text: str) -> str:
    """Text without white space: extraction breaks lines where the layout wrapped."""
    return re.sub(r"\s+", "", text)


def pages(content: bytes) -> list:
    return PdfReader(io.BytesIO(content)).pages


def notice() -> PdfDocument:
    doc = PdfDocument("阳光花园业主大会会议通知", author="阳光花园业主委员会")
    doc.heading("阳光花园业主大会会议通知")
    doc.heading("一、会议事项", level=2)
    doc.paragraph("定于2026年12月12日上午九时在小区会所召开业主大会，审议选举业主委员会事项。")
    doc.key_values([("会议地点", "小区会所二楼"), ("召集人", "业主委员会")])
    doc.table([["议题", "表决方式", "通过标准"], ["选举业主委员会", "书面表决", "双过半"]],
              col_widths_mm=[80, 40, 40])
    doc.qr(URL)
    doc.spacer(5)
    doc.signature_lines(["业主委员会主任", "街道办事处"])
    return doc


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return notice().render()


def test_the_font_is_an_embedded_truetype_cjk_font_and_the_only_one(rendered):
    fonts = pdf_fonts(rendered)
    assert fonts, "no font found"
    for name, embedded in fonts:
        assert embedded, f"{name} is not embedded"
        assert "WenQuanYiZenHei" in name, name
        base = name.split("+", 1)[-1]
        assert base not in STANDARD_FONTS | CID_FONTS, name


def test_pdf_fonts_reports_an_unembedded_font():
    """The helper can fail: a ReportLab canvas left to its defaults uses Helvetica and a
    CID font, neither embedded."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "plain")
    canvas.setFont("STSong-Light", 12)
    canvas.drawString(72, 700, "中文")
    canvas.save()
    fonts = dict(pdf_fonts(out.getvalue()))
    assert fonts["Helvetica"] is False
    assert any(name.startswith("STSong-Light") and not embedded
               for name, embedded in fonts.items())


def test_the_chinese_text_is_extracted(rendered):
    text = squeeze(pdf_text(rendered))
    for expected in ("阳光花园业主大会会议通知", "一、会议事项", "小区会所召开业主大会",
                     "会议地点", "小区会所二楼", "选举业主委员会", "双过半",
                     "业主委员会主任：", "街道办事处：", "日期：", "第1页/共1页"):
        assert expected in text, expected


def test_the_metadata_names_title_and_author(rendered):
    meta = PdfReader(io.BytesIO(rendered)).metadata
    assert meta.title == "阳光花园业主大会会议通知"
    assert meta.author == "阳光花园业主委员会"


def test_a_rendered_page_is_not_blank(rendered):
    image = Image.open(io.BytesIO(pdf_to_png(rendered, dpi=100))).convert("L")
    width, height = image.size                              # A4 at 100 dpi
    assert width == 827 and abs(height - 1169) <= 1
    dark = sum(1 for v in image.getdata() if v < 128)
    assert dark > 0.01 * image.size[0] * image.size[1], dark


def test_an_empty_document_renders_one_blank_numbered_page():
    content = PdfDocument("空").render()
    assert len(pages(content)) == 1 and squeeze(pdf_text(content)) == "第1页/共1页"


def test_the_qr_code_decodes_to_the_exact_url(rendered):
    assert decode_qr(pdf_to_png(rendered)) == [URL]


@pytest.mark.parametrize("pagesize, size_mm", [("A6", 20), ("A5", 25)])
def test_small_qr_codes_on_small_pages_decode(pagesize, size_mm):
    content = PdfDocument("名片", pagesize=pagesize).paragraph("扫码查看").qr(URL, size_mm) \
        .render()
    assert decode_qr(pdf_to_png(content, dpi=200)) == [URL]


def test_a_url_with_chinese_is_encoded_as_its_uri():
    content = PdfDocument("x").qr("https://fazhi.example/小区?name=阳光花园").render()
    assert decode_qr(pdf_to_png(content)) == [
        "https://fazhi.example/%E5%B0%8F%E5%8C%BA?name=%E9%98%B3%E5%85%89%E8%8A%B1%E5%9B%AD"]


def test_decode_qr_finds_nothing_on_a_page_without_one(rendered):
    content = PdfDocument("x").paragraph("没有二维码").render()
    assert decode_qr(pdf_to_png(content)) == []


def test_markup_characters_in_user_text_are_shown_literally():
    doc = PdfDocument(HOSTILE)
    doc.heading(HOSTILE).paragraph(HOSTILE).paragraph(HOSTILE, size=14, align="center")
    doc.table([["姓名"], [HOSTILE]]).key_values([(HOSTILE, HOSTILE)])
    doc.signature_lines([HOSTILE])
    content = doc.render()
    text = squeeze(pdf_text(content))
    assert text.count(squeeze(HOSTILE)) == 7, text
    assert PdfReader(io.BytesIO(content)).metadata.title == HOSTILE
    # <font size="40"> did not take effect: no text drawn in 40 points anywhere.
    assert not re.search(rb"/F\S+ 40 Tf", _uncompressed(content))


def _uncompressed(content: bytes) -> bytes:
    return b"".join(page.get_contents().get_data() for page in pages(content))


def test_control_characters_never_break_a_document():
    content = PdfDocument("a\x00b").paragraph("前\x00\x07\x1b后\ud800").table(
        [["\x0c", None, 3, 4.5]]).render()
    text = pdf_text(content)
    assert "前" in text and "后" in text and "4.5" in text


def test_long_text_wraps_within_the_page():
    sentence = "业主大会依法作出的决定对业主具有法律约束力" * 40          # no space to break at
    token = "x" * 400                                               # nor here
    content = PdfDocument("长文").paragraph(sentence).paragraph(token).render()
    image = Image.open(io.BytesIO(pdf_to_png(content, dpi=50))).convert("L")
    # The margins (20 mm ≈ 39 px at 50 dpi) stay white: nothing ran off the right edge.
    width, height = image.size
    right_margin = image.crop((width - 30, 0, width, height))
    assert right_margin.getextrema()[0] > 200
    assert squeeze(sentence) in squeeze(pdf_text(content))


def test_a_cell_taller_than_a_page_is_split_across_pages():
    huge = "第三人陈述意见如下。" * 900
    content = PdfDocument("卷宗").table([["甲方"], [huge]], header=False).render()
    assert len(pages(content)) > 1
    # Nothing lost at the page breaks (the footers aside).
    body = re.sub(r"第\d+页/共\d+页", "", squeeze(pdf_text(content)))
    assert body == "甲方" + squeeze(huge)


def test_a_thirty_page_document_renders_with_page_numbers():
    doc = PdfDocument("案卷")
    for n in range(1, 31):
        doc.heading(f"第{n}部分", level=2)
        doc.paragraph("调解记录：双方就物业服务费争议达成一致意见。" * 20)
        if n < 30:
            doc.page_break()
    started = time.perf_counter()
    content = doc.render()
    took = time.perf_counter() - started
    assert len(pages(content)) == 30
    last = squeeze(pages(content)[29].extract_text())
    assert "第30部分" in last and "第30页/共30页" in last
    assert "第1页/共30页" in squeeze(pages(content)[0].extract_text())
    assert took < 10, f"30 pages took {took:.1f} s"


def test_a_long_table_repeats_its_header_on_every_page():
    rows = [["楼栋", "房号", "业主"]] + [[f"{n // 40 + 1}幢", f"{n:04d}", "张**"]
                                          for n in range(400)]
    content = PdfDocument("名册").table(rows).render()
    count = len(pages(content))
    assert count > 3
    for page in pages(content):
        assert squeeze(page.extract_text()).startswith("楼栋房号业主")


@pytest.mark.parametrize("pagesize, landscape, mm", [
    ("A4", False, (210, 297)), ("A4", True, (297, 210)), ("A5", False, (148, 210)),
    ("A5", True, (210, 148)), ("A6", False, (105, 148)), ("A6", True, (148, 105)),
])
def test_page_sizes(pagesize, landscape, mm):
    content = PdfDocument("x", pagesize=pagesize, landscape=landscape) \
        .heading("标题").paragraph("正文").signature_lines(["签名"]).render()
    box = pages(content)[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == mm


@pytest.mark.parametrize("make", [
    lambda: PdfDocument("x", pagesize="Letter"),
    lambda: PdfDocument("x").heading("a", level=3),
    lambda: PdfDocument("x").paragraph("a", align="justify"),
    lambda: PdfDocument("x").paragraph("a", size=200),
    lambda: PdfDocument("x").table([["a", "b"]], col_widths_mm=[10]),
    lambda: PdfDocument("x").table([["a", "b"]], col_widths_mm=[10, 0]),
    lambda: PdfDocument("x").qr(URL, size_mm=2),
])
def test_wrong_arguments_are_refused_when_building(make):
    with pytest.raises(ValueError):
        make()


def test_a_missing_font_names_the_setting_and_the_package(monkeypatch):
    monkeypatch.setenv("FAZHI_PDF_FONT", "/nonexistent/wqy-zenhei.ttc")
    with pytest.raises(PdfFontMissing) as missing:
        PdfDocument("x").paragraph("中文").render()
    message = str(missing.value)
    assert "FAZHI_PDF_FONT" in message and "fonts-wqy-zenhei" in message
    assert "/nonexistent/wqy-zenhei.ttc" in message


def test_a_font_that_is_not_truetype_is_refused_clearly(monkeypatch, tmp_path):
    fake = tmp_path / "font.otf"
    fake.write_bytes(b"OTTO" + b"\0" * 200)            # a CFF OpenType header, no tables
    monkeypatch.setenv("FAZHI_PDF_FONT", str(fake))
    with pytest.raises(PdfFontMissing, match="FAZHI_PDF_FONT"):
        PdfDocument("x").render()


def test_a_document_pickles_and_renders_in_an_offload_worker():
    doc = notice()
    assert pickle.loads(pickle.dumps(doc)).parts == doc.parts
    pool = offload.Pool(size=1, task_seconds=60)
    try:
        content = pool.run(pdf.render, doc)
    finally:
        pool.close()
    assert pool.started == 1
    assert content.startswith(b"%PDF-")
    assert "阳光花园业主大会会议通知" in pdf_text(content)
    assert decode_qr(pdf_to_png(content)) == [URL]
