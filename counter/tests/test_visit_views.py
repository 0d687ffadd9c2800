"""The visit screens over HTTP: starting, adding a newcomer, answering, printing, accepting."""

from datetime import date

import pytest
from django.urls import reverse

from counter.models import Visit, VisitPerson


@pytest.fixture
def tennyu(clerk_client):
    r = clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-visit"},
    )
    assert r.status_code == 302
    return Visit.objects.get()


def _add(client, visit, token, **kw):
    data = {
        "surname": "𠮷田",
        "given_name": "花子",
        "surname_kana": "よしだ",
        "given_kana": "ﾊﾅｺ",
        "birth_date": "昭和55年3月2日",
        "sex": "2",
        "relation": "世帯主",
        "nationality": "JP",
        "token": token,
    }
    data.update(kw)
    return client.post(reverse("counter:person_add", args=[visit.number]), data)


@pytest.mark.django_db
def test_a_newcomer_is_stored_exactly_with_kana_in_katakana(clerk_client, tennyu):
    _add(clerk_client, tennyu, "a1")
    p = VisitPerson.objects.get()
    assert p.name == "𠮷田\u3000花子"
    assert p.name_kana == "ヨシダ\u3000ハナコ"
    assert p.birth_date == date(1980, 3, 2)
    assert p.applicant


@pytest.mark.django_db
def test_a_double_clicked_add_adds_the_person_once(clerk_client, tennyu):
    _add(clerk_client, tennyu, "same")
    _add(clerk_client, tennyu, "same")
    assert VisitPerson.objects.count() == 1


@pytest.mark.django_db
def test_an_impossible_birth_date_is_refused_with_its_reason(clerk_client, tennyu):
    r = _add(clerk_client, tennyu, "a2", birth_date="平成32年1月1日")
    assert r.status_code == 400
    assert "平成32年は存在しません" in r.content.decode()
    assert VisitPerson.objects.count() == 0


@pytest.mark.django_db
def test_kanji_in_the_kana_field_is_refused(clerk_client, tennyu):
    r = _add(clerk_client, tennyu, "a3", surname_kana="吉田")
    assert r.status_code == 400
    assert "フリガナはカタカナまたはひらがなで入力してください" in r.content.decode()


@pytest.mark.django_db
def test_a_start_with_an_unknown_era_keeps_the_form_and_names_the_problem(clerk_client):
    r = clerk_client.post(
        reverse("counter:visit_new"), {"events": "tennyu", "event_date": "平成32年4月1日"}
    )
    assert r.status_code == 200
    assert "平成32年は存在しません" in r.content.decode()
    assert Visit.objects.count() == 0


@pytest.mark.django_db
def test_an_answer_changes_the_procedures_shown(clerk_client, tennyu):
    _add(clerk_client, tennyu, "a4")
    url = reverse("counter:answer", args=[tennyu.number])
    html = clerk_client.post(
        url, {"fact": "owns_dog", "person": "p1", "value": "true"}
    ).content.decode()
    assert 'data-procedure="inu_henko@p1"' in html
    html = clerk_client.post(
        url, {"fact": "owns_dog", "person": "p1", "value": "false"}
    ).content.decode()
    assert 'data-procedure="inu_henko@p1"' not in html


@pytest.mark.django_db
def test_an_unknown_fact_is_refused(clerk_client, tennyu):
    r = clerk_client.post(
        reverse("counter:answer", args=[tennyu.number]), {"fact": "favourite_colour", "value": "1"}
    )
    assert r.status_code == 400 and "favourite_colour" in r.content.decode()


@pytest.mark.django_db
def test_a_bad_postal_code_is_named_and_the_saved_address_kept(clerk_client, tennyu):
    url = reverse("counter:address", args=[tennyu.number])
    clerk_client.post(url, {"which": "new_address", "town": "北4条東"})
    r = clerk_client.post(url, {"which": "new_address", "zip": "12-34"})
    assert r.status_code == 400 and "郵便番号は7桁" in r.content.decode()
    tennyu.refresh_from_db()
    assert tennyu.new_address["town"] == "北4条東"
    assert tennyu.new_address["city"] == "北見市"


@pytest.mark.django_db
def test_the_packet_is_a_pdf_and_a_reprint_is_the_same_file(clerk_client, tennyu):
    _add(clerk_client, tennyu, "a5")
    url = reverse("counter:packet", args=[tennyu.number])
    first = clerk_client.get(url)
    assert first["Content-Type"] == "application/pdf" and first.content.startswith(b"%PDF")
    clerk_client.post(reverse("counter:accept", args=[tennyu.number]))
    assert clerk_client.get(url).content == first.content
    assert Visit.objects.count() == 1 and tennyu.packets.count() == 1


@pytest.mark.django_db
def test_a_branch_clerk_cannot_open_a_visit_of_the_main_office(client, branch_clerk, tennyu):
    client.force_login(branch_clerk)
    assert client.get(reverse("counter:visit", args=[tennyu.number])).status_code == 403


@pytest.mark.django_db
def test_one_click_answers_no_for_everybody_still_asked(clerk_client, tennyu):
    _add(clerk_client, tennyu, "b1")
    _add(
        clerk_client, tennyu, "b2", given_name="一郎", relation="子", sex="1", birth_date="H30.6.20"
    )
    clerk_client.post(
        reverse("counter:answer", args=[tennyu.number]),
        {"fact": "owns_dog", "person": "p1,p2", "value": "false"},
    )
    assert [p.facts.get("owns_dog") for p in VisitPerson.objects.order_by("key")] == [False, False]


@pytest.mark.django_db
def test_a_name_no_font_can_print_is_named_to_the_clerk_instead_of_printed(clerk_client, tennyu):
    _add(clerk_client, tennyu, "g1", given_name="花\U000f0001子")
    r = clerk_client.get(reverse("counter:packet", args=[tennyu.number]), follow=True)
    html = r.content.decode()
    assert r["Content-Type"].startswith("text/html")
    assert "印刷できません" in html and "U+F0001" in html
    assert tennyu.packets.count() == 0


@pytest.mark.django_db
def test_a_question_answered_meanwhile_on_another_screen_is_refused_with_what_changed(
    clerk_client, tennyu
):
    _add(clerk_client, tennyu, "c1")
    url = reverse("counter:answer", args=[tennyu.number])
    clerk_client.post(url, {"unanswered": "1", "fact": "owns_dog", "person": "p1", "value": "true"})
    r = clerk_client.post(
        url, {"unanswered": "1", "fact": "owns_dog", "person": "p1", "value": "false"}
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert "他の職員が先に変更しています" in html and "未回答" in html and "はい" in html
    assert VisitPerson.objects.get().facts["owns_dog"] is True
    # A deliberate change of an answer (not from an unanswered question) still goes through.
    clerk_client.post(url, {"fact": "owns_dog", "person": "p1", "value": "false"})
    assert VisitPerson.objects.get().facts["owns_dog"] is False
