"""The tablet's signing page lists every form of the packet; the signature is given for that
list and goes into those forms only. A list changed since the page was shown is refused."""

import base64
import json
from datetime import date

import pytest
from django.urls import reverse

from counter import services
from counter.models import Signature
from counter.packet import forms_to_sign, packet_data
from counter.tablet import sign_token
from counter.tests.factories import elderly_couple
from printing.tests.test_signature_boxes import signature_png

PNG = "data:image/png;base64," + base64.b64encode(signature_png(True)).decode()


@pytest.fixture
def visit(clerk):
    hh, *_ = elderly_couple()
    return services.start_visit(by=clerk, office=clerk.staff.office, events=["tenshutsu"],
                                event_date=date(2026, 6, 15), household=hh)  # fmt: skip


def _sign(client, visit, **extra):
    url = reverse("counter:sign", args=[sign_token(visit)])
    body = {"png": PNG, "strokes": [[[10, 10, 0], [50, 40, 16]]], **extra}
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_the_signing_page_lists_each_form_with_whom_it_is_for(client, visit):
    page = client.get(reverse("counter:sign", args=[sign_token(visit)])).content.decode()
    forms = forms_to_sign(visit)
    listed = page.split('id="forms"', 1)[1].split("</ol>", 1)[0]
    assert listed.count("<li ") == len(forms) > 3
    assert 'data-form="jumin_tenshutsu@">住民異動届</li>' in listed
    assert "国民健康保険" in listed and "（髙橋　花子）" in listed
    assert f"次の {len(forms)} 通の書類の署名欄" in page
    assert "すべての署名欄に印刷されます" not in page


@pytest.mark.django_db
def test_the_signature_is_kept_with_the_list_it_was_given_for(client, visit):
    keys = [f["key"] for f in forms_to_sign(visit)]
    assert _sign(client, visit, forms=keys).status_code == 200
    sig = Signature.objects.get(visit=visit)
    assert sig.forms == keys
    assert packet_data(visit).signed_forms == keys


@pytest.mark.django_db
def test_a_list_that_changed_since_the_page_was_shown_is_refused(client, visit):
    shown = [f["key"] for f in forms_to_sign(visit)]
    services.update_person(visit.people.get(key="p2"), by=visit.created_by, moving=False)
    r = _sign(client, visit, forms=shown)
    assert r.status_code == 409 and "書類の内容が変わりました" in r.json()["error"]
    assert not Signature.objects.filter(visit=visit).exists()


@pytest.mark.django_db
def test_a_form_added_after_signing_prints_with_an_empty_box(client, clerk, visit):
    _sign(client, visit, forms=[f["key"] for f in forms_to_sign(visit)])
    services.record_answer(visit, by=clerk, fact="new_dwelling", value=True)  # 水道使用中止届
    data = packet_data(visit)
    from printing.data import Fill

    added = [f for f in forms_to_sign(visit) if f["key"] not in data.signed_forms]
    assert added, "the new answer adds a form to the packet"
    proc, _at, person = added[0]["key"].partition("@")
    assert not data.signs(Fill(proc, proc, person))
    assert data.signs(Fill("jumin_ido", "jumin_tenshutsu", ""))
