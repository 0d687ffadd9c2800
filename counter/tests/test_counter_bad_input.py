"""What the counter's screens answer to input no database stores or no screen should echo:
a Japanese message that names the field, nothing saved, and never the raw input in HTML.

On PostgreSQL each of these was a 500 (a NUL byte reached a query); the fuzz test
(madoguchi/tests/test_fuzz_inputs.py) finds such cases, these pin the answers down.
"""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from counter import services
from counter.models import Visit
from counter.tests.factories import elderly_couple


@pytest.fixture
def open_visit(clerk):
    hh, _head, _wife = elderly_couple()
    return services.start_visit(
        by=clerk,
        office=clerk.staff.office,
        events=["tenshutsu"],
        event_date=date(2026, 6, 15),
        household=hh,
    )


def _answer(client, visit, **data):
    return client.post(reverse("counter:answer", args=[visit.number]), data)


def _address(client, visit, **data):
    return client.post(reverse("counter:address", args=[visit.number]), data)


@pytest.mark.django_db
def test_a_nul_in_the_search_box_is_refused_naming_the_box(clerk_client):
    r = clerk_client.get("/", {"q": "タカ\x00ハシ"})
    assert r.status_code == 200
    assert "検索語に使えない文字（NUL）が含まれています。" in r.content.decode()
    assert not AuditEntry.objects.filter(action="resident.searched").exists()


@pytest.mark.django_db
def test_a_search_still_finds_after_a_refused_one(clerk_client, open_visit):
    clerk_client.get("/", {"q": "\x00"})
    r = clerk_client.get("/", {"q": "タカハシ"})
    assert "髙橋　一郎" in r.content.decode()


@pytest.mark.django_db
def test_a_person_key_with_a_nul_is_refused_and_nothing_is_answered(clerk_client, open_visit):
    r = _answer(clerk_client, open_visit, fact="has_mynumber_card", person="p1\x00", value="true")
    assert r.status_code == 400
    assert "対象者に使えない文字（NUL）が含まれています。" in r.content.decode()
    assert "has_mynumber_card" not in open_visit.people.get(key="p1").facts


@pytest.mark.django_db
def test_an_unknown_question_is_named_escaped(clerk_client, open_visit):
    r = _answer(clerk_client, open_visit, fact="<script>alert(1)</script>", value="true")
    html = r.content.decode()
    assert r.status_code == 400
    assert "不明な質問です：&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_an_answer_that_is_not_a_choice_is_named_escaped(clerk_client, open_visit):
    r = _answer(
        clerk_client, open_visit, fact="health_insurance", person="p1", value='"><img src=x>'
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "は選べる値にありません" in html and "<img" not in html


@pytest.mark.django_db
def test_a_phone_with_a_nul_is_refused_and_the_old_one_kept(clerk_client, open_visit):
    Visit.objects.filter(pk=open_visit.pk).update(phone="0157-23-0000")
    r = _address(clerk_client, open_visit, which="new_address", phone="0157\x00")
    assert r.status_code == 400
    assert "電話番号に使えない文字（NUL）が含まれています。" in r.content.decode()
    open_visit.refresh_from_db()
    assert open_visit.phone == "0157-23-0000"


@pytest.mark.django_db
def test_a_phone_too_long_is_refused_not_cut(clerk_client, open_visit):
    r = _address(clerk_client, open_visit, which="new_address", phone="0" * 21)
    assert r.status_code == 400
    assert "電話番号：" in r.content.decode()
    open_visit.refresh_from_db()
    assert open_visit.phone == ""


@pytest.mark.django_db
def test_a_phone_is_saved_trimmed(clerk_client, open_visit):
    r = _address(clerk_client, open_visit, which="new_address", phone=" 0157-23-0000 ")
    assert r.status_code == 200
    open_visit.refresh_from_db()
    assert open_visit.phone == "0157-23-0000"


@pytest.mark.django_db
def test_an_address_field_error_names_its_field_and_echoes_nothing_raw(clerk_client, open_visit):
    r = _address(clerk_client, open_visit, which="<b>x</b>", town="北4条東")
    html = r.content.decode()
    assert r.status_code == 400 and "<b>" not in html and "&lt;b&gt;" in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/visits/ab%00cd/", "/visits/%20/answer/", "/visits/a%3Cb/"])
def test_a_visit_number_that_cannot_be_one_is_not_found(clerk_client, path):
    assert clerk_client.get(path).status_code == 404


@pytest.mark.django_db
def test_a_start_token_longer_than_its_column_is_refused(clerk_client):
    r = clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t" * 41},
    )
    assert r.status_code == 200  # the form again, with its message
    assert "送信番号：" in r.content.decode()
    assert not Visit.objects.exists()
