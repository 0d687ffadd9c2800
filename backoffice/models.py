"""Department work: a task per procedure of an accepted visit, its history as rows, calls to
the counter, and the handoffs to core systems (基幹系) with their attempts and errors.

A visit's completion is derived (Task.objects.visit_done), not stored: the tasks and their
transitions are the one source, so the two can never disagree.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Office
from catalog.pack import default_pack
from counter.models import Visit, VisitPerson
from counter.navigation import received_on
from tenants import scope
from tenants.models import TenantManager, TenantModel

# uuid5 namespace of the pushes' idempotency keys (a fixed, random one: only Madoguchi's).
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1d8c2e-3b7a-4c59-9e0d-5a2f7b81c4d3")


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=Task.State.DONE)

    def queue_order(self):
        # Newest visits first; within a visit, the nearest deadline first (no deadline last).
        return self.order_by("-visit__accepted_at", models.F("deadline").asc(nulls_last=True), "id")


class Task(TenantModel):
    class State(models.TextChoices):
        NEW = "new", _("未着手")
        IN_PROGRESS = "in_progress", _("対応中")
        DONE = "done", _("完了")
        RETURNED = "returned", _("差戻し")

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="tasks")
    procedure = models.CharField(_("手続き"), max_length=60)
    person_key = models.CharField(max_length=20, blank=True)  # "" for a household procedure
    person = models.ForeignKey(
        VisitPerson, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(max_length=12)
    # The visit's events as " tennyu tenkyo ": the queue's event filter, a plain LIKE on any database.
    events = models.CharField(max_length=200, blank=True)
    title = models.CharField(_("手続き名"), max_length=200)
    form = models.CharField(_("様式"), max_length=60, blank=True)
    deadline = models.DateField(_("期限"), null=True, blank=True)
    reason = models.TextField(blank=True)
    needs_check = models.BooleanField(_("要確認"), default=False)
    facts = models.JSONField(default=dict, blank=True)  # what the navigator knew at acceptance
    state = models.CharField(_("状態"), max_length=12, choices=State.choices, default=State.NEW)
    state_reason = models.TextField(_("差戻し理由"), blank=True)
    # Optimistic locking: every write names the version it saw (backoffice.services.transition).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager.from_queryset(TaskQuerySet)()

    class Meta:
        constraints = [
            # Accepting twice, or retrying the handoff, never makes a second task.
            models.UniqueConstraint(fields=["visit", "procedure", "person_key"], name="task_once"),
        ]
        indexes = [
            # The department work queue: its open tasks by state.
            models.Index(fields=["department", "state"], name="task_queue"),
        ]

    def __str__(self):
        return f"{self.visit_id}:{self.procedure}@{self.person_key}"

    def protected_resident_ids(self) -> list[int]:
        """A task touches its whole visit (a household task has no person of its own) and
        its person's household (accounts.access)."""
        ids = set(self.visit.protected_resident_ids())
        resident = self.person.resident if self.person_id else None
        if resident is not None:
            ids.update(resident.protected_resident_ids())
        return sorted(ids)

    @property
    def overdue(self) -> bool:
        """期限超過: the visit was taken after the procedure's deadline."""
        return self.deadline is not None and self.deadline < received_on(self.visit)

    @property
    def late_note(self) -> str:
        """The catalog's note for a filing after the deadline, for the task's events."""
        proc = default_pack().procedures.get(self.procedure)
        events = self.events.split()
        variants = proc.variants if proc else []
        return next((v.late for v in variants if v.event in events and v.late), "")


class TaskTransition(TenantModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="transitions")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    terminal = models.CharField(max_length=100, blank=True)
    from_state = models.CharField(max_length=12, choices=Task.State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=Task.State.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.task_id}: {self.from_state}→{self.to_state}"


class CounterCall(TenantModel):
    """A clerk asks a department to come to the counter; open until someone takes it."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="calls")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="calls")
    counter = models.CharField(_("窓口"), max_length=20)
    note = models.CharField(_("用件"), max_length=200, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["called_at", "id"]
        indexes = [
            # The department screen polls for its open calls every two seconds.
            models.Index(fields=["department", "taken_at"], name="call_open"),
        ]

    def __str__(self):
        return f"{self.department_id} → {self.counter}"


class CoreSystem(TenantModel):
    """A department's core system (基幹系): pulls tasks through the API, or has them pushed."""

    code = models.SlugField()
    name = models.CharField(max_length=60)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="core_systems"
    )
    # Empty: the system pulls through /api/v1/; otherwise completed tasks are POSTed here.
    push_url = models.URLField(blank=True)

    class Meta:
        # Unique within a municipality: each city numbers its own. The tenant comes second: a
        # leading tenant column would draw the planner away from the search indexes.
        constraints = [models.UniqueConstraint(fields=["code", "tenant"], name="coresystem_code")]

    def __str__(self):
        return self.name


class ApiToken(TenantModel):
    """A bearer token for one core system; only its SHA-256 is stored."""

    system = models.ForeignKey(CoreSystem, on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)  # shown to the admin to tell tokens apart
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.system.code}:{self.prefix}…"


class TaskReceipt(TenantModel):
    """A core system's report that it processed a task (the API's POST …/processed)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="receipts")
    system = models.ForeignKey(CoreSystem, on_delete=models.PROTECT, related_name="receipts")
    at = models.DateTimeField(auto_now_add=True)
    reference = models.CharField(max_length=100, blank=True)  # the core system's own id

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "system"], name="receipt_once")]

    def __str__(self):
        return f"{self.task_id}@{self.system_id}"


class Handoff(TenantModel):
    """Work done after the counter's commit, retried until it succeeds: making a visit's tasks,
    or pushing a completed task to a core system. Failures are shown to the department."""

    class Kind(models.TextChoices):
        TASKS = "tasks", _("担当課への振り分け")
        PUSH = "push", _("基幹系への送信")

    class Status(models.TextChoices):
        PENDING = "pending", _("未送信")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗（再試行待ち）")
        GAVE_UP = "gave_up", _("失敗（要対応）")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="handoffs")
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="handoffs"
    )
    system = models.ForeignKey(
        CoreSystem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Whose screen shows a failure: the task's department, or the accepting office's counter.
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One task-making handoff per visit, one push per task and system: retries reuse the row.
            models.UniqueConstraint(
                fields=["visit"], condition=models.Q(kind="tasks"), name="handoff_tasks_once"
            ),
            models.UniqueConstraint(
                fields=["task", "system"], condition=models.Q(kind="push"), name="handoff_push_once"
            ),
        ]
        indexes = [
            # `madoguchi handoff` picks the due ones.
            models.Index(fields=["status", "next_attempt_at"], name="handoff_due"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.visit_id}:{self.status}"

    @property
    def idempotency_key(self) -> str:
        """What a core system de-duplicates a push on (the `Idempotency-Key` header and the
        payload's `idempotency_key`): the same on every attempt and every 再送 of this row, so
        a push that timed out after the receiver took it is recognised when it comes again.
        Made from the city, the row, its task and system and when the row was made, so a
        database rebuilt from scratch (ids counted again) does not repeat an old key."""
        name = (
            f"{scope.municipality()['code']}/{self.pk}/{self.task_id}/{self.system_id}/"
            f"{self.created_at.isoformat()}"
        )
        return str(uuid.uuid5(IDEMPOTENCY_NAMESPACE, name))
