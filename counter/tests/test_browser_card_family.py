"""In Chromium: the family of four of the public scenario moves in with the parents' My Number
cards read (simulated cards, MADOGUCHI_CARD_READER=simulated:…) and the children typed, to
受付完了. Counts the clerk's actions as the plain path does (counter/tests/family_path.py)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from counter import card
from counter.models import Visit
from counter.tests.family_path import (
    CountingPage,
    answer_interview,
    enter_addresses,
    enter_person,
    expected_procedures,
    scenario,
    shown_procedures,
)
from lib import cardsim

SPEC = "simulated:family"
GOAL = 20  # issue 12: ≤ 20 actions with a card
REACHED = 21  # what this path takes today (not yet the goal: see the README)


@pytest.fixture
def reader(settings):
    settings.CARD_READER = SPEC
    r = card.simulated_reader(SPEC)
    r.present = True
    r.insert(cardsim.demo_card())
    return r


def _read_card(c, kana, name="葛西\u3000辰治"):
    page = c.page
    page.wait_for_load_state()  # the page's scripts, which send the PIN with htmx
    c.fill("#card-pin", "1234", then="Enter")  # typed by the resident, counted all the same
    # This card's answer, not the last card's still on the screen, and its fields filled
    # (a settle after the answer shows): the reading typed next is not overwritten by them.
    expect(page.locator("#card-result")).to_contain_text(f"カードを読みました：{name}")
    expect(page.locator("#id_given_name")).to_have_value(name.split("\u3000")[1])
    for field, text in kana:
        c.fill(field, text)
    # The card's old address saves in the background; the test server's threads share one
    # SQLite connection, so those saves end before the next request.
    page.wait_for_load_state("networkidle")
    page.press(kana[-1][0] if kana else "#id_given_name", "Enter")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_family_of_four_moves_in_with_the_parents_cards(
    logged_in_page, reader, record_property
):
    sc = scenario()
    page = logged_in_page
    c = CountingPage(page)
    c.click("text=住民登録のない方の転入")
    c.fill("#id_event_date", "R8.4.10", then="Enter")
    page.wait_for_selector("#card-pin")
    visit = Visit.objects.get()

    father, mother, *children = sc["people"]
    # The whole reading in one field, split at the space (a reading typed the clerk's way).
    _read_card(c, [("#id_surname_kana", "カサイ\u3000タツジ")])
    page.wait_for_selector("tr[data-person=p1]")
    reader.insert(cardsim.demo_card(name="葛西\u3000美咲", birth_date=date(1990, 8, 3), sex="2"))
    # The family's reading is kept: only her given name's is asked.
    _read_card(c, [("#id_given_kana", "ミサキ")], name="葛西\u3000美咲")
    page.wait_for_selector("tr[data-person=p2]")
    for i, p in enumerate(children, start=3):
        enter_person(c, p, first=False)
        page.wait_for_selector(f"tr[data-person=p{i}]")
    keys = {f"p{i}": p for i, p in enumerate(sc["people"], start=1)}
    people = list(visit.people.order_by("order"))
    assert [(vp.sex, vp.relation) for vp in people] == [
        (str(p["sex"]), p["relation"]) for p in sc["people"]
    ]
    assert [vp.facts.get("has_mynumber_card") for vp in people[:2]] == [True, True]

    enter_addresses(c, sc, old=False)  # the old address came from the card
    visit.refresh_from_db()
    assert visit.old_address["city"] == sc["household"]["old_address"]["city"]

    asked = answer_interview(c, sc, keys)
    assert shown_procedures(page) == expected_procedures(sc, keys)
    assert page.locator("#procedures tr.needs_check").count() == 0

    href = page.get_attribute("#print", "href")
    c.clicks += 1  # the print button
    assert page.request.get(href).body().startswith(b"%PDF")
    c.click("#accept")
    page.wait_for_selector(".badge.accepted")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.ACCEPTED

    print(f"\nclerk effort with the parents' cards: {c.actions} actions, {asked} answers")
    record_property("clicks", c.clicks)
    record_property("typed_fields", c.typed)
    record_property("actions", c.actions)
    # Not yet GOAL: a change that adds an action (or saves one) shows here.
    assert c.actions == REACHED
