"""Practice for new clerks (練習モード): a supervisor's assignments and each attempt's score.

The practice itself — residents, households, visits — lives in the training register
(residents.practice); these rows only say who practised what, when, and how it went.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from counter.models import Visit
from residents.models import Household
from tenants.models import TenantModel


class Assignment(TenantModel):
    """A scenario a supervisor gave a trainee. The YAML is kept as it was assigned, so a
    result is always scored against the scenario the trainee actually had."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(_("シナリオ"), max_length=200)
    source = models.CharField(_("出典"), max_length=200)  # file name, or 「貼り付け」
    scenario = models.TextField(_("シナリオ（YAML）"))

    class Meta:
        ordering = ["-assigned_at", "-id"]

    def __str__(self):
        return f"{self.trainee_id}: {self.name}"


class Attempt(TenantModel):
    """One run of an assignment through the counter, scored when its visit is accepted."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attempts")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_attempts"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The training household made for the scenario (None when everyone is a newcomer).
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL)
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL)
    # Requests that changed something while practising (training.middleware counts them).
    actions = models.PositiveIntegerField(_("操作回数"), default=0)
    score = models.JSONField(default=dict, blank=True)  # training.scoring.Score.as_json()

    class Meta:
        ordering = ["-started_at", "-id"]
        # The results page reads a trainee's attempts newest first.
        indexes = [models.Index(fields=["trainee", "-started_at"], name="attempt_trainee")]

    def __str__(self):
        return f"{self.assignment_id}@{self.started_at:%Y-%m-%d %H:%M}"

    @property
    def seconds(self) -> int | None:
        if self.finished_at is None:
            return None
        return int((self.finished_at - self.started_at).total_seconds())

    @property
    def perfect(self) -> bool:
        return bool(self.score) and not self.score.get("missed") and not self.score.get("extra")
