from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from madoguchi.inputs import Form


class RequestForm(Form):
    department = forms.ModelChoiceField(
        Department.objects.exclude(code="shimin").order_by("id"),
        label=_("相談先"),
        empty_label=None,
    )
    note = forms.CharField(label=_("相談内容（任意）"), max_length=200, required=False)


class DeclineForm(Form):
    message = forms.CharField(
        label=_("お断りの理由"),
        max_length=200,
        initial=_("ただいま担当者が対応できません。しばらくしてから、もう一度依頼してください。"),
    )
