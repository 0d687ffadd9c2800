"""Two people change the same task or visit: the second save is refused, says what changed,
and loses nothing."""

import pytest

from backoffice import services as bo
from backoffice.models import Task
from counter import services
from counter.models import Visit


@pytest.mark.django_db
def test_a_second_transition_from_a_stale_screen_is_refused_naming_the_change(
    accepted_visit, hoken_clerk, admin
):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    seen = task.version
    bo.transition(task, action="start", by=hoken_clerk, version=seen)
    with pytest.raises(bo.StaleTask) as e:
        bo.transition(task, action="return", by=admin, version=seen, reason="書類不足")
    assert "保険年金課 井上" in str(e.value) and "「未着手」→「対応中」" in str(e.value)
    task.refresh_from_db()
    assert task.state == Task.State.IN_PROGRESS and task.transitions.count() == 2


@pytest.mark.django_db
def test_the_stale_screen_gets_its_reason_back_with_the_current_state(
    accepted_visit, hoken_clerk, hoken_client
):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    seen = task.version
    bo.transition(task, action="done", by=hoken_clerk, version=seen)
    r = hoken_client.post(
        f"/backoffice/tasks/{task.pk}/transition/",
        {"do": "return", "version": seen, "reason": "住所の確認が必要"},
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert "他の職員が先に更新しました" in html and "「未着手」→「完了」" in html
    assert "住所の確認が必要" in html  # what the user typed is still in the form
    assert f'name="version" value="{seen + 1}"' in html


@pytest.mark.django_db
def test_a_visit_field_changed_by_another_clerk_is_not_overwritten(clerk, open_visit):
    services.set_addresses(
        open_visit, by=clerk, expected={"new_address.town": ""}, new_address={"town": "北5条西"}
    )
    # The second clerk's screen still shows the field empty… and the town they typed differs.
    with pytest.raises(services.StaleEdit) as e:
        services.set_addresses(
            open_visit,
            by=clerk,
            expected={"new_address.town": "北4条東"},
            new_address={"town": "常盤町"},
        )
    assert "新住所・町字：「北4条東」→「北5条西」" in str(e.value)
    assert Visit.objects.get(pk=open_visit.pk).new_address["town"] == "北5条西"


@pytest.mark.django_db
def test_two_clerks_saving_different_fields_both_keep_theirs(clerk, open_visit):
    stale = Visit.objects.get(pk=open_visit.pk)
    services.set_addresses(
        open_visit, by=clerk, expected={"new_address.town": ""}, new_address={"town": "北5条西"}
    )
    services.set_addresses(
        stale, by=clerk, expected={"new_address.banchi": ""}, new_address={"banchi": "1-2"}
    )
    assert Visit.objects.get(pk=open_visit.pk).new_address == {"town": "北5条西", "banchi": "1-2"}


@pytest.mark.django_db
def test_the_address_view_answers_409_with_the_change_and_keeps_the_first_save(
    clerk_client, clerk, open_visit
):
    services.set_addresses(open_visit, by=clerk, new_address={"town": "北5条西"})
    url = f"/visits/{open_visit.number}/address/"
    # Two screens showed 北5条西; the first to save wins…
    assert (
        clerk_client.post(
            url, {"which": "new_address", "town": "常盤町", "seen": "北5条西"}
        ).status_code
        == 200
    )
    # …the second is told what changed, and its typed value stays in its input (not saved).
    r = clerk_client.post(url, {"which": "new_address", "town": "中央町", "seen": "北5条西"})
    assert r.status_code == 409 and "新住所・町字：「北5条西」→「常盤町」" in r.content.decode()
    open_visit.refresh_from_db()
    assert open_visit.new_address["town"] == "常盤町"
