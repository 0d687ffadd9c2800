"""Remote consultations (リモート窓口) between a branch counter and a main-office department.

A consultation is one row with its current state; every transition is a ConsultationEvent
row with who and when, which the analytics read. No media is ever stored.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Office
from counter.models import Visit
from tenants.models import TenantManager, TenantModel


class ConsultationQuerySet(models.QuerySet):
    def waiting_for(self, department):
        return self.filter(department=department, state=Consultation.State.REQUESTED)

    def live(self):
        """Admitted or connected: the two parties may be in the room."""
        return self.filter(state__in=Consultation.LIVE_STATES)

    def stale(self, cutoff):
        """Live calls neither of whose pages has been heard from since cutoff (browsers closed,
        a PC switched off): remote.services.end_stale ends them."""
        branch_gone = models.Q(branch_seen_at__isnull=True) | models.Q(branch_seen_at__lt=cutoff)
        specialist_gone = models.Q(specialist_seen_at__isnull=True) | models.Q(
            specialist_seen_at__lt=cutoff
        )
        return self.live().filter(branch_gone, specialist_gone)


class Consultation(TenantModel):
    class State(models.TextChoices):
        REQUESTED = "requested", _("待機中")
        ADMITTED = "admitted", _("受け入れ済")
        DECLINED = "declined", _("お断り")
        CONNECTED = "connected", _("通話中")
        ENDED = "ended", _("終了")

    LIVE_STATES = (State.ADMITTED, State.CONNECTED)

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="consultations")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, verbose_name=_("依頼した庁舎"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, verbose_name=_("相談先"))
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    note = models.CharField(_("相談内容"), max_length=200, blank=True)
    decline_message = models.CharField(_("お断りの理由"), max_length=200, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    # When each party's room page last spoke on its socket (remote.consumers, every
    # ALIVE_SECONDS): a call both of whose pages fell silent is ended by `remote_due`.
    branch_seen_at = models.DateTimeField(null=True, blank=True)
    specialist_seen_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager.from_queryset(ConsultationQuerySet)()

    class Meta:
        ordering = ["requested_at", "id"]
        # The lobby page polls "requested for my department" every few seconds.
        indexes = [models.Index(fields=["department", "state"], name="consultation_lobby")]

    def __str__(self):
        return f"{self.visit_id}→{self.department_id} ({self.state})"

    def role_of(self, user) -> str | None:
        """ "branch" or "specialist" for the two parties of a live consultation, else None."""
        if self.state not in self.LIVE_STATES or user is None or not user.is_authenticated:
            return None
        if user.pk == self.requested_by_id:
            return "branch"
        if user.pk == self.specialist_id:
            return "specialist"
        return None

    @property
    def group(self) -> str:
        return f"remote.room.{self.pk}"


class ConsultationEvent(TenantModel):
    class Kind(models.TextChoices):
        REQUESTED = "requested", _("依頼")
        ADMITTED = "admitted", _("受け入れ")
        DECLINED = "declined", _("お断り")
        CONNECTED = "connected", _("接続")
        ENDED = "ended", _("終了")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        # The analytics dashboard counts transitions per kind over a date range.
        indexes = [models.Index(fields=["kind", "at"], name="consultation_event_kind_at")]

    def __str__(self):
        return f"{self.consultation_id}:{self.kind}"
