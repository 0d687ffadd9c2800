"""支援措置: a protected resident's address is shown or printed to the administrator only,
and every attempt to see it is logged — on the counter's screens and the department's."""

import pytest
from django.test import Client

from accounts.models import AuditEntry


@pytest.fixture
def protected_visit(open_visit):
    wife = open_visit.people.get(key="p2").resident
    wife.support_measure = True
    wife.save()
    return open_visit, wife


def _as(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_the_clerk_sees_no_address_on_the_visit_and_the_attempt_is_logged(protected_visit, clerk):
    visit, wife = protected_visit
    html = _as(clerk).get(f"/visits/{visit.number}/").content.decode()
    assert 'id="address-hidden"' in html and visit.household.banchi not in html
    assert AuditEntry.objects.filter(
        action="protected_address.refused", user=clerk, resident_id=wife.pk
    ).exists()


@pytest.mark.django_db
def test_the_administrator_sees_it_and_that_is_logged_too(protected_visit, admin):
    visit, wife = protected_visit
    html = _as(admin).get(f"/visits/{visit.number}/").content.decode()
    assert visit.household.banchi in html
    assert AuditEntry.objects.filter(
        action="protected_address.shown", user=admin, resident_id=wife.pk
    ).exists()


@pytest.mark.django_db
def test_the_clerk_cannot_print_the_packet(protected_visit, clerk):
    visit, wife = protected_visit
    r = _as(clerk).get(f"/visits/{visit.number}/packet.pdf", follow=True)
    assert (
        r["Content-Type"].startswith("text/html")
        and "管理者だけが印刷できます" in r.content.decode()
    )
    assert AuditEntry.objects.filter(
        action="protected_address.refused", detail__where="packet"
    ).exists()


@pytest.mark.django_db
def test_an_earlier_version_printed_by_the_administrator_is_not_served_to_the_clerk(
    protected_visit, clerk, admin
):
    visit, wife = protected_visit
    assert _as(admin).get(f"/visits/{visit.number}/packet.pdf")["Content-Type"] == "application/pdf"
    r = _as(clerk).get(f"/printing/visits/{visit.number}/packets/1.pdf")
    assert r.status_code == 403
    assert AuditEntry.objects.filter(
        action="protected_address.refused", detail__where="packet_version"
    ).exists()


@pytest.mark.django_db
def test_the_search_hides_the_households_address(protected_visit, clerk):
    visit, wife = protected_visit
    html = _as(clerk).get("/", {"q": "タカハシ　ハナコ"}).content.decode()
    assert "支援措置のため住所は表示しません" in html and visit.household.address not in html


@pytest.mark.django_db
def test_an_address_search_does_not_reveal_where_a_protected_resident_lives(
    protected_visit, clerk, admin
):
    visit, wife = protected_visit
    town = visit.household.town + visit.household.banchi
    assert "タカハシ" not in _as(clerk).get("/", {"q": town}).content.decode()
    assert "タカハシ" in _as(admin).get("/", {"q": town}).content.decode()
    # By name the clerk still finds her, to serve her at the counter; only the address is hidden.
    assert "タカハシ" in _as(clerk).get("/", {"q": "タカハシ　ハナコ"}).content.decode()


@pytest.mark.django_db
def test_the_department_sees_the_task_without_the_address(
    protected_visit, clerk, hoken_clerk, django_capture_on_commit_callbacks
):
    from counter import services

    visit, wife = protected_visit
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(visit, by=clerk)
    task = visit.tasks.get(procedure="kokuho_soshitsu")
    html = _as(hoken_clerk).get(f"/backoffice/tasks/{task.pk}/").content.decode()
    assert (
        "支援措置の対象者のため、住所は表示しません" in html and visit.household.banchi not in html
    )
    assert AuditEntry.objects.filter(
        action="protected_address.refused", user=hoken_clerk, detail__where="task"
    ).exists()
    assert AuditEntry.objects.filter(
        action="resident.viewed", user=hoken_clerk, resident_id=wife.pk
    ).exists()


@pytest.mark.django_db
def test_branch_staff_see_only_their_offices_tasks(accepted_visit, branch_clerk):
    html = _as(branch_clerk).get("/backoffice/").content.decode()
    assert accepted_visit.number not in html  # a 本庁 visit, though the 市民課's
    task = accepted_visit.tasks.get(procedure="inkan_haishi")
    assert _as(branch_clerk).get(f"/backoffice/tasks/{task.pk}/").status_code == 403


@pytest.mark.django_db
def test_the_start_page_hides_the_protected_households_address(protected_visit, clerk):
    visit, wife = protected_visit
    html = _as(clerk).get(f"/households/{visit.household_id}/visit/").content.decode()
    assert 'id="address-hidden"' in html and visit.household.banchi not in html
    assert AuditEntry.objects.filter(
        action="protected_address.refused", detail__where="visit_start"
    ).exists()
