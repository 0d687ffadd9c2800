"""Correcting a visit at the counter: a newcomer's identity edited, a person removed, a mover
unticked; going back and submitting again adds no second person and opens no second visit."""

import re
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from counter import services
from counter.models import Visit, VisitPerson
from counter.tests.factories import elderly_couple


@pytest.fixture
def tennyu(clerk_client):
    r = clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-visit"},
    )
    assert r.status_code == 302
    return Visit.objects.get()


NEWCOMER = {
    "surname": "転入",
    "given_name": "太郎",
    "surname_kana": "テンニュウ",
    "given_kana": "タロウ",
    "birth_date": "H2.4.1",
    "sex": "1",
    "relation": "世帯主",
    "nationality": "JP",
}


def _add(client, visit, token, **kw):
    data = {**NEWCOMER, "token": token, **kw}
    return client.post(reverse("counter:person_add", args=[visit.number]), data)


def _page(client, visit) -> str:
    return client.get(reverse("counter:visit", args=[visit.number])).content.decode()


@pytest.mark.django_db
def test_a_newcomer_typed_wrong_is_corrected_on_the_edit_page(clerk_client, tennyu):
    _add(clerk_client, tennyu, "a1", surname="天入")
    url = reverse("counter:person_edit", args=[tennyu.number, "p1"])
    form = clerk_client.get(url).content.decode()
    assert 'value="天入"' in form and 'value="H2.4.1"' in form
    r = clerk_client.post(url, {**NEWCOMER, "birth_date": "H2.4.2"})
    assert r.status_code == 302
    vp = VisitPerson.objects.get()
    assert vp.name == "転入\u3000太郎" and vp.birth_date == date(1990, 4, 2)
    page = _page(clerk_client, tennyu)
    assert "転入\u3000太郎" in page and "天入" not in page
    assert AuditEntry.objects.filter(action="visit.person_changed").exists()


@pytest.mark.django_db
def test_a_bad_correction_is_refused_with_the_reason_and_changes_nothing(clerk_client, tennyu):
    _add(clerk_client, tennyu, "a1")
    url = reverse("counter:person_edit", args=[tennyu.number, "p1"])
    r = clerk_client.post(url, {**NEWCOMER, "surname_kana": "tennyu"})
    assert r.status_code == 400
    assert "フリガナはカタカナまたはひらがなで入力してください" in r.content.decode()
    assert VisitPerson.objects.get().name_kana == "テンニュウ\u3000タロウ"


@pytest.mark.django_db
def test_a_registered_resident_has_no_edit_page_the_register_is_the_source(clerk, client):
    client.force_login(clerk)
    hh, _head, _wife = elderly_couple()
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenshutsu"],
        event_date=date(2026, 6, 15), household=hh,
    )  # fmt: skip
    assert client.get(reverse("counter:person_edit", args=[visit.number, "p1"])).status_code == 404
    assert reverse("counter:person_edit", args=[visit.number, "p1"]) not in _page(client, visit)


@pytest.mark.django_db
def test_removing_a_person_takes_them_off_and_passes_the_applicant_mark_on(clerk_client, tennyu):
    _add(clerk_client, tennyu, "a1")
    _add(clerk_client, tennyu, "a2", given_name="花子", given_kana="ハナコ", sex="2",
         relation="妻")  # fmt: skip
    assert VisitPerson.objects.get(key="p1").applicant
    r = clerk_client.post(reverse("counter:person_remove", args=[tennyu.number, "p1"]))
    assert r.status_code == 302
    page = _page(clerk_client, tennyu)
    assert "転入\u3000太郎 さんを削除しました" in page
    table = page.split('id="people"', 1)[1].split("</table>", 1)[0]
    assert "転入\u3000太郎" not in table and "転入\u3000花子" in table
    assert list(tennyu.people.values_list("key", "applicant")) == [("p2", True)]
    entry = AuditEntry.objects.get(action="visit.person_removed")
    assert entry.detail["person"] == "p1"
    # The next newcomer gets a key of their own, not the removed one's.
    _add(clerk_client, tennyu, "a3", given_name="次郎", given_kana="ジロウ", relation="子")
    assert sorted(tennyu.people.values_list("key", flat=True)) == ["p2", "p3"]


@pytest.mark.django_db
def test_nobody_is_removed_from_an_accepted_visit(clerk_client, clerk, tennyu):
    _add(clerk_client, tennyu, "a1")
    services.accept_visit(tennyu, by=clerk)
    r = clerk_client.post(reverse("counter:person_remove", args=[tennyu.number, "p1"]), follow=True)
    assert "受付済みのため変更できません" in r.content.decode()
    assert tennyu.people.count() == 1
    assert "person-remove" not in _page(clerk_client, tennyu)


@pytest.mark.django_db
def test_a_reopened_visit_keeps_its_people_the_mover_is_unticked_instead(
    clerk_client, clerk, demo_staff, tennyu
):
    _add(clerk_client, tennyu, "a1")
    services.accept_visit(tennyu, by=clerk)
    services.reopen_visit(tennyu, by=demo_staff["kanri"], reason="続柄の誤り")
    r = clerk_client.post(reverse("counter:person_remove", args=[tennyu.number, "p1"]), follow=True)
    assert "異動の対象から外してください" in r.content.decode()
    assert tennyu.people.count() == 1


@pytest.mark.django_db
def test_unticking_a_mover_shows_them_unticked_and_drops_their_procedures(clerk, client):
    client.force_login(clerk)
    hh, _head, _wife = elderly_couple()
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenshutsu"],
        event_date=date(2026, 6, 15), household=hh,
    )  # fmt: skip
    assert 'data-procedure="kokuho_soshitsu@p2"' in _page(client, visit)
    live = client.post(
        reverse("counter:person_update", args=[visit.number, "p2"]), {"moving": "0"}
    ).content.decode()
    assert 'data-procedure="kokuho_soshitsu@p2"' not in live  # the wife's 国保 喪失: she stays
    assert not VisitPerson.objects.get(visit=visit, key="p2").moving
    page = _page(client, visit)
    row = page.split('data-person="p2"', 1)[1].split("</tr>", 1)[0]
    moving_box = row.split("<td>", 2)[1]
    assert 'aria-label="異動する' in moving_box and not re.search(r"\schecked[\s>]", moving_box)
    assert 'data-procedure="kokuho_soshitsu@p2"' not in page


@pytest.mark.django_db
def test_submitting_the_newcomer_form_again_after_going_back_adds_nobody_twice(
    clerk_client, tennyu
):
    page = _page(clerk_client, tennyu)
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    assert _add(clerk_client, tennyu, token).status_code == 302
    assert _add(clerk_client, tennyu, token).status_code == 302  # 戻る, then 追加 again
    assert tennyu.people.count() == 1
    # A fresh page is a fresh form: a second person is a second person.
    fresh = _page(clerk_client, tennyu).split('name="token" value="', 1)[1].split('"', 1)[0]
    assert fresh != token


@pytest.mark.django_db
def test_the_start_form_sent_again_with_its_token_opens_no_second_visit(clerk_client, tennyu):
    again = clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-visit"},
    )
    assert again["Location"] == reverse("counter:visit", args=[tennyu.number])
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_the_start_form_reloaded_by_going_back_reuses_the_untouched_visit(clerk_client, tennyu):
    # The browser reloaded the form on 戻る: a new token, the same start.
    again = clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-reloaded"},
    )
    assert again["Location"] == reverse("counter:visit", args=[tennyu.number])
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_a_visit_with_work_in_it_is_not_reused_a_new_start_opens_a_new_visit(clerk_client, tennyu):
    _add(clerk_client, tennyu, "a1")
    clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-second-family"},
    )
    assert Visit.objects.count() == 2


@pytest.mark.django_db
def test_another_event_or_date_is_another_visit(clerk_client, tennyu):
    clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.11", "token": "t-other-day"},
    )
    assert Visit.objects.count() == 2
