"""The field designer (administrators): a blank PDF, fields placed on its pages, saved as a
template of the municipality's own (settings.PRINTING_FORMS_DIR, under the data directory).

A page is shown as a PNG rendered by poppler at 72 dpi, so one image pixel is one PDF
point: the browser converts clicks and drags to millimetres and the server draws the
preview with the same code that prints packets, over the same blank, with the demo
household and the procedure the form belongs to. Only a form id a procedure of the pack
prints may be designed (a template nobody prints would be a file no one checks). Saving
keeps the layout it replaces as a numbered version beside it (`versions/<form id>/`).
"""

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import yaml
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from catalog.pack import default_pack
from madoguchi.inputs import BadInput, Form, error_text, json_response, refuse_unstorable_json
from printing import dictionary as dd
from printing.layouts.acroform import widgets
from printing.layouts.municipal import page_sizes
from printing.templates_loader import (
    MUNICIPAL_KEYS,
    SHIPPED,
    TemplateError,
    forms_dir,
    load_templates,
    parse_template,
)
from tenants import scope

_FORM_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
MAX_UPLOAD = 10 * 1024 * 1024
MAX_PAGES = 20


def _work_dir() -> Path:
    # Uploaded blanks: under the data directory with everything a backup must hold.
    d = Path(getattr(settings, "PRINTING_DESIGNER_DIR", "") or Path(settings.VAR_DIR) / "designer")
    d = scope.own_dir(d)  # each municipality designs its own forms
    d.mkdir(parents=True, exist_ok=True)
    return d


def _blank_path(form_id: str) -> Path:
    if not _FORM_ID.match(form_id):
        raise Http404
    return _work_dir() / f"{form_id}.pdf"


def pack_forms() -> dict[str, tuple]:
    """Every form id a procedure of the running pack prints → (procedure, department)."""
    pack = default_pack()
    out = {}
    for p in sorted(pack.procedures.values(), key=lambda p: p.order):
        for v in p.variants:
            if v.form and v.form not in out:
                out[v.form] = (p, pack.departments.get(p.department))
    return out


def _versions_dir(form_id: str) -> Path:
    return forms_dir() / "versions" / form_id


def _saved_versions(form_id: str) -> int:
    """How many layouts of the form were saved: the current one and those it replaced."""
    current = (forms_dir() / f"{form_id}.yaml").is_file()
    d = _versions_dir(form_id)
    return len(list(d.glob("*.yaml"))) + current if d.is_dir() else int(current)


def _blank_problem(data: bytes) -> str:
    """Why an uploaded file cannot be a blank ("" when it can)."""
    if not data.startswith(b"%PDF"):
        return _("PDFファイルではありません。")
    try:
        sizes = page_sizes(data, "")
    except TemplateError:
        return _(
            "PDFとして読めません（壊れているか、暗号化されています）。別のPDFを選んでください。"
        )
    if len(sizes) > MAX_PAGES:
        return _("ページが多すぎます（%(n)dページまで）。") % {"n": MAX_PAGES}
    return ""


@login_required
def upload(request):
    access.require(request, "designer")
    error = ""
    known = pack_forms()
    if request.method == "POST":
        form_id = request.POST.get("form_id", "").strip()
        f = request.FILES.get("pdf")
        if not _FORM_ID.match(form_id):
            error = _("様式IDは半角英小文字・数字・_ で入力してください（例：suido_kaishi）。")
        elif form_id not in known:
            error = _(
                "様式ID「%(id)s」はカタログのどの手続にもありません。手続の form に書いてから"
                "登録してください（一覧の様式IDから選べます）。"
            ) % {"id": form_id}
        elif f is None or f.size > MAX_UPLOAD:
            error = _("PDFファイル（10MBまで）を選んでください。")
        else:
            data = f.read()
            error = _blank_problem(data)
            if not error:
                _blank_path(form_id).write_bytes(data)
                return redirect("counter:designer_edit", form_id=form_id)
    rows = []
    for form_id, (proc, dept) in known.items():
        rows.append({"id": form_id, "procedure": proc.title, "department": dept.name if dept else "",
                     "versions": _saved_versions(form_id),
                     "blank": _blank_path(form_id).is_file()
                     or (forms_dir() / f"{form_id}.pdf").is_file()})  # fmt: skip
    return render(request, "counter/designer_upload.html", {"error": error, "forms": rows})


def _fields_for_designer():
    return [f for f in dd.fields().values() if not f.id.startswith("person.")]


def _saved(form_id: str) -> tuple[str, list]:
    """The title and boxes of the layout saved before, to reopen it (none: a new one)."""
    path = forms_dir() / f"{form_id}.yaml"
    if not path.is_file():
        return "", []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return "", []
    if not isinstance(raw, dict) or raw.get("kind") != "municipal":
        return "", []
    return str(raw.get("title") or ""), [b for b in raw.get("fields") or [] if isinstance(b, dict)]


def _open_blank(form_id: str) -> bytes:
    """The blank being designed: the one uploaded, or (reopening) the saved template's."""
    path = _blank_path(form_id)
    if not path.is_file():
        saved = forms_dir() / f"{form_id}.pdf"
        if not saved.is_file():
            raise Http404
        shutil.copyfile(saved, path)
    return path.read_bytes()


@login_required
def edit(request, form_id):
    access.require(request, "designer")
    known = pack_forms()
    if form_id not in known:
        raise Http404
    bg = _open_blank(form_id)
    title, boxes = _saved(form_id)
    proc, dept = known[form_id]
    fields = _fields_for_designer()
    setup = {
        "pages": [{"w": w, "h": h} for w, h in page_sizes(bg, str(_blank_path(form_id)))],
        "fields": {f.id: {"kind": f.kind, "choices": dd.choices_of(f.id)
                          if f.kind in ("bool", "choice") else []} for f in fields},
        "acroform": [{"name": w.name, "page": w.page, "x": round(w.x, 1), "y": round(w.y, 1),
                      "w": round(w.w, 1), "h": round(w.h, 1), "kind": w.kind}
                     for w in widgets(bg) if w.kind != "other"],
        "placed": boxes,
    }  # fmt: skip
    return render(request, "counter/designer_edit.html", {
        "form_id": form_id, "title": title or proc.title, "procedure": proc.title,
        "department": dept.name if dept else "", "versions": _saved_versions(form_id),
        "fields": [(f.id, f"{f.group}：{f.label}（{f.id}）") for f in fields],
        "acroform": sorted({a["name"] for a in setup["acroform"]}), "setup": setup,
        "pages": range(1, len(setup["pages"]) + 1)})  # fmt: skip


def _png(pdf: bytes, page: int = 1, dpi: int = 72) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.pdf"
        path.write_bytes(pdf)
        cmd = ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(path)]
        return subprocess.run(cmd, check=True, capture_output=True, timeout=30).stdout


def _page(request, pages: int) -> int:
    try:
        n = int(request.GET.get("page") or request.POST.get("page") or 1)
    except ValueError:
        n = 1
    return min(max(n, 1), pages)


@login_required
def page_png(request, form_id):
    access.require(request, "designer")
    path = _blank_path(form_id)
    if not path.is_file():
        raise Http404
    bg = path.read_bytes()
    try:
        pages = len(page_sizes(bg, str(path)))
    except TemplateError:
        raise Http404 from None
    return HttpResponse(_png(bg, _page(request, pages)), content_type="image/png")


class PlacementForm(Form):
    """What the designer page posts: the fields placed on the blank (JSON) and a title."""

    title = forms.CharField(label=_("様式名"), max_length=100, required=False)
    fields = forms.CharField(label=_("配置した項目"), required=False, strip=False)

    def clean_title(self):
        title = self.cleaned_data["title"]
        if any(ch < " " or ch == "\x7f" for ch in title):  # it becomes a line of the YAML file
            raise forms.ValidationError(_("様式名に改行や制御文字は使えません。"))
        return title

    def clean_fields(self):
        try:
            boxes = json.loads(self.cleaned_data["fields"] or "[]")
        except (ValueError, RecursionError):
            raise forms.ValidationError(
                _("配置した項目を読めません（JSON ではありません）。")
            ) from None
        if not isinstance(boxes, list) or not all(isinstance(b, dict) for b in boxes):
            raise forms.ValidationError(_("配置した項目は、項目ごとのオブジェクトの配列です。"))
        try:
            refuse_unstorable_json(boxes, str(_("配置した項目")))
        except BadInput as e:
            raise forms.ValidationError(str(e)) from None
        return boxes[:200]


# The keys a signature box keeps; every other box keeps what a municipal template may say.
SIGNATURE_KEYS = ("x", "y", "w", "h", "page", "acroform")


def _template(form_id: str, form: PlacementForm) -> dict:
    fields = []
    for b in form.cleaned_data["fields"]:
        if b.get("signature"):
            item = {"signature": True, **{k: b[k] for k in SIGNATURE_KEYS if k in b}}
        else:
            # Keys the page uses for itself (none today) are left out, not refused.
            item = {k: v for k, v in b.items() if k in MUNICIPAL_KEYS and k != "signature"}
        if item.get("page") == 1:
            del item["page"]
        if item.get("acroform"):  # placed by the AcroForm field's rectangle, not by hand
            item = {k: v for k, v in item.items() if k not in ("x", "y", "w", "h", "page")}
        fields.append(item)
    return {"kind": "municipal", "title": form.cleaned_data["title"] or form_id,
            "background": f"{form_id}.pdf", "fields": fields}  # fmt: skip


def preview_pdf(form_id: str, t) -> bytes:
    """The form printed with the demo household for the procedure it belongs to: the
    footer names this form and the department that receives it."""
    from printing.data import Procedure
    from printing.pdf import render_single_form
    from printing.samples import family_of_four

    data = family_of_four(municipality=scope.municipality()["name"])
    proc, dept = pack_forms()[form_id]
    who = data.applicant.key if data.applicant else data.people[0].key
    data.procedures = [Procedure(id=proc.id, person=who,
                                 department=proc.department, department_name=dept.name if dept
                                 else proc.department, location=dept.location if dept else "",
                                 kind="form", status="applies", title=proc.title, form=form_id)]  # fmt: skip
    return render_single_form(data, replace(t, per="person"))


@login_required
@require_POST
def preview(request, form_id):
    """The blank with the placed fields filled from the demo household, as a PNG."""
    access.require(request, "designer")
    path = _blank_path(form_id)
    if form_id not in pack_forms() or not path.is_file():
        raise Http404
    form = PlacementForm(request.POST)
    if not form.is_valid():
        return json_response({"error": error_text(form)}, status=400)
    raw = _template(form_id, form)
    try:
        t = parse_template(form_id, raw, path)
        pdf = preview_pdf(form_id, t)
    except TemplateError as e:
        return json_response({"error": str(e)}, status=400)
    pages = len(page_sizes(path.read_bytes(), str(path)))
    return HttpResponse(_png(pdf, _page(request, pages)), content_type="image/png")


def _inside_source_tree(target: Path) -> bool:
    """Whether saving to `target` would write into the code's checkout rather than the data
    directory (a setting pointed at catalogs/ by mistake)."""
    target = target.resolve()
    var = Path(settings.VAR_DIR).resolve()
    base = Path(settings.BASE_DIR).resolve()
    return target.is_relative_to(SHIPPED.parent.parent) or (
        target.is_relative_to(base) and not target.is_relative_to(var)
    )


@login_required
@require_POST
def save(request, form_id):
    access.require(request, "designer")
    if form_id not in pack_forms():
        raise Http404
    form = PlacementForm(request.POST)
    if not form.is_valid():
        return json_response({"error": error_text(form)}, status=400)
    raw = _template(form_id, form)
    if not raw["fields"]:
        return json_response({"error": _("項目がひとつも配置されていません。")}, status=400)
    if not _blank_path(form_id).is_file():
        raise Http404
    try:
        parse_template(form_id, raw, _blank_path(form_id))
    except TemplateError as e:
        return json_response({"error": str(e)}, status=400)
    target = forms_dir()  # the data directory's forms/, read over the pack's
    if _inside_source_tree(target):
        return json_response({"error": _("保存先 %(dir)s はソースツリーの中です。PRINTING_FORMS_DIR "
                                         "をデータディレクトリ（var/）の下にしてください。")
                              % {"dir": target}}, status=500)  # fmt: skip
    yaml_path, pdf_path = target / f"{form_id}.yaml", target / f"{form_id}.pdf"
    if form_id in load_templates() and request.POST.get("replace") != "1":
        # A template of this form (the pack's, or one saved before) is replaced only when
        # the administrator says so.
        return json_response({"error": _("この様式はカタログにあります。上書きしますか？"),
                             "exists": True}, status=409)  # fmt: skip
    target.mkdir(parents=True, exist_ok=True)
    if yaml_path.is_file():
        # The layout being replaced is kept, numbered, beside the current one (not read).
        keep = _versions_dir(form_id)
        keep.mkdir(parents=True, exist_ok=True)
        n = len(list(keep.glob("*.yaml"))) + 1
        shutil.copyfile(yaml_path, keep / f"{n}.yaml")
        if pdf_path.is_file():
            shutil.copyfile(pdf_path, keep / f"{n}.pdf")
    pdf_path.write_bytes(_blank_path(form_id).read_bytes())
    header = (
        f"# {raw['title']}: placed with the field designer. Positions in mm from the top-left.\n"
    )
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    yaml_path.write_text(header + text, encoding="utf-8")
    return JsonResponse(
        {"ok": True, "saved": f"{form_id}.yaml", "version": _saved_versions(form_id)}
    )
