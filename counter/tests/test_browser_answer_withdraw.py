"""In Chromium: 犬 answered 「はい」 by mistake on a 転入 is taken back with 「変更」 from the
answered list (by keyboard), the question is asked again where it was, and answered いいえ
the 犬の登録事項変更届 is gone."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from counter import services
from counter.models import Answer
from counter.tests.family_path import QUESTION_GROUPS


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_dog_answered_yes_by_mistake_is_changed_to_no(logged_in_page, clerk):
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tennyu"], event_date=date(2026, 4, 10)
    )
    services.add_newcomer(visit, by=clerk, data={
        "name": "葛西\u3000辰治", "name_kana": "カサイ\u3000タツジ", "birth_date": date(1988, 5, 12),
        "sex": "1", "relation": "世帯主", "nationality": "JP", "role": "member"})  # fmt: skip
    page = logged_in_page
    page.goto(reverse("counter:visit", args=[visit.number]))
    groups = page.locator(QUESTION_GROUPS)
    expect(groups.first).to_be_visible()
    asked_first = [g.get_attribute("data-fact") for g in groups.all()]
    assert "owns_dog" in asked_first
    dog = page.locator("#live .q[data-fact=owns_dog][data-person=p1]")
    inu = page.locator("#procedures tr[data-procedure='inu_henko@p1']")

    dog.locator("button[data-value=true]").click()  # meant いいえ
    expect(inu).to_contain_text("犬の登録事項変更届")
    expect(inu).to_have_class("applies")
    expect(dog).to_have_count(0)
    answered = page.locator("#answered tr[data-answer='owns_dog@p1']")
    expect(answered).to_contain_text("犬の登録")
    expect(answered.locator(".value")).to_have_text("はい")

    # A real button, reached by keyboard, named by the person and the question.
    change = page.get_by_role("button", name="葛西\u3000辰治の「犬の登録」（はい）を変更")
    change.focus()
    expect(change).to_be_focused()
    page.keyboard.press("Enter")

    expect(dog).to_have_count(1)  # asked again
    expect(answered).to_have_count(0)
    expect(inu).to_have_class("needs_check")  # no longer due, only to be checked
    expect(inu.locator(".badge.needs_check")).to_have_text("要確認")
    # In its own place: the questions are in the order they were before the mistake.
    assert [g.get_attribute("data-fact") for g in groups.all()] == asked_first

    dog.locator("button[data-value=false]").click()
    expect(inu).to_have_count(0)
    expect(answered.locator(".value")).to_have_text("いいえ")
    assert list(
        Answer.objects.filter(visit=visit, fact="owns_dog")
        .order_by("id")
        .values_list("value", "withdrawn")
    ) == [(True, False), (None, True), (False, False)]
