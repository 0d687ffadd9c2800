"""How each kind of form template is drawn: one module per `kind`, registered here.

    generic     layouts/generic.py    an A4 form laid out from the template's sections
    municipal   layouts/municipal.py  the municipality's blank PDF with the field map over it
                                      (AcroForm fields found by name: layouts/acroform.py)
    dedicated   layouts/idou.py       the 住民異動届, laid out in code
    ruled       layouts/ruled.py      a form drawn from the template's `blocks`: ruled rows of
                                      labelled cells (blank ones for the resident), tables
                                      with rows, checkboxes, the signature box — the most
                                      used applications (国保, 児童手当, 葬祭費…)
    slip_only   layouts/slip_only.py  no sheet in the packet (a 戸籍 届書 written at the
                                      counter): the guidance slip carries the template's note

A new kind is one module that decorates its renderer with `@register("kind")` and is imported
at the end of this file; the template loader accepts exactly the registered kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from ..data import IDOU_PROCEDURES, Fill, PacketData, Procedure, form_key
from ..slip import by_department
from ..templates_loader import FormError, TemplateError, load_templates

# kind → draw(pdf, data, procedure, template, fill): the procedure's form on new pages.
Renderer = Callable[..., None]
RENDERERS: dict[str, Renderer] = {}
# kind → parse(raw template, where) -> FormTemplate.blocks, for a kind with its own keys.
PARSERS: dict[str, Callable[[dict, str], list]] = {}


def register(kind: str, parse: Callable[[dict, str], list] | None = None):
    def add(fn: Renderer) -> Renderer:
        RENDERERS[kind] = fn
        if parse is not None:
            PARSERS[kind] = parse
        return fn

    return add


def draw_form(pdf, data: PacketData, proc: Procedure, template, fill: Fill) -> None:
    """One procedure's form through its template's renderer (generic without a template),
    with its digits as it declares (as_declared).

    A template that cannot be printed (a broken file, a blank missing or unreadable) stops
    the packet with a FormError naming the form: the clerk hears which one, not a 500."""
    if template is None:
        with as_declared(pdf, data, template):
            RENDERERS["generic"](pdf, data, proc, template, fill)
        return
    # A file too broken to give its title: the procedure's names the form for the clerk.
    title = template.title or generic.form_title(proc, None)
    if template.error:
        raise FormError(template.id, title, template.error)
    try:
        with as_declared(pdf, data, template):
            RENDERERS[template.kind](pdf, data, proc, template, fill)
    except FormError:
        raise
    except TemplateError as e:
        raise FormError(template.id, title, str(e)) from None


def form_digits(data: PacketData, template) -> str:
    """The width of a form's digits: its template's `digits`, else the pack's."""
    return (template.digits if template is not None else "") or data.digits


@contextmanager
def as_declared(pdf, data: PacketData, template) -> Iterator[None]:
    """Draw a form (any kind) with its digits as it declares; the names stay as written."""
    pdf.keep_names(data.names())
    with pdf.digits_of(form_digits(data, template)):
        yield


def printable_forms(data: PacketData, templates: dict | None = None) -> list[Procedure]:
    """`form` procedures that apply, grouped by department; the 住民異動届 is drawn apart.

    A `slip_only` template prints nothing (the slip says why); a `per: household` template
    prints one form for all the people its procedure is listed for (`Procedure.people`).
    """
    templates = load_templates() if templates is None else templates
    out: list[Procedure] = []
    household: dict[str, Procedure] = {}
    for p in data.procedures:
        if p.kind != "form" or p.status != "applies" or p.id in IDOU_PROCEDURES:
            continue
        t = templates.get(p.form or "")
        if t is not None and t.kind == "slip_only":
            continue
        if t is not None and t.per == "household":
            if p.id in household:
                merged = household[p.id]
                if p.person and p.person not in merged.people:
                    merged.people.append(p.person)
                continue
            p = household[p.id] = replace(p, person=None, people=[p.person] if p.person else [])
        out.append(p)
    return [p for _dept, procs in by_department(out) for p in procs]


def draw_forms(pdf, data: PacketData) -> None:
    """Every application form of the packet, after the 受付案内票 and the 住民異動届."""
    templates = load_templates()
    for proc in printable_forms(data, templates):
        t = templates.get(proc.form or "")
        fill = Fill(proc.form or proc.id, proc.id, proc.person or "")
        pdf.fills.append(fill)
        pdf.sign_here = data.signs(fill)
        draw_form(pdf, data, proc, t, fill)


def forms_to_sign(data: PacketData) -> list[tuple[str, str, str]]:
    """(form_key, title, person key) of every form the packet prints, in print order: what
    the tablet's signing page lists, and what a signature given there covers."""
    templates = load_templates()
    forms = []
    if idou.needs_idou(data):
        fill = idou.idou_fill(data)
        forms.append((form_key(fill.procedure, fill.person), "住民異動届", ""))
    for proc in printable_forms(data, templates):
        title = generic.form_title(proc, templates.get(proc.form or ""))
        forms.append((form_key(proc.id, proc.person), title, proc.person or ""))
    return forms


from . import generic, idou, municipal, ruled, slip_only  # noqa: E402, F401 — each registers its kind
