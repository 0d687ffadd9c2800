"""Once the visit is accepted its packet is final: the tablet may not sign it any more."""

import base64
import json
from datetime import date

import pytest
from django.urls import reverse

from counter import services
from counter.models import Signature
from counter.services import VisitLocked
from counter.signatures import record_signature
from counter.tablet import sign_token
from counter.tests.factories import elderly_couple
from printing.tests.test_signature_boxes import signature_png


@pytest.fixture
def accepted(clerk, django_capture_on_commit_callbacks):
    hh, *_ = elderly_couple()
    visit = services.start_visit(by=clerk, office=clerk.staff.office, events=["tenkyo"],
                                 event_date=date(2026, 4, 10), household=hh)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(visit, by=clerk)
    return visit


def _body():
    return json.dumps(
        {"png": "data:image/png;base64," + base64.b64encode(signature_png(True)).decode()}
    )


@pytest.mark.django_db
def test_the_tablet_refuses_a_signature_after_the_visit_was_accepted(client, accepted):
    r = client.post(reverse("counter:sign", args=[sign_token(accepted)]), _body(),
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 409
    assert "受付済み" in r.json()["error"]
    assert not Signature.objects.filter(visit=accepted).exists()


@pytest.mark.django_db
def test_the_service_refuses_it_even_for_a_stale_visit_object(
    clerk, django_capture_on_commit_callbacks
):
    hh, *_ = elderly_couple()
    visit = services.start_visit(by=clerk, office=clerk.staff.office, events=["tenkyo"],
                                 event_date=date(2026, 4, 10), household=hh)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(visit, by=clerk)  # `visit` in memory still says 聞き取り中
    with pytest.raises(VisitLocked):
        record_signature(visit, png=signature_png(), strokes=[])
