"""Tickets, counters and reservations. A ticket's history is its transitions: waits and
service times are queries over them (analytics.figures), never stored guesses."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Office
from counter.models import Visit
from queues.purposes import BOOKED_FIRST, CHOICES, purpose
from tenants.models import TenantManager, TenantModel


def _token() -> str:
    return secrets.token_urlsafe(12)


class Counter(TenantModel):
    """A 窓口 of an office, called by its number (「3番窓口」)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="counters")
    number = models.PositiveSmallIntegerField(_("窓口番号"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["office", "number"]
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="counter_number")]

    def __str__(self):
        return _("%(n)s番窓口") % {"n": self.number}


class TicketQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(state=Ticket.State.WAITING)

    def open(self):
        return self.exclude(state__in=(Ticket.State.DONE, Ticket.State.CLOSED))

    def for_counter(self, counter: Counter):
        """Waiting tickets this counter may call: its department's, or sent to it by number."""
        return (
            self.waiting()
            .filter(office=counter.office)
            .filter(
                models.Q(counter=counter)
                | models.Q(counter__isnull=True, department=counter.department)
            )
        )

    def call_order(self):
        return self.order_by("issued_at", "id")

    def in_call_order(self, now):
        """The order a counter calls its line in: a checked-in reservation whose booked time
        has come (for a purpose with `booked_first`) before the walk-ins, earliest booking
        first; everyone else by issue time. call_next, the staff list and the wait page's
        position all read this one order."""
        due = models.Q(purpose__in=BOOKED_FIRST, reservation__slot__starts_at__lte=now)
        return self.annotate(
            booked_due=models.Case(
                models.When(due, then=models.Value(0)),
                default=models.Value(1),
                output_field=models.IntegerField(),
            ),
            booked_at=models.Case(
                models.When(due, then=models.F("reservation__slot__starts_at")),
                default=models.F("issued_at"),
            ),
        ).order_by("booked_due", "booked_at", "issued_at", "id")


class Ticket(TenantModel):
    class State(models.TextChoices):
        WAITING = "waiting", _("お待ちください")
        CALLED = "called", _("呼出中")
        HELD = "held", _("保留")
        NO_SHOW = "noshow", _("不在")  # called and recalled, nobody came; may be called again
        DONE = "done", _("完了")
        CLOSED = "closed", _("終了")

    office = models.ForeignKey(Office, on_delete=models.PROTECT)
    day = models.DateField()
    number = models.PositiveIntegerField(_("番号"))
    purpose = models.CharField(_("ご用件"), max_length=20, choices=CHOICES)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状態"), max_length=10, choices=State.choices, default=State.WAITING)
    # While waiting: the counter it was sent to (null = any counter of the department);
    # once called: the counter that called it.
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    reservation = models.ForeignKey(
        "Reservation", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    # The phone page's address: unguessable, and it shows no name.
    token = models.CharField(max_length=24, unique=True, default=_token)
    # The kiosk's or staff form's one-time key: a double tap prints one ticket.
    issue_token = models.CharField(max_length=40, unique=True, null=True, blank=True)

    objects = TenantManager.from_queryset(TicketQuerySet)()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "day", "number"], name="ticket_number")
        ]
        indexes = [
            # The call-next query and the display: an office's tickets of today by state.
            models.Index(fields=["office", "day", "state"], name="ticket_board"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{purpose(self.purpose).prefix}{self.number:03d}"

    @property
    def purpose_label(self):
        return purpose(self.purpose).label

    @property
    def booked_time(self):
        """The reservation's booked time, for the 予約 mark on the staff screen."""
        r = self.reservation
        return r.slot.starts_at if r is not None and r.slot_id else None


class TicketSequence(TenantModel):
    """The last number an office gave on a day. Taking a number updates this row, which holds
    its lock until the ticket is committed, so simultaneous kiosk taps wait in turn instead
    of colliding on the same number (queues.services.issue_ticket)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "day"], name="ticket_sequence_day")
        ]

    def __str__(self):
        return f"{self.office_id} {self.day} {self.last}"


class TicketTransition(TenantModel):
    class Kind(models.TextChoices):
        ISSUED = "issued", _("発券")
        CALLED = "called", _("呼出")
        RECALLED = "recalled", _("再呼出")
        HELD = "held", _("保留")
        NO_SHOW = "noshow", _("不在")
        TRANSFERRED = "transferred", _("転送")
        DONE = "done", _("完了")
        CLOSED = "closed", _("終了")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The analytics and the wait estimate read transitions of a period by kind.
            models.Index(fields=["kind", "at"], name="ticket_transition_period"),
        ]

    def __str__(self):
        return f"{self.ticket_id}:{self.kind}"


class Slot(TenantModel):
    """A 来庁予約 slot of an office for one purpose; `capacity` bookings at most."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT)
    purpose = models.CharField(_("ご用件"), max_length=20, choices=CHOICES)
    starts_at = models.DateTimeField(_("開始"))
    minutes = models.PositiveSmallIntegerField(default=30)
    capacity = models.PositiveSmallIntegerField(_("定員"), default=1)
    booked = models.PositiveSmallIntegerField(default=0)  # kept by book(), under a row lock

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["office", "purpose", "starts_at"], name="slot_unique"),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.purpose}"

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


class Reservation(TenantModel):
    class Kind(models.TextChoices):
        GENERAL = "general", _("来庁予約")
        OKUYAMI = "okuyami", _("おくやみ予約")
        TENNYU = "tennyu", _("転入予約")

    class State(models.TextChoices):
        BOOKED = "booked", _("予約済")
        PREPARED = "prepared", _("準備済")
        ARRIVED = "arrived", _("来庁済")
        CANCELLED = "cancelled", _("取消")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.GENERAL)
    office = models.ForeignKey(Office, on_delete=models.PROTECT)
    slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.PROTECT, related_name="reservations"
    )
    planned_date = models.DateField(_("来庁予定日"))
    name = models.CharField(_("お名前"), max_length=100)
    name_kana = models.CharField(_("フリガナ"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    # おくやみ: the deceased's and the applicant's details; 転入: the feed's record as received.
    details = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.BOOKED)
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prepare_note = models.TextField(blank=True)  # why preparing found no household, for the clerk
    # The feed's 予約番号: importing the same announcement twice changes nothing.
    external_id = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001 (NULL: no feed; several NULLs pass the constraint)
    token = models.CharField(max_length=40, unique=True, null=True, blank=True)  # double submit
    # The resident's own link (/queue/r/<key>/): the booking, its number and its cancel button.
    public_key = models.CharField(max_length=24, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        # Unique within a municipality: each city numbers its own. The tenant comes second: a
        # leading tenant column would draw the planner away from the search indexes.
        constraints = [
            models.UniqueConstraint(
                fields=["external_id", "tenant"], name="reservation_external_id"
            )
        ]
        ordering = ["planned_date", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @property
    def number(self) -> str:
        """The 予約番号 a resident quotes on the phone or at the counter."""
        return f"R{self.pk:06d}"
