"""The field designer (administrators): a blank PDF, fields clicked onto its page, saved as a
template of the municipality's own (settings.PRINTING_FORMS_DIR, under the data directory).

The page is shown as a PNG rendered by poppler at 72 dpi, so one image pixel is one PDF
point: the browser converts clicks to millimetres and the server draws the preview with
the same code that prints packets, over the same blank, with the demo household.
"""

import json
import re
import subprocess
import tempfile
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
from madoguchi.inputs import BadInput, Form, error_text, json_response, refuse_unstorable_json
from printing import dictionary as dd
from printing.templates_loader import TemplateError, forms_dir, load_templates, parse_template
from tenants import scope

_FORM_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
MAX_UPLOAD = 10 * 1024 * 1024


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


@login_required
def upload(request):
    access.require(request, "designer")
    error = ""
    if request.method == "POST":
        form_id = request.POST.get("form_id", "").strip()
        f = request.FILES.get("pdf")
        if not _FORM_ID.match(form_id):
            error = _("様式IDは半角英小文字・数字・_ で入力してください（例：suido_kaishi）。")
        elif f is None or f.size > MAX_UPLOAD:
            error = _("PDFファイル（10MBまで）を選んでください。")
        else:
            data = f.read()
            if not data.startswith(b"%PDF"):
                error = _("PDFファイルではありません。")
            else:
                _blank_path(form_id).write_bytes(data)
                return redirect("counter:designer_edit", form_id=form_id)
    return render(request, "counter/designer_upload.html", {"error": error})


def _fields_for_designer():
    return [(f.id, f"{f.group}：{f.label}（{f.id}）") for f in dd.fields().values()
            if not f.id.startswith("person.")]  # fmt: skip


@login_required
def edit(request, form_id):
    access.require(request, "designer")
    if not _blank_path(form_id).is_file():
        raise Http404
    return render(request, "counter/designer_edit.html",
                  {"form_id": form_id, "fields": _fields_for_designer()})  # fmt: skip


def _png(pdf: bytes, dpi: int = 72) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(path)],
                              check=True, capture_output=True, timeout=30).stdout  # fmt: skip


@login_required
def page_png(request, form_id):
    access.require(request, "designer")
    path = _blank_path(form_id)
    if not path.is_file():
        raise Http404
    return HttpResponse(_png(path.read_bytes()), content_type="image/png")


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


def _template(form_id: str, form: PlacementForm) -> dict:
    fields = []
    for b in form.cleaned_data["fields"]:
        item = {k: b[k] for k in ("field", "x", "y", "w", "h", "size", "align") if k in b}
        if b.get("signature"):
            item = {"signature": True, **{k: b[k] for k in ("x", "y", "w", "h") if k in b}}
        fields.append(item)
    return {"kind": "municipal", "title": form.cleaned_data["title"] or form_id,
            "background": f"{form_id}.pdf", "fields": fields}  # fmt: skip


@login_required
@require_POST
def preview(request, form_id):
    """The blank with the placed fields filled from the demo household, as a PNG."""
    access.require(request, "designer")
    from printing.pdf import render_single_form
    from printing.samples import family_of_four

    path = _blank_path(form_id)
    form = PlacementForm(request.POST)
    if not form.is_valid():
        return json_response({"error": error_text(form)}, status=400)
    raw = _template(form_id, form)
    try:
        t = parse_template(form_id, raw, path)
    except TemplateError as e:
        return json_response({"error": str(e)}, status=400)
    # The demo household, addressed to this pack's city as the counter's packets are.
    pdf = render_single_form(family_of_four(municipality=scope.municipality()["name"]), t)
    return HttpResponse(_png(pdf), content_type="image/png")


@login_required
@require_POST
def save(request, form_id):
    access.require(request, "designer")
    form = PlacementForm(request.POST)
    if not form.is_valid():
        return json_response({"error": error_text(form)}, status=400)
    raw = _template(form_id, form)
    if not raw["fields"]:
        return json_response({"error": _("項目がひとつも配置されていません。")}, status=400)
    try:
        parse_template(form_id, raw)
    except TemplateError as e:
        return json_response({"error": str(e)}, status=400)
    if not _blank_path(form_id).is_file():
        raise Http404
    target = forms_dir()  # the data directory's forms/, read over the pack's
    if form_id in load_templates() and request.POST.get("replace") != "1":
        # A template of this form (the pack's, or one saved before) is replaced only when
        # the administrator says so.
        return json_response({"error": _("この様式はカタログにあります。上書きしますか？"),
                             "exists": True}, status=409)  # fmt: skip
    target.mkdir(parents=True, exist_ok=True)
    (target / f"{form_id}.pdf").write_bytes(_blank_path(form_id).read_bytes())
    header = (
        f"# {raw['title']}: placed with the field designer. Positions in mm from the top-left.\n"
    )
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    (target / f"{form_id}.yaml").write_text(header + text, encoding="utf-8")
    return JsonResponse({"ok": True, "saved": f"{form_id}.yaml"})
