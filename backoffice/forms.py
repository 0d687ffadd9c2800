from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Office
from backoffice.models import Task
from catalog.pack import default_pack
from madoguchi.inputs import Form


class QueueFilterForm(Form):
    office = forms.ModelChoiceField(
        Office.objects.all(), required=False, label=_("庁舎"), empty_label=_("すべての庁舎")
    )
    event = forms.ChoiceField(required=False, label=_("届出"))
    state = forms.ChoiceField(required=False, label=_("状態"))
    sort = forms.ChoiceField(
        required=False,
        label=_("並び順"),
        choices=[("new", _("新しい来庁順")), ("deadline", _("期限の近い順"))],
    )

    def __init__(self, *args, branch_office=None, department_choice=False, **kwargs):
        super().__init__(*args, **kwargs)
        if department_choice:
            # Supervisors and administrators look at any department's queue.
            self.fields = {
                "department": forms.ModelChoiceField(
                    Department.objects.order_by("id"),
                    to_field_name="code",
                    required=False,
                    label=_("課"),
                    empty_label=_("自分の課"),
                ),
                **self.fields,
            }
        self.fields["event"].choices = [("", _("すべての届出"))] + [
            (e.id, e.name) for e in default_pack().events.values()
        ]
        self.fields["state"].choices = (
            [("open", _("未完了すべて"))] + list(Task.State.choices) + [("all", _("すべて"))]
        )
        if branch_office is not None:
            # Branch staff see their own office's visits only: the choice is not theirs to make.
            self.fields["office"].queryset = Office.objects.filter(pk=branch_office.pk)


class TransitionForm(Form):
    action = forms.ChoiceField(
        choices=[("start", _("着手")), ("done", _("完了")), ("return", _("差戻し"))],
        widget=forms.HiddenInput,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("差戻し理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )

    def clean_action(self):
        # The pressed button's name=value wins over the hidden field (one form, three buttons).
        value = self.data.get("do") or self.cleaned_data.get("action")
        if value not in ("start", "done", "return"):
            raise forms.ValidationError(_("操作を選んでください。"))
        return value


class CallForm(Form):
    department = forms.ModelChoiceField(
        Department.objects.order_by("id"), label=_("呼ぶ課"), empty_label=None
    )
    counter = forms.CharField(
        label=_("窓口"),
        max_length=20,
        initial="",
        widget=forms.TextInput(attrs={"size": 8, "placeholder": _("3番窓口")}),
    )
    note = forms.CharField(
        label=_("用件"), max_length=200, required=False, widget=forms.TextInput(attrs={"size": 24})
    )

    def clean_counter(self):
        value = self.cleaned_data["counter"].strip()
        # "3" is what a clerk types; the screens say 「3番窓口」.
        return f"{value}番窓口" if value.isdigit() else value
