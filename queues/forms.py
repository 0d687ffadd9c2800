from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from catalog.forms import WarekiDateField
from madoguchi.inputs import Form, HalfwidthDateField, phone_number
from queues.models import Counter, Slot
from queues.purposes import CHOICES, PUBLIC_BOOKING


class IssueForm(Form):
    purpose = forms.ChoiceField(choices=CHOICES, required=False)
    token = forms.CharField(max_length=40, required=False)
    reservation = forms.IntegerField(required=False)  # staff only: a booked resident has arrived

    def clean(self):
        data = super().clean()
        if not data.get("purpose") and not data.get("reservation"):
            raise forms.ValidationError(_("ご用件を選んでください。"))
        return data


class TransferForm(Form):
    counter = forms.ModelChoiceField(
        Counter.objects.none(), required=False, label=_("窓口"), empty_label=_("窓口を選ぶ")
    )
    department = forms.ModelChoiceField(
        Department.objects.all(),
        required=False,
        label=_("担当課"),
        empty_label=_("または担当課を選ぶ"),
    )

    def __init__(self, *args, office=None, **kw):
        super().__init__(*args, **kw)
        self.fields["counter"].queryset = Counter.objects.filter(office=office, active=True)

    def clean(self):
        data = super().clean()
        if not data.get("counter") and not data.get("department"):
            raise forms.ValidationError(_("転送先の窓口か担当課を選んでください。"))
        return data


class HoldForm(Form):
    """保留 says why, so whoever calls the ticket back knows what the resident went to do."""

    reason = forms.CharField(
        label=_("保留の理由"),
        max_length=200,
        error_messages={"required": _("保留の理由を入力してください。")},
        widget=forms.TextInput(attrs={"list": "hold-reasons", "placeholder": _("保留の理由")}),
    )


class CallTicketForm(Form):
    """Call this ticket to a counter of its office (the staff screen's own counter if none)."""

    counter = forms.ModelChoiceField(Counter.objects.none(), required=False, label=_("窓口"))

    def __init__(self, *args, office=None, **kw):
        super().__init__(*args, **kw)
        self.fields["counter"].queryset = Counter.objects.filter(office=office)


class BookForm(Form):
    own = ""  # the purpose a form of its own books (おくやみ), besides the public ones
    slot = forms.ModelChoiceField(Slot.objects.none(), label=_("日時"))
    name = forms.CharField(max_length=100, label=_("お名前"))
    name_kana = forms.CharField(max_length=100, required=False, label=_("フリガナ"))
    phone = forms.CharField(max_length=20, required=False, label=_("電話番号"))
    token = forms.CharField(max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, office=None, purpose=None, **kw):
        super().__init__(*args, **kw)
        qs = Slot.objects.filter(office=office, starts_at__gte=timezone.now())
        if purpose is None:  # the public form: only what residents may book themselves
            qs = qs.filter(purpose__in=PUBLIC_BOOKING)
        else:  # from the link's ?purpose= (a code of ours, or no slot), or おくやみ's own form
            qs = qs.filter(purpose=purpose) if purpose in PUBLIC_BOOKING + [self.own] else qs.none()
        self.fields["slot"].queryset = qs
        self.fields["slot"].label_from_instance = lambda s: (
            f"{timezone.localtime(s.starts_at):%m/%d %H:%M} {s.get_purpose_display()}（"
            + str(_("残り %(n)s") % {"n": s.free})
            + "）"
        )

    def clean_phone(self):
        return phone_number(self.cleaned_data["phone"])


class OkuyamiForm(BookForm):
    own = "death"
    deceased_name = forms.CharField(max_length=100, label=_("亡くなった方のお名前"))
    deceased_kana = forms.CharField(max_length=100, label=_("亡くなった方のフリガナ"))
    # Written as the family knows it: 昭和15年3月2日, S15.3.2 or 1940-03-02 (lib.wareki).
    deceased_birth = WarekiDateField(
        label=_("亡くなった方の生年月日"),
        widget=forms.TextInput(attrs={"maxlength": 20}),
        help_text=_("和暦でも西暦でも入力できます（例：昭和15年3月2日、S15.3.2、1940-03-02）"),
    )
    death_date = HalfwidthDateField(
        label=_("亡くなった日"), widget=forms.DateInput(attrs={"type": "date"})
    )
    relation = forms.CharField(max_length=30, required=False, label=_("亡くなった方との続柄"))

    def clean_death_date(self):
        d = self.cleaned_data["death_date"]
        if d > timezone.localdate():
            raise forms.ValidationError(_("亡くなった日が未来の日付です。"))
        return d

    def details(self) -> dict:
        c = self.cleaned_data
        return {
            "deceased": {
                "name": c["deceased_name"],
                "name_kana": c["deceased_kana"],
                "birth_date": c["deceased_birth"].isoformat(),
                "death_date": c["death_date"].isoformat(),
            },
            "applicant": {
                "name": c["name"],
                "name_kana": c["name_kana"],
                "phone": c["phone"],
                "relation": c["relation"],
            },
        }


class SlotsForm(Form):
    """Open a day's slots for a purpose: every `minutes` from `first` to `last`."""

    purpose = forms.ChoiceField(choices=CHOICES, label=_("ご用件"))
    day = HalfwidthDateField(label=_("日付"), widget=forms.DateInput(attrs={"type": "date"}))
    first = forms.TimeField(label=_("最初の枠"), initial="09:00")
    last = forms.TimeField(label=_("最後の枠"), initial="16:00")
    minutes = forms.IntegerField(min_value=10, max_value=120, initial=30, label=_("1枠の分"))
    capacity = forms.IntegerField(min_value=1, max_value=50, initial=2, label=_("定員"))
