"""Every digit of a printed form is of the width the form declares (issue 13): the template's
`digits: full|half`, else the pack's `form_digits`. Dates, 〒, phone, 番地, ages, numbers,
labels and the page number agree on a form of any kind; names are never changed.

Pages are read back with pdftotext; a page's form is named by its footer (「様式：id」) or,
for the 住民異動届, by its title. The guidance slips are not forms and are left out.
"""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from catalog.navigator import navigate
from catalog.pack import default_pack
from catalog.scenario import load_scenario
from lib.text import digits_as
from printing.management.commands.packet import packet_from_scenario
from printing.pdf import render_packet
from printing.templates_loader import SHIPPED, TemplateError, load_templates, parse_template

from . import raster
from .fixtures import family_of_four

SCENARIOS = Path(settings.BASE_DIR).parent / "shared" / "scenarios"
HALF, FULL = set("0123456789"), set("０１２３４５６７８９")
FORM_ID = re.compile(r"様式：\s*([a-z_0-9０-９]+)")
# Not the form's: the packet's page number (「3 / 14」), and codes mixing letters and
# digits (在留カード番号 AB12345678CD), written as they are like their letters.
PAGE_NO = re.compile(r"\d+\s*/\s*\d+\s*$")
CODE = re.compile("[A-Za-zＡ-Ｚａ-ｚ0-9０-９]*[A-Za-zＡ-Ｚａ-ｚ][A-Za-zＡ-Ｚａ-ｚ0-9０-９]*")


def _pages(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()  # fmt: skip
    return out.split("\f")[:-1]


def _form_of(page: str) -> str | None:
    m = FORM_ID.search(page)
    if m:
        return digits_as(m.group(1), "half")
    return "jumin_ido" if "届出年月日" in page else None  # the 住民異動届 and its 続紙


def _declared(form: str, pack_default: str, templates) -> str:
    t = templates.get(form)
    return (t.digits if t is not None else "") or pack_default


def _wrong_width(page: str, width: str, stamp: str) -> list[str]:
    other = HALF if width == "full" else FULL
    lines = [CODE.sub("", PAGE_NO.sub("", ln.replace(stamp, ""))) for ln in page.splitlines()]
    return [ln.strip() for ln in lines if other & set(ln)]


def _check_every_form_page(pdf: bytes, pack_default: str, stamp: str) -> dict[str, str]:
    """{form: width} of every form page, after asserting each page's digits."""
    templates = load_templates()
    seen = {}
    for n, page in enumerate(_pages(pdf), start=1):
        form = _form_of(page)
        if form is None:
            continue
        width = _declared(form, pack_default, templates)
        wrong = _wrong_width(page, width, stamp)  # the corner mark's 受付番号 is the packet's
        assert not wrong, (n, form, width, wrong)
        assert (HALF if width == "half" else FULL) & set(page), (n, form)  # digits were printed
        seen[form] = width
    return seen


@pytest.mark.parametrize("scenario", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_form_of_a_public_scenario_prints_its_digits_in_one_width(scenario):
    pack = default_pack()
    sc = load_scenario(str(scenario), pack)
    data = packet_from_scenario(sc, navigate(pack, sc.case), pack)
    seen = _check_every_form_page(render_packet(data), pack.settings["form_digits"],
                                  data.visit_number)  # fmt: skip
    assert len(seen) >= 2, seen  # the packet has forms, and they were recognised


def _half_templates(tmp_path: Path, *form_ids: str) -> Path:
    """The designer's folder (MADOGUCHI_FORMS_DIR) with these shipped forms declared half."""
    for fid in form_ids:
        text = (SHIPPED / f"{fid}.yaml").read_text(encoding="utf-8")
        (tmp_path / f"{fid}.yaml").write_text(text + "\ndigits: half\n", encoding="utf-8")
    return tmp_path


# One form of each kind in the family's packet: generic, municipal (its blank underneath),
# the dedicated 住民異動届.
HALF_FORMS = ("jidoteate_nintei", "suido_kaishi", "jumin_ido")


def test_a_form_declared_half_width_prints_half_width_and_the_others_stay_full(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("MADOGUCHI_FORMS_DIR", str(_half_templates(tmp_path, *HALF_FORMS)))
    data = family_of_four()
    data.phone = "090-1234-5678"
    seen = _check_every_form_page(render_packet(data), "full", data.visit_number)
    assert {f: seen.get(f) for f in HALF_FORMS} == dict.fromkeys(HALF_FORMS, "half")
    assert "full" in seen.values()
    pages = _pages(render_packet(data))
    idou = next(p for p in pages if "届出年月日" in p)
    assert "090-1234-5678" in idou and "令和8年4月10日" in idou
    kokuho = next(p for p in pages if "様式：jidoteate_nintei" in p)
    assert "北4条東3-12" in kokuho  # the 世帯主's 町字 and 番地 (its ruled layout has no 〒)


def test_the_packs_default_applies_where_a_form_says_nothing(tmp_path, monkeypatch):
    (tmp_path / "jidoteate_nintei.yaml").write_text(
        (SHIPPED / "jidoteate_nintei.yaml").read_text(encoding="utf-8") + "\ndigits: full\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("MADOGUCHI_FORMS_DIR", str(tmp_path))
    data = family_of_four()
    data.digits = "half"
    seen = _check_every_form_page(render_packet(data), "half", data.visit_number)
    assert seen["jidoteate_nintei"] == "full"
    assert seen["jumin_ido"] == "half" and list(seen.values()).count("half") >= 3


def test_names_keep_their_own_characters_on_a_form_of_either_width():
    data = family_of_four()
    data.people[2].name = "MARIA 2 SILVA"  # as the register holds it: not a number to widen
    head = data.household_head_name  # 葛 with its IVS selector
    for width in ("full", "half"):
        data.digits = width
        pages = raster.page_texts(render_packet(data))
        forms = [t for t in pages if "様式：" in t or "届出年月日" in t]
        assert any("MARIA 2 SILVA" in t for t in forms)
        assert not any("MARIA ２ SILVA" in t for t in pages)
        assert any(head in t for t in forms)


def test_a_template_with_an_unknown_digits_value_is_refused_when_read():
    with pytest.raises(TemplateError, match="digits は full（全角）・half（半角）のどちらか"):
        parse_template("x", {"kind": "generic", "digits": "wide"})
    assert parse_template("x", {"kind": "generic", "digits": "half"}).digits == "half"
    assert parse_template("x", {"kind": "generic"}).digits == ""  # the pack's default
