"""窓口のご案内（大きな文字）: an elderly applicant's packet adds a page listing the counters in
the order one walks the building, with the pack's floors and 窓口, in BIZ UDゴシック ≥ 12 pt."""

import io
import subprocess
from datetime import date

from pypdf import PdfReader

from catalog.pack import default_pack
from printing.fonts import FontSet, get_fontset
from printing.large_slip import route_of
from printing.pdf import render_packet

from .fixtures import family_of_four


def _packet(born: date) -> bytes:
    data = family_of_four()
    data.people[0].birth_date = born  # the applicant
    data.route = route_of(default_pack())
    data.large_slip_age = default_pack().settings["large_slip_age"]
    return render_packet(data)


def _page_texts(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()  # fmt: skip
    return out.split("\f")


def test_an_elderly_applicant_gets_the_counters_in_walking_order_with_floors():
    texts = _page_texts(_packet(date(1950, 5, 12)))
    (n,) = [i for i, t in enumerate(texts) if "窓口のご案内" in t]
    assert n == 2  # right after the two pages of the 受付案内票
    page = texts[n]
    lines = [ln.split() for ln in page.splitlines() if "番窓口" in ln]
    order = [(ws[1], ws[-1]) for ws in lines]
    assert order[0] == ("本庁舎1階", "市民課")
    floors = [f for f, _name in order]
    # The pack's route: 本庁舎 1階 → 2階 …, then 第2庁舎; never back down a floor.
    route = ["本庁舎1階", "本庁舎2階", "本庁舎3階", "第2庁舎1階", "第2庁舎3階", "第2庁舎4階"]
    assert floors == sorted(floors, key=route.index)
    assert "本庁舎2階" in floors and "本庁舎3階" in floors
    assert [ws[0] for ws in lines] == [str(i) for i in range(1, len(lines) + 1)]
    assert "1〜3番窓口" in page and "21番窓口" in page


def test_its_text_is_biz_ud_gothic_at_12_pt_or_more():
    pdf = _packet(date(1950, 5, 12))
    texts = _page_texts(pdf)
    n = next(i for i, t in enumerate(texts) if "窓口のご案内" in t)
    seen: list[tuple[str, float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip() and font is not None:
            seen.append((str(font["/BaseFont"]), size * tm[0], text))

    PdfReader(io.BytesIO(pdf)).pages[n].extract_text(visitor_text=visit)
    body = [s for s in seen if s[0].endswith("BIZUDGothic")]
    assert sum(len(t) for _f, _s, t in body) > 150
    assert min(size for _f, size, _t in body) >= 12
    # Only the corner mark, the page number and a name's characters BIZ UD lacks (an IVS,
    # drawn with IPAmj明朝) are in another face.
    others = "".join(t for f, _s, t in seen if not f.endswith("BIZUDGothic"))
    names = "".join(p.name for p in family_of_four().people)
    assert set(others) <= set("受付番号0123456789 /") | set(names)


def test_a_younger_applicant_gets_no_large_print_page():
    assert not any("窓口のご案内" in t for t in _page_texts(_packet(date(1988, 5, 12))))


def test_without_biz_ud_the_slip_falls_back_to_ipaex_gothic():
    fs = get_fontset()
    faces = {k: v for k, v in fs.faces.items() if k != "ud"}
    assert FontSet(faces).ud is fs.gothic
