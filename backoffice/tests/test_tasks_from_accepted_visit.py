"""Accepting a visit hands its procedures to the departments, after commit, once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from backoffice import services as bo
from backoffice.models import Handoff, Task, TaskTransition
from counter import services
from counter.models import Visit


@pytest.mark.django_db
def test_accepting_makes_one_task_per_form_or_auto_procedure_for_its_department(accepted_visit):
    got = {
        (t.procedure, t.person_key, t.department.code)
        for t in accepted_visit.tasks.select_related("department")
    }
    assert ("kokuho_soshitsu", "p2", "hoken_nenkin") in got
    assert ("koki_tenshutsu", "p1", "hoken_nenkin") in got
    assert ("inkan_haishi", "p1", "shimin") in got  # auto: 職権 work is still work
    assert ("jumin_tenshutsu", "", "shimin") in got  # a household procedure has no person


@pytest.mark.django_db
def test_guidance_and_external_procedures_make_no_task(accepted_visit):
    assert not accepted_visit.tasks.filter(procedure__in=["sodai_gomi", "inu_tenshutsu"]).exists()
    assert set(accepted_visit.tasks.values_list("kind", flat=True)) <= {"form", "auto"}


@pytest.mark.django_db
def test_a_task_carries_the_person_form_deadline_and_facts_and_starts_with_a_transition_row(
    accepted_visit,
):
    task = accepted_visit.tasks.get(procedure="kokuho_soshitsu")
    assert task.form == "kokuho_ido" and task.state == Task.State.NEW and task.version == 1
    assert task.person.resident.name == "髙橋　花子"
    assert task.facts["person"]["health_insurance"] == "kokuho"
    assert task.facts["events"] == ["tenshutsu"]
    assert list(task.transitions.values_list("from_state", "to_state")) == [("", "new")]


@pytest.mark.django_db
def test_an_unresolved_question_becomes_a_task_marked_needs_check(accepted_visit):
    assert accepted_visit.tasks.get(procedure="suido_chushi").needs_check


@pytest.mark.django_db
def test_accepting_twice_or_running_the_handoff_again_makes_no_second_task(
    clerk, accepted_visit, django_capture_on_commit_callbacks
):
    n = accepted_visit.tasks.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(accepted_visit, by=clerk)
    Handoff.objects.update(status=Handoff.Status.PENDING)
    bo.create_tasks_for(accepted_visit)
    assert accepted_visit.tasks.count() == n
    assert TaskTransition.objects.count() == n


@pytest.mark.django_db
def test_tasks_are_made_only_after_the_commit(
    clerk, open_visit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.accept_visit(open_visit, by=clerk)
        assert not Task.objects.exists()
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_failing_handoff_leaves_the_visit_accepted_and_the_command_retries_it(
    clerk, open_visit, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(visit):
        raise RuntimeError("catalog unavailable")

    monkeypatch.setattr(bo, "_make_tasks", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(open_visit, by=clerk)
    open_visit.refresh_from_db()
    assert open_visit.status == Visit.Status.ACCEPTED
    h = Handoff.objects.get(visit=open_visit)
    assert (h.status, h.attempts) == (Handoff.Status.FAILED, 1)
    assert "catalog unavailable" in h.last_error and h.next_attempt_at > timezone.now()

    monkeypatch.undo()
    call_command("handoff")  # not due yet: the backoff holds it
    assert not Task.objects.exists()
    Handoff.objects.update(next_attempt_at=timezone.now())
    call_command("handoff")
    h.refresh_from_db()
    assert (h.status, h.attempts, h.last_error) == (Handoff.Status.DONE, 2, "")
    assert open_visit.tasks.exists()


@pytest.mark.django_db
def test_the_command_makes_tasks_for_an_accepted_visit_whose_handoff_never_ran(
    clerk, open_visit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        services.accept_visit(open_visit, by=clerk)  # the process "died" before the callback
    call_command("handoff")
    assert open_visit.tasks.exists()


@pytest.mark.django_db
def test_after_the_last_failure_the_handoff_waits_for_a_person(
    clerk, open_visit, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(bo, "_make_tasks", lambda visit: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(open_visit, by=clerk)
    h = Handoff.objects.get()
    for _ in range(bo.MAX_ATTEMPTS - 1):
        bo.run_handoff(h)
    assert (h.status, h.attempts) == (Handoff.Status.GAVE_UP, bo.MAX_ATTEMPTS)
    assert not bo.due_handoffs().exists()
    monkeypatch.undo()
    bo.retry(h, by=clerk)
    h.refresh_from_db()
    assert h.status == Handoff.Status.DONE
