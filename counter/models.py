"""Visits (来庁), what the interview learned, and what was printed and signed for them.

A visit's people are rows: a registered resident (facts from the register) or a newcomer
(identity typed at the counter). Answers are rows too, so the interview's history is a
query and nothing typed is lost when the browser closes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Office
from catalog.pack import default_pack
from lib.mynumber import MASK_CHAR, mask
from residents import mynumber
from residents.models import Household, Resident
from residents.practice import RegisterManager, training_field
from tenants.models import TenantManager, TenantModel


def move_events(event_ids) -> list:
    """The events among `event_ids` that move the address (events.yaml `move`), read from the
    active pack: what an event means is the pack's data, never a test of its id."""
    events = default_pack().events
    return [events[e] for e in event_ids if e in events and events[e].move]


class Visit(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("聞き取り中")
        ACCEPTED = "accepted", _("受付済")
        CANCELLED = "cancelled", _("取消")

    number = models.CharField(_("受付番号"), max_length=20)
    office = models.ForeignKey(Office, on_delete=models.PROTECT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    events = models.JSONField(_("届出の種類"), default=list)
    event_date = models.DateField(_("異動日"))
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT)
    household_facts = models.JSONField(default=dict, blank=True)
    new_address = models.JSONField(_("新住所"), default=dict, blank=True)
    old_address = models.JSONField(_("旧住所"), default=dict, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    pack_version = models.CharField(max_length=40, blank=True)
    # The start form's one-time token: a double click or a resubmission finds this visit
    # instead of opening a second one.
    start_token = models.CharField(max_length=40, unique=True, null=True, blank=True)
    # 要確認 results ("procedure@person") the clerk did not confirm at 受付完了: they stay on the
    # visit as 要確認 and backoffice makes no task of them (backoffice.services._make_tasks).
    held_checks = models.JSONField(_("保留した要確認"), default=list, blank=True)
    # A trainee's visit (練習モード): the default manager leaves it out of everything real
    # (residents.practice), and accept_visit hands it to nobody.
    training = training_field()

    objects = RegisterManager()

    class Meta:
        # Unique within a municipality: each city numbers its own. The tenant comes second: a
        # leading tenant column would draw the planner away from the search indexes.
        constraints = [models.UniqueConstraint(fields=["number", "tenant"], name="visit_number")]

    def __str__(self):
        return self.number

    # What the visit's events mean for its addresses (one move event per visit at most:
    # counter.forms.StartVisitForm). The counter's screens, its write functions and the
    # packet (PacketData.move, .abroad) all read these.
    @property
    def move(self) -> str | None:
        """ "in", "out" or "within" when the visit moves the household's address."""
        return next((e.move for e in move_events(self.events)), None)

    @property
    def moves(self) -> bool:
        return self.move is not None

    @property
    def moves_in(self) -> bool:
        return self.move == "in"

    @property
    def moves_out(self) -> bool:
        return self.move == "out"

    @property
    def moves_within(self) -> bool:
        return self.move == "within"

    @property
    def abroad(self) -> bool:
        """The move's other end is outside Japan (転入 from abroad, 転出 abroad)."""
        return any(e.abroad for e in move_events(self.events))

    @property
    def leaves_address(self) -> bool:
        """The register's current address becomes the old one (転出, 転居)."""
        return self.moves_out or self.moves_within

    @property
    def new_address_in_city(self) -> bool:
        return self.moves_in or self.moves_within

    @property
    def is_locked(self) -> bool:
        """Accepted or cancelled: the visit is read-only (a supervisor may reopen an accepted
        one: counter.services.reopen_visit)."""
        return self.status != self.Status.DRAFT

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def was_accepted(self) -> bool:
        """Accepted once (perhaps reopened since): its tasks may be with the departments."""
        return self.accepted_at is not None

    def last_change(self, to_status: str):
        """The newest status change to `to_status` (its reason and who), or None."""
        return self.status_changes.filter(to_status=to_status).order_by("-at", "-id").first()

    def protected_resident_ids(self) -> list[int]:
        """The 支援措置 residents this visit touches (accounts.access decides what that hides):
        its household's, its people's, and their households' — whoever of them is flagged."""
        people = self.people.filter(resident__isnull=False)
        touches = Q(pk__in=people.values("resident_id")) | Q(
            household_id__in=people.values("resident__household_id")
        )
        if self.household_id:
            touches |= Q(household_id=self.household_id)
        return list(
            Resident.objects.filter(touches, support_measure=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def result_key(result) -> str:
    """A navigator result as the confirmation step and Visit.held_checks name it."""
    return f"{result.id}@{result.person or ''}"


class VisitStatusChange(TenantModel):
    """A visit's status moved by a person with a reason (取消, 再開): the history is rows."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Visit.Status.choices)
    to_status = models.CharField(max_length=10, choices=Visit.Status.choices)
    reason = models.TextField(_("理由"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.visit_id}: {self.from_status}→{self.to_status}"


class VisitPerson(TenantModel):
    class Role(models.TextChoices):
        MEMBER = "member", _("世帯員")
        NEWBORN = "newborn", _("出生子")
        DECEASED = "deceased", _("死亡者")
        SPOUSE = "spouse", _("配偶者")
        ADOPTEE = "adoptee", _("養子")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="people")
    key = models.SlugField(max_length=20)  # the person's id in navigator results ("p1")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    applicant = models.BooleanField(_("届出人"), default=False)
    moving = models.BooleanField(_("異動する"), default=True)
    # Identity of a newcomer (転入 from outside); for a registered resident the register wins.
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    name_kana = models.CharField(_("フリガナ"), max_length=100, blank=True)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    sex = models.CharField(_("性別"), max_length=1, blank=True, choices=Resident.Sex.choices)
    relation = models.CharField(_("続柄"), max_length=30, blank=True)
    nationality = models.CharField(_("国籍・地域"), max_length=40, default="JP")
    facts = models.JSONField(default=dict, blank=True)  # interview answers, by fact id
    # Added from a read of their My Number card (counter.card): cards are being read at this
    # visit, so the interview asks the rest only whether anyone else has one (checklist).
    card_read = models.BooleanField(_("カード読取"), default=False)
    # The 個人番号 read from that card, as a Fernet token (residents.mynumber), only when the
    # visit's events lead to a form that prints it (counter.card.needs_number); the packet
    # decrypts it for that person's own forms, screens show it masked.
    mynumber_enc = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    add_token = models.CharField(max_length=40, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["visit", "key"], name="visit_person_key")]

    def __str__(self):
        return f"{self.visit_id}:{self.key}"

    @property
    def display_name(self):
        return self.resident.name if self.resident else self.name

    @property
    def mynumber_masked(self) -> str:
        """「＊＊＊＊ ＊＊＊＊ 9018」 when a number was read from the card, else ""."""
        if not self.mynumber_enc:
            return ""
        try:
            return mynumber.masked(self.mynumber_enc)
        except mynumber.InvalidToken:
            return mask(MASK_CHAR * 12)  # a key changed: on file, unreadable here

    @property
    def display_kana(self):
        if self.resident:
            return self.resident.name_kana or self.resident.name_alpha
        return self.name_kana


class AnswerQuerySet(models.QuerySet):
    def given(self):
        """The answers as given, without the rows that record a withdrawal (「変更」): those
        carry no value, and their null is not a わからない. Every reader of answers as values
        (training.scoring) starts here."""
        return self.filter(withdrawn=False)


class Answer(TenantModel):
    """One interview answer as given; the latest per (visit, person, fact) is the current one.
    A `withdrawn` row says the clerk took the answer back (counter.services.withdraw_answer):
    after it the question is open again, until a later row answers it."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(VisitPerson, null=True, blank=True, on_delete=models.CASCADE)
    fact = models.CharField(max_length=40)
    value = models.JSONField(null=True)  # null: answered "わからない" (unless withdrawn)
    # Said by what the visit already holds, not by the resident: the household joined, or the
    # register's nobody-at-the-new-address (counter.services.settle_dwelling). `by` is the clerk
    # whose action settled it.
    derived = models.BooleanField(default=False)
    withdrawn = models.BooleanField(_("取り消した回答"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager.from_queryset(AnswerQuerySet)()

    def __str__(self):
        return f"{self.fact} withdrawn" if self.withdrawn else f"{self.fact}={self.value}"


class Packet(TenantModel):
    """A printed packet. The digest of its input makes a reprint return the same PDF."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="packets")
    digest = models.CharField(max_length=64)
    pdf = models.BinaryField()  # sealed: a Fernet token of the PDF (content())
    # The PDF prints a 個人番号: stored encrypted as the number itself is (residents.mynumber).
    sealed = models.BooleanField(default=False)
    pages = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "digest"], name="packet_digest")]

    def __str__(self):
        return f"{self.visit_id}:{self.digest[:8]}"

    @staticmethod
    def seal(pdf: bytes) -> bytes:
        return mynumber.cipher().encrypt(pdf)

    def content(self) -> bytes:
        """The PDF as printed (opened when sealed)."""
        raw = bytes(self.pdf)
        return mynumber.cipher().decrypt(raw) if self.sealed else raw


class FormFillQuerySet(models.QuerySet):
    def totals(self) -> dict:
        return self.aggregate(
            forms=models.Count("id"),
            prefilled=models.Sum("prefilled", default=0),
            to_write=models.Sum("to_write", default=0),
            signatures=models.Sum("signatures", default=0),
        )


class FormFill(TenantModel):
    """One form of a printed packet: boxes filled at the counter, boxes left to the resident.

    The target is no box left besides the signatures; the visit page and reports read these.
    """

    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="fills")
    form = models.CharField(_("様式"), max_length=60)
    procedure = models.CharField(_("手続き"), max_length=60)
    person = models.CharField(max_length=20, blank=True)
    prefilled = models.PositiveSmallIntegerField(_("記入済み"))
    to_write = models.PositiveSmallIntegerField(_("要記入"))
    signatures = models.PositiveSmallIntegerField(_("署名"))
    mynumber = models.BooleanField(default=False)  # a 個人番号 was printed on it (the audit)
    order = models.PositiveSmallIntegerField(default=0)

    objects = TenantManager.from_queryset(FormFillQuerySet)()

    class Meta:
        ordering = ["packet", "order"]

    def __str__(self):
        return f"{self.form}: {self.prefilled}/{self.prefilled + self.to_write}"


class Signature(TenantModel):
    """A signature drawn on the tablet; the newest of a visit goes into its next packet, into
    the boxes of the forms the resident was shown (`forms`)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="signatures")
    png = models.BinaryField()
    strokes = models.JSONField(default=list)  # [[x, y, t], …] per stroke, as drawn
    # The forms ("procedure@person") listed on the signing page when the resident signed: the
    # signature goes into those forms' boxes only. None: signed before the list was shown
    # (every box, as then).
    forms = models.JSONField(null=True, blank=True)
    signed_at = models.DateTimeField(_("署名日時"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        # The packet reads a visit's newest signature.
        indexes = [models.Index(fields=["visit", "-signed_at"], name="signature_visit_latest")]
        ordering = ["-signed_at", "-id"]

    def __str__(self):
        return f"{self.visit_id}@{self.signed_at:%Y-%m-%d %H:%M}"
