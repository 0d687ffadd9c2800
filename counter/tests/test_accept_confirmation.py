"""受付完了 shows what is still open and asks to confirm; only the 要確認 items the clerk
confirms become department tasks. A supervisor reopens an accepted visit with a reason, and
accepting it again hands over nothing twice."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from backoffice.models import Task
from counter import services
from counter.finishing import OpenItems
from counter.models import Visit, VisitStatusChange
from counter.tests.factories import elderly_couple


@pytest.fixture
def tenshutsu(clerk):
    hh, _head, _wife = elderly_couple()
    return services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenshutsu"],
        event_date=date(2026, 6, 15), household=hh,
    )  # fmt: skip


def _confirm_page(client, visit) -> str:
    return client.get(reverse("counter:accept_confirm", args=[visit.number])).content.decode()


def _accept(client, visit, capture, **data):
    with capture(execute=True):
        return client.post(reverse("counter:accept", args=[visit.number]), data)


@pytest.mark.django_db
def test_accepting_with_things_open_goes_to_the_confirmation_step_first(clerk_client, tenshutsu):
    r = clerk_client.post(reverse("counter:accept", args=[tenshutsu.number]))
    assert r["Location"] == reverse("counter:accept_confirm", args=[tenshutsu.number])
    tenshutsu.refresh_from_db()
    assert tenshutsu.status == Visit.Status.DRAFT


@pytest.mark.django_db
def test_the_confirmation_step_lists_each_open_item(clerk_client, tenshutsu):
    page = _confirm_page(clerk_client, tenshutsu)
    open_checks = page.split('id="open-checks"', 1)[1].split("</fieldset>", 1)[0]
    assert 'name="check" value="suido_chushi@"' in open_checks and "水道使用中止届" in open_checks
    assert 'value="jidoteate_shometsu@p1"' in open_checks and "髙橋　一郎" in open_checks
    assert " checked" not in open_checks  # nothing is handed over unless ticked
    assert "転出先の住所（都道府県・市区町村）" in page.split('id="open-addresses"', 1)[1]
    assert "まだ印刷していません" in page.split('id="open-printing"', 1)[1]
    assert 'name="confirmed" value="1"' in page and 'id="accept-confirmed"' in page


@pytest.mark.django_db
def test_the_step_forgets_what_was_done_an_address_typed_and_a_print(clerk_client, tenshutsu):
    services.set_addresses(
        tenshutsu, by=tenshutsu.created_by, new_address={"pref": "東京都", "city": "新宿区"}
    )
    clerk_client.get(reverse("counter:packet", args=[tenshutsu.number]))
    page = _confirm_page(clerk_client, tenshutsu)
    assert 'id="open-addresses"' not in page and 'id="open-printing"' not in page
    assert 'id="open-checks"' in page  # the 要確認 are still the clerk's to decide


@pytest.mark.django_db
def test_only_the_ticked_needs_check_items_become_tasks_the_rest_stay_on_the_visit(
    clerk_client, tenshutsu, django_capture_on_commit_callbacks
):
    r = _accept(clerk_client, tenshutsu, django_capture_on_commit_callbacks,
                confirmed="1", check=["suido_chushi@"])  # fmt: skip
    assert r.status_code == 302
    tenshutsu.refresh_from_db()
    assert tenshutsu.status == Visit.Status.ACCEPTED
    procs = set(Task.objects.filter(visit=tenshutsu).values_list("procedure", flat=True))
    assert "suido_chushi" in procs and "kokuho_soshitsu" in procs  # confirmed; applies
    assert "jidoteate_shometsu" not in procs and "kodomo_iryo_henkan" not in procs
    assert Task.objects.get(visit=tenshutsu, procedure="suido_chushi").needs_check
    assert "jidoteate_shometsu@p1" in tenshutsu.held_checks
    assert "suido_chushi@" not in tenshutsu.held_checks
    page = clerk_client.get(reverse("counter:visit", args=[tenshutsu.number])).content.decode()
    assert "担当課へ回していません" in page
    assert 'data-procedure="jidoteate_shometsu@p1" class="needs_check"' in page  # still 要確認
    entry = AuditEntry.objects.get(action="visit.accepted")
    assert "jidoteate_shometsu@p1" in entry.detail["held_checks"]


@pytest.mark.django_db
def test_a_visit_with_nothing_open_is_accepted_without_the_extra_step(
    clerk_client, clerk, django_capture_on_commit_callbacks, monkeypatch
):
    clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-visit"},
    )
    visit = Visit.objects.get()
    r = clerk_client.post(reverse("counter:accept", args=[visit.number]))
    assert r["Location"].endswith("/confirm/")  # nobody yet, nothing printed
    assert "異動する方が登録されていません" in _confirm_page(clerk_client, visit)
    # The same, done: nothing left, so 受付完了 accepts at once.
    monkeypatch.setattr("counter.views.open_items", lambda v: OpenItems())
    r = _accept(clerk_client, visit, django_capture_on_commit_callbacks)
    assert r["Location"] == reverse("counter:visit", args=[visit.number])
    visit.refresh_from_db()
    assert visit.status == Visit.Status.ACCEPTED


@pytest.mark.django_db
def test_an_accepted_visit_has_no_confirmation_step(clerk_client, clerk, tenshutsu):
    services.accept_visit(tenshutsu, by=clerk)
    r = clerk_client.get(reverse("counter:accept_confirm", args=[tenshutsu.number]))
    assert r["Location"] == reverse("counter:visit", args=[tenshutsu.number])


# --- reopening ---------------------------------------------------------------------------------


def _reopen(client, visit, reason="転出先の誤り"):
    return client.post(reverse("counter:visit_reopen", args=[visit.number]), {"reason": reason})


@pytest.mark.django_db
def test_a_clerk_may_not_reopen_an_accepted_visit(clerk_client, clerk, tenshutsu):
    services.accept_visit(tenshutsu, by=clerk)
    r = _reopen(clerk_client, tenshutsu)
    assert r.status_code == 403
    assert "監督者と管理者だけです" in r.content.decode()
    page = clerk_client.get(reverse("counter:visit", args=[tenshutsu.number])).content.decode()
    assert 'id="reopen-visit"' not in page
    tenshutsu.refresh_from_db()
    assert tenshutsu.status == Visit.Status.ACCEPTED


@pytest.mark.django_db
def test_a_supervisor_reopens_with_a_reason_and_it_is_recorded(
    client, clerk, demo_staff, tenshutsu
):
    supervisor = demo_staff["kanri"]
    client.force_login(supervisor)
    services.accept_visit(tenshutsu, by=clerk)
    page = client.get(reverse("counter:visit", args=[tenshutsu.number])).content.decode()
    assert 'id="reopen-visit"' in page
    assert _reopen(client, tenshutsu, "").status_code == 400
    assert _reopen(client, tenshutsu).status_code == 302
    tenshutsu.refresh_from_db()
    assert tenshutsu.status == Visit.Status.DRAFT and not tenshutsu.is_locked
    change = VisitStatusChange.objects.get(visit=tenshutsu)
    assert (change.from_status, change.to_status, change.by) == ("accepted", "draft", supervisor)
    assert AuditEntry.objects.get(action="visit.reopened").detail["reason"] == "転出先の誤り"
    page = client.get(reverse("counter:visit", args=[tenshutsu.number])).content.decode()
    assert "受付を再開しています" in page and "転出先の誤り" in page


@pytest.mark.django_db
def test_accepting_a_reopened_visit_again_duplicates_no_task_and_hands_over_what_is_new(
    clerk_client, clerk, demo_staff, tenshutsu, django_capture_on_commit_callbacks
):
    _accept(clerk_client, tenshutsu, django_capture_on_commit_callbacks, confirmed="1")
    first = set(Task.objects.filter(visit=tenshutsu).values_list("procedure", "person_key"))
    assert ("suido_chushi", "") not in first
    services.reopen_visit(tenshutsu, by=demo_staff["kanri"], reason="水道の届を追加")
    _accept(clerk_client, tenshutsu, django_capture_on_commit_callbacks,
            confirmed="1", check=["suido_chushi@"])  # fmt: skip
    tasks = list(Task.objects.filter(visit=tenshutsu).values_list("procedure", "person_key"))
    assert len(tasks) == len(set(tasks)) == len(first) + 1
    assert set(tasks) - first == {("suido_chushi", "")}
