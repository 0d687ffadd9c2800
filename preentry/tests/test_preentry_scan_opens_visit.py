"""The clerk scans the resident's code: the visit opens filled (people, move, answers as
facts), audited, once; a second scan, a double click or a resubmission opens the same visit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from counter.models import Answer, Visit
from preentry import services
from preentry.models import PreEntry, PreEntryPerson
from preentry.tests.family import finished_pre_entry

pytestmark = pytest.mark.django_db


def test_a_scan_shows_the_pre_entry_and_one_click_opens_the_visit_filled(clerk_client, clerk):
    pre = finished_pre_entry()
    code = services.display_code(pre)
    page = clerk_client.get("/preentry/open/", {"code": code})
    body = page.content.decode()
    assert page.status_code == 200
    assert "葛󠄀西\u3000辰治" in body and "北4条東" in body and "この内容で受付を開始" in body
    assert Visit.objects.count() == 0  # looking opens nothing

    r = clerk_client.post("/preentry/open/", {"code": code})
    visit = Visit.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/visits/{visit.number}/"
    assert visit.events == ["tennyu"] and str(visit.event_date) == "2026-04-10"
    assert visit.office == clerk.staff.office and visit.created_by == clerk
    assert visit.new_address["town"] == "北4条東" and visit.old_address["city"] == "札幌市中央区"
    assert visit.phone == "090-0000-0000"
    people = list(visit.people.all())
    assert [vp.name for vp in people] == [
        "葛󠄀西\u3000辰治",
        "葛󠄀西\u3000美咲",
        "葛󠄀西\u3000𠮷乃",
        "葛󠄀西\u3000髙志",
    ]
    assert all(vp.moving for vp in people) and people[0].applicant
    assert people[0].facts["main_earner"] is True and people[0].facts["has_mynumber_card"] is True
    assert people[2].facts["health_insurance"] == "shaho"
    assert visit.household_facts["wants_daycare"] is True
    # Answers are rows like the counter's, by the clerk who took them in.
    assert Answer.objects.filter(visit=visit, by=clerk).count() >= 10
    assert AuditEntry.objects.filter(action="preentry.opened", visit_id=visit.id).count() == 1
    pre.refresh_from_db()
    assert pre.visit == visit and pre.used_by == clerk
    # The data now lives in the visit only.
    assert pre.new_address == {} and not PreEntryPerson.objects.filter(pre_entry=pre).exists()

    page = clerk_client.get(r["Location"]).content.decode()
    assert "葛󠄀西\u3000𠮷乃" in page


def test_a_second_scan_or_a_double_submit_opens_the_same_visit(clerk_client):
    pre = finished_pre_entry()
    code = services.display_code(pre)
    first = clerk_client.post("/preentry/open/", {"code": code})
    again = clerk_client.post("/preentry/open/", {"code": code})
    scanned = clerk_client.get("/preentry/open/", {"code": code.lower()})
    assert first["Location"] == again["Location"] == scanned["Location"]
    visit = Visit.objects.get()
    assert visit.people.count() == 4
    assert AuditEntry.objects.filter(action="preentry.opened").count() == 1
    assert AuditEntry.objects.filter(action="preentry.reopened").count() == 2


def test_the_service_itself_is_idempotent():
    from django.contrib.auth.models import User

    from accounts.models import Office

    pre = finished_pre_entry()
    user = User.objects.create(username="x")
    office = Office.objects.create(code="t", name="テスト庁舎")
    v1, created1 = services.open_visit(pre, by=user, office=office)
    v2, created2 = services.open_visit(pre, by=user, office=office)
    assert v1 == v2 and (created1, created2) == (True, False)
    assert Visit.objects.count() == 1 and v1.people.count() == 4


def test_the_search_box_takes_a_scanned_code(clerk_client):
    pre = finished_pre_entry()
    code = services.display_code(pre)
    r = clerk_client.get("/", {"q": code})
    assert r.status_code == 302 and r["Location"].startswith("/preentry/open/?code=JZ-")
    # The search box's htmx request: the whole page goes, not the results box.
    r = clerk_client.get("/", {"q": code}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert r.status_code == 204 and r["HX-Redirect"].startswith("/preentry/open/?code=")
    assert "事前入力を読み込む" in clerk_client.get("/").content.decode()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("JZ-0000-0000-0000-0000", "見つかりません"),
        ("JZ-12", "読み取れません"),
        ("カサイ", "読み取れません"),
    ],
)
def test_a_wrong_code_says_so_in_japanese(clerk_client, code, message):
    finished_pre_entry()
    r = clerk_client.get("/preentry/open/", {"code": code})
    assert r.status_code == 404 and message in r.content.decode()
    r = clerk_client.post("/preentry/open/", {"code": code})
    assert r.status_code == 404 and Visit.objects.count() == 0


def test_an_expired_code_says_until_when_and_opens_nothing(clerk_client):
    pre = finished_pre_entry()
    PreEntry.objects.filter(pk=pre.pk).update(expires_at=timezone.now() - timedelta(days=1))
    r = clerk_client.post("/preentry/open/", {"code": services.display_code(pre)})
    body = r.content.decode()
    assert r.status_code == 404 and "有効期限" in body and "令和" in body
    assert Visit.objects.count() == 0


def test_an_unfinished_pre_entry_is_not_opened(clerk_client):
    pre = services.create()
    r = clerk_client.get("/preentry/open/", {"code": services.display_code(pre)})
    assert r.status_code == 404 and "最後まで入力されていません" in r.content.decode()


def test_only_counter_staff_open_a_pre_entry(client, hoken_clerk):
    pre = finished_pre_entry()
    code = services.display_code(pre)
    r = client.get("/preentry/open/", {"code": code})
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    client.force_login(hoken_clerk)
    r = client.get("/preentry/open/", {"code": code})
    assert r.status_code == 403 and "葛" not in r.content.decode()
    r = client.post("/preentry/open/", {"code": code})
    assert r.status_code == 403 and Visit.objects.count() == 0


def test_another_office_clerk_is_sent_nowhere_by_a_used_code(clerk_client, branch_clerk, client):
    pre = finished_pre_entry()
    code = services.display_code(pre)
    clerk_client.post("/preentry/open/", {"code": code})
    client.force_login(branch_clerk)
    r = client.get("/preentry/open/", {"code": code})
    assert r.status_code == 403 and "葛" not in r.content.decode()


def test_purge_deletes_expired_unused_pre_entries_only(clerk_client):
    used = finished_pre_entry()
    clerk_client.post("/preentry/open/", {"code": services.display_code(used)})
    old = finished_pre_entry()
    fresh = finished_pre_entry()
    past = timezone.now() - timedelta(seconds=1)
    PreEntry.objects.filter(pk__in=[old.pk, used.pk]).update(expires_at=past)
    assert services.purge() == 5  # the entry and its four people
    assert set(PreEntry.objects.values_list("pk", flat=True)) == {used.pk, fresh.pk}


def test_the_camera_page_has_the_typed_fallback(clerk_client):
    page = clerk_client.get("/preentry/scan/").content.decode()
    assert 'id="preentry-code"' in page and "preentry/scan.js" in page
