"""What every form and JSON API refuses before it reaches the database, with a Japanese message
that names the field or item: characters no column can store (lib.text.unstorable), JSON that
is not JSON, and JSON of the wrong shape.

Forms subclass `Form` instead of django.forms.Form. JSON views read their body with
`json_body` and check what they use with `expect_object`, `expect_list`, `expect_text` and
`refuse_unstorable_json`; each raises BadInput, whose text is the message for the caller.
"""

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lib.text import halfwidth_input, unstorable


class BadInput(ValueError):
    """Input refused; str(e) is the Japanese message that names the problem."""


def refuse_unstorable(value, label) -> None:
    """ValidationError when a submitted value (or any of a list of them) holds NUL or a lone
    surrogate. Django's own NUL check says only 「何か文字を入力してください。」 in Japanese and
    runs after a ModelChoiceField has already queried with the value."""
    for text in value if isinstance(value, (list, tuple)) else [value]:
        char = unstorable(text) if isinstance(text, str) else None
        if char:
            raise ValidationError(
                _l("%(field)sに使えない文字（%(char)s）が含まれています。"),
                code="unstorable",
                params={"field": label, "char": char},
            )


def _guarded(clean, label):
    def guarded(value, *args):
        refuse_unstorable(value, label)
        return clean(value, *args)

    return guarded


_PHONE = re.compile(r"\+?[0-9][0-9()\- ]{1,18}")


def phone_number(value: str) -> str:
    """A telephone number as typed with the IME on (０１５７－２３－４５６７) in ASCII; refuses
    what is not one. For a form's clean_phone."""
    value = halfwidth_input(value or "")
    if value and not _PHONE.fullmatch(value):
        raise ValidationError(
            _l("電話番号は数字とハイフンで入力してください（例：0157-23-4567）。"), code="phone"
        )
    return value


class HalfwidthDateField(forms.DateField):
    """A DateField that takes ２０２６－０４－０１ as the IME types it (a DateField parses before
    any clean_<field> could widen it)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = halfwidth_input(value).replace("/", "-")
        return super().to_python(value)


class Form(forms.Form):
    """The project's form: each field first refuses what the database cannot store, then
    cleans as it always does. Fields added in a subclass's __init__ are covered too."""

    def full_clean(self):
        for name, field in self.fields.items():
            if not getattr(field, "_refuses_unstorable", False):
                field.clean = _guarded(field.clean, field.label or name)
                field._refuses_unstorable = True
        super().full_clean()


def error_text(form) -> str:
    """Every error of a form on one line, each led by its field's label: for the small htmx
    answers that have no form to show an error next to."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        for e in errors:
            parts.append(f"{label}：{e}" if label and label not in e else str(e))
    return "、".join(parts)


def error_fragment(message, status=400) -> HttpResponse:
    """A refused htmx request: the message, escaped, for the place the screen shows it
    (static/madoguchi/app.js puts a 4xx answer into the target)."""
    return HttpResponse(
        format_html('<span class="error" role="alert">{}</span>', message), status=status
    )


# -- JSON ---------------------------------------------------------------------------------------


_HTML_IN_JSON = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


class HTMLSafeEncoder(DjangoJSONEncoder):
    """JSON whose strings carry no raw < > &: an answer that names what was sent (a 予約番号,
    a field id) cannot become markup wherever it is shown. Parsed, it is the same JSON."""

    def encode(self, o):
        return super().encode(o).translate(_HTML_IN_JSON)


def json_response(data, status=200) -> JsonResponse:
    return JsonResponse(
        data, status=status, encoder=HTMLSafeEncoder, json_dumps_params={"ensure_ascii": False}
    )


def json_body(request):
    """The request body as JSON (None when empty); BadInput when it is not UTF-8 JSON."""
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(_("本文が UTF-8 の文字列ではありません。")) from None
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInput(
            _("本文を JSON として読めません（%(line)s 行 %(col)s 文字目）。")
            % {"line": e.lineno, "col": e.colno}
        ) from None
    except (ValueError, RecursionError):  # a number of thousands of digits, [[[[…]]]] nested
        raise BadInput(
            _("本文を JSON として読めません（数値が大きすぎるか、入れ子が深すぎます）。")
        ) from None


def expect_object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise BadInput(
            _("%(where)s は JSON のオブジェクト（{…}）で指定してください。") % {"where": where}
        )
    return value


def expect_list(value, where: str) -> list:
    if not isinstance(value, list):
        raise BadInput(_("%(where)s は JSON の配列（[…]）で指定してください。") % {"where": where})
    return value


def expect_text(value, where: str, *, max_length: int | None = None, numbers=False) -> str:
    """A JSON string (or, with numbers=True, a number written as text) that can be stored."""
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise BadInput(_("%(where)s は文字列で指定してください。") % {"where": where})
    char = unstorable(value)
    if char:
        raise BadInput(
            _("%(where)s に使えない文字（%(char)s）が含まれています。")
            % {"where": where, "char": char}
        )
    if max_length is not None and len(value) > max_length:
        raise BadInput(
            _("%(where)s は %(n)s 文字以内で指定してください。") % {"where": where, "n": max_length}
        )
    return value


def refuse_unstorable_json(doc, where: str) -> None:
    """BadInput naming the first key or string anywhere in `doc` that cannot be stored (a
    document kept as it came, in a JSONField, must not carry one either)."""
    if isinstance(doc, str):
        expect_text(doc, where)
    elif isinstance(doc, dict):
        for k, v in doc.items():
            expect_text(k, where)
            refuse_unstorable_json(v, f"{where}.{k}")
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            refuse_unstorable_json(v, f"{where}[{i}]")
