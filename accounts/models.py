from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.chain import entry_hash, head_signature, same
from tenants.models import TenantManager, TenantModel


class Office(TenantModel):
    """本庁 or a 支所: where a counter sits."""

    class Kind(models.TextChoices):
        MAIN = "main", _("本庁")
        BRANCH = "branch", _("支所")

    code = models.SlugField()
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MAIN)

    class Meta:
        # Unique within a municipality: each city numbers its own. The tenant comes second: a
        # leading tenant column would draw the planner away from the search indexes.
        constraints = [models.UniqueConstraint(fields=["code", "tenant"], name="office_code")]

    def __str__(self):
        return self.name


class Department(TenantModel):
    """A department by its canonical id (life-events.md §3); the name is the municipality's."""

    code = models.SlugField()
    name = models.CharField(max_length=60)

    class Meta:
        # Unique within a municipality: each city numbers its own. The tenant comes second: a
        # leading tenant column would draw the planner away from the search indexes.
        constraints = [models.UniqueConstraint(fields=["code", "tenant"], name="department_code")]

    def __str__(self):
        return self.name


class Staff(TenantModel):
    """What the counter needs to know about a logged-in user."""

    class Role(models.TextChoices):
        CLERK = "clerk", _("窓口職員")
        DEPARTMENT = "department", _("担当課職員")
        SUPERVISOR = "supervisor", _("監督者")
        ADMIN = "admin", _("管理者")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT)
    department = models.ForeignKey(Department, on_delete=models.PROTECT)
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.CLERK)
    display_name = models.CharField(max_length=60)

    def __str__(self):
        return f"{self.display_name}（{self.department.name}・{self.office.name}）"

    def may_open(self, obj) -> bool:
        """Whether this staff member may open a visit, task, ticket, consultation or a
        department's queue; the rule is accounts.access's."""
        from accounts import access  # access reads this model: imported when asked

        return access.may_open(self, obj)


class AuditEntryQuerySet(models.QuerySet):
    def about(self, resident_ids):
        """Entries that touched any of these residents: one resident's or a search's list."""
        if isinstance(resident_ids, int):
            resident_ids = [resident_ids]
        return self.filter(
            pk__in=AuditSubject.objects.filter(resident_id__in=resident_ids).values("entry_id")
        )

    def subject_ids(self) -> set[int]:
        """Every resident these entries are about."""
        return set(
            AuditSubject.objects.filter(entry__in=self).values_list("resident_id", flat=True)
        )


class AuditEntry(TenantModel):
    """Append-only record of who saw or changed a resident's data, from where.

    Each entry carries the hash of the one before it (accounts.chain): editing or deleting an
    entry breaks the chain, and `madoguchi audit verify` names where. Ids are given by the
    writer (accounts.audit) one after another, so a missing id is a deleted entry.

    `terminal` is the client's address as the server saw it; `terminal_name` is what the
    terminal says it is called (X-Madoguchi-Terminal), recorded beside it, never instead.

    The id column stays an auto field so the database keeps its own counter beside the
    writer's numbering (accounts.sequence): a second witness of deleted newest entries.
    """

    # A plain default, not auto_now_add: the time is part of the hash, computed before insert.
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=40)
    resident_id = models.BigIntegerField(null=True, db_index=True)  # the resident-history reader
    visit_id = models.BigIntegerField(null=True)
    terminal = models.CharField(max_length=100, blank=True)
    terminal_name = models.CharField(max_length=100, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = TenantManager.from_queryset(AuditEntryQuerySet)()

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        # Entries are written by accounts.audit only, which numbers and chains them.
        raise AppendOnlyError(_("監査ログは追記のみです（accounts.audit から記録します）。"))

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("監査ログは削除できません。"))

    def compute_hash(self) -> str:
        return entry_hash(
            self.prev_hash,
            self.at,
            self.user_id,
            self.action,
            self.resident_id,
            self.visit_id,
            self.terminal,
            self.detail,
            self.terminal_name,
        )

    def resident_ids(self) -> list[int]:
        """Every resident the entry is about: its one resident, or the ids a search showed."""
        ids = [self.resident_id] if self.resident_id else []
        listed = self.detail.get("resident_ids") if isinstance(self.detail, dict) else None
        for rid in listed or []:
            if isinstance(rid, int) and rid not in ids:
                ids.append(rid)
        return ids


class AppendOnlyError(Exception):
    pass


class AuditSubject(TenantModel):
    """Which residents an entry is about, one row each: the index of the screen "who looked at
    this resident". Derived from the entry (resident_id and detail["resident_ids"], both in
    its hash), so `audit verify` finds a row deleted to hide a look-up."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="subjects")
    resident_id = models.BigIntegerField()

    class Meta:
        indexes = [
            # The audit screen: a resident's entries, newest first.
            models.Index(fields=["resident_id", "-entry"], name="auditsubject_resident"),
        ]

    def __str__(self):
        return f"{self.entry_id}:{self.resident_id}"


class AuditHead(TenantModel):
    """The chain's newest link, one row per tenant. Every writer locks it, so concurrent writers append
    one after another instead of forking the chain; it also shows a deleted newest entry.

    `signature` seals (last_id, last_hash, count) with the audit key (accounts.chain): a head
    moved back to match a truncated log without the key does not verify."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    count = models.BigIntegerField(default=0)
    signature = models.CharField(max_length=64, blank=True)

    class Meta:
        # One chain per municipality (accounts.audit locks its tenant's head).
        constraints = [models.UniqueConstraint(fields=["tenant"], name="audithead_tenant")]

    def __str__(self):
        return f"{self.count}:{self.last_hash[:8]}"

    def sign(self) -> str:
        return head_signature(self.last_id, self.last_hash, self.count)

    def is_signed(self) -> bool:
        return bool(self.signature) and same(self.signature, self.sign())
