"""Every change to department work goes through one of these functions: the rows, the audit
entry and what the screens poll for, together. Views never save tasks or calls directly."""

import json
import logging
import urllib.request
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.models import Department
from backoffice.models import CoreSystem, CounterCall, Handoff, Task, TaskTransition
from counter.models import Visit, result_key
from counter.navigation import navigate_visit, person_facts

log = logging.getLogger(__name__)

# Kinds that are work for a department. "guidance" is information the slip already gives
# (nothing to process); "external" is another agency's (年金事務所, 警察署) — not ours to track.
TASK_KINDS = ("form", "auto")
MAX_ATTEMPTS = 6
PUSH_TIMEOUT = 10


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes, at most an hour: a core system down for lunch is not hammered."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


class StaleTask(Exception):
    """The task changed since the user saw it; `changes` are the transitions they missed."""

    def __init__(self, task, changes):
        self.task, self.changes = task, changes
        lines = "、".join(
            _("%(who)sが%(at)sに「%(frm)s」→「%(to)s」")
            % {
                "who": _display(t.by),
                "at": timezone.localtime(t.at).strftime("%H:%M"),
                "frm": Task.State(t.from_state).label if t.from_state else "—",
                "to": Task.State(t.to_state).label,
            }
            for t in changes
        )
        super().__init__(
            _(
                "この業務は他の職員が先に更新しました（%(lines)s）。現在の状態を確認してから、もう一度操作してください。"
            )
            % {"lines": lines}
        )


class BadTransition(Exception):
    pass


class CallTaken(Exception):
    pass


def _display(user) -> str:
    if user is None:
        return _("システム")
    staff = getattr(user, "staff", None)
    return staff.display_name if staff else user.get_username()


# --- tasks from an accepted visit -------------------------------------------------------------


def create_tasks_for(visit: Visit) -> Handoff:
    """The handoff after accept_visit's commit: one task per procedure, recorded and retried as a
    Handoff row. Never raises — a failure is the department's to see, not the resident's."""
    handoff, created = Handoff.objects.get_or_create(
        kind=Handoff.Kind.TASKS, visit=visit, defaults={"office_id": visit.office_id}
    )
    if not created and handoff.status == Handoff.Status.DONE and visit.accepted_at:
        # Accepted again after a supervisor reopened it: hand over what is new (a procedure
        # that now applies, a 要確認 confirmed this time); task_once keeps the rest single.
        Handoff.objects.filter(
            pk=handoff.pk, status=Handoff.Status.DONE, done_at__lt=visit.accepted_at
        ).update(status=Handoff.Status.PENDING, attempts=0, next_attempt_at=None)
        handoff.refresh_from_db()
    return run_handoff(handoff)


def _json_safe(data) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _make_tasks(visit: Visit) -> list[Task]:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    people = list(visit.people.select_related("resident"))
    by_key = {vp.key: vp for vp in people}
    results, _questions = navigate_visit(visit, people)
    held = set(visit.held_checks)
    made = []
    for r in results:
        if r.kind not in TASK_KINDS:
            continue
        if r.status == "needs_check" and result_key(r) in held:
            continue  # 要確認 the clerk did not confirm at 受付完了: it stays on the visit
        department, _c = Department.objects.get_or_create(
            code=r.department, defaults={"name": r.department_name}
        )
        vp = by_key.get(r.person)
        facts = {
            "events": list(visit.events),
            "event_date": visit.event_date,
            "household": visit.household_facts,
            "person": person_facts(vp) if vp else {},
        }
        task, created = Task.objects.get_or_create(
            visit=visit,
            procedure=r.id,
            person_key=r.person or "",
            defaults={
                "person": vp,
                "department": department,
                "kind": r.kind,
                "title": r.title,
                "events": " " + " ".join(visit.events) + " ",
                "form": r.form or "",
                "deadline": r.deadline,
                "reason": r.reason,
                "needs_check": r.status == "needs_check",
                "facts": _json_safe(facts),
            },
        )
        if created:
            TaskTransition.objects.create(task=task, to_state=Task.State.NEW)
            made.append(task)
    if made:
        audit.record(None, "tasks.created", visit_id=visit.id, tasks=[t.id for t in made])
    return made


def run_handoff(handoff: Handoff) -> Handoff:
    if handoff.status == Handoff.Status.DONE:
        return handoff
    now = timezone.now()
    try:
        with transaction.atomic():
            # Claimed for the attempt: a second runner (cron beside `serve`'s loop) skips it
            # rather than pushing the same task twice.
            claimed = (
                Handoff.objects.select_for_update(skip_locked=True)
                .exclude(status=Handoff.Status.DONE)
                .filter(pk=handoff.pk)
                .values_list("pk", flat=True)
                .first()
            )
            handoff.refresh_from_db()  # the caller's object, up to date under the lock
            if claimed is None:
                return handoff
            if handoff.kind == Handoff.Kind.TASKS:
                _make_tasks(handoff.visit)
            else:
                _push(handoff)
    except Exception as e:  # noqa: BLE001 — any failure is recorded and retried, never raised
        log.warning("handoff %s failed: %s", handoff.pk, e)
        handoff.attempts += 1
        handoff.last_error = f"{type(e).__name__}: {e}"[:2000]
        handoff.status = (
            Handoff.Status.GAVE_UP if handoff.attempts >= MAX_ATTEMPTS else Handoff.Status.FAILED
        )
        handoff.next_attempt_at = now + backoff(handoff.attempts)
    else:
        handoff.attempts += 1
        handoff.status, handoff.done_at, handoff.next_attempt_at = Handoff.Status.DONE, now, None
        handoff.last_error = ""
    handoff.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "done_at"])
    return handoff


def due_handoffs(now=None):
    now = now or timezone.now()
    return (
        Handoff.objects.filter(status__in=[Handoff.Status.PENDING, Handoff.Status.FAILED])
        .exclude(next_attempt_at__gt=now)
        .order_by("id")
    )


def missing_task_handoffs():
    """Accepted visits whose after-commit handoff never ran (the process died in between)."""
    return Visit.objects.filter(status=Visit.Status.ACCEPTED).exclude(
        handoffs__kind=Handoff.Kind.TASKS
    )


def retry(handoff: Handoff, *, by, request=None) -> Handoff:
    """A department's 再送 button: the given-up handoff gets another round of attempts."""
    with transaction.atomic():
        handoff = Handoff.objects.select_for_update().get(pk=handoff.pk)
        if handoff.status in (Handoff.Status.FAILED, Handoff.Status.GAVE_UP):
            handoff.status, handoff.attempts, handoff.next_attempt_at = (
                Handoff.Status.PENDING,
                0,
                None,
            )
            handoff.save(update_fields=["status", "attempts", "next_attempt_at"])
            audit.record(
                by,
                "handoff.retried",
                visit_id=handoff.visit_id,
                request=request,
                handoff=handoff.pk,
            )
    if handoff.kind == Handoff.Kind.PUSH:
        return handoff  # pending: the handoff loop sends it, the clerk's click does not wait on it
    return run_handoff(handoff)


# --- pushing completed tasks to core systems --------------------------------------------------


def task_payload(task: Task, shown) -> dict:
    """One task as a core system gets it; `shown` is accounts.access.protection(None, task, …)."""
    from backoffice.export import person_record

    return {
        "id": task.id,
        "visit": task.visit.number,
        "procedure": task.procedure,
        "title": task.title,
        "department": task.department.code,
        "kind": task.kind,
        "form": task.form,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "state": task.state,
        "needs_check": task.needs_check,
        "events": list(task.visit.events),
        "event_date": task.visit.event_date.isoformat(),
        "person": person_record(task, shown),
        "facts": task.facts,
        "completed_at": task.updated_at.isoformat() if task.state == Task.State.DONE else None,
    }


def deliver(url: str, body: bytes, *, key: str):
    """POST one task to a core system; any non-2xx is an error (urllib raises it). `key` is the
    push's idempotency key: a timeout does not tell whether the system took the task, so the
    next attempt sends it again with the same key and the receiver keeps one."""
    req = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
    )
    with urllib.request.urlopen(req, timeout=PUSH_TIMEOUT) as resp:  # noqa: S310 — configured URL
        return resp.status


def _push(handoff: Handoff):
    task = handoff.task
    # A core system gets no 支援措置 address: the register itself holds it under its own control.
    shown = access.protection(
        None, task, visit_id=task.visit_id, where="push", system=handoff.system.code
    )
    key = handoff.idempotency_key
    payload = {**task_payload(task, shown), "idempotency_key": key}
    deliver(handoff.system.push_url, json.dumps(payload, ensure_ascii=False).encode(), key=key)


def _enqueue_pushes(task: Task):
    """Pending rows only: `madoguchi handoff --loop` (started by `serve`) sends them, so the
    clerk's 完了 never waits on a core system (up to PUSH_TIMEOUT each)."""
    for system in CoreSystem.objects.filter(department=task.department).exclude(push_url=""):
        Handoff.objects.get_or_create(
            kind=Handoff.Kind.PUSH,
            task=task,
            system=system,
            defaults={
                "visit_id": task.visit_id,
                "department": task.department,
                "office_id": task.visit.office_id,
            },
        )


# --- the department's work ----------------------------------------------------------------

ACTIONS = {
    # action: (allowed from, to)
    "start": ((Task.State.NEW, Task.State.RETURNED), Task.State.IN_PROGRESS),
    "done": ((Task.State.NEW, Task.State.IN_PROGRESS), Task.State.DONE),
    "return": ((Task.State.NEW, Task.State.IN_PROGRESS), Task.State.RETURNED),
}


@transaction.atomic
def transition(
    task: Task, *, action: str, by, version: int, reason: str = "", request=None
) -> Task:
    """着手・完了・差戻し. `version` is the one the user saw: a stale one is refused (StaleTask)."""
    if action not in ACTIONS:
        raise BadTransition(_("不明な操作です。"))
    task = Task.objects.select_for_update().select_related("visit", "department").get(pk=task.pk)
    if task.version != version:
        missed = list(
            task.transitions.select_related("by__staff").order_by("-at", "-id")[
                : max(1, task.version - version)
            ]
        )
        raise StaleTask(task, list(reversed(missed)))
    allowed_from, to = ACTIONS[action]
    if task.state not in allowed_from:
        raise BadTransition(
            _("「%(state)s」の業務は「%(to)s」にできません。")
            % {"state": task.get_state_display(), "to": Task.State(to).label}
        )
    reason = reason.strip()
    if to == Task.State.RETURNED and not reason:
        raise BadTransition(_("差戻しの理由を入力してください。"))
    TaskTransition.objects.create(
        task=task,
        by=by,
        terminal=audit.terminal_label(request),
        from_state=task.state,
        to_state=to,
        reason=reason,
    )
    task.state, task.state_reason, task.version = (
        to,
        reason if to == Task.State.RETURNED else "",
        task.version + 1,
    )
    task.save(update_fields=["state", "state_reason", "version", "updated_at"])
    audit.record(
        by,
        f"task.{action}",
        visit_id=task.visit_id,
        request=request,
        resident_id=task.person.resident_id if task.person else None,
        task=task.id,
    )
    if to == Task.State.DONE:
        _enqueue_pushes(task)
    return task


def visit_done(visit: Visit) -> bool:
    """A visit is 完了 when it has been accepted, its tasks are made, and all of them are done."""
    if visit.status != Visit.Status.ACCEPTED:
        return False
    if not Handoff.objects.filter(
        kind=Handoff.Kind.TASKS, visit=visit, status=Handoff.Status.DONE
    ).exists():
        return False
    return not visit.tasks.exclude(state=Task.State.DONE).exists()


# --- calls to the counter ------------------------------------------------------------------


class PracticeVisit(ValueError):
    """A training visit (練習モード) asked to reach a department."""


@transaction.atomic
def call_department(
    visit: Visit, *, department: Department, counter: str, note: str = "", by, request=None
) -> CounterCall:
    """「国保の担当の方、3番窓口へ」: an open call that the department's screen rings for."""
    if visit.training:
        # 練習モード: a practice visit never reaches a department, not even as a call.
        raise PracticeVisit(_("練習の来庁から担当課を呼ぶことはできません。"))
    open_call = CounterCall.objects.filter(
        visit=visit, department=department, taken_at__isnull=True
    ).first()
    if open_call:
        return open_call  # a second click while the first is ringing calls nobody twice
    call = CounterCall.objects.create(
        visit=visit,
        department=department,
        counter=counter.strip()[:20],
        note=note.strip()[:200],
        called_by=by,
    )
    audit.record(
        by,
        "call.made",
        visit_id=visit.id,
        request=request,
        department=department.code,
        counter=call.counter,
    )
    return call


@transaction.atomic
def take_call(call: CounterCall, *, by, request=None) -> CounterCall:
    call = CounterCall.objects.select_for_update().get(pk=call.pk)
    if call.taken_at is not None:
        if call.taken_by_id == by.pk:
            return call
        raise CallTaken(_("%(who)sが既に対応しています。") % {"who": _display(call.taken_by)})
    call.taken_by, call.taken_at = by, timezone.now()
    call.save(update_fields=["taken_by", "taken_at"])
    audit.record(by, "call.taken", visit_id=call.visit_id, request=request, call=call.pk)
    return call
