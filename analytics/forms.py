from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Office
from madoguchi.inputs import Form, HalfwidthDateField


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

    def period(self):
        c = self.cleaned_data if self.is_valid() else {}
        end = c.get("end") or timezone.localdate()
        start = c.get("start") or end - timedelta(days=6)
        if start > end:
            start, end = end, start
        return start, min(end, start + timedelta(days=366)), c.get("office")
