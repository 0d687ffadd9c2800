"""A signature given for a list of forms is drawn into those forms' boxes only."""

from datetime import datetime, timedelta, timezone

from printing.data import form_key
from printing.layouts import forms_to_sign, printable_forms
from printing.pdf import render_packet

from . import raster
from .fixtures import family_of_four
from .test_signature_boxes import box_ink, signature_png

AT = datetime(2026, 4, 10, 10, 5, tzinfo=timezone(timedelta(hours=9)))
STAMP = "署名 2026-04-10 10:05"


def test_the_list_is_the_idou_todoke_then_every_printed_form_in_print_order():
    data = family_of_four()
    forms = forms_to_sign(data)
    assert forms[0][1] == "住民異動届"
    assert [k for k, _t, _p in forms[1:]] == [
        form_key(p.id, p.person) for p in printable_forms(data)
    ]
    assert len({k for k, _t, _p in forms}) == len(forms)


def test_a_form_left_off_the_list_gets_an_empty_box():
    data = family_of_four(signature=signature_png(), signed_at=AT)
    keys = [k for k, title, _p in forms_to_sign(data) if "児童手当" not in title]
    data.signed_forms = keys
    pdf = render_packet(data)
    texts = raster.page_texts(pdf)
    n = raster.page_with(pdf, "児童手当 認定請求書", "提出先：")
    assert STAMP not in texts[n - 1] and box_ink(pdf, n, "請求者署名") == 0
    signed_pages = [i for i, t in enumerate(texts, 1) if STAMP in t]
    assert len(signed_pages) == 11  # the family's 12 boxes but the 児童手当's


def test_an_empty_list_signs_nothing_and_none_signs_every_box_as_before():
    data = family_of_four(signature=signature_png(), signed_at=AT)
    data.signed_forms = []
    assert not any(STAMP in t for t in raster.page_texts(render_packet(data)))
    data.signed_forms = None
    assert sum(STAMP in t for t in raster.page_texts(render_packet(data))) == 12
