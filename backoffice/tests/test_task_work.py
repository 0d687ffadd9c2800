"""A department works its tasks: 着手, 完了, 差戻し with a reason; every step a row; the visit
is 完了 when all its tasks are."""

import pytest

from backoffice import services as bo
from backoffice.models import Task


def _do(task, action, by, reason=""):
    task.refresh_from_db()
    return bo.transition(task, action=action, by=by, version=task.version, reason=reason)


@pytest.mark.django_db
def test_each_transition_is_a_row_with_who_and_the_states(accepted_visit, hoken_clerk):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    _do(task, "start", hoken_clerk)
    _do(task, "done", hoken_clerk)
    rows = list(task.transitions.values_list("from_state", "to_state", "by"))
    assert rows == [
        ("", "new", None),
        ("new", "in_progress", hoken_clerk.pk),
        ("in_progress", "done", hoken_clerk.pk),
    ]
    task.refresh_from_db()
    assert (task.state, task.version) == (Task.State.DONE, 3)


@pytest.mark.django_db
def test_a_return_needs_a_reason_and_keeps_it(accepted_visit, hoken_clerk):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    with pytest.raises(bo.BadTransition):
        _do(task, "return", hoken_clerk, reason="  ")
    _do(task, "return", hoken_clerk, reason="保険証の返却がまだです")
    task.refresh_from_db()
    assert task.state == Task.State.RETURNED and task.state_reason == "保険証の返却がまだです"
    assert task.transitions.last().reason == "保険証の返却がまだです"


@pytest.mark.django_db
def test_a_done_task_cannot_be_started_again(accepted_visit, hoken_clerk):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    _do(task, "done", hoken_clerk)
    with pytest.raises(bo.BadTransition):
        _do(task, "start", hoken_clerk)


@pytest.mark.django_db
def test_the_visit_is_complete_when_all_its_tasks_are(accepted_visit, admin):
    tasks = list(accepted_visit.tasks.all())
    for t in tasks[:-1]:
        _do(t, "done", admin)
    assert not bo.visit_done(accepted_visit)
    _do(tasks[-1], "done", admin)
    assert bo.visit_done(accepted_visit)


@pytest.mark.django_db
def test_a_visit_not_yet_accepted_is_not_complete(open_visit):
    assert not bo.visit_done(open_visit)
