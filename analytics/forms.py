from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Office
from madoguchi.inputs import Form, HalfwidthDateField

MAX_DAYS = 366


class AnalyticsForm(Form):
    start = HalfwidthDateField(
        required=False, label=_("開始日"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = HalfwidthDateField(
        required=False, label=_("終了日"), widget=forms.DateInput(attrs={"type": "date"})
    )
    office = forms.ModelChoiceField(
        Office.objects.all(), required=False, label=_("庁舎"), empty_label=_("全庁舎")
    )

    def clean(self):
        c = super().clean()
        if self.errors:  # a date that is not one: its own message says so
            return c
        first, last = self._period(c)
        if first > last:
            raise ValidationError(
                _("開始日（%(start)s）が終了日（%(end)s）より後です。")
                % {"start": first, "end": last},
                code="order",
            )
        if (last - first).days >= MAX_DAYS:
            raise ValidationError(
                _("期間は %(n)s 日以内で指定してください。") % {"n": MAX_DAYS}, code="long"
            )
        return c

    def period(self):
        """(start, end, office) of a valid form, or of none sent: the last 7 days. A form with
        errors has no period: the view shows its errors instead of other figures."""
        if self.is_bound and not self.is_valid():
            raise ValueError("invalid filters")
        c = self.cleaned_data if self.is_bound else {}
        start, end = self._period(c)
        return start, end, c.get("office")

    @staticmethod
    def _period(c):
        end = c.get("end") or timezone.localdate()
        return c.get("start") or end - timedelta(days=6), end
