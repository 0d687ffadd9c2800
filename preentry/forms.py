"""The phone's forms: what a resident types, converted as the counter's forms convert it."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.forms import WarekiDateField
from counter.forms import RELATIONS, PersonNameFields
from lib.text import unstorable
from madoguchi.inputs import Form
from preentry.services import EVENTS
from tenants import scope

_ZIP = re.compile(r"^\d{3}-?\d{4}$")


def _event_choices():
    from catalog.pack import default_pack

    events = default_pack().events
    return [(e, events[e].name) for e in EVENTS if e in events]


def _zip(value: str) -> str:
    import unicodedata

    value = unicodedata.normalize("NFKC", value).strip().replace("ー", "-").replace("−", "-")
    if value and not _ZIP.match(value):
        raise forms.ValidationError(_("郵便番号は7桁の数字で入力してください（例：090-0024）。"))
    return value.replace("-", "")


class MoveForm(Form):
    event = forms.ChoiceField(label=_("届出の種類"), widget=forms.RadioSelect)
    event_date = WarekiDateField(
        label=_("引っ越した日（引っ越す日）・生まれた日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("例：2026-04-10、令和8年4月10日"),
    )
    new_zip = forms.CharField(label=_("郵便番号"), max_length=10, required=False)
    # Not for a birth, whose household stays where it lives (clean() asks it of the moves).
    new_town = forms.CharField(label=_("町名"), max_length=60, required=False)
    new_banchi = forms.CharField(label=_("番地"), max_length=60, required=False)
    new_katagaki = forms.CharField(label=_("建物名・部屋番号"), max_length=100, required=False)
    old_zip = forms.CharField(label=_("郵便番号"), max_length=10, required=False)
    old_pref = forms.CharField(label=_("都道府県"), max_length=10, required=False)
    old_city = forms.CharField(label=_("市区町村"), max_length=30, required=False)
    old_town = forms.CharField(label=_("町名"), max_length=60, required=False)
    old_banchi = forms.CharField(label=_("番地・建物名"), max_length=100, required=False)
    old_country = forms.CharField(label=_("国名"), max_length=40, required=False)
    old_text = forms.CharField(label=_("国外の住所"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("電話番号"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = _event_choices()

    def clean(self):
        data = super().clean()
        if data.get("event") not in (None, "birth") and not data.get("new_town", "").strip():
            self.add_error("new_town", _("新しい住所の町名を入力してください。"))
        return data

    def clean_new_zip(self):
        return _zip(self.cleaned_data["new_zip"])

    def clean_old_zip(self):
        return _zip(self.cleaned_data["old_zip"])

    def move_fields(self) -> dict:
        d = self.cleaned_data
        event = d["event"]
        abroad = event == "tennyu_abroad"
        old = (
            {"country": d["old_country"], "text": d["old_text"]}
            if abroad
            else {k: d[f"old_{k}"] for k in ("zip", "pref", "city", "town", "banchi")}
        )
        new = {
            "zip": d["new_zip"],
            "pref": scope.municipality()["pref"],
            "city": scope.municipality()["name"],
            "town": d["new_town"],
            "banchi": d["new_banchi"],
            "katagaki": d["new_katagaki"],
        }
        # A 転居's and a birth's current address is the register's: not kept from the phone.
        in_city = event in ("tenkyo", "birth")
        return {
            "events": [event],
            "event_date": d["event_date"],
            "new_address": {} if event == "birth" else new,
            "old_address": {} if in_city else {k: v for k, v in old.items() if v},
            "phone": d["phone"],
        }

    @classmethod
    def initial_for(cls, pre) -> dict:
        new, old = pre.new_address, pre.old_address
        initial = {
            "event": (pre.events or ["tennyu"])[0],
            "event_date": pre.event_date.isoformat() if pre.event_date else "",
            "phone": pre.phone,
        }
        initial.update({f"new_{k}": new.get(k, "") for k in ("zip", "town", "banchi", "katagaki")})
        initial.update(
            {f"old_{k}": old.get(k, "") for k in ("zip", "pref", "city", "town", "banchi")}
        )
        initial.update({f"old_{k}": old.get(k, "") for k in ("country", "text")})
        return initial


SEX_CHOICES = [("1", _("男")), ("2", _("女"))]
NATIONALITY_CHOICES = [("JP", _("日本")), ("foreign", _("日本以外"))]


class PersonForm(PersonNameFields, Form):
    kana_message = _("ふりがなは、ひらがなかカタカナで入力してください。")

    surname = forms.CharField(label=_("氏（名字）"), max_length=40)
    given_name = forms.CharField(label=_("名"), max_length=40)
    surname_kana = forms.CharField(label=_("氏のふりがな"), max_length=40, required=False)
    given_kana = forms.CharField(label=_("名のふりがな"), max_length=40, required=False)
    birth_date = WarekiDateField(
        label=_("生年月日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("例：1988-05-12、昭和63年5月12日"),
    )
    sex = forms.ChoiceField(label=_("性別"), choices=SEX_CHOICES, widget=forms.RadioSelect)
    relation = forms.ChoiceField(label=_("世帯主から見た続柄"), choices=[(r, r) for r in RELATIONS])
    nationality = forms.ChoiceField(
        label=_("国籍"), choices=NATIONALITY_CHOICES, initial="JP", widget=forms.RadioSelect
    )

    def clean_nationality(self):
        return "JP" if self.cleaned_data["nationality"] == "JP" else "外国籍"


UNKNOWN = "?"  # the phone's わからない


def parse_answers(post, questions, pack) -> tuple[dict, list[str]]:
    """The answers form: one field per (person, fact) the page asked, named a:<key>:<fact>
    (the household's key is "h"). Unanswered fields are left out; errors name the question."""
    answers, errors = {}, []
    for q in questions:
        name = f"a:{q.person or 'h'}:{q.fact}"
        fact = pack.facts[q.fact]
        raw = post.getlist(name) if fact.type == "set" else post.get(name, "")
        if fact.type == "set":
            if not raw:
                continue
            if UNKNOWN in raw:
                answers[(q.person, q.fact)] = None
                continue
            raw = ",".join(v for v in raw if v != "-")
            if not raw:
                answers[(q.person, q.fact)] = []
                continue
        if raw == "" or not isinstance(raw, str):
            continue
        if unstorable(raw):
            errors.append(_("%(label)s：使えない文字が含まれています。") % {"label": fact.label})
            continue
        if raw == UNKNOWN:
            answers[(q.person, q.fact)] = None
            continue
        try:
            answers[(q.person, q.fact)] = fact.parse(raw)
        except ValueError as e:
            errors.append(str(e))
    return answers, errors
