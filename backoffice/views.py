"""The department's screens (work queue, task, CSV) and the counter's progress board and call.

Authorisation first, through accounts.access: the department a queue shows, the task by
its id, the visit of the progress board.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access, audit
from accounts.models import Department
from backoffice import services
from backoffice.export import completed_tasks, person_record, tasks_csv
from backoffice.forms import CallForm, QueueFilterForm, TransitionForm
from backoffice.models import CounterCall, Handoff, Task
from catalog.pack import default_pack
from counter.models import Visit
from lib.chime import chime_wav

POLL_SECONDS = 2
QUEUE_LIMIT = 200


# --- who may see what -------------------------------------------------------------------------


class Scope:
    """The rows of one department's queue that a staff member sees: at a branch office, its
    visits only (accounts.access.office_scope)."""

    def __init__(self, staff, department):
        self.staff, self.department = staff, department
        self.office = access.office_scope(staff)

    def tasks(self):
        qs = Task.objects.filter(department=self.department)
        return qs.filter(visit__office=self.office) if self.office else qs

    def calls(self):
        qs = CounterCall.objects.filter(department=self.department)
        return qs.filter(visit__office=self.office) if self.office else qs

    def handoff_failures(self):
        failed = Handoff.objects.filter(status__in=[Handoff.Status.FAILED, Handoff.Status.GAVE_UP])
        # Task-making failures belong to the accepting office's counter (市民課); pushes to the department.
        mine = Q(department=self.department)
        if self.department_is_shimin():
            mine |= Q(kind=Handoff.Kind.TASKS)
        qs = failed.filter(mine)
        return qs.filter(office=self.office) if self.office else qs

    def department_is_shimin(self):
        return self.department.code == "shimin"


def _queue_scope(request) -> Scope:
    code = request.GET.get("department") or request.POST.get("department")
    return Scope(access.staff_of(request), access.department_for_staff(request, code))


def _task(request, pk) -> Task:
    return access.get_for_staff(
        request,
        Task.objects.select_related("visit__office", "department", "person__resident"),
        pk=pk,
    )


# --- the department work queue -------------------------------------------------------------


def _filtered(scope: Scope, form: QueueFilterForm):
    qs = scope.tasks().select_related("visit__office", "person__resident", "department")
    data = form.cleaned_data if form.is_valid() else {}
    state = data.get("state") or "open"
    qs = (
        qs.exclude(state=Task.State.DONE)
        if state == "open"
        else qs
        if state == "all"
        else qs.filter(state=state)
    )
    if data.get("office"):
        qs = qs.filter(visit__office=data["office"])
    if data.get("event"):
        qs = qs.filter(events__contains=f" {data['event']} ")
    if data.get("sort") == "deadline":
        return qs.order_by("deadline", "-visit__accepted_at", "id")
    return qs.queue_order()


def _stamp(scope: Scope) -> str:
    """What changed since the screen last looked: three aggregate queries, nothing rendered."""
    t = scope.tasks().aggregate(n=Count("id"), at=Max("updated_at"))
    c = scope.calls().aggregate(n=Count("id"), taken=Count("taken_at"))
    h = scope.handoff_failures().aggregate(n=Count("id"), last=Max("id"))
    return "-".join(
        str(v.timestamp() if hasattr(v, "timestamp") else v)
        for v in (t["n"], t["at"], c["n"], c["taken"], h["n"], h["last"])
    )


def _queue_context(request, scope: Scope):
    form = QueueFilterForm(
        request.GET or None,
        branch_office=scope.office,
        department_choice=access.oversees(scope.staff),
    )
    tasks = list(_filtered(scope, form)[:QUEUE_LIMIT])
    calls = list(
        scope.calls().filter(taken_at__isnull=True).select_related("visit", "called_by__staff")
    )
    recent_taken = list(
        scope.calls()
        .filter(taken_at__gte=timezone.now() - timezone.timedelta(minutes=30))
        .select_related("visit", "taken_by__staff")
        .order_by("-taken_at")[:5]
    )
    params = request.GET.copy()
    params.pop("stamp", None)
    return {
        "scope": scope,
        "department": scope.department,
        "form": form,
        "tasks": tasks,
        "calls": calls,
        "recent_taken": recent_taken,
        "failures": list(scope.handoff_failures().select_related("visit", "task")),
        "stamp": _stamp(scope),
        "query": params.urlencode(),
        "poll": POLL_SECONDS,
        "limit": QUEUE_LIMIT,
        "State": Task.State,
    }


@login_required
def queue(request):
    scope = _queue_scope(request)
    ctx = _queue_context(request, scope)
    # Logged when the screen opens; a poll is logged only when it renders changed content.
    audit.record_many(
        request.user,
        "resident.listed",
        sorted({t.person.resident_id for t in ctx["tasks"] if t.person and t.person.resident_id}),
        request=request,
        department=scope.department.code,
    )
    return render(request, "backoffice/queue.html", ctx)


@login_required
def queue_live(request):
    scope = _queue_scope(request)
    if request.GET.get("stamp") == _stamp(scope):
        return HttpResponse(status=204)  # htmx keeps the screen as it is
    ctx = _queue_context(request, scope)
    _log_shown(request, ctx["tasks"], where="queue_live", department=scope.department.code)
    return render(request, "backoffice/_queue_live.html", ctx)


def _log_shown(request, tasks, *, where, **detail):
    """Log the residents whose names a rendered screen shows; 204 polls render nothing and are not logged."""
    ids = sorted({t.person.resident_id for t in tasks if t.person and t.person.resident_id})
    if ids:
        audit.record_many(
            request.user, "resident.viewed", ids, request=request, where=where, **detail
        )


@login_required
def task_detail(request, pk):
    task = _task(request, pk)
    return _render_task(request, task, TransitionForm(initial={"version": task.version}))


def _render_task(request, task, form, status=200, error=None):
    rid = task.person.resident_id if task.person else None
    if rid:
        audit.record(
            request.user,
            "resident.viewed",
            resident_id=rid,
            visit_id=task.visit_id,
            request=request,
            task=task.id,
        )
    shown = access.protection(
        request.user, task, request=request, visit_id=task.visit_id, where="task"
    )
    return render(
        request,
        "backoffice/task_detail.html",
        {
            "task": task,
            "form": form,
            "error": error,
            "record": person_record(task, shown),
            "address_hidden": shown.hidden,
            "transitions": task.transitions.select_related("by__staff"),
            "State": Task.State,
        },
        status=status,
    )


@login_required
@require_POST
def task_transition(request, pk):
    task = _task(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _render_task(request, task, form, status=400)
    try:
        services.transition(
            task,
            action=form.cleaned_data["action"],
            by=request.user,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except services.StaleTask as e:
        # Nothing typed is lost: the form comes back with the user's reason, and the new version.
        task.refresh_from_db()
        form = TransitionForm(
            initial={
                "version": task.version,
                "reason": form.cleaned_data["reason"],
                "action": form.cleaned_data["action"],
            }
        )
        if request.POST.get("next") == "queue":
            messages.error(request, str(e))
            return redirect(_queue_url(request))
        return _render_task(request, task, form, status=409, error=str(e))
    except services.BadTransition as e:
        if request.POST.get("next") == "queue":
            messages.error(request, str(e))
            return redirect(_queue_url(request))
        return _render_task(request, task, form, status=400, error=str(e))
    if request.POST.get("next") == "queue":
        return redirect(_queue_url(request))
    return redirect("backoffice:task", pk=task.pk)


def _queue_url(request):
    from django.urls import reverse

    q = request.POST.get("query", "")
    return reverse("backoffice:queue") + (f"?{q}" if q else "")


@login_required
@require_POST
def call_take(request, pk):
    scope = _queue_scope(request)
    call = get_object_or_404(scope.calls(), pk=pk)
    try:
        services.take_call(call, by=request.user, request=request)
    except services.CallTaken as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _("%(counter)sへ向かってください（受付番号 %(n)s）。")
            % {"counter": call.counter, "n": call.visit.number},
        )
    return redirect(_queue_url(request))


@login_required
@require_POST
def handoff_retry(request, pk):
    scope = _queue_scope(request)
    handoff = get_object_or_404(scope.handoff_failures(), pk=pk)
    h = services.retry(handoff, by=request.user, request=request)
    if h.status == Handoff.Status.DONE:
        messages.success(request, _("再送しました。"))
    elif h.status == Handoff.Status.PENDING:
        messages.success(request, _("再送を受け付けました。1分ほどで送信されます。"))
    else:
        messages.error(request, _("再送に失敗しました：%(e)s") % {"e": h.last_error})
    return redirect(_queue_url(request))


@login_required
def export_csv(request):
    scope = _queue_scope(request)
    tasks = list(completed_tasks(scope.department, office=scope.office))
    audit.record_many(
        request.user,
        "resident.exported",
        sorted({t.person.resident_id for t in tasks if t.person and t.person.resident_id}),
        request=request,
        department=scope.department.code,
    )

    def shown(task):
        return access.protection(
            request.user, task, request=request, visit_id=task.visit_id, where="csv"
        )

    body = tasks_csv(tasks, protection_of=shown)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"tasks-{scope.department.code}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def chime(request):
    # No login: a sound carries no data, and the <audio> element may load before the session cookie.
    response = HttpResponse(chime_wav(), content_type="audio/wav")
    response["Cache-Control"] = "max-age=86400"
    return response


# --- the counter's side: progress board and calls ---------------------------------------------


def _board_context(request, visit):
    tasks = list(
        visit.tasks.select_related("department", "person__resident")
        .prefetch_related("transitions__by__staff")
        .order_by("department__id", "id")
    )
    calls = list(visit.calls.select_related("department", "taken_by__staff", "called_by__staff"))
    pack = default_pack()
    departments = [
        d for d in Department.objects.filter(code__in=list(pack.departments)).order_by("id")
    ]
    handoff = visit.handoffs.filter(kind=Handoff.Kind.TASKS).first()
    return {
        "visit": visit,
        "tasks": tasks,
        "calls": calls,
        "departments": departments,
        "handoff": handoff,
        "done": services.visit_done(visit),
        "poll": POLL_SECONDS,
        "State": Task.State,
        "call_form": CallForm(initial={"counter": request.session.get("counter", "")}),
        "stamp": _board_stamp(visit),
    }


def _board_stamp(visit) -> str:
    t = visit.tasks.aggregate(n=Count("id"), at=Max("updated_at"))
    c = visit.calls.aggregate(n=Count("id"), taken=Count("taken_at"))
    h = visit.handoffs.aggregate(a=Max("attempts"))
    return "-".join(
        str(v.timestamp() if hasattr(v, "timestamp") else v)
        for v in (visit.status, t["n"], t["at"], c["n"], c["taken"], h["a"])
    )


@login_required
def visit_board(request, number):
    visit = access.get_for_staff(request, Visit, number=number)
    frame = bool(request.GET.get("frame"))
    if not frame and request.GET.get("stamp") == _board_stamp(visit):
        return HttpResponse(status=204)
    ctx = _board_context(request, visit)
    _log_shown(request, ctx["tasks"], where="visit_board", visit=visit.number)
    return render(
        request, "backoffice/_board_frame.html" if frame else "backoffice/_board.html", ctx
    )


@login_required
@require_POST
def visit_call(request, number):
    visit = access.get_for_staff(request, Visit, number=number)
    form = CallForm(request.POST)
    if not form.is_valid():
        error = "、".join(str(e) for errs in form.errors.values() for e in errs)
        return render(request, "backoffice/_call_status.html", {"error": error}, status=400)
    request.session["counter"] = form.cleaned_data["counter"]
    try:
        call = services.call_department(
            visit,
            department=form.cleaned_data["department"],
            counter=form.cleaned_data["counter"],
            note=form.cleaned_data["note"],
            by=request.user,
            request=request,
        )
    except services.PracticeVisit as e:
        return render(request, "backoffice/_call_status.html", {"error": str(e)}, status=400)
    ctx = _board_context(request, visit)
    ctx["call"] = call
    return render(request, "backoffice/_call_status.html", ctx)
