"""Pre-entry of a 転居 and of a 出生: the phone takes them like a 転入 (the current address
is the register's, so it is not asked), and the counter opens the visit on the register's
household the people were found in by reading and birth date — 転居: the movers entered
ticked, the rest staying; 出生: the child born that day added as the newborn. People the
register does not have are not guessed: the clerk is told to search."""

from datetime import date

import pytest

from counter.interview import live_context
from counter.models import Visit
from counter.tests.factories import household, resident
from preentry import services
from preentry.models import PreEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    hh = household(town="北5条西", banchi="7-3")
    return {
        "hh": hh,
        "head": resident(hh, "北見　一郎", "キタミ　イチロウ", date(1985, 7, 1), "世帯主"),
        "wife": resident(hh, "北見　春子", "キタミ　ハルコ", date(1987, 3, 3), "妻", sex="2"),
        "son": resident(hh, "北見　太郎", "キタミ　タロウ", date(2015, 9, 9), "子"),
    }


def _entered(event, event_date, people, new_address=None, answers=None):
    pre = services.create()
    services.save_move(
        pre,
        events=[event],
        event_date=event_date,
        new_address=new_address or {},
        old_address={},
        phone="090-1111-2222",
    )
    for name, kana, birth, sex, relation in people:
        services.add_person(
            pre, name=name, name_kana=kana, birth_date=birth, sex=sex, relation=relation
        )
    if answers:
        keys = {p.name: p.key for p in pre.people.all()}
        services.record_answers(pre, {(keys[n], f): v for (n, f), v in answers.items()})
    services.submit(pre)
    return PreEntry.objects.get(pk=pre.pk)


def test_the_phone_takes_a_tenkyo_with_its_new_address_and_not_the_current_one(client):
    client.post("/preentry/")
    pre = PreEntry.objects.get()
    form = {
        "event": "tenkyo",
        "event_date": "2026-05-01",
        "new_town": "",
        "old_town": "北5条西",
        "old_banchi": "7-3",
    }
    r = client.post(f"/preentry/e/{pre.edit_token}/move/", form)
    assert r.status_code == 400
    assert "新しい住所の町名を入力してください" in r.content.decode()
    r = client.post(f"/preentry/e/{pre.edit_token}/move/", {**form, "new_town": "北4条東"})
    assert r.status_code == 302
    pre.refresh_from_db()
    assert pre.events == ["tenkyo"] and pre.new_address["town"] == "北4条東"
    assert pre.old_address == {}  # the register knows it: not kept from the phone


def test_the_phone_takes_a_birth_without_an_address_and_says_whom_to_add(client):
    client.post("/preentry/")
    pre = PreEntry.objects.get()
    r = client.post(
        f"/preentry/e/{pre.edit_token}/move/", {"event": "birth", "event_date": "R8.6.1"}
    )
    assert r.status_code == 302
    pre.refresh_from_db()
    assert pre.events == ["birth"] and pre.new_address == {} and pre.old_address == {}
    page = client.get(f"/preentry/e/{pre.edit_token}/people/").content.decode()
    assert "生まれたお子さん" in page


def test_a_tenkyo_opens_on_the_households_register_with_only_the_movers_ticked(
    clerk_client, clerk, family
):
    pre = _entered(
        "tenkyo",
        date(2026, 5, 1),
        [
            ("北見　一郎", "きたみ いちろう", date(1985, 7, 1), "1", "世帯主"),
            ("北見　春子", "キタミ　ハルコ", date(1987, 3, 3), "2", "妻"),
        ],
        new_address={"pref": "北海道", "city": "北見市", "town": "北4条東", "banchi": "1-1"},
        answers={("北見　一郎", "has_mynumber_card"): True},
    )
    code = services.display_code(pre)
    page = clerk_client.get("/preentry/open/", {"code": code}).content.decode()
    assert "住民記録の世帯" in page and family["hh"].household_no in page
    assert 'id="preentry-open" autofocus>' in page  # enabled

    r = clerk_client.post("/preentry/open/", {"code": code})
    visit = Visit.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/visits/{visit.number}/"
    assert visit.household == family["hh"] and visit.events == ["tenkyo"]
    assert visit.new_address["town"] == "北4条東"
    assert visit.old_address["town"] == "北5条西"  # from the register
    moving = {vp.resident.name: vp.moving for vp in visit.people.select_related("resident")}
    assert moving == {"北見　一郎": True, "北見　春子": True, "北見　太郎": False}
    head = visit.people.get(resident=family["head"])
    assert head.applicant and head.facts["has_mynumber_card"] is True
    assert visit.people.filter(resident__isnull=True).count() == 0
    procedures = {r.id for r in live_context(visit)["results"]}
    assert "jumin_tenkyo" in procedures


def test_a_birth_opens_on_the_parents_household_with_the_newborn_added(clerk_client, family):
    pre = _entered(
        "birth",
        date(2026, 6, 1),
        [
            ("北見　春子", "キタミ　ハルコ", date(1987, 3, 3), "2", "妻"),
            ("北見　花", "キタミ　ハナ", date(2026, 6, 1), "2", "子"),
        ],
    )
    mother, child = pre.people.all()
    assert services.case_for(pre).people[1].facts["role"] == "newborn"
    # The phone asks what a birth needs: the child's weight, the mother's insurance.
    asked = {(q.person, q.fact) for q in services.questions(pre)}
    assert {(child.key, "birth_weight_g"), (mother.key, "health_insurance")} <= asked
    clerk_client.post("/preentry/open/", {"code": services.display_code(pre)})
    visit = Visit.objects.get()
    assert visit.household == family["hh"] and visit.events == ["birth"]
    newborn = visit.people.get(resident__isnull=True)
    assert (newborn.name, newborn.role, newborn.birth_date) == (
        "北見　花",
        "newborn",
        date(2026, 6, 1),
    )
    assert not visit.people.filter(moving=True).exists()
    # The mother who entered it is the 届出人, not the head the register lists first.
    assert visit.people.get(applicant=True).resident == family["wife"]
    procedures = {r.id for r in live_context(visit)["results"]}
    assert "shussei_todoke" in procedures


def test_people_the_register_does_not_have_are_not_guessed(clerk_client, family):
    pre = _entered(
        "tenkyo",
        date(2026, 5, 1),
        [("北見　次郎", "キタミ　ジロウ", date(1985, 7, 1), "1", "世帯主")],
        new_address={"town": "北4条東"},
    )
    code = services.display_code(pre)
    page = clerk_client.get("/preentry/open/", {"code": code}).content.decode()
    assert "住民記録の1つの世帯に見つかりません" in page
    assert "disabled" in page.split('id="preentry-open"')[1].split(">")[0]
    r = clerk_client.post("/preentry/open/", {"code": code})
    assert r.status_code == 409 and "検索から世帯を開いて" in r.content.decode()
    assert not Visit.objects.exists()
    pre.refresh_from_db()
    assert pre.visit is None and pre.people.count() == 1  # nothing erased


def test_people_of_two_households_are_not_opened_as_one(family):
    other = household()
    resident(other, "南　花子", "ミナミ　ハナコ", date(1990, 1, 1), "世帯主", sex="2")
    pre = _entered(
        "tenkyo",
        date(2026, 5, 1),
        [
            ("北見　一郎", "キタミ　イチロウ", date(1985, 7, 1), "1", "世帯主"),
            ("南　花子", "ミナミ　ハナコ", date(1990, 1, 1), "2", "同居人"),
        ],
        new_address={"town": "北4条東"},
    )
    assert services.register_household(pre) == (None, {})
