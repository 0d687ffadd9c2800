"""Blank municipal forms, drawn by this code rather than shipped as PDFs of unknown origin.

A municipal template names one with `generate: <name>`; the blank is made on first use
(once per process) and the template's field map is drawn over it, exactly as over a PDF
a municipality uploads. `acroform_blank` adds AcroForm text fields to a blank, as many
municipal PDFs have, for the AcroForm mapping and its test.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from functools import cache

from .fonts import get_fontset
from .sheet import CONTENT_W, MARGIN, RULE, SHADE, THIN, Sheet

LABEL_X, VALUE_X = MARGIN, 52.0


def _sheet(title: str) -> Sheet:
    pdf = Sheet(get_fontset(), stamp="blank", issued_on=date(2026, 1, 1), title=title,
                author="Madoguchi")  # fmt: skip
    pdf.add_page()
    return pdf


def _rows(pdf: Sheet, top: float, rows: list[tuple[str, float]]) -> float:
    y = top
    for label, h in rows:
        pdf.label_cell(LABEL_X, y, VALUE_X - LABEL_X, h, label, 9)
        pdf.frame(VALUE_X, y, MARGIN + CONTENT_W - VALUE_X, h, width=THIN)
        y += h
    pdf.frame(MARGIN, top, CONTENT_W, y - top, width=RULE * 1.8)
    return y


# 水道使用開始届: the rows' tops are what catalogs/default/forms/suido_kaishi.yaml places on.
SUIDO_ROWS = [("届出日", 12.0), ("使用開始日", 12.0), ("使用場所", 14.0), ("フリガナ", 7.0),
              ("使用者氏名", 12.0), ("電話番号", 12.0), ("前住所", 14.0), ("世帯人数", 12.0)]  # fmt: skip


def suido_kaishi() -> bytes:
    pdf = _sheet("水道使用開始届")
    pdf.line_text(MARGIN, 22, "水道使用開始届", 20, face=pdf.gothic, w=CONTENT_W, align="C")
    pdf.line_text(MARGIN, 36, "（あて先）上下水道事業管理者", 10.5)
    pdf.line_text(MARGIN, 42, "下記のとおり水道の使用を開始しますので届け出ます。", 10.5)
    y = _rows(pdf, 50, SUIDO_ROWS)
    pdf.line_text(MARGIN, y + 3, "使用者署名", 10.5, face=pdf.gothic)
    pdf.frame(VALUE_X, y + 2, MARGIN + CONTENT_W - VALUE_X, 20, width=RULE * 1.8)
    pdf.frame(MARGIN, 240, CONTENT_W, 26, fill=SHADE, width=THIN)
    pdf.line_text(MARGIN + 2, 241, "上下水道課処理欄（お客様番号・メーター番号・開栓日）", 8.5)
    return bytes(pdf.output())


# A form whose text boxes are AcroForm fields (name, rectangle in mm from the top-left).
ACRO_FIELDS = [("shimei", 52.0, 60.0, 143.0, 12.0), ("furigana", 52.0, 52.0, 143.0, 8.0),
               ("jusho", 52.0, 72.0, 143.0, 14.0), ("seinengappi", 52.0, 86.0, 70.0, 12.0),
               ("shomei", 52.0, 110.0, 143.0, 20.0)]  # fmt: skip


def acroform_sample() -> bytes:
    pdf = _sheet("届出書（AcroForm）")
    pdf.line_text(MARGIN, 22, "各種届出書", 20, face=pdf.gothic, w=CONTENT_W, align="C")
    for label, _x, y, _w, h in [(n, *r) for n, *r in ACRO_FIELDS]:
        names = {"shimei": "氏名", "furigana": "フリガナ", "jusho": "住所",
                 "seinengappi": "生年月日", "shomei": "署名"}  # fmt: skip
        pdf.label_cell(LABEL_X, y, VALUE_X - LABEL_X, h, names[label], 9)
    return acroform_blank(bytes(pdf.output()), ACRO_FIELDS)


def acroform_blank(pdf_bytes: bytes, fields: list[tuple[str, float, float, float, float]]) -> bytes:
    """The PDF with a text field (Helvetica, as such forms usually have) per (name, x, y, w, h)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,  # fmt: skip
        TextStringObject,
    )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    page = writer.pages[0]
    height = float(page.mediabox.height)
    k = 72 / 25.4
    annots = ArrayObject()
    for name, x, y, w, h in fields:
        widget = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject(name),
            NameObject("/Rect"): ArrayObject([FloatObject(x * k), FloatObject(height - (y + h) * k),
                                              FloatObject((x + w) * k), FloatObject(height - y * k)]),
            NameObject("/F"): NumberObject(4),
            NameObject("/DA"): TextStringObject("/Helv 10 Tf 0 g"),
            NameObject("/P"): page.indirect_reference,
        })  # fmt: skip
        annots.append(writer._add_object(widget))
    page[NameObject("/Annots")] = annots
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(list(annots)),
            NameObject("/DA"): TextStringObject("/Helv 10 Tf 0 g"),
        }  # fmt: skip
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# A city-style blank as residents fill them by hand: 元号 to circle, 年・月・日 boxes, one box
# per digit for 〒 and 電話, 男・女 to circle. Positions in mm from the top-left; the same on
# an A3 or B4 sheet (the rows sit at the top-left, the rest of the page stays empty).
CITY_ERAS = {"明": (58.0, 90.0), "大": (65.0, 90.0), "昭": (72.0, 90.0), "平": (79.0, 90.0),
             "令": (86.0, 90.0)}  # fmt: skip
CITY_BIRTH_PARTS = {"year": (92.0, 86.0, 11.0, 8.0), "month": (109.0, 86.0, 9.0, 8.0),
                    "day": (124.0, 86.0, 9.0, 8.0)}  # fmt: skip
CITY_ISSUED_PARTS = {"year": (66.0, 52.0, 11.0, 8.0), "month": (83.0, 52.0, 9.0, 8.0),
                     "day": (98.0, 52.0, 9.0, 8.0)}  # fmt: skip
CITY_SEX = {"1": (60.0, 101.0), "2": (72.0, 101.0)}  # 男, 女
CITY_ZIP = {"x": 60.0, "y": 108.0, "w": 6.0, "h": 8.0, "pitch": 6.0, "count": 7,
            "groups": [3, 4], "gap": 4.0}  # fmt: skip
CITY_PHONE = {"x": 56.0, "y": 136.0, "w": 5.5, "h": 8.0, "pitch": 5.5, "count": 11,
              "groups": [3, 4, 4], "gap": 4.0}  # fmt: skip
CITY_ROWS = [("届出日", 12.0), ("フリガナ", 8.0), ("氏名", 14.0), ("生年月日", 12.0),
             ("性別", 10.0), ("郵便番号", 12.0), ("住所", 16.0), ("電話番号", 12.0)]  # fmt: skip


def city_style(size: tuple[float, float] | None = None) -> bytes:
    """各種届出書 as a city prints it for handwriting, on A4 or the `size` (mm) given."""
    pdf = Sheet(get_fontset(), stamp="blank", issued_on=date(2026, 1, 1), title="各種届出書",
                author="Madoguchi")  # fmt: skip
    pdf.add_page(format=size) if size else pdf.add_page()
    pdf.line_text(MARGIN, 22, "各種届出書（市の様式）", 20, face=pdf.gothic, w=CONTENT_W, align="C")
    pdf.line_text(MARGIN, 36, "（あて先）市長", 10.5)
    _rows(pdf, 50, CITY_ROWS)

    def boxes(parts: dict, labels: dict) -> None:
        for part, (x, y, w, h) in parts.items():
            pdf.frame(x, y, w, h, width=THIN)
            pdf.line_text(x + w + 0.8, y, labels[part], 10.5, h=h)

    pdf.line_text(55, 52, "令和", 10.5, h=8)
    boxes(CITY_ISSUED_PARTS, {"year": "年", "month": "月", "day": "日"})
    for era, (cx, cy) in CITY_ERAS.items():
        pdf.line_text(cx - 3, cy - 2.5, era, 10.5, w=6, h=5, align="C")
        if era != "令":
            pdf.line_text(cx + 2.3, cy - 2.5, "・", 10.5, w=2.4, h=5, align="C")
    boxes(CITY_BIRTH_PARTS, {"year": "年", "month": "月", "day": "日"})
    for label, (cx, cy) in zip(("男", "女"), CITY_SEX.values(), strict=True):
        pdf.line_text(cx - 3, cy - 2.5, label, 10.5, w=6, h=5, align="C")
    pdf.line_text(64, 98.5, "・", 10.5, w=4, h=5, align="C")
    pdf.line_text(54, 108, "〒", 10.5, h=8)
    for spec in (CITY_ZIP, CITY_PHONE):
        n, x = 0, spec["x"]
        for g, count in enumerate(spec["groups"]):
            for _ in range(count):
                pdf.frame(x, spec["y"], spec["w"], spec["h"], width=THIN)
                x += spec["pitch"]
                n += 1
            if g < len(spec["groups"]) - 1:
                pdf.line_text(x, spec["y"], "－", 9, w=spec["gap"], h=spec["h"], align="C")
                x += spec["gap"]
    pdf.line_text(MARGIN, 152, "届出人署名", 10.5, face=pdf.gothic)
    pdf.frame(VALUE_X, 150, MARGIN + CONTENT_W - VALUE_X, 20, width=RULE * 1.8)
    return bytes(pdf.output())


BLANKS: dict[str, Callable[[], bytes]] = {
    "suido_kaishi": suido_kaishi,
    "acroform_sample": acroform_sample,
    "city_style": city_style,
}


@cache
def blank(name: str) -> bytes:
    try:
        return BLANKS[name]()
    except KeyError:
        raise ValueError(f"白紙の様式「{name}」はありません（{'、'.join(BLANKS)}）") from None
