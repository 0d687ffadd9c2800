"""「変更」 on an answer given at the counter: the answer is taken back (a history row and an audit
entry), its question is asked again and the procedures follow; a locked visit, an answer
changed meanwhile and a double click are each handled without harm."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from counter import services
from counter.interview import live_context
from counter.models import Answer
from counter.navigation import navigate_visit
from counter.tests.factories import elderly_couple

pytestmark = pytest.mark.django_db


@pytest.fixture
def tennyu(clerk):
    v = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tennyu"], event_date=date(2026, 4, 10)
    )
    services.add_newcomer(v, by=clerk, data={
        "name": "葛西\u3000辰治", "name_kana": "カサイ\u3000タツジ", "birth_date": date(1988, 5, 12),
        "sex": "1", "relation": "世帯主", "nationality": "JP", "role": "member"})  # fmt: skip
    return v


def _dog(visit, clerk, value=True):
    p1 = visit.people.get(key="p1")
    services.record_answer(visit, by=clerk, fact="owns_dog", value=value, person=p1)
    return p1


def _procedures(visit):
    """What the navigator says applies (not what it leaves 要確認)."""
    results, _questions = navigate_visit(visit)
    return {(r.id, r.person) for r in results if r.status == "applies"}


def _open(visit):
    return {(q.person, q.fact) for g in live_context(visit)["question_groups"] for q in
            (row["q"] for row in g["rows"])}  # fmt: skip


def test_a_withdrawn_answer_is_gone_and_its_question_open_again(clerk, tennyu):
    p1 = _dog(tennyu, clerk)
    assert ("inu_henko", "p1") in _procedures(tennyu)
    assert ("p1", "owns_dog") not in _open(tennyu)

    row = services.withdraw_answer(tennyu, by=clerk, fact="owns_dog", seen=True, person=p1)

    p1.refresh_from_db()
    assert "owns_dog" not in p1.facts
    assert row.withdrawn and row.value is None and row.by == clerk and row.person == p1
    # The history: the answer as given, then its withdrawal (the latest row is the current).
    assert list(tennyu.answers.filter(fact="owns_dog").order_by("id").values_list(
        "value", "withdrawn")) == [(True, False), (None, True)]  # fmt: skip
    assert ("inu_henko", "p1") not in _procedures(tennyu)
    assert ("p1", "owns_dog") in _open(tennyu)
    entry = AuditEntry.objects.get(action="visit.answer_withdrawn")
    assert entry.visit_id == tennyu.id and entry.detail["fact"] == "owns_dog"
    assert entry.user == clerk


def test_a_household_answer_is_withdrawn_from_the_household(clerk, tennyu):
    services.record_answer(tennyu, by=clerk, fact="new_dwelling", value=True)
    services.withdraw_answer(tennyu, by=clerk, fact="new_dwelling", seen=True)
    tennyu.refresh_from_db()
    assert "new_dwelling" not in tennyu.household_facts
    assert (None, "new_dwelling") in _open(tennyu)


def test_the_answer_the_system_wrote_on_joining_a_household_may_be_withdrawn(clerk):
    hh, _head, _wife = elderly_couple()
    v = services.start_visit(by=clerk, office=clerk.staff.office, events=["tennyu"],
                             event_date=date(2026, 4, 10), household=hh)  # fmt: skip
    rows = live_context(v)["answered"]
    assert [(r["fact"].id, r["key"]) for r in rows] == [("new_dwelling", "")]
    # Shown in the pack's words with why it was not asked.
    assert rows[0]["shown"].startswith("入居・退去なし") and "この世帯への転入" in rows[0]["why"]
    services.withdraw_answer(v, by=clerk, fact="new_dwelling", seen=False)
    v.refresh_from_db()
    assert v.household_facts == {}


def test_a_dwelling_said_from_the_register_is_withdrawn_and_not_said_again(clerk, tennyu):
    korpo = {"town": "北4条東", "banchi": "3-12", "katagaki": "コーポ北見 201"}
    services.set_addresses(tennyu, by=clerk, new_address=korpo)
    tennyu.refresh_from_db()
    assert tennyu.household_facts == {"new_dwelling": True}  # derived: nobody lives there
    rows = live_context(tennyu)["answered"]
    assert [(r["fact"].id, r["key"]) for r in rows] == [("new_dwelling", "")]

    services.withdraw_answer(tennyu, by=clerk, fact="new_dwelling", seen=True)
    assert (None, "new_dwelling") in _open(tennyu)
    # The address typed again does not say it over the clerk's 「変更」: it stays asked.
    services.set_addresses(tennyu, by=clerk, new_address={**korpo, "katagaki": "コーポ北見 202"})
    tennyu.refresh_from_db()
    assert "new_dwelling" not in tennyu.household_facts
    assert (None, "new_dwelling") in _open(tennyu)


def test_withdrawing_twice_changes_nothing_the_second_time(clerk, tennyu):
    p1 = _dog(tennyu, clerk)
    services.withdraw_answer(tennyu, by=clerk, fact="owns_dog", seen=True, person=p1)
    again = services.withdraw_answer(tennyu, by=clerk, fact="owns_dog", seen=True, person=p1)
    assert again is None
    assert tennyu.answers.filter(withdrawn=True).count() == 1
    assert AuditEntry.objects.filter(action="visit.answer_withdrawn").count() == 1


def test_an_answer_changed_since_the_screen_showed_it_is_not_withdrawn(clerk, hoken_clerk, tennyu):
    p1 = _dog(tennyu, clerk)
    # The remote specialist corrected it to いいえ while this screen still showed はい.
    services.record_answer(tennyu, by=hoken_clerk, fact="owns_dog", value=False, person=p1)
    with pytest.raises(services.StaleEdit) as e:
        services.withdraw_answer(tennyu, by=clerk, fact="owns_dog", seen=True, person=p1)
    assert "「はい」→「いいえ」" in str(e.value)
    p1.refresh_from_db()
    assert p1.facts["owns_dog"] is False
    assert not tennyu.answers.filter(withdrawn=True).exists()


def test_a_dont_know_is_withdrawn_as_shown(clerk, tennyu):
    p1 = _dog(tennyu, clerk, value=None)
    rows = live_context(tennyu)["answered"]
    assert [(r["fact"].id, r["shown"], r["raw"]) for r in rows] == [("owns_dog", "わからない", "")]
    with pytest.raises(services.StaleEdit):
        services.withdraw_answer(tennyu, by=clerk, fact="owns_dog", seen=False, person=p1)
    services.withdraw_answer(tennyu, by=clerk, fact="owns_dog", seen=None, person=p1)
    p1.refresh_from_db()
    assert "owns_dog" not in p1.facts


def test_an_accepted_or_cancelled_visit_refuses_a_withdrawal(clerk, tennyu):
    p1 = _dog(tennyu, clerk)
    services.accept_visit(tennyu, by=clerk)
    with pytest.raises(services.VisitLocked, match="受付済みのため変更できません"):
        services.withdraw_answer(tennyu, by=clerk, fact="owns_dog", seen=True, person=p1)
    services.reopen_visit(tennyu, by=clerk, reason="犬の回答の誤り")
    services.withdraw_answer(tennyu, by=clerk, fact="owns_dog", seen=True, person=p1)

    other = services.start_visit(by=clerk, office=clerk.staff.office, events=["tennyu"],
                                 event_date=date(2026, 4, 11))  # fmt: skip
    services.record_answer(other, by=clerk, fact="new_dwelling", value=True)
    services.cancel_visit(other, by=clerk, reason="開き直し")
    with pytest.raises(services.VisitLocked, match="取り消されたため"):
        services.withdraw_answer(other, by=clerk, fact="new_dwelling", seen=True)


def test_the_answered_list_shows_answers_not_the_register(clerk):
    hh, _head, _wife = elderly_couple()
    v = services.start_visit(by=clerk, office=clerk.staff.office, events=["tenshutsu"],
                             event_date=date(2026, 6, 15), household=hh)  # fmt: skip
    wife = v.people.get(key="p2")
    services.record_answer(v, by=clerk, fact="owns_dog", value=True, person=wife)
    ctx = live_context(v)
    assert [(r["fact"].id, r["key"], r["shown"]) for r in ctx["answered"]] == [
        ("owns_dog", "p2", "はい")
    ]
    # What the register knows (the head's health insurance, his 印鑑登録) is listed apart.
    assert ctx["known"]
    assert ctx["answered_open"]


# -- the screen ---------------------------------------------------------------------------------


def _withdraw(client, visit, htmx=True, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("counter:answer_withdraw", args=[visit.number]), data, headers=headers
    )


def test_the_panel_lists_the_answer_with_a_labelled_change_button(clerk, clerk_client, tennyu):
    _dog(tennyu, clerk)
    html = clerk_client.get(reverse("counter:visit", args=[tennyu.number])).content.decode()
    answered = html.split('id="answered"', 1)[1].split("</details>", 1)[0]
    assert 'data-answer="owns_dog@p1"' in answered
    assert "犬の登録" in answered and "はい" in answered
    assert 'aria-label="葛西\u3000辰治の「犬の登録」（はい）を変更"' in answered
    assert '<button type="submit" class="withdraw"' in answered
    # Not an open question: the counter's selectors (.qgroup, .q[data-fact]) do not find it.
    assert "qgroup" not in answered and "data-fact=" not in answered


def test_the_htmx_change_returns_the_panel_with_the_question_back(clerk, clerk_client, tennyu):
    _dog(tennyu, clerk)
    r = _withdraw(clerk_client, tennyu, fact="owns_dog", person="p1", value="true")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'class="qgroup" data-fact="owns_dog"' in html
    # 犬の登録事項変更届 is no longer due, only 要確認 with its question.
    assert 'data-procedure="inu_henko@p1" class="needs_check"' in html
    assert 'data-answer="owns_dog@p1"' not in html
    assert "<html" not in html  # the fragment, not the page
    # A double click: the second post finds the question open and shows the same panel.
    again = _withdraw(clerk_client, tennyu, fact="owns_dog", person="p1", value="true")
    assert (
        again.status_code == 200 and 'class="qgroup" data-fact="owns_dog"' in again.content.decode()
    )
    assert Answer.objects.filter(withdrawn=True).count() == 1


def test_a_plain_post_redirects_to_the_visit(clerk, clerk_client, tennyu):
    _dog(tennyu, clerk)
    r = _withdraw(clerk_client, tennyu, htmx=False, fact="owns_dog", person="p1", value="true")
    assert r.status_code == 302 and r["Location"] == reverse("counter:visit", args=[tennyu.number])
    assert "owns_dog" not in tennyu.people.get().facts


def test_a_stale_change_names_what_changed_and_keeps_the_answer(clerk, clerk_client, tennyu):
    _dog(tennyu, clerk, value=False)
    r = _withdraw(clerk_client, tennyu, fact="owns_dog", person="p1", value="true")
    assert r.status_code == 409
    html = r.content.decode()
    assert "他の職員が先に変更しています" in html and 'data-answer="owns_dog@p1"' in html
    assert tennyu.people.get().facts["owns_dog"] is False
    # Without htmx the message goes with the redirect.
    r = _withdraw(clerk_client, tennyu, htmx=False, fact="owns_dog", person="p1", value="true")
    assert r.status_code == 302
    page = clerk_client.get(r["Location"]).content.decode()
    assert "他の職員が先に変更しています" in page


def test_a_locked_visit_shows_the_reason_and_disabled_buttons(clerk, clerk_client, tennyu):
    _dog(tennyu, clerk)
    services.accept_visit(tennyu, by=clerk)
    r = _withdraw(clerk_client, tennyu, fact="owns_dog", person="p1", value="true")
    assert r.status_code == 409
    html = r.content.decode()
    assert "受付済みのため変更できません" in html
    assert '<button type="submit" class="withdraw" disabled' in html
    assert tennyu.people.get().facts["owns_dog"] is True


def test_several_people_or_an_unknown_fact_are_refused(clerk, clerk_client, tennyu):
    _dog(tennyu, clerk)
    r = _withdraw(clerk_client, tennyu, fact="owns_dog", person="p1,p2", value="true")
    assert r.status_code == 400 and "一人ずつ" in r.content.decode()
    r = _withdraw(clerk_client, tennyu, fact="favourite_colour", person="p1", value="true")
    assert r.status_code == 400
    r = _withdraw(clerk_client, tennyu, fact="owns_dog", person="p9", value="true")
    assert r.status_code == 404
    assert tennyu.people.get().facts["owns_dog"] is True
