"""取消: a visit is cancelled with a reason, audited, shown as 取消, and read-only after."""

import re

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from counter import services
from counter.models import Visit, VisitStatusChange


@pytest.fixture
def tennyu(clerk_client):
    clerk_client.post(
        reverse("counter:visit_new"),
        {"events": "tennyu", "event_date": "R8.4.10", "token": "t-visit"},
    )
    return Visit.objects.get()


def _cancel(client, visit, reason):
    return client.post(reverse("counter:visit_cancel", args=[visit.number]), {"reason": reason})


@pytest.mark.django_db
def test_a_cancelled_visit_says_so_with_its_reason_and_is_logged(clerk_client, clerk, tennyu):
    form = clerk_client.get(reverse("counter:visit_cancel", args=[tennyu.number]))
    assert "理由" in form.content.decode()
    assert _cancel(clerk_client, tennyu, "別の窓口での手続きと判明").status_code == 302
    tennyu.refresh_from_db()
    assert tennyu.status == Visit.Status.CANCELLED and tennyu.is_locked
    change = VisitStatusChange.objects.get(visit=tennyu)
    assert (change.from_status, change.to_status, change.by) == ("draft", "cancelled", clerk)
    entry = AuditEntry.objects.get(action="visit.cancelled")
    assert entry.detail["reason"] == "別の窓口での手続きと判明" and entry.visit_id == tennyu.id
    page = clerk_client.get(reverse("counter:visit", args=[tennyu.number])).content.decode()
    assert "取り消されています" in page and "別の窓口での手続きと判明" in page
    assert 'class="badge cancelled">取消<' in page
    assert 'id="newcomer"' not in page and 'id="cancel-visit"' not in page


@pytest.mark.django_db
def test_the_recent_visits_list_shows_a_cancelled_visit_as_torikeshi(clerk_client, tennyu):
    _cancel(clerk_client, tennyu, "二重に開いた")
    home = clerk_client.get(reverse("counter:home")).content.decode()
    row = home.split(tennyu.number, 2)[2].split("</tr>", 1)[0]
    assert re.search(r"<td[^>]*>取消</td>", row)


@pytest.mark.django_db
def test_without_a_reason_nothing_is_cancelled(clerk_client, tennyu):
    r = _cancel(clerk_client, tennyu, " \u3000 ")
    assert r.status_code == 400 and "理由を入力してください" in r.content.decode()
    tennyu.refresh_from_db()
    assert tennyu.status == Visit.Status.DRAFT
    assert not AuditEntry.objects.filter(action="visit.cancelled").exists()
    with pytest.raises(services.NeedsReason):
        services.cancel_visit(tennyu, by=tennyu.created_by, reason="")


@pytest.mark.django_db
def test_a_cancelled_visit_takes_no_answer_no_person_no_address_and_no_acceptance(
    clerk_client, tennyu
):
    _cancel(clerk_client, tennyu, "来庁者が帰った")
    r = clerk_client.post(
        reverse("counter:answer", args=[tennyu.number]),
        {"fact": "new_dwelling", "value": "true", "person": ""},
    )
    assert r.status_code == 409 and "取り消されたため変更できません" in r.content.decode()
    r = clerk_client.post(
        reverse("counter:address", args=[tennyu.number]), {"which": "new_address", "town": "北"}
    )
    assert r.status_code == 409
    clerk_client.post(
        reverse("counter:person_add", args=[tennyu.number]),
        {"surname": "転入", "birth_date": "H2.4.1", "sex": "1", "relation": "世帯主",
         "nationality": "JP", "token": "x"},
    )  # fmt: skip
    clerk_client.post(reverse("counter:accept", args=[tennyu.number]), {"confirmed": "1"})
    tennyu.refresh_from_db()
    assert tennyu.status == Visit.Status.CANCELLED and not tennyu.people.exists()
    assert tennyu.accepted_at is None


@pytest.mark.django_db
def test_cancelling_twice_records_one_cancellation(clerk_client, tennyu):
    _cancel(clerk_client, tennyu, "一回目")
    _cancel(clerk_client, tennyu, "二回目")
    assert VisitStatusChange.objects.filter(visit=tennyu).count() == 1
    assert AuditEntry.objects.filter(action="visit.cancelled").count() == 1


@pytest.mark.django_db
def test_an_accepted_visit_is_not_cancelled_its_tasks_are_with_the_departments(
    clerk_client, clerk, demo_staff, tennyu
):
    services.accept_visit(tennyu, by=clerk)
    r = _cancel(clerk_client, tennyu, "間違い")
    assert "取り消せません" in clerk_client.get(r["Location"]).content.decode()
    services.reopen_visit(tennyu, by=demo_staff["kanri"], reason="修正")
    _cancel(clerk_client, tennyu, "間違い")  # reopened, but its tasks may exist
    tennyu.refresh_from_db()
    assert tennyu.status == Visit.Status.DRAFT
    page = clerk_client.get(reverse("counter:visit", args=[tennyu.number])).content.decode()
    assert 'id="cancel-visit"' not in page
