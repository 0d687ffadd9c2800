"""転入 (or 転居) into a household already in the register: the household's address is the new
address, it is not a new dwelling, and only the newcomers move."""

from datetime import date

import pytest

from counter import services
from counter.models import Visit
from counter.tests.factories import household, resident

pytestmark = pytest.mark.django_db


def _couple_household():
    hh = household(town="北4条東", banchi="7-7", katagaki="コーポ 101")
    resident(hh, "北見　太郎", "キタミ　タロウ", date(1995, 1, 20), "世帯主",
             health_insurance="shaho", has_mynumber_card=True)  # fmt: skip
    return hh


def test_a_tennyu_into_a_registered_household_moves_only_the_newcomer(clerk_client, clerk):
    hh = _couple_household()
    r = clerk_client.post(
        f"/households/{hh.pk}/visit/",
        {"events": ["marriage", "tennyu"], "event_date": "R8.5.20", "token": "t1"},
    )
    visit = Visit.objects.get()
    assert r.status_code == 302
    assert visit.new_address == hh.as_address() and visit.old_address == {}
    assert visit.household_facts == {"new_dwelling": False}
    head = visit.people.get()
    assert head.moving is False

    wife = services.add_newcomer(
        visit,
        by=clerk,
        data={"name": "北見　花子", "birth_date": date(1996, 3, 3), "sex": "2", "relation": "妻"},
    )
    assert wife.moving is True
    page = clerk_client.get(f"/visits/{visit.number}/").content.decode()
    # The new-address fields show the household's address, ready to print.
    assert 'value="7-7"' in page and 'value="コーポ 101"' in page
    # The newcomer's 転入 procedures, and no 水道使用開始 (not a new dwelling).
    assert "suido_kaishi" not in page
    assert 'data-procedure="jumin_tennyu"' in page


def test_a_tenkyo_joining_a_household_is_marked_on_the_start_form(clerk_client):
    hh = _couple_household()
    clerk_client.post(
        f"/households/{hh.pk}/visit/",
        {"events": ["tenkyo"], "event_date": "R8.5.20", "token": "t2", "joins": "on"},
    )
    visit = Visit.objects.get()
    assert visit.new_address == hh.as_address() and visit.old_address == {}
    assert [vp.moving for vp in visit.people.all()] == [False]


def test_a_tenkyo_of_the_household_itself_still_moves_everybody(clerk_client):
    hh = _couple_household()
    clerk_client.post(
        f"/households/{hh.pk}/visit/",
        {"events": ["tenkyo"], "event_date": "R8.5.20", "token": "t3"},
    )
    visit = Visit.objects.get()
    assert visit.old_address == hh.as_address() and visit.new_address == {}
    assert [vp.moving for vp in visit.people.all()] == [True]
    assert "new_dwelling" not in visit.household_facts
