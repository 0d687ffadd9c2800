"""The catalog browser's 「試す」 page: a household typed in, turned into a navigator Case.

Facts not on the form read as a scenario file reads them (FORMAT.md): a yes/no fact is
「いいえ」, a set is empty, nationality is 日本. 「不明」 on a select makes the fact
unknown, which is how staff see a rule turn into 要確認.
"""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.navigator import Case, Person
from catalog.pack import Pack
from lib import wareki
from madoguchi.inputs import Form

# The facts most rules read, as a select on every row; the rest go in 「その他」.
ROW_FACTS = (
    "role",
    "health_insurance",
    "pension_category",
    "nationality",
    "has_mynumber_card",
    "main_earner",
    "care_certified",
)
RELATIONS = ["世帯主", "妻", "夫", "子", "父", "母", "兄", "姉", "弟", "妹", "子の妻", "子の夫",
             "子の子", "妻(未届)", "夫(未届)", "縁故者", "同居人"]  # fmt: skip
MAX_ROWS = 10
UNKNOWN = ""  # the select's value for 「不明」


class WarekiDateField(forms.CharField):
    """A date typed as staff type it: S55.3.2, 昭和55年3月2日, 1980-03-02, R8.4.1 …"""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return wareki.parse_date(value)
        except wareki.DateParseError as e:
            raise forms.ValidationError(str(e)) from e


def _fact_field(fact, initial):
    if fact.type == "bool":
        choices = [("false", _("いいえ")), ("true", _("はい")), (UNKNOWN, _("不明"))]
    else:
        choices = [*fact.choices.items(), (UNKNOWN, _("不明"))]
    return forms.ChoiceField(label=fact.label, choices=choices, required=False, initial=initial)


def _fact_value(fact, raw):
    if raw == UNKNOWN:
        return None
    return raw == "true" if fact.type == "bool" else raw


class PersonRowForm(Form):
    """One member of the household: who, born when, and the facts most rules read."""

    relation = forms.CharField(label=_("続柄"), required=False, max_length=20)
    birth_date = WarekiDateField(label=_("生年月日"), required=False)
    sex = forms.ChoiceField(
        label=_("性別"),
        required=False,
        choices=[
            (UNKNOWN, "—"),
            ("1", _("男")),
            ("2", _("女")),
            ("9", _("適用不能")),
            ("0", _("不明")),
        ],
    )
    moving = forms.BooleanField(label=_("異動"), required=False)
    other = forms.CharField(
        label=_("その他の事実"),
        required=False,
        max_length=400,
        help_text=_("例：犬の登録=はい、年金の受給=はい、障害者手帳=身体障害者手帳"),
    )

    def __init__(self, *args, pack: Pack, **kwargs):
        super().__init__(*args, **kwargs)
        self.pack = pack
        for name in ROW_FACTS:
            fact = pack.facts[name]
            initial = {"role": "member", "nationality": "JP"}.get(name, "false")
            if fact.type == "enum" and name not in ("role", "nationality"):
                initial = UNKNOWN
            self.fields[name] = _fact_field(fact, initial)

    @property
    def fact_fields(self):
        return [self[name] for name in ROW_FACTS]

    def clean_other(self):
        """「ラベルかID=値」 pairs, split on 、 , or new lines, each read by the fact itself."""
        text = unicodedata.normalize("NFKC", self.cleaned_data["other"] or "")
        facts = {}
        for item in filter(None, (s.strip() for s in re.split(r"[,、\n;]+", text))):
            name, sep, raw = item.partition("=")
            fact = self._find(name.strip())
            if not sep or fact is None or fact.scope != "person":
                raise forms.ValidationError(
                    _("「%(item)s」は「事実=値」の形で、人の事実を書いてください") % {"item": item}
                )
            raw = raw.strip()
            if raw in ("不明", "unknown"):
                facts[fact.id] = None
                continue
            try:
                value = fact.parse(raw)
            except ValueError as e:
                raise forms.ValidationError(str(e)) from None
            facts[fact.id] = fact.normalize(value)
        return facts

    def _find(self, name):
        facts = self.pack.facts
        return facts.get(name) or next((f for f in facts.values() if f.label == name), None)

    def facts(self) -> dict:
        """The person's facts, scenario defaults first (FORMAT.md), then what was typed."""
        out = {}
        for fact in self.pack.facts.values():
            if fact.scope != "person":
                continue
            if fact.type == "bool":
                out[fact.id] = False
            elif fact.type == "set":
                out[fact.id] = frozenset()
        out["nationality"] = "JP"
        data = self.cleaned_data
        for name in ROW_FACTS:
            out[name] = _fact_value(self.pack.facts[name], data.get(name, UNKNOWN))
        for key in ("relation", "birth_date", "sex"):
            out[key] = data.get(key) or None
        out["moving"] = bool(data.get("moving"))
        out.update(data.get("other") or {})
        return {k: v for k, v in out.items() if v is not None}


class BasePersonFormSet(forms.BaseFormSet):
    def __init__(self, *args, pack: Pack, **kwargs):
        self.pack = pack
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "pack": self.pack}

    @property
    def empty_form(self):  # pragma: no cover - the page draws its rows itself
        return self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), pack=self.pack)


PersonFormSet = forms.formset_factory(
    PersonRowForm, formset=BasePersonFormSet, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS
)


class TryForm(Form):
    """The visit: which events, on which day, who is at the counter, the household's facts."""

    events = forms.MultipleChoiceField(
        label=_("届出の種類（複数可）"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("届出の種類を選んでください。")},
    )
    date = WarekiDateField(
        label=_("異動日・事由の日"), help_text=_("例：R8.4.10、令和8年4月10日、2026-04-10")
    )
    applicant = forms.TypedChoiceField(label=_("届出人（窓口に来た方）"), coerce=int, initial=1)

    def __init__(self, *args, pack: Pack, rows: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.pack = pack
        self.fields["events"].choices = [(e.id, e.name) for e in pack.events.values()]
        self.fields["applicant"].choices = [
            (i, _("%(n)s行目") % {"n": i}) for i in range(1, rows + 1)
        ]
        for fact in pack.facts.values():
            if fact.scope == "household":
                # No for a yes/no fact; a choice (転出の証明) starts unknown, not a "false"
                # that is none of its choices.
                initial = "false" if fact.type == "bool" else UNKNOWN
                self.fields[f"h_{fact.id}"] = _fact_field(fact, initial)

    @property
    def household_fields(self):
        return [self[name] for name in self.fields if name.startswith("h_")]

    def household(self) -> dict:
        out = {}
        for fact in self.pack.facts.values():
            if fact.scope == "household":
                value = _fact_value(fact, self.cleaned_data.get(f"h_{fact.id}", UNKNOWN))
                if value is not None:
                    out[fact.id] = value
        return out


def build_case(form: TryForm, rows: PersonFormSet) -> tuple[Case, dict[str, str]]:
    """The navigator's Case and a label for each person id (「1: 世帯主」)."""
    people, labels = [], {}
    for i, row in enumerate(rows.forms, 1):
        if not row.has_changed():
            continue  # a row left as drawn is no one
        facts = row.facts()
        facts["applicant"] = form.cleaned_data["applicant"] == i
        people.append(Person(str(i), facts))
        labels[str(i)] = f"{i}: {facts.get('relation') or '—'}"
    case = Case(
        events=list(form.cleaned_data["events"]),
        date=form.cleaned_data["date"],
        household=form.household(),
        people=people,
    )
    return case, labels
