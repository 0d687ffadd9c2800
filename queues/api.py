"""転入予約 feed over HTTP: the core system posts the moving data it received (引越しワンストップ).

Same tokens as the core systems' task API: one per system, `Authorization: Bearer …`; no
staff session is accepted. madoguchi/api.py mounts this router under /queue/api/ with that
token's auth class, so queues needs nothing from backoffice. Body: {"notices": [ … ]} in
docs/queue.md's items.
"""

from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from lib.text import unstorable
from madoguchi import apikit
from madoguchi.inputs import BadInput, expect_list, json_body, json_response
from queues import prepare


class MovingNotices(Schema):
    notices: list[dict] = Field(
        description="転入予約のお知らせ（項目は docs/queue.md）。配列だけを送ってもよい。"
    )


class NoticeResult(Schema):
    予約番号: str | int | None
    status: Literal["created", "already_imported", "error"]
    visit: str | None = Field(None, description="準備した来庁の受付番号")
    note: str = ""
    message: str = Field("", description="status が error のときの理由")


class NoticeResults(Schema):
    results: list[NoticeResult]


router = Router(tags=["reservations"])


@router.post(
    "/v1/moving-notices",
    url_name="moving_notices",
    operation_id="postMovingNotices",
    summary="転入予約のお知らせを取り込む",
    description="1 件ずつ取り込み、結果を順に返す。全件成功は 200、"
    "一部だけ失敗は 207、1 件だけで失敗・本文の誤りは 400。同じ予約番号は二重に取り込まない。",
    response={200: NoticeResults, 207: NoticeResults, 400: NoticeResults | apikit.Error}
    | apikit.errors(401),
    openapi_extra={"requestBody": apikit.json_body(MovingNotices, required=True)},
)
def moving_notices(request):
    try:
        body = json_body(request)
        items = body.get("notices") if isinstance(body, dict) else body
        expect_list(items, "notices")
    except BadInput as e:
        return json_response(
            {
                "error": "bad_request",
                "message": str(e) + _('{"notices": [...]} の JSON を送ってください。'),
            },
            400,
        )
    results = []
    for i, item in enumerate(items, 1):
        try:
            r, created = prepare.import_notice(item, request=request)
        except prepare.FeedError as e:
            results.append(
                {
                    "予約番号": _echo(item),
                    "status": "error",
                    "message": _("%(n)s件目：%(e)s") % {"n": i, "e": e},
                }
            )
            continue
        results.append(
            {
                "予約番号": r.external_id,
                "status": "created" if created else "already_imported",
                "visit": r.visit.number if r.visit_id else None,
                "note": r.prepare_note,
            }
        )
    failed = any(x["status"] == "error" for x in results)
    return json_response(
        {"results": results}, status=207 if failed and len(results) > 1 else 400 if failed else 200
    )


def _echo(item):
    """The refused notice's 予約番号 when it is one that can be sent back (no NUL, not huge)."""
    value = item.get("予約番号") if isinstance(item, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value if abs(value) < 1e15 else None
    if isinstance(value, str) and len(value) <= 40 and not unstorable(value):
        return value
    return None
