"""Each template kind is drawn by the module that registered it (printing/layouts/): a new kind
is one module, and the template loader accepts exactly the registered kinds."""

import pytest

from printing import layouts
from printing.data import Fill
from printing.fonts import get_fontset
from printing.layouts import draw_form, register
from printing.sheet import Sheet
from printing.templates_loader import TemplateError, parse_template

from .fixtures import family_of_four


def test_the_shipped_kinds_are_registered_by_their_modules():
    assert layouts.RENDERERS["generic"].__module__ == "printing.layouts.generic"
    assert layouts.RENDERERS["municipal"].__module__ == "printing.layouts.municipal"
    assert layouts.RENDERERS["dedicated"].__module__ == "printing.layouts.idou"


def test_a_registered_kind_is_accepted_and_draws_its_forms(monkeypatch):
    drawn = []
    monkeypatch.setitem(layouts.RENDERERS, "stamp", None)  # removed again after the test
    register("stamp")(lambda pdf, data, proc, t, fill: drawn.append((proc.id, t.id, pdf.digits)))
    t = parse_template("hanko", {"kind": "stamp", "title": "印鑑", "digits": "half"})
    data = family_of_four()
    proc = data.procedures[0]
    pdf = Sheet(get_fontset(), stamp="0123", issued_on=data.issued_on, title="", author="")
    draw_form(pdf, data, proc, t, Fill("hanko", proc.id, ""))
    assert drawn == [(proc.id, "hanko", "half")]  # a new kind gets the form's digit width too


def test_an_unregistered_kind_is_refused_naming_the_registered_ones():
    with pytest.raises(TemplateError) as e:
        parse_template("hanko", {"kind": "stamp"})
    assert "stamp" in str(e.value) and "generic" in str(e.value) and "municipal" in str(e.value)
