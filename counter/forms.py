import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.forms import WarekiDateField
from counter.models import VisitPerson, move_events
from lib import kana, postal, wareki
from lib.text import halfwidth_input
from madoguchi.inputs import Form, phone_number
from residents.models import Resident

_PERSON_KEY = re.compile(r"[-a-zA-Z0-9_]{1,20}")  # VisitPerson.key ("p1")


def event_choices():
    from catalog.pack import default_pack

    return [(e.id, e.name) for e in default_pack().events.values()]


RELATIONS = [
    "世帯主",
    "妻",
    "夫",
    "子",
    "父",
    "母",
    "兄",
    "姉",
    "弟",
    "妹",
    "子の妻",
    "子の夫",
    "子の子",
    "妻(未届)",
    "夫(未届)",
    "縁故者",
    "同居人",
]


class StartVisitForm(Form):
    events = forms.MultipleChoiceField(
        label=_("届出の種類（複数可）"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("届出の種類を選んでください。")},
    )
    event_date = WarekiDateField(
        label=_("異動日・事由の日"), help_text=_("例：R8.4.1、令和8年4月1日、2026-04-01")
    )
    household = forms.IntegerField(label=_("世帯"), required=False, widget=forms.HiddenInput)
    # 転居 into this (registered) household; a 転入 from a household always joins it.
    joins = forms.BooleanField(
        label=_("この世帯に加わる転居（この世帯の住所へ移る）"), required=False
    )
    # One per screen: a double click or a resubmission finds the visit it started.
    token = forms.CharField(
        label=_("送信番号"), required=False, max_length=40, widget=forms.HiddenInput
    )
    # Started from a card read on the home screen: the visit takes that read (counter.card).
    from_card = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, newcomer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.newcomer = newcomer
        self.fields["events"].choices = event_choices()
        self.fields["event_date"].initial = wareki.to_wareki_short(timezone.localdate())
        # The clerk's next keys go to the date: typed, then Enter starts the visit.
        self.fields["event_date"].widget.attrs["autofocus"] = True
        if newcomer:
            # Without a register entry the visit is a 転入 (国外転入 is one click away).
            self.fields["events"].initial = ["tennyu"]

    def clean_events(self):
        events = self.cleaned_data["events"]
        moves = move_events(events)
        if len(moves) > 1:
            raise forms.ValidationError(_("転入・転出・転居は、1つの来庁で1つだけ選んでください。"))
        if self.newcomer and not any(e.move == "in" for e in moves):
            # Without a register entry only a move into the city can be handled.
            raise forms.ValidationError(
                _("住民登録のない方は、転入（国内・国外）を含めて選んでください。")
            )
        return events


class PersonNameFields:
    """A person's name fields, shared by the counter's and the phone's forms: cleaned (the name
    stored exactly as typed, IVS and rare characters kept, only the spaces at either end go; the
    reading kept in katakana) and handed to counter.services as one person."""

    kana_message = _("フリガナはカタカナまたはひらがなで入力してください。")

    def clean_surname(self):
        return self.cleaned_data["surname"].strip(" \u3000")

    def clean_given_name(self):
        return self.cleaned_data["given_name"].strip(" \u3000")

    def _clean_kana(self, field):
        value = self.cleaned_data[field].strip(" \u3000")
        if value and not kana.is_kana(value):
            raise forms.ValidationError(self.kana_message)
        return kana.to_katakana(value)

    def clean_surname_kana(self):
        # The whole reading typed in one field (カサイ　タツジ), as a name is read out: the
        # part after the space is the given name's when that field was left empty.
        value = self.cleaned_data["surname_kana"].strip(" \u3000")
        head, *rest = re.split(r"[ \u3000]+", value, maxsplit=1)
        given = self.data.get(self.add_prefix("given_kana"), "")
        if rest and not given.strip(" \u3000"):
            self.cleaned_data["surname_kana"], self._given_kana_from_surname = head, rest[0]
        return self._clean_kana("surname_kana")

    def clean_given_kana(self):
        if not self.cleaned_data["given_kana"].strip(" \u3000"):
            self.cleaned_data["given_kana"] = getattr(self, "_given_kana_from_surname", "")
        return self._clean_kana("given_kana")

    def person_fields(self) -> dict:
        """The person as counter.services stores them: the name as 氏　名, the reading alike."""
        d = self.cleaned_data
        join = lambda a, b: f"{a}\u3000{b}" if b else a  # noqa: E731
        return {
            "name": join(d["surname"], d["given_name"]),
            "name_kana": join(d["surname_kana"], d["given_kana"]),
            "birth_date": d["birth_date"],
            "sex": d["sex"],
            "relation": d["relation"],
            "nationality": d["nationality"],
        }


class NewcomerForm(PersonNameFields, Form):
    surname = forms.CharField(label=_("氏"), max_length=40)
    given_name = forms.CharField(label=_("名"), max_length=40, required=False)
    surname_kana = forms.CharField(label=_("氏（フリガナ）"), max_length=40, required=False)
    given_kana = forms.CharField(label=_("名（フリガナ）"), max_length=40, required=False)
    # 性別 before 生年月日: the date is the last field typed, and Enter there adds the person.
    sex = forms.ChoiceField(label=_("性別"), choices=[("", "―"), *Resident.Sex.choices])
    birth_date = WarekiDateField(
        label=_("生年月日"), help_text=_("例：S55.3.2、昭和55年3月2日、1980-03-02")
    )
    relation = forms.ChoiceField(label=_("続柄"), choices=[(r, r) for r in RELATIONS])
    role = forms.ChoiceField(
        label=_("役割"), choices=VisitPerson.Role.choices, initial="member", required=False
    )
    nationality = forms.CharField(
        label=_("国籍・地域"),
        max_length=40,
        initial="JP",
        help_text=_("日本国籍は JP、外国籍は国名"),
    )
    token = forms.CharField(
        label=_("送信番号"), required=False, max_length=40, widget=forms.HiddenInput
    )
    # Set by 「カードを読む」 (counter/card_views.py): the person showed a My Number card.
    from_card = forms.BooleanField(label=_("カード読取"), required=False, widget=forms.HiddenInput)
    # …and the 個人番号 read with it, as counter.card.sign_number made it (never the digits).
    card_number = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    def clean_role(self):
        return self.cleaned_data["role"] or VisitPerson.Role.MEMBER

    def clean_nationality(self):
        value = self.cleaned_data["nationality"].strip()
        return "JP" if value.upper() in ("JP", "日本", "JPN", "") else value

    def person_fields(self) -> dict:
        return {**super().person_fields(), "role": self.cleaned_data["role"]}


SPOUSE_OF = {"1": ("妻", "2"), "2": ("夫", "1")}  # the head's sex -> (relation, sex)


def newcomer_defaults(visit) -> dict:
    """What the next newcomer row starts with, shown for the clerk to keep or change: the
    first person is the 世帯主; the next, while the household has no spouse, the head's
    spouse (of the other sex); then a child. Family members share the head's surname and
    its reading. Sex is never defaulted otherwise: the clerk chooses it."""
    people = list(visit.people.select_related("resident"))
    if not people:
        return {"relation": "世帯主"}
    head = next((p for p in people if (p.resident or p).relation == "世帯主"), people[0])
    who = head.resident or head
    surname = who.name.partition("\u3000")[0]
    kana = (who.name_kana or "").partition("\u3000")[0]
    initial = {"surname": surname, "surname_kana": kana, "relation": "子"}
    has_spouse = any((p.resident or p).relation in ("妻", "夫") for p in people)
    if not has_spouse and who.sex in SPOUSE_OF:
        initial["relation"], initial["sex"] = SPOUSE_OF[who.sex]
    return initial


class AddressForm(Form):
    """New and old address of the move; every field saves on its own as it is typed."""

    FIELDS = ("zip", "pref", "city", "town", "banchi", "katagaki")

    which = forms.ChoiceField(choices=[("new_address", "new"), ("old_address", "old")])
    zip = forms.CharField(max_length=12, required=False)
    pref = forms.CharField(max_length=10, required=False)
    city = forms.CharField(max_length=30, required=False)
    town = forms.CharField(max_length=60, required=False)
    banchi = forms.CharField(max_length=60, required=False)
    katagaki = forms.CharField(max_length=100, required=False)
    country = forms.CharField(max_length=40, required=False)
    text = forms.CharField(max_length=200, required=False)
    phone = forms.CharField(label=_("電話番号"), max_length=20, required=False)

    def clean_zip(self):
        # ０９０－００２４ as the IME types it is 0900024 like 090-0024.
        value = self.cleaned_data["zip"]
        if not value.strip():
            return ""
        code = postal.normalize_zip(value)
        if code is None:
            raise forms.ValidationError(
                _("郵便番号は7桁の数字で入力してください（例：090-0024）。")
            )
        return code

    def clean_banchi(self):
        # 番地 is stored with ASCII digits (printing widens it again: １２３番地４).
        return halfwidth_input(self.cleaned_data["banchi"])

    def clean_phone(self):
        return phone_number(self.cleaned_data["phone"])


class SearchForm(Form):
    """The counter's one search box: a name, kana, address, birth date or number."""

    q = forms.CharField(label=_("検索語"), max_length=200, required=False, strip=False)
    # Off by default: ヤマサキ also finds ヤマザキ (after the exact readings).
    exact = forms.BooleanField(label=_("濁点・半濁点を区別する"), required=False)


class AnswerForm(Form):
    """One interview answer: a fact of the pack, for some people of the visit (or the household),
    as the screen's button or field sent it. `value` "" is わからない; "-" is none of a set."""

    fact = forms.CharField(label=_("質問"), max_length=60)
    # "p1,p3" answers the same for several people (the 全員いいえ button); "" is the household.
    person = forms.CharField(label=_("対象者"), max_length=200, required=False)
    value = forms.CharField(label=_("回答"), max_length=400, required=False)
    unanswered = forms.BooleanField(required=False)

    def __init__(self, *args, pack, **kwargs):
        super().__init__(*args, **kwargs)
        self.pack = pack

    def clean_fact(self):
        fact = self.pack.facts.get(self.cleaned_data["fact"])
        if fact is None:
            raise forms.ValidationError(
                _("不明な質問です：%(fact)s"), params={"fact": self.cleaned_data["fact"]}
            )
        return fact

    def clean_person(self):
        keys = [k for k in self.cleaned_data["person"].split(",") if k]
        if any(not _PERSON_KEY.fullmatch(k) for k in keys):
            raise forms.ValidationError(_("対象者の指定が正しくありません。"))
        return keys

    def clean(self):
        data = super().clean()
        fact, raw = data.get("fact"), data.get("value")
        if fact is None or raw is None:
            return data
        try:
            if raw == "":
                data["value"] = None  # わからない
            elif raw == "-" and fact.type == "set":
                data["value"] = []  # none of the choices (e.g. no 障害者手帳)
            else:
                data["value"] = fact.parse(raw)
        except ValueError as e:
            self.add_error("value", str(e))
        return data


class ReasonForm(Form):
    """Why a visit is cancelled or reopened: kept with the change and in the audit log."""

    reason = forms.CharField(
        label=_("理由"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 50}),
        error_messages={"required": _("理由を入力してください。")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip(" \u3000\n")
        if not reason:
            raise forms.ValidationError(_("理由を入力してください。"))
        return reason
