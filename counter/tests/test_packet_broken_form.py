"""A packet whose form has a broken template or blank: the clerk reads which form, in Japanese,
on the visit page; no server error, no packet stored."""

from uuid import uuid4

import pytest
from django.urls import reverse

from counter.models import Visit
from counter.packet import packet_data
from printing.layouts import printable_forms


@pytest.fixture
def visit(clerk_client):
    clerk_client.post(reverse("counter:visit_new"),
                      {"events": "tennyu", "event_date": "R8.4.10", "token": f"t-{uuid4()}"})  # fmt: skip
    v = Visit.objects.get()
    clerk_client.post(reverse("counter:person_add", args=[v.number]), {
        "surname": "山田", "given_name": "花子", "surname_kana": "ヤマダ", "given_kana": "ハナコ",
        "birth_date": "昭和55年3月2日", "sex": "2", "relation": "世帯主", "nationality": "JP",
        "token": f"p-{uuid4()}"})  # fmt: skip
    # A new dwelling: the 水道使用開始届 (a municipal form) is printed.
    clerk_client.post(reverse("counter:answer", args=[v.number]),
                      {"fact": "new_dwelling", "value": "true"})  # fmt: skip
    v.refresh_from_db()
    return v


@pytest.mark.django_db
@pytest.mark.parametrize("broken", [
    "kind: municipal\ntitle: 市の様式\nbackground: gone.pdf\nfields: [applicant.name]\n",
    "kind: generic\ntitle: [市の様式\n",
])  # fmt: skip
def test_the_clerk_is_told_which_form_cannot_print(clerk_client, visit, settings, tmp_path, broken):
    settings.PRINTING_FORMS_DIR = str(tmp_path)
    form = printable_forms(packet_data(visit))[0].form
    (tmp_path / f"{form}.yaml").write_text(broken, encoding="utf-8")
    r = clerk_client.get(reverse("counter:packet", args=[visit.number]), follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
    assert "印刷できません" in html and form in html
    if "municipal" in broken:
        assert f"様式「市の様式」（{form}）を印刷できません" in html and "gone.pdf" in html
    else:  # no title in the file: the procedure's
        assert f"様式「水道使用開始届」（{form}）を印刷できません" in html
        assert "YAML として読めません（3行目" in html
    assert visit.packets.count() == 0
