"""The supervisor's pages and who may see what: a supervisor assigns and reads every
trainee's results over time; a trainee reads their own only; nobody else assigns."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from training.models import Assignment, Attempt
from training.tests import practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def kanri(demo_staff):
    c = Client()
    c.force_login(demo_staff["kanri"])
    return c


def _attempt(assignment, trainee, missed, when):
    a = Attempt.objects.create(
        assignment=assignment, trainee=trainee, finished_at=when,
        score={"expected": 6, "matched": 6 - len(missed), "extra": [], "needless": [],
               "missed": [{"id": m, "person": None, "label": m, "open": False} for m in missed],
               "answers": 9, "actions": 14, "seconds": 300},
    )  # fmt: skip
    Attempt.objects.filter(pk=a.pk).update(started_at=when - timezone.timedelta(minutes=5))
    return a


def test_a_supervisor_sees_each_trainee_s_results_over_time(kanri, clerk, demo_staff):
    a = practice.assign(kanri, clerk, practice.BIRTH)
    assert a.assigned_by == demo_staff["kanri"] and a.name.startswith("出生")
    now = timezone.now()
    _attempt(a, clerk, ["kokuho_birth"], now - timezone.timedelta(days=7))
    _attempt(a, clerk, [], now)
    overview = kanri.get(reverse("training:results")).content.decode()
    row = overview.split(clerk.staff.display_name, 1)[1].split("</tr>", 1)[0]
    assert "<td>1</td><td>2</td><td>1</td>" in row  # 1 assigned, 2 done, 1 without a slip
    page = kanri.get(reverse("training:trainee_results", args=[clerk.pk])).content.decode()
    # Oldest first: the trainee's progress reads left to right, top to bottom.
    first, second = page.index("kokuho_birth"), page.index("6 / 6")
    assert first < second and "5 / 6" in page


def test_a_trainee_sees_their_own_results_and_not_another_s(kanri, clerk, demo_staff):
    branch = demo_staff["shisho"]
    a = practice.assign(kanri, branch, practice.BIRTH)
    theirs = _attempt(a, branch, ["shussei_todoke"], timezone.now())
    me = Client()
    me.force_login(clerk)
    r = me.get(reverse("training:trainee_results", args=[branch.pk]))
    assert r.status_code == 403 and "shussei_todoke" not in r.content.decode()
    r = me.get(reverse("training:attempt", args=[theirs.pk]))
    assert r.status_code == 403 and "shussei_todoke" not in r.content.decode()
    assert me.get(reverse("training:results")).status_code == 403
    own = me.get(reverse("training:trainee_results", args=[clerk.pk]))
    assert own.status_code == 200 and "shussei_todoke" not in own.content.decode()
    b = Client()
    b.force_login(branch)
    assert "shussei_todoke" in b.get(reverse("training:attempt", args=[theirs.pk])).content.decode()


def test_only_supervisors_assign(clerk_client, clerk, demo_staff):
    text = practice.BIRTH.read_text(encoding="utf-8")
    r = clerk_client.post(reverse("training:assign"), {"trainees": [clerk.staff.pk], "text": text})
    assert r.status_code == 403
    assert not Assignment.objects.exists()


def test_a_trainee_starts_only_their_own_assignment(kanri, clerk_client, demo_staff):
    a = practice.assign(kanri, demo_staff["shisho"], practice.BIRTH)
    r = clerk_client.post(reverse("training:start", args=[a.pk]))
    assert r.status_code == 404 and not Attempt.objects.exists()
    assert "banner-practice" not in clerk_client.get(reverse("counter:home")).content.decode()


def test_an_invalid_scenario_is_refused_with_its_line(kanri, clerk):
    r = kanri.post(
        reverse("training:assign"),
        {"trainees": [clerk.staff.pk], "text": "name: x\nevent: no_such_event\ndate: 2026-01-01\n"},
    )
    assert r.status_code == 400 and "no_such_event" in r.content.decode()
    assert not Assignment.objects.exists()


def test_the_library_offers_the_pack_s_and_the_municipality_s_scenarios(kanri):
    page = kanri.get(reverse("training:assign")).content.decode()
    assert "scenarios/birth-first-child.yaml" in page and "出生 — 自営業の夫婦" in page
