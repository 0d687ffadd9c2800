from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from catalog.pack import default_pack
from catalog.scenario import ScenarioError
from madoguchi.inputs import Form
from training import scenarios


class AssignForm(Form):
    """A supervisor gives trainees a scenario: one from the library, or a pasted YAML."""

    # Choices, not a model field: a posted id is matched against the list, never queried.
    trainees = forms.MultipleChoiceField(
        label=_("練習する職員"), widget=forms.CheckboxSelectMultiple
    )
    scenario = forms.ChoiceField(label=_("シナリオ"), required=False)
    event = forms.ChoiceField(label=_("カタログの届出から作る（架空の世帯）"), required=False)
    text = forms.CharField(
        label=_("自治体のシナリオ（YAML を貼り付け）"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 70}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.library = {s.file: s for s in scenarios.library()}
        self.staff = {str(s.pk): s for s in access.trainees().order_by("display_name")}
        self.fields["trainees"].choices = [(k, s.display_name) for k, s in self.staff.items()]
        self.fields["scenario"].choices = [("", "—")] + [
            (s.file, f"{s.name}（{s.file}）") for s in self.library.values()
        ]
        self.fields["event"].choices = [("", "—")] + [
            (e.id, e.name) for e in default_pack().events.values()
        ]

    def clean_trainees(self):
        return [self.staff[k] for k in self.cleaned_data["trainees"]]

    def clean(self):
        data = super().clean()
        text, file = (data.get("text") or "").strip(), data.get("scenario")
        event = data.get("event")
        if [bool(text), bool(file), bool(event)].count(True) != 1:
            raise ValidationError(
                _(
                    "シナリオを一覧から選ぶか、届出を選ぶか、YAML を貼り付けてください（どれか1つ）。"
                )
            )
        if event:
            name, yaml_text = scenarios.from_event(event, timezone.localdate())
            data.update(name=name, source=_("カタログの届出"), yaml=yaml_text)
        elif file:
            chosen = self.library[file]
            data.update(name=chosen.name, source=file, yaml=chosen.text)
        else:
            try:
                sc = scenarios.parse(text)
            except ScenarioError as e:
                raise ValidationError(
                    _("シナリオが正しくありません：%(e)s"), params={"e": e.message}
                ) from None
            data.update(name=sc.name, source=_("貼り付け"), yaml=text)
        return data
