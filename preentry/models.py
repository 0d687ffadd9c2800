"""Pre-entry (事前入力): what a resident typed on their phone before coming to the counter.

The data stays here, on the municipality's server; the resident's phone shows only a QR code
of `code`, a random reference that counter staff alone can open (preentry.views.open_entry).
The phone's own pages are reached through `edit_token`, another random value, so the code the
resident shows at the counter does not also open their pages for editing.
Once opened at the counter the data lives in the visit (counter.Visit) and is erased here.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counter.models import Visit
from tenants.models import TenantManager, TenantModel


class PreEntryQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now(), visit__isnull=True)


class PreEntry(TenantModel):
    code = models.CharField(_("事前入力コード"), max_length=16, unique=True)  # the scan's lookup
    edit_token = models.CharField(max_length=64, unique=True)  # the phone's page lookup
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有効期限"))
    easy = models.BooleanField(_("やさしい日本語"), default=False)
    events = models.JSONField(_("届出の種類"), default=list)
    event_date = models.DateField(_("異動日"), null=True, blank=True)
    new_address = models.JSONField(_("新住所"), default=dict, blank=True)
    old_address = models.JSONField(_("旧住所"), default=dict, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    household_facts = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(_("入力完了"), null=True, blank=True)
    # Set once, under a row lock, by the first scan: a second scan opens the same visit.
    visit = models.OneToOneField(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="pre_entry"
    )
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TenantManager.from_queryset(PreEntryQuerySet)()

    class Meta:
        # preentry purge: the unused entries past their date.
        indexes = [models.Index(fields=["expires_at"], name="preentry_expires")]

    def __str__(self):
        return f"pre-entry {self.pk}"  # never the code: it opens the data

    @property
    def expired(self) -> bool:
        return self.visit_id is None and self.expires_at <= timezone.now()

    @property
    def used(self) -> bool:
        return self.visit_id is not None


class PreEntryPerson(TenantModel):
    pre_entry = models.ForeignKey(PreEntry, on_delete=models.CASCADE, related_name="people")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("フリガナ"), max_length=100, blank=True)
    birth_date = models.DateField(_("生年月日"))
    sex = models.CharField(_("性別"), max_length=1)
    relation = models.CharField(_("続柄"), max_length=30)
    nationality = models.CharField(_("国籍・地域"), max_length=40, default="JP")
    facts = models.JSONField(default=dict, blank=True)  # answers by fact id; None = わからない

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.pre_entry_id}:{self.order}"

    @property
    def key(self) -> str:
        """The person's id in the navigator's case while on the phone."""
        return f"q{self.pk}"
