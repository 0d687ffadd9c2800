"""A trainee's visit never reaches anything real: no department task or handoff, not in the
analytics figures or CSV, not in the departments' export, not on the boards, not in a real
clerk's search or 最近の来庁; and the trainee, while practising, sees no real visit. On
every screen of the practice the 練習 banner shows, and every printed page carries 練習."""

import subprocess
import tempfile

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from backoffice.models import Handoff, Task
from backoffice.services import missing_task_handoffs
from counter.models import Visit
from residents.models import Household, Resident
from residents.practice import practising
from training.tests import practice

pytestmark = pytest.mark.django_db

NAME = "辰治"  # the family's father (tennyu-family-of-four.yaml)


@pytest.fixture
def kanri(demo_staff):
    c = Client()
    c.force_login(demo_staff["kanri"])
    return c


@pytest.fixture
def practised(kanri, clerk_client, clerk, django_capture_on_commit_callbacks):
    before = kanri.get(reverse("analytics:dashboard_csv")).content
    a = practice.assign(kanri, clerk, practice.FAMILY)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = practice.run(clerk_client, a)
    attempt.refresh_from_db()
    attempt.analytics_before = before
    return attempt


def test_the_practice_visit_is_handed_to_no_department(practised):
    visit = practised.visit
    assert visit.training and visit.status == Visit.Status.ACCEPTED
    assert not Task.objects.filter(visit=visit).exists()
    assert not Handoff.objects.filter(visit=visit).exists()
    # The handoff loop's catch-up, which runs outside any request, does not see it either.
    assert visit.pk not in list(missing_task_handoffs().values_list("pk", flat=True))
    assert not Visit.objects.filter(pk=visit.pk).exists()


def test_it_is_not_in_analytics_nor_in_the_export(practised, kanri, hoken_clerk):
    assert kanri.get(reverse("analytics:dashboard_csv")).content == practised.analytics_before
    page = kanri.get(reverse("analytics:dashboard")).content.decode()
    assert practised.number not in page
    hoken = Client()
    hoken.force_login(hoken_clerk)
    for c in (kanri, hoken):
        csv = c.get(reverse("backoffice:export")).content.decode("utf-8-sig")
        assert practised.number not in csv and NAME not in csv
        queue = c.get(reverse("backoffice:queue")).content.decode()
        assert practised.number not in queue and NAME not in queue


def test_it_is_not_on_the_boards_nor_in_a_real_clerk_s_screens(practised, kanri, demo_staff):
    assert kanri.get(reverse("backoffice:board", args=[practised.number])).status_code == 404
    other = Client()
    other.force_login(demo_staff["shisho"])
    for c in (kanri, other):
        home = c.get(reverse("counter:home")).content.decode()
        assert practised.number not in home
        found = c.get(reverse("counter:home"), {"q": "カサイ"}).content.decode()
        assert NAME not in found and practised.number not in found
        assert c.get(reverse("counter:visit", args=[practised.number])).status_code == 404


def test_the_training_register_is_not_the_real_one(practised, clerk_client, demo_staff):
    real = Household.objects.create(household_no="H1", zip="0900024", pref="北海道",
                                    city="北見市", town="北4条東", banchi="1-1")  # fmt: skip
    member = Resident.objects.create(person_no="R1", household=real, name="本物　太郎",
                                     name_kana="ホンモノ　タロウ", birth_date="1980-01-01",
                                     sex="1", relation="世帯主")  # fmt: skip
    assert not real.training and not member.training
    with practising():
        assert not Household.objects.filter(pk=real.pk).exists()
        assert not Resident.objects.filter(household=real).exists()
    # While practising, the trainee's search and visit pages reach no real row.
    found = clerk_client.get(reverse("counter:home"), {"q": member.name_kana}).content.decode()
    assert member.name not in found
    assert clerk_client.get(reverse("counter:visit_start", args=[real.pk])).status_code == 404


def test_every_practice_screen_says_renshu(practised, clerk_client):
    n = practised.number
    urls = [
        reverse("counter:home"),
        reverse("counter:home") + "?q=カサイ",
        reverse("counter:visit", args=[n]),
        reverse("counter:visit_new"),
        reverse("counter:visit_cancel", args=[n]),
        reverse("training:card"),
        reverse("training:home"),
        reverse("catalog:index"),
        reverse("backoffice:queue"),
    ]
    for url in urls:
        html = clerk_client.get(url).content.decode()
        assert 'class="banner-practice"' in html and "練習モード" in html, url
    # The procedure's 手引き shows beside it in practice.
    visit_page = clerk_client.get(reverse("counter:visit", args=[n])).content.decode()
    assert "よくある誤り" in visit_page and "方書（アパート名・部屋番号）の聞き漏れ" in visit_page
    # Leaving practice takes the banner away.
    clerk_client.post(reverse("training:stop"))
    assert "banner-practice" not in clerk_client.get(reverse("counter:home")).content.decode()


def test_every_printed_page_says_renshu(practised):
    pages = len(PdfReader(__import__("io").BytesIO(practised.pdf)).pages)
    assert pages >= 3
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(practised.pdf)
        f.flush()
        for n in range(1, pages + 1):
            # -raw: text in the order drawn, so the diagonal word's two characters are read.
            text = subprocess.run(
                ["pdftotext", "-raw", "-f", str(n), "-l", str(n), f.name, "-"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            assert "練習用（提出できません）" in text, n
            assert "\n練\n習\n" in text, n  # the diagonal word, one character a line


def test_a_practice_visit_asks_no_department_for_a_remote_consultation(practised, demo_staff):
    from accounts.models import Department
    from remote.models import Consultation
    from remote.services import ConsultationConflict, request_consultation

    with pytest.raises(ConsultationConflict, match="練習"):
        request_consultation(
            practised.visit,
            by=demo_staff["shimin"],
            department=Department.objects.get(code="hoken_nenkin"),
        )
    assert not Consultation.objects.exists()


def test_a_practice_visit_calls_no_department_to_the_counter(practised, clerk_client):
    from accounts.models import Department
    from backoffice.models import CounterCall

    hoken = Department.objects.get(code="hoken_nenkin")
    r = clerk_client.post(
        reverse("backoffice:call", args=[practised.number]),
        {"department": hoken.pk, "counter": "3番窓口", "note": ""},
    )
    assert (
        r.status_code == 400 and "練習の来庁から担当課を呼ぶことはできません" in r.content.decode()
    )
    assert not CounterCall.objects.exists()


def test_practice_uses_up_no_real_ticket_nor_pre_entry(clerk, demo_staff):
    from accounts.models import Department, Office
    from preentry import services as preentry_services
    from preentry.tests.family import finished_pre_entry
    from queues import services as queue_services
    from queues.models import Counter

    honcho = Office.objects.get(code="honcho")
    Counter.objects.create(
        office=honcho, number=1, department=Department.objects.get(code="shimin")
    )
    ticket = queue_services.issue_ticket(office=honcho, purpose_code="moving")
    pre = finished_pre_entry()
    with practising():
        with pytest.raises(queue_services.TicketError, match="練習中"):
            queue_services.start_visit_from_ticket(ticket, by=clerk, office=honcho)
        with pytest.raises(preentry_services.PreEntryRefused, match="練習中"):
            preentry_services.open_visit(pre, by=clerk, office=honcho)
    ticket.refresh_from_db()
    pre.refresh_from_db()
    assert ticket.visit_id is None and pre.visit_id is None
    assert not Visit.objects.exists()
    with practising():
        assert not Visit.objects.exists()
