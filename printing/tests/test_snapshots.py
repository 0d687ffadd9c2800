"""Every form template printed for the demo household, compared with its stored picture.

The pictures are 50 dpi grayscale PNGs in snapshots/; a page may differ from its picture
by anti-aliasing, not by a moved box or a missing value. After an intended change of a
layout, or for a new template, write them with
`MADOGUCHI_UPDATE_SNAPSHOTS=1 pytest printing/tests/test_snapshots.py` and look at the pictures
before committing them. Without that variable a missing picture fails the test.
"""

import io
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from printing.data import Fill
from printing.fonts import get_fontset
from printing.layouts.generic import draw as draw_generic
from printing.layouts.idou import draw_idou
from printing.layouts.municipal import draw_municipal, underlay
from printing.layouts.slip_only import draw as draw_slip_only
from printing.sheet import Sheet
from printing.templates_loader import load_templates

from . import raster
from .fixtures import family_of_four, proc

SNAPSHOTS = Path(__file__).parent / "snapshots"
FORMS = Path(__file__).resolve().parents[2] / "catalogs" / "default" / "forms"
DPI = 50
UPDATE = os.environ.get("MADOGUCHI_UPDATE_SNAPSHOTS") == "1"
HOUSEHOLD_FORMS = {"suido_kaishi", "suido_chushi", "konin_todoke", "rikon_todoke", "shugaku_enjo",
                   "yoshi_todoke", "gakudo"}  # fmt: skip
SHIMIN = ("shimin", "市民課", "本庁舎1階 1番窓口")


def _all_forms() -> tuple[bytes, list[str]]:
    """One document: the 住民異動届, then each template with the family, in id order."""
    data = family_of_four()
    templates = load_templates(FORMS)
    pdf = Sheet(get_fontset(), stamp=data.visit_number, issued_on=data.issued_on, title="snapshots",
                author=data.municipality)  # fmt: skip
    names = []
    for form_id, t in sorted(templates.items()):
        person = None if form_id in HOUSEHOLD_FORMS else "grandma"
        p = proc(form_id, person, SHIMIN, "form", t.title, reason="見本の理由", form=form_id)
        start = pdf.page
        if t.kind == "dedicated":
            draw_idou(pdf, data)
        elif t.kind == "municipal":
            draw_municipal(pdf, data, p, t, Fill(form_id, form_id, ""))
        elif t.kind == "slip_only":  # the preview's guidance page (the packet prints none)
            draw_slip_only(pdf, data, p, t, Fill(form_id, form_id, ""))
        else:
            draw_generic(pdf, data, p, t, Fill(form_id, form_id, ""))
        names += [form_id if i == 0 else f"{form_id}-{i + 1}" for i in range(pdf.page - start)]
    out = bytes(pdf.output())
    return underlay(out, pdf.backgrounds), names


@pytest.fixture(scope="module")
def pages():
    pdf, names = _all_forms()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "forms.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(path), str(Path(tmp) / "p")],
                       check=True)  # fmt: skip
        images = [
            Image.open(io.BytesIO(f.read_bytes())).convert("L")
            for f in sorted(Path(tmp).glob("p-*.png"))
        ]
    return pdf, dict(zip(names, images, strict=True))


def _save_small(img: Image.Image, path: Path) -> None:
    """16 grays in 4 bits: about half the bytes of 8-bit gray, and no difference that counts."""
    q = img.point(lambda v: (v // 17) * 17).quantize(16, dither=Image.Dither.NONE)
    q.save(path, optimize=True, bits=4)


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Share of pixels whose gray differs by more than a quarter (anti-aliasing differs less)."""
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > 64 else 0)
    return diff.histogram()[255] / (a.size[0] * a.size[1])


def _compare(images: dict, folder: Path, update: bool) -> tuple[list[str], list[str]]:
    """The pages without a stored picture, and the pages that differ from theirs."""
    failures, missing = [], []
    for name, img in images.items():
        path = folder / f"{name}.png"
        if update:
            _save_small(img, path)
            continue
        if not path.exists():
            # A page without its picture is checked against nothing: CI must not pass it silently.
            missing.append(name)
            continue
        d = _difference(img, Image.open(path).convert("L"))
        if d > 0.002:
            failures.append(f"{name}: {d:.2%} of the page differs")
    return missing, failures


def test_every_template_prints_like_its_stored_picture(pages):
    _pdf, images = pages
    SNAPSHOTS.mkdir(exist_ok=True)
    missing, failures = _compare(images, SNAPSHOTS, UPDATE)
    assert not missing, (
        f"no stored picture for {sorted(missing)}: run with MADOGUCHI_UPDATE_SNAPSHOTS=1 to write "
        f"them to {SNAPSHOTS}, look at them, and commit them"
    )
    assert not failures, failures
    stale = {p.stem for p in SNAPSHOTS.glob("*.png")} - set(images)
    assert not stale, f"pictures without a template: {sorted(stale)}"


def test_a_missing_picture_is_reported_and_written_only_when_asked(tmp_path):
    page = {"new_form": Image.new("L", (40, 60), 255)}
    assert _compare(page, tmp_path, update=False) == (["new_form"], [])
    assert not (tmp_path / "new_form.png").exists()
    assert _compare(page, tmp_path, update=True) == ([], [])
    assert (tmp_path / "new_form.png").exists()
    assert _compare(page, tmp_path, update=False) == ([], [])


def test_every_template_prints_the_subjects_name_and_birth_date_as_text(pages):
    pdf, images = pages
    texts = raster.page_texts(pdf)
    names = list(images)
    for form_id, t in sorted(load_templates(FORMS).items()):
        text = texts[names.index(form_id)]
        if t.kind == "slip_only":  # a guidance page: no person, nothing to sign
            assert "届書ではありません" in text and "署名欄" not in text, form_id
            continue
        if form_id in HOUSEHOLD_FORMS:
            assert "葛󠄀西\u3000辰治" in text, form_id
        else:
            assert "葛󠄂西\u3000トメ" in text, form_id
        if form_id not in HOUSEHOLD_FORMS or form_id == "jumin_ido":
            assert "昭和２６年３月３日" in text or form_id == "suido_kaishi", form_id
