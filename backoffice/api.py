"""JSON API for core systems (基幹系): pull a department's tasks, report them processed.

`Authorization: Bearer <token>`; a token belongs to one core system and so to one department.
Staff sessions are not accepted here, and no CSRF applies (no cookies are read).
"""

import functools
import hashlib
import secrets
from pathlib import Path

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts import access, audit
from backoffice.models import ApiToken, CoreSystem, Task, TaskReceipt
from backoffice.services import task_payload
from madoguchi.inputs import BadInput, expect_object, expect_text, json_body, json_response

OPENAPI = Path(__file__).with_name("openapi.json")
PAGE_SIZE = 100


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(system: CoreSystem) -> str:
    """A new token for a core system; the plain text is returned once and never stored."""
    token = "mdg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(system=system, key_hash=hash_token(token), prefix=token[4:12])
    return token


def _error(status, code, message):
    return json_response({"error": code, "message": message}, status=status)


def allow(*methods):
    """Like Django's require_http_methods, but a core system hears why in JSON too."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = _error(
                    405,
                    "method_not_allowed",
                    _("このURLで使えるのは %(methods)s です。") % {"methods": "・".join(methods)},
                )
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def token_required(view):
    @functools.wraps(view)
    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _error(401, "unauthorized", _("Authorization: Bearer トークンが必要です。"))
        found = (
            ApiToken.objects.select_related("system__department")
            .filter(key_hash=hash_token(token.strip()), revoked_at__isnull=True)
            .first()
        )
        if found is None:
            return _error(401, "unauthorized", _("トークンが無効です。"))
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.core_system = found.system
        return view(request, *args, **kwargs)

    return wrapper


def _tasks_for(system):
    return Task.objects.filter(department=system.department).select_related(
        "visit__household", "department", "person__resident__household"
    )


def _payload(task, system):
    # A system gets no 支援措置 address either: the register itself holds it under its own control.
    shown = access.protection(None, task, visit_id=task.visit_id, where="api", system=system.code)
    return task_payload(task, shown)


@token_required
@allow("GET")
def task_list(request):
    system = request.core_system
    qs = _tasks_for(system)
    state = request.GET.get("state", "done")
    if state not in Task.State.values + ["all"]:
        return _error(
            400,
            "bad_request",
            _("state は %(values)s, all のいずれかです。")
            % {"values": ", ".join(Task.State.values)},
        )
    if state != "all":
        qs = qs.filter(state=state)
    if request.GET.get("include_processed") not in ("1", "true"):
        qs = qs.exclude(receipts__system=system)
    try:
        after = int(request.GET.get("after", 0))
    except ValueError:
        return _error(400, "bad_request", _("after は整数です。"))
    tasks = list(qs.filter(id__gt=after).order_by("id")[:PAGE_SIZE])
    audit.record_many(
        None,
        "api.tasks_pulled",
        sorted({t.person.resident_id for t in tasks if t.person and t.person.resident_id}),
        system=system.code,
    )
    return JsonResponse(
        {
            "tasks": [_payload(t, system) for t in tasks],
            "next_after": tasks[-1].id if len(tasks) == PAGE_SIZE else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@token_required
@allow("GET")
def task_get(request, pk):
    task = _tasks_for(request.core_system).filter(pk=pk).first()
    if task is None:
        return _error(404, "not_found", _("業務が見つかりません。"))
    audit.record(
        None,
        "api.task_read",
        visit_id=task.visit_id,
        system=request.core_system.code,
        resident_id=task.person.resident_id if task.person else None,
    )
    return JsonResponse(
        _payload(task, request.core_system), json_dumps_params={"ensure_ascii": False}
    )


@token_required
@allow("POST")
def task_processed(request, pk):
    system = request.core_system
    task = _tasks_for(system).filter(pk=pk).first()
    if task is None:
        return _error(404, "not_found", _("業務が見つかりません。"))
    try:
        body = expect_object(json_body(request) or {}, _("本文"))
        reference = expect_text(body.get("reference", ""), "reference", max_length=100)
    except BadInput as e:
        return _error(400, "bad_request", str(e))
    try:
        with transaction.atomic():
            receipt = TaskReceipt.objects.create(task=task, system=system, reference=reference)
            audit.record(
                None, "api.task_processed", visit_id=task.visit_id, system=system.code, task=task.id
            )
        status = 201
    except IntegrityError:
        receipt = TaskReceipt.objects.get(task=task, system=system)  # reported twice: same answer
        status = 200
    return JsonResponse(
        {
            "task": task.id,
            "system": system.code,
            "processed_at": receipt.at.isoformat(),
            "reference": receipt.reference,
        },
        status=status,
    )


@allow("GET")
def openapi(request):
    return HttpResponse(OPENAPI.read_bytes(), content_type="application/json")
