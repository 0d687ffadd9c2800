"""What printing keeps: how much of each printed form was pre-filled, and tablet signatures."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormFillQuerySet(models.QuerySet):
    def totals(self) -> dict:
        return self.aggregate(
            forms=models.Count("id"),
            prefilled=models.Sum("prefilled", default=0),
            to_write=models.Sum("to_write", default=0),
            signatures=models.Sum("signatures", default=0),
        )


class FormFill(models.Model):
    """One form of a printed packet: boxes filled at the counter, boxes left to the resident.

    The target is no box left besides the signatures; the visit page and reports read these.
    """

    packet = models.ForeignKey("counter.Packet", on_delete=models.CASCADE, related_name="fills")
    form = models.CharField(_("様式"), max_length=60)
    procedure = models.CharField(_("手続き"), max_length=60)
    person = models.CharField(max_length=20, blank=True)
    prefilled = models.PositiveSmallIntegerField(_("記入済み"))
    to_write = models.PositiveSmallIntegerField(_("要記入"))
    signatures = models.PositiveSmallIntegerField(_("署名"))
    order = models.PositiveSmallIntegerField(default=0)

    objects = FormFillQuerySet.as_manager()

    class Meta:
        ordering = ["packet", "order"]

    def __str__(self):
        return f"{self.form}: {self.prefilled}/{self.prefilled + self.to_write}"


class Signature(models.Model):
    """A signature drawn on the tablet; the newest of a visit goes into its next packet."""

    visit = models.ForeignKey("counter.Visit", on_delete=models.CASCADE, related_name="signatures")
    png = models.BinaryField()
    strokes = models.JSONField(default=list)  # [[x, y, t], …] per stroke, as drawn
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
