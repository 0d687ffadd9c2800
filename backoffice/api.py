"""JSON API for core systems (基幹系): pull a department's tasks, report them processed.

`Authorization: Bearer <token>`; a token belongs to one core system and so to one department.
Staff sessions are not accepted here, and no CSRF applies (no cookies are read). The routes
are a django-ninja router that madoguchi/api.py mounts under /api/; the OpenAPI document at
/api/openapi.json is generated from them.
"""

import datetime
import hashlib
import secrets
from typing import Literal

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import HttpBearer

from accounts import access, audit
from backoffice.models import ApiToken, CoreSystem, Task, TaskReceipt
from backoffice.services import TASK_KINDS, task_payload
from madoguchi import apikit
from madoguchi.inputs import BadInput, expect_object, expect_text, json_body

PAGE_SIZE = 100


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(system: CoreSystem) -> str:
    """A new token for a core system; the plain text is returned once and never stored."""
    token = "mdg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(system=system, key_hash=hash_token(token), prefix=token[4:12])
    return token


class CoreSystemToken(HttpBearer):
    """A core system's bearer token; `request.auth` is its CoreSystem. A refusal says why, in
    the API's error shape (madoguchi/api.py turns apikit.Refused into the answer)."""

    openapi_description = "基幹系システムごとのトークン（madoguchi apitoken で発行）"

    def __call__(self, request):
        scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise apikit.Refused(
                401, "unauthorized", _("Authorization: Bearer トークンが必要です。")
            )
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("system__department")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if found is None:
            raise apikit.Refused(401, "unauthorized", _("トークンが無効です。"))
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found.system


# -- what the answers look like (documentation; the tests hold the answers to it) -----------


class Person(Schema):
    """住民記録システム標準仕様書の項目"""

    person_no: str = Field(description="宛名番号")
    household_no: str = Field(description="世帯番号")
    name: str = Field(description="氏名")
    name_kana: str = Field(description="氏名の振り仮名")
    name_alpha: str = Field(description="氏名（アルファベット）")
    birth_date: str = Field(description="生年月日 (ISO 8601)")
    sex: str = Field(description="性別 (1 男, 2 女, 9 適用不能, 0 不明)")
    relation: str = Field(description="世帯主との続柄")
    nationality: str = Field(description="国籍・地域")
    zip: str = Field(description="郵便番号（支援措置の対象者は空）")
    address: str = Field(description="住所（支援措置の対象者は空）")
    katagaki: str = Field(description="方書（支援措置の対象者は空）")
    previous_address: str = Field(description="異動前住所（支援措置の対象者は空）")
    event_date: str = Field(description="異動年月日")
    notified_on: str = Field(description="届出の年月日")
    support_measure: bool = Field(description="支援措置")


class TaskOut(Schema):
    id: int
    visit: str = Field(description="受付番号")
    procedure: str = Field(description="手続きID（カタログ）")
    title: str = Field(description="手続き名")
    department: str
    kind: Literal[TASK_KINDS]
    form: str = Field(description="様式")
    deadline: datetime.date | None
    state: Literal[tuple(Task.State.values)]
    needs_check: bool = Field(description="要確認（受付時に判定できなかった手続き）")
    events: list[str]
    event_date: datetime.date
    person: Person
    facts: dict = Field(description="受付時の聞き取り・住民記録の事実")
    completed_at: datetime.datetime | None


class TaskList(Schema):
    tasks: list[TaskOut]
    next_after: int | None = Field(description="続きがあるときの after の値")


class ProcessedReport(Schema):
    reference: str = Field("", max_length=100, description="基幹系側の処理番号")


class Receipt(Schema):
    task: int
    system: str
    processed_at: datetime.datetime
    reference: str


router = Router(tags=["tasks"])


def _tasks_for(system):
    return Task.objects.filter(department=system.department).select_related(
        "visit__household", "department", "person__resident__household"
    )


def _payload(task, system):
    # A system gets no 支援措置 address either: the register itself holds it under its own control.
    shown = access.protection(None, task, visit_id=task.visit_id, where="api", system=system.code)
    return task_payload(task, shown)


@router.get(
    "/v1/tasks",
    url_name="tasks",
    operation_id="listTasks",
    summary="未処理の業務を取得する",
    description="このシステムがまだ処理済みを報告していない業務を id 順に返す（既定は完了した業務）。",
    response={200: TaskList, **apikit.errors(400, 401)},
    openapi_extra={
        "parameters": [
            apikit.query(
                "state", {"type": "string", "enum": [*Task.State.values, "all"], "default": "done"}
            ),
            apikit.query(
                "after",
                {"type": "integer", "default": 0},
                "この id より後の業務（ページ送り）",
            ),
            apikit.query("include_processed", {"type": "boolean", "default": False}),
        ]
    },
)
def task_list(request):
    system = request.auth
    qs = _tasks_for(system)
    state = request.GET.get("state", "done")
    if state not in Task.State.values + ["all"]:
        return apikit.api_error(
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
        return apikit.api_error(400, "bad_request", _("after は整数です。"))
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


@router.get(
    "/v1/tasks/{int:pk}",
    url_name="task",
    operation_id="getTask",
    summary="業務を 1 件取得する",
    response={200: TaskOut, **apikit.errors(401, 404)},
)
def task_get(request, pk: int):
    task = _tasks_for(request.auth).filter(pk=pk).first()
    if task is None:
        return apikit.api_error(404, "not_found", _("業務が見つかりません。"))
    audit.record(
        None,
        "api.task_read",
        visit_id=task.visit_id,
        system=request.auth.code,
        resident_id=task.person.resident_id if task.person else None,
    )
    return JsonResponse(_payload(task, request.auth), json_dumps_params={"ensure_ascii": False})


@router.post(
    "/v1/tasks/{int:pk}/processed",
    url_name="task_processed",
    operation_id="reportProcessed",
    summary="処理済みを報告する",
    description="同じ報告を繰り返しても 1 件として記録され、200 で最初の報告を返す。",
    response={201: Receipt, 200: Receipt, **apikit.errors(400, 401, 404)},
    openapi_extra={"requestBody": apikit.json_body(ProcessedReport, required=False)},
)
def task_processed(request, pk: int):
    system = request.auth
    task = _tasks_for(system).filter(pk=pk).first()
    if task is None:
        return apikit.api_error(404, "not_found", _("業務が見つかりません。"))
    try:
        body = expect_object(json_body(request) or {}, _("本文"))
        reference = expect_text(body.get("reference", ""), "reference", max_length=100)
    except BadInput as e:
        return apikit.api_error(400, "bad_request", e)
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
