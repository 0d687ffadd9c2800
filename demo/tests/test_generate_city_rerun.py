from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from demo.city import generate_city
from residents.models import Household, Resident

pytestmark = pytest.mark.django_db

DAY = date(2026, 4, 1)


def _run(*args, **kwargs):
    out = StringIO()
    call_command("generate_city", *args, stdout=out, stderr=StringIO(), verbosity=0, **kwargs)
    return out.getvalue()


def test_the_command_creates_the_city_and_says_so():
    out = _run(residents=120, today=DAY)
    assert Resident.objects.count() == 120
    assert "120人" in out


def test_a_rerun_without_replace_keeps_the_city_and_says_it_is_reused():
    _run(residents=100, today=DAY)
    before = list(Resident.objects.order_by("pk").values_list("pk", "name", "mynumber_enc"))
    out = _run(residents=300, today=DAY)
    assert list(Resident.objects.order_by("pk").values_list("pk", "name", "mynumber_enc")) == before
    assert "そのまま使います" in out


def test_replace_wipes_the_register_and_builds_a_new_city():
    _run(residents=100, today=DAY)
    _run("--replace", residents=150, seed=2, today=DAY)
    assert Resident.objects.count() == 150
    assert Household.objects.filter(residents__isnull=True).count() == 0


def test_the_same_seed_and_day_give_the_same_city():
    def snapshot():
        return list(
            Resident.objects.order_by("pk").values_list(
                "name", "name_kana", "birth_date", "relation", "facts", "household__banchi"
            )
        )

    generate_city(200, seed=5, today=DAY, progress=False)
    first = snapshot()
    generate_city(200, seed=5, today=DAY, replace=True, progress=False)
    assert snapshot() == first
    generate_city(200, seed=6, today=DAY, replace=True, progress=False)
    assert snapshot() != first


def test_the_lead_demo_can_call_it_with_only_the_size():
    call_command("generate_city", residents=50, verbosity=0, stdout=StringIO())
    assert Resident.objects.count() == 50


def test_replace_is_refused_while_a_visit_points_at_a_resident():
    from django.apps import apps
    from django.contrib.auth.models import User
    from django.core.management.base import CommandError

    _run(residents=30, today=DAY)
    office = apps.get_model("accounts", "Office").objects.create(code="honcho", name="本庁")
    visit = apps.get_model("counter", "Visit").objects.create(
        number="V1", office=office, created_by=User.objects.create(username="clerk"), event_date=DAY
    )
    visit.people.create(key="p1", resident=Resident.objects.first())
    with pytest.raises(CommandError, match="住民記録を置き換えられません"):
        _run("--replace", residents=40, today=DAY)
    assert Resident.objects.count() == 30
