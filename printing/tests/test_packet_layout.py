"""The packet's pages: what comes first, what goes on one sheet, what is left blank."""

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import segno

from printing.data import IDOU_PROCEDURES
from printing.layouts.generic import form_title
from printing.pdf import page_count, render_packet
from printing.templates_loader import load_templates
from printing.wording import department_rank

from . import raster
from .fixtures import family_of_four, family_people, many_movers

DEPARTMENT_IDS = {
    "市民課": "shimin", "保険年金課": "hoken_nenkin", "介護保険課": "kaigo",
    "子育て支援課": "kodomo", "教育委員会 学務課": "kyoiku", "上下水道課": "suido",
    "生活環境課": "dobutsu",
}  # fmt: skip


def _idou_pages(texts: list[str]) -> list[int]:
    # 「届出年月日」 is printed only on the 住民異動届 and its 続紙.
    return [n for n, t in enumerate(texts) if "届出年月日" in t]


def _form_departments(texts: list[str]) -> list[str]:
    out = []
    for t in texts:
        for line in t.splitlines():
            if line.startswith("提出先："):
                out.append(line.removeprefix("提出先：").split("（")[0])
    return out


def test_the_guidance_slip_comes_first_then_the_idou_todoke_then_the_forms(family_pdf):
    texts = raster.page_texts(family_pdf)
    assert "受付案内票" in texts[0]
    idou = _idou_pages(texts)
    assert idou == [2]  # the slip takes two pages for fourteen procedures
    assert all("提出先：" in t for t in texts[idou[-1] + 1 :])
    assert not any("提出先：" in t for t in texts[: idou[0]])


def test_the_forms_are_grouped_by_department_in_the_catalog_order(family_pdf):
    depts = _form_departments(raster.page_texts(family_pdf))
    ranks = [department_rank(DEPARTMENT_IDS[d]) for d in depts]
    assert ranks == sorted(ranks)
    assert depts == ["市民課"] * 2 + ["保険年金課", "介護保険課"] + ["子育て支援課"] * 4 + [
        "教育委員会 学務課", "上下水道課", "生活環境課",
    ]  # fmt: skip


def test_every_applicable_form_gets_one_page_and_nothing_else_does(family_pdf):
    data = family_of_four()
    templates = load_templates()
    expected = [
        form_title(p, templates.get(p.form))  # the form's own name, not the slip's wording
        for p in data.procedures
        if p.kind == "form" and p.status == "applies" and p.id not in IDOU_PROCEDURES
    ]
    texts = raster.page_texts(family_pdf)
    forms = texts[_idou_pages(texts)[-1] + 1 :]
    assert len(forms) == len(expected) == 11
    for title in expected:
        assert sum(title in t for t in forms) == expected.count(title), title
    # The 要確認 障害者手帳 procedure is listed on the slip, not printed as a form.
    assert not any("障害者手帳 居住地変更届" in t for t in forms)
    assert page_count(family_pdf) == len(texts) == 14


def test_the_slip_lists_every_procedure_with_needs_check_marked(family_pdf):
    texts = raster.page_texts(family_pdf)
    slip = "\n".join(texts[: _idou_pages(texts)[0]])
    for proc in family_of_four().procedures:
        assert proc.title[:8] in slip, proc.id  # long titles wrap inside their cell
    assert "要確認" in slip and "障害者手帳（身体・療育・精神）をお持ちですか" in slip
    assert "市民課" in slip and "窓口：本庁舎1階 1番窓口" in slip
    assert "ごみ分別・収集日の案内" in slip and "案内" in slip


def test_one_idou_todoke_holds_every_mover(family_pdf):
    texts = raster.page_texts(family_pdf)
    (page,) = _idou_pages(texts)
    for person in family_people():
        assert texts[page].count(person.name) >= 1, person.key


def test_movers_beyond_one_sheet_go_on_a_continuation_sheet(crowd_pdf):
    texts = raster.page_texts(crowd_pdf)
    pages = _idou_pages(texts)
    assert len(pages) == 2
    assert "住民異動届（続紙）" not in texts[pages[0]]
    assert "住民異動届（続紙）" in texts[pages[1]] and "２枚目／全２枚" in texts[pages[1]]
    idou_text = "\n".join(texts[n] for n in pages)
    for person in many_movers(12).people:
        # Each mover once in the rows (the head is also printed as 世帯主 and 届出人).
        assert idou_text.count(person.name) >= 1, person.key
    assert sum(idou_text.count(p.name) for p in many_movers(12).people[1:]) == 11


def _blank_right_of(pdf: bytes, page: int, label: str, height_mm: float) -> int:
    """Inked pixels inside the box right of a label cell (the label is centred in its row)."""
    words = raster.page_words(pdf, page)
    word = raster.find_word(words, label)
    img = raster.page_image(pdf, page)
    px = raster.DPI / 25.4
    pt = raster.DPI / 72
    mid = (word.y0 + word.y1) / 2 * pt
    # The box runs from the label cell's right edge (15 + 24 mm) to the right margin.
    box = (
        round(40.5 * px),
        round(mid - (height_mm / 2 - 1) * px),
        round(194 * px),
        round(mid + (height_mm / 2 - 1) * px),
    )
    return raster.ink(img.crop(box).point(lambda v: 255 if v < 128 else 0).convert("1"))


def test_the_signature_box_is_the_one_blank_on_the_idou_todoke(family_pdf):
    texts = raster.page_texts(family_pdf)
    (page,) = _idou_pages(texts)
    assert "届出人署名" in texts[page]
    assert _blank_right_of(family_pdf, page + 1, "届出人署名", 16) == 0


def test_every_form_has_an_empty_signature_box(family_pdf):
    texts = raster.page_texts(family_pdf)
    first_form = _idou_pages(texts)[-1] + 1
    for n in range(first_form, len(texts)):
        # 申請書 say 申請者署名, 届 say 届出人署名, the municipal 水道 form 使用者署名.
        assert any(f"{who}署名" in texts[n] for who in ("申請者", "届出人", "請求者", "使用者")), n
    assert _blank_right_of(family_pdf, first_form + 1, "届出人署名", 20) == 0


def test_the_same_data_gives_the_same_bytes(family_pdf):
    again = render_packet(family_of_four())
    assert again == family_pdf


def test_a_reprint_in_another_process_gives_the_same_bytes(family_pdf):
    # Another worker, another hash seed: nothing may depend on set order, time or chance.
    code = (
        "import hashlib, sys; from printing.tests.fixtures import family_of_four;"
        "from printing.pdf import render_packet;"
        "sys.stdout.write(hashlib.sha256(render_packet(family_of_four())).hexdigest())"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONHASHSEED": "7"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == hashlib.sha256(family_pdf).hexdigest()


def test_a_foreign_resident_is_printed_in_seireki_with_residence_data(foreign_pdf):
    texts = raster.page_texts(foreign_pdf)
    (page,) = _idou_pages(texts)
    idou = texts[page]
    assert "NGUYEN VAN AN" in idou and "TRAN THI BICH" in idou
    assert "１９９３年４月４日" in idou and "１９９５年９月９日" in idou
    assert "平成５年" not in idou and "平成７年" not in idou
    assert "ベトナム" in idou and "技術・人文知識・国際業務" in idou and "家族滞在" in idou
    assert "２０２９年３月３１日" in idou and "AB12345678CD" in idou
    assert "12 Nguyen Hue, District 1, Ho Chi Minh City" in idou  # 旧住所 abroad
    form = "\n".join(texts[page + 1 :])
    assert "１９９３年４月４日" in form  # the 国保 form's 対象者
    assert "令和８年１０月１日" in form  # the 申請日 stays in 和暦: it is the city's date


def test_every_page_carries_the_visit_number_and_its_qr_code(family_pdf):
    matrix = segno.make_qr("0123", error="m").matrix
    n = len(matrix)
    texts = raster.page_texts(family_pdf)
    for page in range(1, len(texts) + 1):
        assert "0123" in texts[page - 1]
        dpi = 100  # a module is 0.5 mm: two pixels, enough to read its centre
        img = raster.page_image(family_pdf, page, dpi)
        px = dpi / 25.4
        side = 13.0 / n  # the mark is 13 mm square at (182 mm, 5 mm)
        wrong = 0
        for r, row in enumerate(matrix):
            for c, dark in enumerate(row):
                x = (182.0 + (c + 0.5) * side) * px
                y = (5.0 + (r + 0.5) * side) * px
                wrong += (img.getpixel((round(x), round(y))) < 128) != bool(dark)
        assert wrong == 0, f"page {page}: {wrong} QR modules wrong"


def test_page_count_reads_any_pdf_and_refuses_what_is_not_one(foreign_pdf):
    from pypdf import PdfWriter

    out = io.BytesIO()
    w = PdfWriter()
    for _ in range(3):
        w.add_blank_page(595, 842)
    w.write(out)
    assert page_count(out.getvalue()) == 3  # not only the renderer's own page tree
    assert page_count(foreign_pdf) >= 2
    with pytest.raises(ValueError):
        page_count(b"not a pdf")
